// "No change because…": recording, from a draft, why a theme led to no change; the rules it keeps
// (drafts only, themes in the register, not a theme a change answers, the text policy) and what
// the public reads once the version is published. Through the app's own loaders and actions.
import { call, signIn } from "./app";
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_RATIONALE_LENGTH } from "~/domain/workflow";
import { getDatabase } from "~/models/app-database.server";
import * as outcomesPage from "~/routes/specs.$slug.drafts_.$draftId_.outcomes";
import * as draftPage from "~/routes/specs.$slug.drafts_.$draftId";
import * as submitPage from "~/routes/specs.$slug.drafts_.$draftId_.submit";
import * as youSaid from "~/routes/specs.$slug.compare.$range_.themes";
import { act, editClause, h, SLUG, startDraft } from "./drafting";

const SEED = JSON.parse(readFileSync("specs/adult-external-beam-radiotherapy/responses-1.0.json", "utf8")) as { outcomes: { theme: string; outcome: string }[] };

let editor: string;
let commissioner: string;
let admin: string;

beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
  admin = await signIn("admin@example.nhs.uk");
});

const url = (id: number | string, slug = SLUG) => `/specs/${slug}/drafts/${id}/outcomes`;
const params = (id: number | string, slug = SLUG) => ({ slug, draftId: String(id) });
const show = (id: number | string, cookie?: string, slug = SLUG) => call(h(outcomesPage.loader), url(id, slug), { cookie, params: params(id, slug) });
const send = (id: number | string, form: Record<string, string>, cookie = editor, slug = SLUG) => call(h(outcomesPage.action), url(id, slug), { cookie, form, params: params(id, slug) });

interface Listed {
  code: string;
  title: string;
  outcome: string | null;
  parentOutcome: string | null;
  clauses: string[];
}
interface Shown {
  answered: Listed[];
  others: Listed[];
  recorded: number;
  may: { edit: boolean };
}
const listed = async (id: number, cookie = editor) => {
  const response = await show(id, cookie);
  expect(response.status).toBe(200);
  const body = (await response.json()) as Shown;
  return { ...body, theme: (code: string) => [...body.answered, ...body.others].find((t) => t.code === code)! };
};

async function stored(id: number): Promise<Record<string, string>> {
  const db = await getDatabase();
  const rows = await db.selectFrom("theme_outcomes").select(["theme_code", "outcome"]).where("version_id", "=", id).execute();
  return Object.fromEntries(rows.map((r) => [r.theme_code, r.outcome]));
}

async function audits(id: number) {
  const db = await getDatabase();
  const number = (await db.selectFrom("versions").select("number").where("id", "=", id).executeTakeFirstOrThrow()).number;
  const rows = await db.selectFrom("audit_log").selectAll().where("action", "=", "draft.outcome").where("version_number", "=", number).orderBy("id").execute();
  return rows.map((r) => ({ actor: r.actor, theme: r.object_id, details: JSON.parse(r.details) as { removed: boolean; replaced: boolean; length: number } }));
}

describe("who may see the page", () => {
  let id: number;
  beforeAll(async () => {
    id = await startDraft(editor, "1.0");
  });

  it("sends a visitor who is not signed in to sign in, for the page and the form", async () => {
    const page = await show(id);
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toMatch(/^\/login\?next=/);
    const sent = await call(h(outcomesPage.action), url(id), { form: { intent: "save", theme: "T03", outcome: "No." }, params: params(id) });
    expect(sent.status).toBe(302);
    expect(await stored(id)).toEqual({});
  });

  it("answers 404 for a draft of another specification, a bad id or no such draft", async () => {
    expect((await show(id, editor, "another-specification")).status).toBe(404);
    expect((await send(id, { intent: "save", theme: "T03", outcome: "No." }, editor, "another-specification")).status).toBe(404);
    for (const bad of ["abc", "0", "-1", "01", "999999"]) expect((await show(bad, editor)).status).toBe(404);
    expect(await stored(id)).toEqual({});
  });

  it("is never cached, and lets staff read it; only those who may edit the draft get the forms", async () => {
    const page = await show(id, editor);
    expect(page.headers.get("Cache-Control")).toBe("private, no-store");
    expect((await listed(id, editor)).may.edit).toBe(true);
    expect((await listed(id, commissioner)).may.edit).toBe(true);
    expect((await listed(id, admin)).may.edit).toBe(false);
    const refused = await send(id, { intent: "save", theme: "T03", outcome: "An admin's view." }, admin);
    expect(refused.status).toBe(403);
    expect(await stored(id)).toEqual({});
  });
});

