import { EditorState, TextSelection, type Transaction } from "prosemirror-state";
import type { Decoration, DecorationSet } from "prosemirror-view";
import { describe, expect, it } from "vitest";
import { addClause, deleteClause, moveClause } from "~/editor/commands";
import { currentItems, itemText, quoteRange, structureOf, textMarks, trackedBase } from "~/editor/tracked-changes";
import { changedClauseAt, refreshTracked, setShowChanges, trackedChanges, trackedKey } from "~/editor/tracked-plugin";
import { specSchema, type DocJSON } from "~/domain/schema";
import { clause, doc, li, section, ul } from "../builders";

const base = doc(
  section("s", "Scope", clause("a", "The provider must ensure care."), clause("b", "Bravo text here."), clause("c", "Charlie", ul(li("one"), li("two")))),
  section("t", "Other", clause("d", "Delta")),
);

const node = (json: DocJSON) => specSchema.nodeFromJSON(json);
const itemOf = (json: DocJSON, key: string) => currentItems(node(json)).items.find((i) => i.key === key)!;

/** The words a mark covers (insertions) or carries (deletions), as a reader would list them. */
function marksOf(json: DocJSON, key: string) {
  const item = itemOf(json, key);
  const text = itemText(item.node);
  const { marks, changed } = textMarks(text, trackedBase(base).texts.get(key));
  const doc = node(json);
  return { changed, marks: marks.map((m) => (m.type === "insert" ? `+${doc.textBetween(item.pos + m.from, item.pos + m.to)}` : `-${m.text}@${doc.textBetween(item.pos + 1, item.pos + m.at)}`)) };
}

describe("the words an editor changed in a clause", () => {
  it("marks inserted words where they stand and deleted words after the text before them", () => {
    const edited = doc(section("s", "Scope", clause("a", "The provider must always ensure good care."), clause("b", "Bravo here."), clause("c", "Charlie", ul(li("one"), li("two")))), section("t", "Other", clause("d", "Delta")));
    expect(marksOf(edited, "clause:a")).toEqual({ changed: true, marks: ["+always ", "+ good"] });
    expect(marksOf(edited, "clause:b")).toEqual({ changed: true, marks: ["-text @Bravo "] });
    expect(marksOf(edited, "clause:c")).toEqual({ changed: false, marks: [] });
  });

  it("places changes inside list items, leaving out the list markers and line breaks", () => {
    const edited = doc(section("s", "Scope", clause("c", "Charlie", ul(li("one"), li("two more"), li("three")))));
    const { marks } = marksOf(edited, "clause:c");
    expect(marks.join(" ")).toContain("+ more");
    expect(marks.join(" ")).toContain("+three");
    expect(marks.every((m) => !m.includes("- "))).toBe(true);
  });

  it("marks a renamed heading's words", () => {
    const edited = doc(section("s", "Scope of the service", clause("a", "The provider must ensure care.")));
    expect(marksOf(edited, "section:s").marks).toEqual(["+ of the service"]);
  });

  it("finds a quote nearest where it was, or nowhere once its words are gone", () => {
    expect(quoteRange("care and care", "care", 9)).toEqual([9, 13]);
    expect(quoteRange("care and care", "care", 0)).toEqual([0, 4]);
    expect(quoteRange("care and care", "cure", 0)).toBeNull();
  });
});

describe("new, moved, renumbered and deleted items", () => {
  it("says which items are new or moved, what their numbers were, and where deleted ones stood", () => {
    const edited = doc(section("s", "Scope", clause("n", "New words"), clause("b", "Bravo text here."), clause("a", "The provider must ensure care.")), section("t", "Other", clause("d", "Delta")));
    const structure = structureOf(trackedBase(base), currentItems(node(edited)).items);
    expect(structure.places.get("clause:n")).toEqual({ status: "inserted", number: "1.1", oldNumber: null });
    expect(structure.places.get("clause:b")).toMatchObject({ number: "1.2", oldNumber: "1.2" });
    expect([structure.places.get("clause:a")?.status, structure.places.get("clause:b")?.status].sort()).toEqual(["kept", "moved"]);
    expect(structure.places.get("clause:d")).toEqual({ status: "kept", number: "2.1", oldNumber: "2.1" });
    const deleted = [...structure.deleted.values()].flat();
    expect(deleted.map((d) => `${d.number} ${d.text}`)).toEqual(["1.3 Charlie\n- one\n- two"]);
  });
});

