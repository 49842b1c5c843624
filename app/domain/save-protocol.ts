// How the draft editor saves, as a small pure state machine: what it sends, what it does with
// each answer, and how a person settles an overlap. The editor only runs the effects, so every
// path is tested here without a browser, and no path can overwrite someone else's work unseen.
import { canonicalJson } from "./hashing";
import { mergeDocuments, type MergeConflict } from "./merge";
import type { DocJSON } from "./schema";

export type SavePhase = "saved" | "dirty" | "saving" | "conflict" | "failed";

/** A revision the server holds, which the editor's document builds on. */
export interface SavedRevision {
  revision: number;
  doc: DocJSON;
}

/** The body of PUT /api/drafts/:id. */
export interface SaveBody {
  baseRevision: number;
  doc: DocJSON;
  requestId: string;
}

/** Two people changed the same parts; the editor shows both until a person chooses. */
export interface Overlap {
  error: string;
  items: MergeConflict[];
  /** What both sides started from. */
  base: DocJSON;
  /** What the server holds now, at `revision`. */
  theirs: DocJSON;
  revision: number;
  /** What this editor held when the overlap was found. */
  mine: DocJSON;
}

export interface SaveState {
  phase: SavePhase;
  base: SavedRevision;
  /** The request on the wire; after the server could not be reached, the one to send again as it was. */
  pending: SaveBody | null;
  /** A save was asked for while another was on the wire. */
  again: boolean;
  overlap: Overlap | null;
  message: string;
}

/** What the server answered (or that it could not be reached). */
export type SaveAnswer =
  | { kind: "saved"; revision: number; doc?: DocJSON }
  | { kind: "conflict"; error: string; items: MergeConflict[]; revision: number; doc: DocJSON }
  | { kind: "refused"; error: string }
  | { kind: "unreachable" };

export type SaveEvent =
  /** The person changed the document. */
  | { type: "edited" }
  /** Save now (the button, Ctrl+S, or the autosave timer), with the editor's document. */
  | { type: "save"; doc: DocJSON; requestId: string }
  /** The answer to the pending request, with the editor's document as it is now. */
  | { type: "answered"; answer: SaveAnswer; doc: DocJSON }
  /** Settle an overlap: keep this editor's version of the overlapping parts, or theirs. */
  | { type: "resolve"; keep: "mine" | "theirs"; doc: DocJSON; requestId: string };

export type SaveEffect =
  | { type: "send"; body: SaveBody }
  /** Put this document in the editor (outside its undo history). */
  | { type: "show"; doc: DocJSON }
  /** Save by itself after a pause in typing. */
  | { type: "autosave" }
  /** Save again now: typing went on while a save was on the wire. */
  | { type: "saveNow" };

export interface Step {
  state: SaveState;
  effects: SaveEffect[];
}

const same = (a: DocJSON, b: DocJSON) => canonicalJson(a) === canonicalJson(b);

export const MESSAGES = {
  saved: (revision: number) => `All changes saved (revision ${revision})`,
  dirty: "Unsaved changes",
  saving: "Saving…",
  conflict: "Not saved: someone else changed the same clauses. Compare the two versions below.",
  refused: (error: string) => `Not saved: ${error}`,
  unreachable: "Not saved: the server could not be reached. Your changes are still here; try Save again.",
} as const;

export function initialSaveState(base: SavedRevision): SaveState {
  return { phase: "saved", base, pending: null, again: false, overlap: null, message: MESSAGES.saved(base.revision) };
}

export function stepSave(state: SaveState, event: SaveEvent): Step {
  switch (event.type) {
    case "edited":
      return edited(state);
    case "save":
      return save(state, event.doc, event.requestId);
    case "answered":
      return answered(state, event.answer, event.doc);
    case "resolve":
      return resolve(state, event.keep, event.doc, event.requestId);
  }
}

function edited(state: SaveState): Step {
  // While a save is on the wire its answer decides; while an overlap is shown, nothing saves.
  if (state.phase === "saving" || state.phase === "conflict") return { state, effects: [] };
  return { state: { ...state, phase: "dirty", message: MESSAGES.dirty }, effects: [{ type: "autosave" }] };
}

function save(state: SaveState, doc: DocJSON, requestId: string): Step {
  if (state.phase === "saving") return { state: { ...state, again: true }, effects: [] };
  if (state.phase === "conflict") return { state, effects: [] };
  // A request whose answer never came is sent again as it was, so the server can answer it
  // (once) instead of taking a second save; what was typed since follows it.
  if (state.pending) {
    return {
      state: { ...state, phase: "saving", again: !same(state.pending.doc, doc), message: MESSAGES.saving },
      effects: [{ type: "send", body: state.pending }],
    };
  }
  if (same(doc, state.base.doc)) return { state: { ...state, phase: "saved", message: MESSAGES.saved(state.base.revision) }, effects: [] };
  const body = { baseRevision: state.base.revision, doc, requestId };
  return { state: { ...state, phase: "saving", pending: body, again: false, message: MESSAGES.saving }, effects: [{ type: "send", body }] };
}