describe("recording why a theme led to no change", () => {
  let id: number;
  beforeAll(async () => {
    id = await startDraft(editor, "1.0");
  });

  it("lists every theme in the register, with what the version it started from said as a starting point", async () => {
    const page = await listed(id);
    expect(page.answered).toEqual([]);
    expect(page.others.map((t) => t.code)).toEqual(Array.from({ length: 15 }, (_, i) => `T${String(i + 1).padStart(2, "0")}`));
    expect(page.recorded).toBe(0);
    for (const seeded of SEED.outcomes) expect(page.theme(seeded.theme)).toMatchObject({ outcome: null, parentOutcome: seeded.outcome });
    expect(page.theme("T03").parentOutcome).toBeNull();
  });

  it("writes, replaces and removes a theme's reason, each with its audit entry and as the writer's contribution", async () => {
    const first = await send(id, { intent: "save", theme: "T03", outcome: "  The clauses on waiting times already meet this.  " });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ theme: "T03", error: null, done: "saved" });
    expect(await stored(id)).toEqual({ T03: "The clauses on waiting times already meet this." });
    expect((await listed(id)).theme("T03").outcome).toBe("The clauses on waiting times already meet this.");

    expect((await send(id, { intent: "save", theme: "T03", outcome: "Waiting times are set nationally, not in this specification." })).status).toBe(200);
    expect(await stored(id)).toEqual({ T03: "Waiting times are set nationally, not in this specification." });
    expect((await listed(id)).recorded).toBe(1);

    const removed = await send(id, { intent: "remove", theme: "T03", outcome: "ignored when removing" });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ done: "removed" });
    expect(await stored(id)).toEqual({});

    // Sending the field emptied removes it as well.
    expect((await send(id, { intent: "save", theme: "T04", outcome: "Covered by the national service." })).status).toBe(200);
    expect((await send(id, { intent: "save", theme: "T04", outcome: "   " })).status).toBe(200);
    expect(await stored(id)).toEqual({});

    expect(await audits(id)).toEqual([
      { actor: "editor@example.nhs.uk", theme: "T03", details: { length: "The clauses on waiting times already meet this.".length, removed: false, replaced: false } },
      { actor: "editor@example.nhs.uk", theme: "T03", details: expect.objectContaining({ removed: false, replaced: true }) },
      { actor: "editor@example.nhs.uk", theme: "T03", details: expect.objectContaining({ removed: true }) },
      { actor: "editor@example.nhs.uk", theme: "T04", details: expect.objectContaining({ removed: false }) },
      { actor: "editor@example.nhs.uk", theme: "T04", details: expect.objectContaining({ removed: true }) },
    ]);
    const db = await getDatabase();
    const parts = await db.selectFrom("contributions").select("part").where("version_id", "=", id).where("part", "like", "outcome:%").execute();
    expect(parts.map((p) => p.part)).toEqual(["outcome:T03", "outcome:T03", "outcome:T03", "outcome:T04", "outcome:T04"]);
  });

  it("copies the reason the version it started from gave, when asked", async () => {
    const t08 = SEED.outcomes.find((o) => o.theme === "T08")!;
    const carried = await send(id, { intent: "carry", theme: "T08" });
    expect(carried.status).toBe(200);
    expect(await carried.json()).toMatchObject({ done: "carried" });
    expect((await stored(id)).T08).toBe(t08.outcome);
    const none = await send(id, { intent: "carry", theme: "T03" });
    expect(none.status).toBe(400);
    expect(await stored(id)).toEqual({ T08: t08.outcome });
  });

  it("refuses an empty reason where there is none to remove, a reason too long or with refused characters, keeping what was typed and storing nothing", async () => {
    const before = await stored(id);
    const empty = await send(id, { intent: "save", theme: "T05", outcome: "" });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ theme: "T05", onField: true, error: "Write why this theme led to no change" });

    const long = "a".repeat(MAX_RATIONALE_LENGTH + 1);
    const tooLong = await send(id, { intent: "save", theme: "T05", outcome: long });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ theme: "T05", onField: true, error: "The reason must be 5,000 characters or fewer", typed: long });

    const hidden = await send(id, { intent: "save", theme: "T05", outcome: "No change\u202e because of this" });
    expect(hidden.status).toBe(400);
    const body = (await hidden.json()) as { error: string; typed: string; onField: boolean };
    expect(body.onField).toBe(true);
    expect(body.error).toMatch(/^The reason has an invisible text-direction character U\+202E \(right-to-left override\) at character 10; remove it$/);
    expect(body.typed).toBe("No change because of this");

    const nul = await send(id, { intent: "save", theme: "T05", outcome: "No change\u0000" });
    expect(nul.status).toBe(400);
    expect(await stored(id)).toEqual(before);
  });

  it("refuses a theme not in the register, a malformed one and an unknown button, storing nothing", async () => {
    const before = await stored(id);
    const unknown = await send(id, { intent: "save", theme: "T99", outcome: "No change." });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ theme: null, onField: false, error: "There is no theme T99 in the register" });
    const malformed = await send(id, { intent: "save", theme: "<b>t1</b>", outcome: "No change." });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: "Choose a theme from the list", onField: false });
    const noTheme = await send(id, { intent: "save", outcome: "No change." });
    expect(noTheme.status).toBe(400);
    const button = await send(id, { intent: "publish", theme: "T05", outcome: "No change." });
    expect(button.status).toBe(400);
    expect(await button.json()).toMatchObject({ error: "Choose one of the page's buttons", onField: false });
    const twice = await call(h(outcomesPage.action), url(id), { cookie: editor, form: [["intent", "save"], ["theme", "T05"], ["theme", "T06"], ["outcome", "No change."]], params: params(id) });
    expect(twice.status).toBe(400);
    const notAForm = await call(h(outcomesPage.action), url(id), { cookie: editor, body: "intent=save&theme=T05&outcome=No", params: params(id) });
    expect(notAForm.status).toBe(415);
    const json = await call(h(outcomesPage.action), url(id), { cookie: editor, json: { intent: "save", theme: "T05", outcome: "No" }, params: params(id) });
    expect(json.status).toBe(415);
    expect(await stored(id)).toEqual(before);
  });
});