/** Every decoration of a set, as comparable text. */
function listed(set: DecorationSet): string[] {
  return set
    .find()
    .map((d: Decoration) => `${d.from}-${d.to} ${String(d.spec.key ?? d.spec.node ?? "inline")}`)
    .sort();
}

function stateOf(json: DocJSON, clauseId: string) {
  const doc = node(json);
  let at = 0;
  doc.descendants((n, pos) => {
    if (n.type.name === "clause" && n.attrs.id === clauseId) at = pos + 2;
    return at === 0;
  });
  return EditorState.create({ doc, selection: TextSelection.create(doc, at), plugins: trackedChanges({ base }) });
}

const fresh = (state: EditorState) => EditorState.create({ doc: state.doc, plugins: trackedChanges({ base }) });
const decorationsOf = (state: EditorState) => {
  const s = trackedKey.getState(state)!;
  return { always: listed(s.always), marks: listed(s.marks) };
};

describe("the tracked changes plugin", () => {
  it("keeps the same decorations, updated clause by clause, as drawing them all again", () => {
    let state = stateOf(base, "b");
    const apply = (tr: Transaction) => (state = state.apply(tr));
    for (const word of [" more", " words", "!"]) apply(state.tr.insertText(word));
    // While typing goes on the clause's marks are only mapped; a pause compares it again.
    expect(trackedKey.getState(state)!.pending).toEqual(new Set(["clause:b"]));
    expect(decorationsOf(state)).not.toEqual(decorationsOf(fresh(state)));
    apply(refreshTracked(state));
    expect(trackedKey.getState(state)!.pending.size).toBe(0);
    expect(decorationsOf(state)).toEqual(decorationsOf(fresh(state)));
    apply(state.tr.delete(state.selection.from - 12, state.selection.from - 4));
    apply(refreshTracked(state));
    expect(decorationsOf(state)).toEqual(decorationsOf(fresh(state)));
    addClause("after")(state, apply);
    apply(state.tr.insertText("A new clause"));
    moveClause("up")(state, apply);
    expect(decorationsOf(state)).toEqual(decorationsOf(fresh(state)));
    deleteClause(state, apply);
    expect(decorationsOf(state)).toEqual(decorationsOf(fresh(state)));
  });

  it("re-compares only the clause that was typed in", () => {
    let state = stateOf(base, "b");
    const before = trackedKey.getState(state)!.memo;
    state = state.apply(state.tr.insertText("x"));
    state = state.apply(refreshTracked(state));
    const after = trackedKey.getState(state)!.memo;
    // A section's memo holds its heading, which typing in a clause leaves alone.
    const redone = [...after].filter(([key, memo]) => before.get(key)?.content !== memo.content).map(([key]) => key);
    expect(redone).toEqual(["clause:b"]);
    expect(changedClauseAt(state)).toBe("b");
  });

  it("compares a clause again at once when the change is not typing in it alone", () => {
    let state = stateOf(base, "b");
    state = state.apply(state.tr.insertText("x"));
    const { from } = state.selection;
    // A second clause changed in the same step: both are compared at once.
    const d = state.doc.resolve(state.doc.content.size - 3).pos;
    state = state.apply(state.tr.insertText("y", from).insertText("z", d));
    expect(trackedKey.getState(state)!.pending.size).toBe(0);
    expect(decorationsOf(state)).toEqual(decorationsOf(fresh(state)));
  });

  it("hides the marks in the final view and keeps the numbers", () => {
    let state = stateOf(base, "b");
    state = state.apply(state.tr.insertText("x"));
    state = state.apply(refreshTracked(state));
    const marksShown = trackedKey.get(state)!.props.decorations!.call(trackedKey.get(state)!, state) as DecorationSet;
    expect(marksShown.find().length).toBeGreaterThan(0);
    state = state.apply(setShowChanges(state, false));
    const hidden = trackedKey.get(state)!.props.decorations!.call(trackedKey.get(state)!, state) as DecorationSet;
    expect(hidden.find()).toEqual([]);
    expect(trackedKey.getState(state)!.always.find().length).toBe(6);
  });

  it("marks nothing as changed without an earlier version", () => {
    const doc = node(base);
    const state = EditorState.create({ doc, plugins: trackedChanges({ base: null }) });
    expect(trackedKey.getState(state)!.marks.find()).toEqual([]);
    expect(trackedKey.getState(state)!.always.find().length).toBe(6);
  });
});
