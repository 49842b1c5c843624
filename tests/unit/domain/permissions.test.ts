import { describe, expect, it } from "vitest";
import { ACTIONS, can, canApprove, type Action, type Actor } from "~/domain/permissions";
import { nextStatus, VERSION_STATUSES, type VersionStatus } from "~/domain/workflow";

// The expected table, written out cell by cell: actor → action → states where it is allowed.
const D = "draft", S = "submitted", A = "approved", P = "published", X = "superseded";
const EXPECTED: Record<Actor, Record<Action, VersionStatus[] | boolean>> = {
  public: { read: [P, X], createDraft: [], editDraft: [], submit: [], approve: [], return: [], publish: [], viewAudit: false, manageUsers: false, manageThemes: false, annotate: [], resolveAnnotation: [], readStaffAnnotations: false, manageConsultations: false, manageAudiences: false, readResponses: false, importResponses: false, codeResponses: false, moderateResponses: false, decideThemes: false, publishReport: false },
  editor: { read: [D, S, A, P, X], createDraft: [D, S, A, P, X], editDraft: [D, S], submit: [D], approve: [], return: [], publish: [], viewAudit: true, manageUsers: false, manageThemes: false, annotate: [P, X], resolveAnnotation: [P, X], readStaffAnnotations: true, manageConsultations: false, manageAudiences: false, readResponses: true, importResponses: false, codeResponses: true, moderateResponses: false, decideThemes: false, publishReport: false },
  commissioner: { read: [D, S, A, P, X], createDraft: [D, S, A, P, X], editDraft: [D, S], submit: [D], approve: [S], return: [S], publish: [A], viewAudit: true, manageUsers: false, manageThemes: false, annotate: [P, X], resolveAnnotation: [P, X], readStaffAnnotations: true, manageConsultations: true, manageAudiences: false, readResponses: true, importResponses: true, codeResponses: true, moderateResponses: true, decideThemes: true, publishReport: true },
  admin: { read: [D, S, A, P, X], createDraft: [], editDraft: [], submit: [], approve: [], return: [], publish: [], viewAudit: true, manageUsers: true, manageThemes: true, annotate: [P, X], resolveAnnotation: [P, X], readStaffAnnotations: true, manageConsultations: false, manageAudiences: true, readResponses: true, importResponses: false, codeResponses: false, moderateResponses: false, decideThemes: false, publishReport: false },
};

describe("the permission table", () => {
  type Cell = [Actor, Action, VersionStatus | null, boolean];
  const cells: Cell[] = (Object.keys(EXPECTED) as Actor[]).flatMap((actor) =>
    ACTIONS.flatMap((action): Cell[] => {
      const expected = EXPECTED[actor][action];
      if (typeof expected === "boolean") return [[actor, action, null, expected]];
      return VERSION_STATUSES.map((state): Cell => [actor, action, state, expected.includes(state)]);
    }),
  );

  it.each(cells)("%s may %s a version that is %s: %s", (actor, action, state, allowed) => {
    expect(can(actor, action, state)).toBe(allowed);
  });

  it("never lets a version action through without a state", () => {
    expect(can("commissioner", "approve", null)).toBe(false);
  });

  it("never lets a commissioner approve a version they edited", () => {
    expect(canApprove("commissioner", "submitted", 7, [3, 7])).toBe(false);
    expect(canApprove("commissioner", "submitted", 7, [3])).toBe(true);
    expect(canApprove("editor", "submitted", 7, [3])).toBe(false);
    expect(canApprove("commissioner", "draft", 7, [3])).toBe(false);
  });
});

describe("workflow transitions", () => {
  const table: Record<string, (VersionStatus | null)[]> = {
    // draft, submitted, approved, published, superseded
    submit: ["submitted", null, null, null, null],
    approve: [null, "approved", null, null, null],
    return: [null, "draft", null, null, null],
    publish: [null, null, "published", null, null],
    edit: ["draft", "draft", null, null, null],
  };
  it.each(Object.entries(table).flatMap(([action, row]) => VERSION_STATUSES.map((state, i) => [action, state, row[i]] as const)))(
    "%s from %s gives %s",
    (action, state, next) => {
      expect(nextStatus(state, action as Parameters<typeof nextStatus>[1])).toBe(next);
    },
  );
});