describe("themes a change answers", () => {
  let id: number;
  beforeAll(async () => {
    id = await startDraft(editor, "1.0");
    expect(await editClause(id, editor, "host-provider", "A revised host provider clause.")).toBe(200);
  });

  it("lists them first with their clauses, and refuses a no-change reason for them: it belongs on the change note", async () => {
    // A reason recorded before the note linked the theme can still be removed.
    expect((await send(id, { intent: "save", theme: "T05", outcome: "Nothing to change." })).status).toBe(200);
    expect((await act(id, editor, { intent: "note", clauseId: "host-provider", rationale: "Clearer about the host.", themes: "T05" })).status).toBe(200);
    const page = await listed(id);
    expect(page.answered).toEqual([expect.objectContaining({ code: "T05", outcome: "Nothing to change.", clauses: [expect.stringMatching(/^\d+\.\d+\.\d+$/)] })]);
    expect(page.others.map((t) => t.code)).not.toContain("T05");

    const refused = await send(id, { intent: "save", theme: "T05", outcome: "Something else." });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^T05 is answered by a change in this draft: say why on the change note instead/);
    expect(await stored(id)).toEqual({ T05: "Nothing to change." });

    expect((await send(id, { intent: "remove", theme: "T05" })).status).toBe(200);
    expect(await stored(id)).toEqual({});
  });

  it("counts what is recorded on the draft page and on check your answers", async () => {
    expect((await send(id, { intent: "save", theme: "T06", outcome: "Already met." })).status).toBe(200);
    expect((await send(id, { intent: "save", theme: "T07", outcome: "Out of scope." })).status).toBe(200);
    const draft = (await (await call(h(draftPage.loader), `/specs/${SLUG}/drafts/${id}`, { cookie: editor, params: params(id) })).json()) as { outcomes: number };
    expect(draft.outcomes).toBe(2);
    const check = (await (await call(h(submitPage.loader), `/specs/${SLUG}/drafts/${id}/submit`, { cookie: editor, params: params(id) })).json()) as { outcomes: number };
    expect(check.outcomes).toBe(2);
  });

  it("refuses to submit a draft that says a theme led to no change while a change answers it, and says which", async () => {
    const other = await startDraft(editor, "1.0");
    expect(await editClause(other, editor, "host-provider", "Yet another host provider clause.")).toBe(200);
    expect((await send(other, { intent: "save", theme: "T05", outcome: "Nothing to change." })).status).toBe(200);
    expect((await act(other, editor, { intent: "note", clauseId: "host-provider", rationale: "Clearer about the host.", themes: "T05" })).status).toBe(200);
    const check = (await (await call(h(submitPage.loader), `/specs/${SLUG}/drafts/${other}/submit`, { cookie: editor, params: params(other) })).json()) as { outcomeClashes: string[] };
    expect(check.outcomeClashes).toEqual(["T05"]);
    const refused = await act(other, editor, { intent: "submit" });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/^T05 has a reason for leading to no change, but a change in this draft answers it/);
    expect((await send(other, { intent: "remove", theme: "T05" })).status).toBe(200);
    expect((await act(other, editor, { intent: "submit" })).status).toBe(302);
  });

  it("counts writing a reason as writing the version, so its writer cannot approve it", async () => {
    const other = await startDraft(editor, "1.0");
    expect(await editClause(other, editor, "host-provider", "Another revised host provider clause.")).toBe(200);
    expect((await send(other, { intent: "save", theme: "T06", outcome: "The commissioner's own reason." }, commissioner)).status).toBe(200);
    expect((await act(other, editor, { intent: "submit" })).status).toBe(302);
    const approve = await act(other, commissioner, { intent: "approve" });
    expect(approve.status).toBe(403);
    expect(((await approve.json()) as { error: string }).error).toMatch(/you wrote, so someone else must approve it/);
  });
});

