// Who may do what to a version in which state: one table, used by the pages (to show only what
// you may do) and by every loader and action (to refuse what you may not).
import { PUBLIC_STATUSES, VERSION_STATUSES, type VersionStatus } from "./workflow";

export const ROLES = ["editor", "commissioner", "admin"] as const;

/** The shortest password an account may have (pages show it, the server enforces it). */
export const MIN_PASSWORD_LENGTH = 12;
export type Role = (typeof ROLES)[number];
/** A signed-in user's role, or "public" for anyone without an account. */
export type Actor = Role | "public";

export const ACTIONS = [
  "read",
  "createDraft",
  "editDraft",
  "submit",
  "approve",
  "return",
  "publish",
  "viewAudit",
  "manageUsers",
  "manageThemes",
  "annotate",
  "resolveAnnotation",
  "readStaffAnnotations",
  "manageConsultations",
  "manageAudiences",
  "readResponses",
  "importResponses",
  "codeResponses",
  "moderateResponses",
  "decideThemes",
  "publishReport",
] as const;
export type Action = (typeof ACTIONS)[number];

const ALL_STATES = VERSION_STATUSES;
const PUBLIC_STATES = PUBLIC_STATUSES;
const STAFF: readonly Actor[] = ["editor", "commissioner", "admin"];
const AUTHORS: readonly Actor[] = ["editor", "commissioner"];

interface Rule {
  /** Who may, in the states listed. */
  actors: readonly Actor[];
  /** The version states the action applies to; null for actions on no version. */
  states: readonly VersionStatus[] | null;
}

/**
 * The permission table. `read` has two rows: everyone reads published versions; staff also
 * read work in progress. Approving has one more rule outside the table: never your own changes.
 */
export const PERMISSIONS: Record<Action, Rule[]> = {
  read: [
    { actors: ["public", ...STAFF], states: PUBLIC_STATES },
    { actors: STAFF, states: ALL_STATES },
  ],
  // A new draft may start from any version the user can read.
  createDraft: [{ actors: AUTHORS, states: ALL_STATES }],
  // Editing a submitted version returns it to draft; approved content never changes.
  editDraft: [{ actors: AUTHORS, states: ["draft", "submitted"] }],
  submit: [{ actors: AUTHORS, states: ["draft"] }],
  approve: [{ actors: ["commissioner"], states: ["submitted"] }],
  return: [{ actors: ["commissioner"], states: ["submitted"] }],
  publish: [{ actors: ["commissioner"], states: ["approved"] }],
  viewAudit: [{ actors: STAFF, states: null }],
  manageUsers: [{ actors: ["admin"], states: null }],
  manageThemes: [{ actors: ["admin"], states: null }],
  // Annotations are made, answered, resolved and reopened on published versions, by staff.
  annotate: [{ actors: STAFF, states: PUBLIC_STATES }],
  resolveAnnotation: [{ actors: STAFF, states: PUBLIC_STATES }],
  // Staff annotations are for staff only: no public page, list or export holds them.
  readStaffAnnotations: [{ actors: STAFF, states: null }],
  // Consultations: commissioners run them; admins keep the audience lists. Responses are
  // personal data, read by staff only; editors and commissioners code them to themes; a
  // commissioner moderates what may be quoted, decides each theme and publishes the report.
  manageConsultations: [{ actors: ["commissioner"], states: null }],
  manageAudiences: [{ actors: ["admin"], states: null }],
  readResponses: [{ actors: STAFF, states: null }],
  importResponses: [{ actors: ["commissioner"], states: null }],
  codeResponses: [{ actors: AUTHORS, states: null }],
  moderateResponses: [{ actors: ["commissioner"], states: null }],
  decideThemes: [{ actors: ["commissioner"], states: null }],
  publishReport: [{ actors: ["commissioner"], states: null }],
};

/** Whether `actor` may do `action`, on a version in `state` where the action concerns one. */
export function can(actor: Actor, action: Action, state: VersionStatus | null = null): boolean {
  return PERMISSIONS[action].some(
    (rule) => rule.actors.includes(actor) && (rule.states === null || (state !== null && rule.states.includes(state))),
  );
}

/** Approving is for someone whose writing the version does not hold (its pending authors). */
export function canApprove(actor: Actor, state: VersionStatus, userId: number, authorIds: readonly number[]): boolean {
  return can(actor, "approve", state) && !authorIds.includes(userId);
}