function answered(state: SaveState, answer: SaveAnswer, current: DocJSON): Step {
  const sent = state.pending;
  if (state.phase !== "saving" || !sent) return { state, effects: [] };
  const cleared = { ...state, pending: null, again: false };
  switch (answer.kind) {
    case "unreachable":
      // Keep the request: it may have been saved, and only the same requestId can tell.
      return { state: { ...state, phase: "failed", again: false, message: MESSAGES.unreachable }, effects: [] };
    case "refused":
      return { state: { ...cleared, phase: "failed", message: MESSAGES.refused(answer.error) }, effects: [] };
    case "conflict":
      return {
        state: {
          ...cleared,
          phase: "conflict",
          overlap: { error: answer.error, items: answer.items, base: state.base.doc, theirs: answer.doc, revision: answer.revision, mine: current },
          message: MESSAGES.conflict,
        },
        effects: [],
      };
    case "saved":
      return savedAnswer(cleared, sent, answer, current, state.again);
  }
}

function savedAnswer(state: SaveState, sent: SaveBody, answer: { revision: number; doc?: DocJSON }, current: DocJSON, again: boolean): Step {
  const stored = answer.doc ?? sent.doc;
  const base = { revision: answer.revision, doc: stored };
  const effects: SaveEffect[] = [];
  let shown = current;
  if (answer.doc && !same(answer.doc, sent.doc)) {
    // The server merged others' work in (or tidied the text): bring it in, keeping any typing
    // done since the request left. If that typing overlaps the merged-in work, a person decides.
    const merged = same(current, sent.doc) ? { ok: true as const, doc: stored } : mergeDocuments(sent.doc, stored, current);
    if (!merged.ok) {
      return {
        state: {
          ...state,
          base,
          phase: "conflict",
          overlap: { error: "Someone else changed the same part while you were typing", items: merged.conflicts, base: sent.doc, theirs: stored, revision: answer.revision, mine: current },
          message: MESSAGES.conflict,
        },
        effects,
      };
    }
    shown = merged.doc;
    effects.push({ type: "show", doc: shown });
  }
  if (same(shown, stored)) return { state: { ...state, base, phase: "saved", overlap: null, message: MESSAGES.saved(answer.revision) }, effects };
  effects.push(again ? { type: "saveNow" } : { type: "autosave" });
  return { state: { ...state, base, phase: "dirty", overlap: null, message: MESSAGES.dirty }, effects };
}

function resolve(state: SaveState, keep: "mine" | "theirs", current: DocJSON, requestId: string): Step {
  const overlap = state.overlap;
  if (state.phase !== "conflict" || !overlap) return { state, effects: [] };
  // Only the overlapping parts are chosen; everyone's other changes stay, and so does any typing
  // done while both versions were shown.
  const merged = mergeDocuments(overlap.base, overlap.theirs, current, keep === "mine" ? "ours" : "theirs");
  const doc = merged.ok ? merged.doc : keep === "mine" ? current : overlap.theirs;
  const base = { revision: overlap.revision, doc: overlap.theirs };
  const settled: SaveState = { ...state, base, overlap: null, pending: null, again: false };
  if (same(doc, overlap.theirs)) {
    return { state: { ...settled, phase: "saved", message: MESSAGES.saved(overlap.revision) }, effects: [{ type: "show", doc }] };
  }
  const body = { baseRevision: overlap.revision, doc, requestId };
  return { state: { ...settled, phase: "saving", pending: body, message: MESSAGES.saving }, effects: [{ type: "show", doc }, { type: "send", body }] };
}

/** An answer from the draft API's status and JSON body. */
export function answerFrom(status: number, body: { revision?: number; doc?: DocJSON; error?: string; conflict?: { items: MergeConflict[]; revision: number; doc: DocJSON } }): SaveAnswer {
  // A server error or a proxy's page may come after the save was stored: as with no answer at
  // all, the same request is sent again, so the server can say what became of it.
  if (status >= 500) return { kind: "unreachable" };
  if (status === 409 && body.conflict) return { kind: "conflict", error: body.error ?? "Someone else changed the same clauses", items: body.conflict.items, revision: body.conflict.revision, doc: body.conflict.doc };
  if (status === 200 && typeof body.revision === "number") return body.doc ? { kind: "saved", revision: body.revision, doc: body.doc } : { kind: "saved", revision: body.revision };
  return { kind: "refused", error: body.error ?? `the server answered ${status}` };
}