describe("once submitted, approved and published", () => {
  let id: number;
  let number: string;
  const REASON = "Transport is arranged by each trust under the national non-emergency transport rules, so this specification does not change it.";
  beforeAll(async () => {
    id = await startDraft(editor, "1.0");
    expect(await editClause(id, editor, "host-provider", "The host provider leads the network.")).toBe(200);
    expect((await act(id, editor, { intent: "note", clauseId: "host-provider", rationale: "Says who leads.", themes: "T05" })).status).toBe(200);
    expect((await send(id, { intent: "save", theme: "T03", outcome: REASON })).status).toBe(200);
    number = (await (await getDatabase()).selectFrom("versions").select("number").where("id", "=", id).executeTakeFirstOrThrow()).number;
  });

  it("refuses changes while the draft is submitted, saying to withdraw it first", async () => {
    expect((await act(id, editor, { intent: "submit" })).status).toBe(302);
    const refused = await send(id, { intent: "save", theme: "T03", outcome: "A new reason." });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ onField: false, error: expect.stringMatching(/withdraw it to draft/) });
    expect((await send(id, { intent: "remove", theme: "T03" })).status).toBe(409);
    expect((await listed(id)).may.edit).toBe(false);
    expect(await stored(id)).toEqual({ T03: REASON });
  });

  it("shows the reason beside the theme in “you said, we did” for the revision, and keeps it sealed", async () => {
    expect((await act(id, commissioner, { intent: "approve" })).status).toBe(302);
    expect((await act(id, commissioner, { intent: "publish", label: "Revision", "date-day": "1", "date-month": "3", "date-year": "2018" })).status).toBe(302);
    const range = `1.0...${number}`;
    const report = (await (await call(h(youSaid.loader), `/specs/${SLUG}/compare/${range}/themes`, { params: { slug: SLUG, range } })).json()) as { themes: { code: string; title: string; outcomes: { version: string; outcome: string }[]; changes: string[] }[] };
    const t03 = report.themes.find((t) => t.code === "T03");
    expect(t03).toMatchObject({ outcomes: [{ version: number, outcome: REASON }], changes: [] });
    expect(t03!.title.length).toBeGreaterThan(0);
    // The theme a change answers shows that change, and no outcome.
    expect(report.themes.find((t) => t.code === "T05")).toMatchObject({ outcomes: [], changes: ["host-provider"] });

    const refused = await send(id, { intent: "save", theme: "T03", outcome: "Rewritten after publishing." });
    expect(refused.status).toBe(409);
    expect((await send(id, { intent: "save", theme: "T04", outcome: "Added after publishing." })).status).toBe(409);
    // And the database itself refuses, whatever the code path.
    const db = await getDatabase();
    await expect(sql`UPDATE theme_outcomes SET outcome = 'changed' WHERE version_id = ${id}`.execute(db)).rejects.toThrow(/cannot change/);
    expect(await stored(id)).toEqual({ T03: REASON });
  });
});
