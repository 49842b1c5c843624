import { history, undo } from "prosemirror-history";
import { EditorState, TextSelection, type Command } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import { addClause, addSection, deleteClause, editorNumbers, moveClause, replaceDocument, shiftClause, uniqueIds } from "~/editor/commands";
import { numberById } from "~/domain/numbering";
import { specSchema, type DocJSON } from "~/domain/schema";
import { clause, doc, section } from "../builders";

const start = doc(
  section("s", "Scope", clause("a", "Alpha"), clause("b", "Bravo"), section("sub", "Sub", clause("c", "Charlie"))),
  section("t", "Other", clause("d", "Delta")),
);

/** An editor state with the caret inside the text of clause `id`. */
function stateAt(json: DocJSON, id: string): EditorState {
  const node = specSchema.nodeFromJSON(json);
  let at = -1;
  node.descendants((n, pos) => {
    if (n.type.name === "clause" && n.attrs.id === id) at = pos + 2;
    return at < 0;
  });
  return EditorState.create({ doc: node, selection: TextSelection.create(node, at), plugins: [history(), uniqueIds] });
}

function run(state: EditorState, command: Command): EditorState {
  let next = state;
  const applied = command(state, (tr) => (next = state.apply(tr)));
  expect(applied).toBe(true);
  return next;
}

const outlineOf = (state: EditorState) => [...numberById(state.doc.toJSON() as DocJSON)].map(([id, n]) => `${n} ${id}`);

describe("editor commands", () => {
  it("moves a clause down and back up, and refuses to move it out of its section", () => {
    const down = run(stateAt(start, "a"), moveClause("down"));
    expect(outlineOf(down)).toEqual(["1 s", "1.1 b", "1.2 a", "1.3 sub", "1.3.1 c", "2 t", "2.1 d"]);
    expect(run(down, moveClause("up")).doc.toJSON()).toEqual(specSchema.nodeFromJSON(start).toJSON());
    expect(moveClause("down")(stateAt(start, "b"))).toBe(false);
    expect(moveClause("up")(stateAt(start, "a"))).toBe(false);
  });

  it("adds clauses after and before with new ids, and deletes them", () => {
    const after = run(stateAt(start, "a"), addClause("after"));
    const ids = outlineOf(after);
    expect(ids[2]).toMatch(/^1\.2 c-[0-9a-f]{6}$/);
    expect(ids.slice(3, 4)).toEqual(["1.3 b"]);
    const before = run(stateAt(start, "d"), addClause("before"));
    expect(outlineOf(before).slice(-2)).toEqual([expect.stringMatching(/^2\.1 c-/), "2.2 d"]);
    expect(outlineOf(run(stateAt(start, "b"), deleteClause))).toEqual(["1 s", "1.1 a", "1.2 sub", "1.2.1 c", "2 t", "2.1 d"]);
  });

  it("moves a clause one level in and out", () => {
    const inward = run(stateAt(start, "b"), shiftClause("in"));
    expect(outlineOf(inward)).toEqual(["1 s", "1.1 a", "1.2 sub", "1.2.1 b", "1.2.2 c", "2 t", "2.1 d"]);
    const outward = run(stateAt(start, "c"), shiftClause("out"));
    expect(outlineOf(outward)).toEqual(["1 s", "1.1 a", "1.2 b", "1.3 c", "1.4 sub", "2 t", "2.1 d"]);
    expect(shiftClause("out")(stateAt(start, "d"))).toBe(false);
    expect(shiftClause("in")(stateAt(start, "d"))).toBe(false);
  });

  it("adds a section after the current one, with a heading and a first clause", () => {
    const added = run(stateAt(start, "d"), addSection);
    const outline = outlineOf(added);
    expect(outline).toHaveLength(9);
    expect(outline[7]).toMatch(/^3 s-[0-9a-f]{6}$/);
    expect(outline[8]).toMatch(/^3\.1 s-[0-9a-f]{6}-1$/);
  });

  it("adds an appendix after an appendix, so numbers stay 1…n then A…Z", () => {
    const withAppendix = doc(section("s", "S", clause("a", "A")), { ...section("g", "Glossary", clause("t", "Term")), attrs: { id: "g", appendix: true } });
    const added = run(stateAt(withAppendix, "t"), addSection);
    expect(outlineOf(added).filter((l) => !l.includes("."))).toEqual(["1 s", "A g", expect.stringMatching(/^B s-/)]);
  });

  it("makes each structural change one undo step, separate from typing", () => {
    let state = stateAt(start, "a");
    state = state.apply(state.tr.insertText("!"));
    state = run(state, moveClause("down"));
    state = run(state, undo);
    expect(outlineOf(state)).toEqual(outlineOf(stateAt(start, "a")));
    // textContent joins the texts: the heading "Scope", then the clause typed at its start.
    expect(state.doc.textContent.startsWith("Scope!Alpha")).toBe(true);
  });

  it("gives a pasted copy of a clause a new id and keeps the original's", () => {
    const state = stateAt(start, "a");
    const copy = state.doc.nodeAt(state.selection.$from.before(2))!;
    expect(copy.attrs.id).toBe("a");
    const pasted = state.apply(state.tr.insert(state.selection.$from.after(2), copy));
    const ids = outlineOf(pasted).map((line) => line.split(" ")[1]);
    expect(ids.filter((id) => id === "a")).toHaveLength(1);
    expect(ids[2]).toMatch(/^c-[0-9a-f]{6}$/);
  });

  it("keeps the original's id when the copy is pasted before it, and its text stays with it", () => {
    const state = stateAt(start, "b");
    const original = state.doc.nodeAt(state.selection.$from.before(2))!;
    const before = state.selection.$from.before(2);
    const pasted = state.apply(state.tr.insert(before, original.type.create(original.attrs, specSchema.nodeFromJSON(clause("b", "Pasted copy.")).content)));
    const json = pasted.doc.toJSON() as DocJSON;
    const scope = json.content![0]!.content as { attrs?: { id: string }; content?: { content?: { text: string }[] }[] }[];
    const texts = scope.slice(2, 4).map((c) => [c.attrs!.id, c.content![0]!.content![0]!.text]);
    expect(texts[0]![1]).toBe("Pasted copy.");
    expect(texts[0]![0]).toMatch(/^c-[0-9a-f]{6}$/);
    expect(texts[1]).toEqual(["b", "Bravo"]);
  });

  it("puts a whole document in the editor, its title and reference too, outside the undo history", () => {
    const state = stateAt(start, "a");
    const next = { ...start, attrs: { title: "Renamed", reference: "SAMPLE-RT-0002S" } };
    const after = state.apply(replaceDocument(state, next));
    expect(after.doc.toJSON()).toEqual(specSchema.nodeFromJSON(next).toJSON());
    expect(undo(after)).toBe(false);
  });

  it("numbers an editor document exactly as the domain does", () => {
    const node = specSchema.nodeFromJSON(start);
    const fromEditor = [...editorNumbers(node)].map(([pos, number]) => `${number} ${node.nodeAt(pos)!.attrs.id}`);
    expect(fromEditor.sort()).toEqual([...numberById(start)].map(([id, n]) => `${n} ${id}`).sort());
  });
});
