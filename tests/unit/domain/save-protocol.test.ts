import { describe, expect, it } from "vitest";
import { answerFrom, initialSaveState, MESSAGES, stepSave, type SaveEvent, type SaveState } from "~/domain/save-protocol";
import type { DocJSON } from "~/domain/schema";
import { clause, doc, section } from "../builders";

// Two clauses, each changed by "me" or "them"; the server's revision 3 is where we start.
const text = (a: string, b: string) => doc(section("s", "Scope", clause("a", a), clause("b", b)));
const BASE = text("Alpha.", "Bravo.");
const MINE_A = text("Alpha, mine.", "Bravo.");
const MINE_A_MORE = text("Alpha, mine and more.", "Bravo.");
const THEIRS_A = text("Alpha, theirs.", "Bravo.");
const MERGED = text("Alpha, mine.", "Bravo, theirs.");

const start = () => initialSaveState({ revision: 3, doc: BASE });
const at = (state: SaveState, ...events: SaveEvent[]) => {
  let current = state;
  const effects = [];
  for (const event of events) {
    const step = stepSave(current, event);
    current = step.state;
    effects.push(...step.effects);
  }
  return { state: current, effects };
};
const sending = (doc: DocJSON = MINE_A) => at(start(), { type: "edited" }, { type: "save", doc, requestId: "r1" }).state;

describe("the save protocol", () => {
  describe("editing", () => {
    it("marks the draft unsaved and asks for an autosave, from saved, unsaved or failed", () => {
      for (const phase of ["saved", "dirty", "failed"] as const) {
        const { state, effects } = at({ ...start(), phase }, { type: "edited" });
        expect(state).toMatchObject({ phase: "dirty", message: MESSAGES.dirty });
        expect(effects).toEqual([{ type: "autosave" }]);
      }
    });

    it("changes nothing while a save is on the wire or an overlap is shown", () => {
      for (const phase of ["saving", "conflict"] as const) {
        const before = { ...start(), phase };
        expect(at(before, { type: "edited" })).toEqual({ state: before, effects: [] });
      }
    });
  });

  describe("saving", () => {
    it("sends the document on the base revision with the request's id", () => {
      const { state, effects } = at(start(), { type: "edited" }, { type: "save", doc: MINE_A, requestId: "r1" });
      expect(state).toMatchObject({ phase: "saving", pending: { baseRevision: 3, doc: MINE_A, requestId: "r1" }, message: MESSAGES.saving });
      expect(effects).toEqual([{ type: "autosave" }, { type: "send", body: { baseRevision: 3, doc: MINE_A, requestId: "r1" } }]);
    });

    it("sends nothing when the document is what the server holds", () => {
      const { state, effects } = at({ ...start(), phase: "dirty" }, { type: "save", doc: BASE, requestId: "r1" });
      expect(state).toMatchObject({ phase: "saved", pending: null, message: MESSAGES.saved(3) });
      expect(effects).toEqual([]);
    });

    it("sends one save at a time, remembering that another was asked for", () => {
      const { state, effects } = at(sending(), { type: "save", doc: MINE_A_MORE, requestId: "r2" });
      expect(state).toMatchObject({ phase: "saving", again: true, pending: { requestId: "r1" } });
      expect(effects).toEqual([]);
    });

    it("sends nothing while an overlap waits for a person", () => {
      const conflicted = at(sending(), { type: "answered", answer: { kind: "conflict", error: "e", items: [{ id: "a", what: "content" }], revision: 4, doc: THEIRS_A }, doc: MINE_A }).state;
      expect(at(conflicted, { type: "save", doc: MINE_A_MORE, requestId: "r2" })).toEqual({ state: conflicted, effects: [] });
    });

    it("sends an unanswered request again as it was, with the same id, then what was typed since", () => {
      const lost = at(sending(), { type: "answered", answer: { kind: "unreachable" }, doc: MINE_A }).state;
      expect(lost).toMatchObject({ phase: "failed", message: MESSAGES.unreachable, pending: { requestId: "r1", doc: MINE_A } });
      const same = at(lost, { type: "save", doc: MINE_A, requestId: "r9" });
      expect(same.effects).toEqual([{ type: "send", body: { baseRevision: 3, doc: MINE_A, requestId: "r1" } }]);
      expect(same.state.again).toBe(false);
      const more = at(lost, { type: "edited" }, { type: "save", doc: MINE_A_MORE, requestId: "r9" });
      expect(more.effects).toEqual([{ type: "autosave" }, { type: "send", body: { baseRevision: 3, doc: MINE_A, requestId: "r1" } }]);
      expect(more.state.again).toBe(true);
      // Its answer comes; the typing is saved next, at once.
      const next = at(more.state, { type: "answered", answer: { kind: "saved", revision: 4 }, doc: MINE_A_MORE });
      expect(next.state).toMatchObject({ phase: "dirty", base: { revision: 4, doc: MINE_A } });
      expect(next.effects).toEqual([{ type: "saveNow" }]);
    });
  });

  describe("answers", () => {
    it("adopts the new revision when the server stored what was sent", () => {
      const { state, effects } = at(sending(), { type: "answered", answer: { kind: "saved", revision: 4 }, doc: MINE_A });
      expect(state).toMatchObject({ phase: "saved", base: { revision: 4, doc: MINE_A }, pending: null, message: MESSAGES.saved(4) });
      expect(effects).toEqual([]);
    });

    it("stays unsaved, and autosaves, when typing went on during the save", () => {
      const { state, effects } = at(sending(), { type: "answered", answer: { kind: "saved", revision: 4 }, doc: MINE_A_MORE });
      expect(state).toMatchObject({ phase: "dirty", base: { revision: 4, doc: MINE_A } });
      expect(effects).toEqual([{ type: "autosave" }]);
    });

    it("shows the server's merged document when nothing was typed since", () => {
      const { state, effects } = at(sending(), { type: "answered", answer: { kind: "saved", revision: 5, doc: MERGED }, doc: MINE_A });
      expect(state).toMatchObject({ phase: "saved", base: { revision: 5, doc: MERGED } });
      expect(effects).toEqual([{ type: "show", doc: MERGED }]);
    });

    it("merges the server's document with typing since, when they touch different parts", () => {
      // I sent a change to A; the server merged in their change to B; meanwhile I typed more in A.
      const { state, effects } = at(sending(MINE_A), { type: "answered", answer: { kind: "saved", revision: 5, doc: MERGED }, doc: MINE_A_MORE });
      expect(state).toMatchObject({ phase: "dirty", base: { revision: 5, doc: MERGED } });
      expect(effects).toEqual([{ type: "show", doc: text("Alpha, mine and more.", "Bravo, theirs.") }, { type: "autosave" }]);
    });

    it("shows both versions, and saves nothing, when typing since overlaps what the server merged in", () => {
      // I sent a change to B; the server merged in their change to A; meanwhile I also changed A.
      const sentB = text("Alpha.", "Bravo, mine.");
      const serverDoc = text("Alpha, theirs.", "Bravo, mine.");
      const typed = text("Alpha, mine.", "Bravo, mine.");
      const s = sending(sentB);
      const { state, effects } = at(s, { type: "answered", answer: { kind: "saved", revision: 5, doc: serverDoc }, doc: typed });
      expect(state).toMatchObject({ phase: "conflict", base: { revision: 5, doc: serverDoc }, message: MESSAGES.conflict });
      expect(state.overlap).toMatchObject({ items: [{ id: "a", what: "content" }], base: sentB, theirs: serverDoc, revision: 5, mine: typed });
      expect(effects).toEqual([]);
      // The next autosave cannot overwrite their change: nothing is sent until a person chooses.
      expect(at(state, { type: "save", doc: typed, requestId: "r2" }).effects).toEqual([]);
      // Keeping mine keeps my A and everything else the server holds.
      const kept = at(state, { type: "resolve", keep: "mine", doc: typed, requestId: "r3" });
      expect(kept.effects).toEqual([{ type: "show", doc: typed }, { type: "send", body: { baseRevision: 5, doc: typed, requestId: "r3" } }]);
      // Taking theirs keeps their A; nothing of mine was left outside the overlap, so nothing is sent.
      const taken = at(state, { type: "resolve", keep: "theirs", doc: typed, requestId: "r4" });
      expect(taken.state).toMatchObject({ phase: "saved", base: { revision: 5, doc: serverDoc } });
      expect(taken.effects).toEqual([{ type: "show", doc: serverDoc }]);
    });

    it("shows both versions when the server answers 409, based on what was sent from", () => {
      const { state, effects } = at(sending(), { type: "answered", answer: { kind: "conflict", error: "someone else changed the same part", items: [{ id: "a", what: "content" }], revision: 4, doc: THEIRS_A }, doc: MINE_A_MORE });
      expect(state).toMatchObject({ phase: "conflict", pending: null, base: { revision: 3, doc: BASE } });
      expect(state.overlap).toEqual({ error: "someone else changed the same part", items: [{ id: "a", what: "content" }], base: BASE, theirs: THEIRS_A, revision: 4, mine: MINE_A_MORE });
      expect(effects).toEqual([]);
    });

    it("keeps their other changes whichever way an overlap is settled", () => {
      // They changed A and B; I changed A. Mine wins A, theirs stays in B.
      const theirs = text("Alpha, theirs.", "Bravo, theirs.");
      const conflicted = at(sending(), { type: "answered", answer: { kind: "conflict", error: "e", items: [{ id: "a", what: "content" }], revision: 4, doc: theirs }, doc: MINE_A }).state;
      const mine = at(conflicted, { type: "resolve", keep: "mine", doc: MINE_A, requestId: "r5" });
      expect(mine.effects).toEqual([{ type: "show", doc: MERGED }, { type: "send", body: { baseRevision: 4, doc: MERGED, requestId: "r5" } }]);
      expect(mine.state).toMatchObject({ phase: "saving", base: { revision: 4, doc: theirs }, overlap: null });
      const theirsKept = at(conflicted, { type: "resolve", keep: "theirs", doc: MINE_A, requestId: "r6" });
      expect(theirsKept.effects).toEqual([{ type: "show", doc: theirs }]);
      expect(theirsKept.state).toMatchObject({ phase: "saved", base: { revision: 4, doc: theirs } });
    });

    it("says why the server refused a save, and forgets that request", () => {
      const { state, effects } = at(sending(), { type: "answered", answer: { kind: "refused", error: "every section needs a heading" }, doc: MINE_A });
      expect(state).toMatchObject({ phase: "failed", pending: null, base: { revision: 3 }, message: "Not saved: every section needs a heading" });
      expect(effects).toEqual([]);
    });

    it("ignores an answer that no request is waiting for, and a choice when nothing overlaps", () => {
      const idle = start();
      expect(at(idle, { type: "answered", answer: { kind: "saved", revision: 9 }, doc: BASE })).toEqual({ state: idle, effects: [] });
      expect(at(idle, { type: "resolve", keep: "mine", doc: BASE, requestId: "r" })).toEqual({ state: idle, effects: [] });
    });
  });

  describe("reading the draft API's answers", () => {
    it("maps each status and body to an answer", () => {
      expect(answerFrom(200, { revision: 4 })).toEqual({ kind: "saved", revision: 4 });
      expect(answerFrom(200, { revision: 4, doc: BASE })).toEqual({ kind: "saved", revision: 4, doc: BASE });
      expect(answerFrom(409, { error: "overlap", conflict: { items: [], revision: 5, doc: BASE } })).toEqual({ kind: "conflict", error: "overlap", items: [], revision: 5, doc: BASE });
      expect(answerFrom(409, { error: "this version is approved and can no longer change" })).toEqual({ kind: "refused", error: "this version is approved and can no longer change" });
      expect(answerFrom(400, { error: "bad" })).toEqual({ kind: "refused", error: "bad" });
      expect(answerFrom(502, {})).toEqual({ kind: "unreachable" });
    expect(answerFrom(404, {})).toEqual({ kind: "refused", error: "the server answered 404" });
    });
  });
});
