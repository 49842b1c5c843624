// Editor commands on the specification schema: add, delete and move clauses, add sections, and
// keep every id unique. Pure ProseMirror state code (no DOM), so tests run it directly.
import { closeHistory } from "prosemirror-history";
import { Plugin, TextSelection, type Command, type EditorState, type Transaction } from "prosemirror-state";
import { Mapping } from "prosemirror-transform";
import type { Node as PMNode, ResolvedPos } from "prosemirror-model";
import { isValidId } from "~/domain/ids";
import { numberById } from "~/domain/numbering";
import { nodeType, specSchema, type DocJSON } from "~/domain/schema";

const clauseType = nodeType("clause");
const sectionType = nodeType("section");
const paragraph = nodeType("paragraph");
const heading = nodeType("heading");

/** A fresh id not used anywhere in `doc`. */
export function freshId(doc: PMNode, prefix: string): string {
  const taken = new Set<string>();
  doc.descendants((node) => {
    if (typeof node.attrs.id === "string") taken.add(node.attrs.id);
  });
  for (;;) {
    const id = `${prefix}${Math.random().toString(16).slice(2, 8)}`;
    if (!taken.has(id)) return id;
  }
}

/** The clause around the selection: its node, its position and its parent section's depth. */
export function clauseAt($pos: ResolvedPos): { node: PMNode; pos: number; depth: number } | null {
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth);
    if (node.type === clauseType) return { node, pos: $pos.before(depth), depth };
  }
  return null;
}

function sectionAt($pos: ResolvedPos): { node: PMNode; pos: number; depth: number } | null {
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth);
    if (node.type === sectionType) return { node, pos: $pos.before(depth), depth };
  }
  return null;
}

function newClause(doc: PMNode): PMNode {
  return clauseType.create({ id: freshId(doc, "c-") }, paragraph.create());
}

// Each structural command is one undo step of its own (closeHistory), never merged with typing.

/** Adds an empty clause after (or before) the current one, or first in the current section. */
export function addClause(where: "after" | "before"): Command {
  return (state, dispatch) => {
    const current = clauseAt(state.selection.$from);
    let insertAt: number;
    if (current) {
      insertAt = where === "after" ? current.pos + current.node.nodeSize : current.pos;
    } else {
      const section = sectionAt(state.selection.$from);
      if (!section) return false;
      // Straight after the heading: clauses come before subsections.
      insertAt = section.pos + 1 + section.node.child(0).nodeSize;
    }
    if (dispatch) {
      const node = newClause(state.doc);
      const tr = state.tr.insert(insertAt, node);
      tr.setSelection(TextSelection.create(tr.doc, insertAt + 2));
      dispatch(closeHistory(tr).scrollIntoView());
    }
    return true;
  };
}

export const deleteClause: Command = (state, dispatch) => {
  const current = clauseAt(state.selection.$from);
  if (!current) return false;
  if (dispatch) {
    const tr = state.tr.delete(current.pos, current.pos + current.node.nodeSize);
    tr.setSelection(TextSelection.near(tr.doc.resolve(Math.min(current.pos, tr.doc.content.size - 1)), -1));
    dispatch(closeHistory(tr).scrollIntoView());
  }
  return true;
};

/** Moves the current clause past its neighbouring clause; it never leaves its section. */
export function moveClause(direction: "up" | "down"): Command {
  return (state, dispatch) => {
    const current = clauseAt(state.selection.$from);
    if (!current) return false;
    const $clause = state.doc.resolve(current.pos);
    const index = $clause.index();
    const parent = $clause.parent;
    const neighbour = parent.maybeChild(direction === "up" ? index - 1 : index + 1);
    if (!neighbour || neighbour.type !== clauseType) return false;
    if (dispatch) {
      const offset = state.selection.from - current.pos;
      const tr = state.tr.delete(current.pos, current.pos + current.node.nodeSize);
      const target = direction === "up" ? current.pos - neighbour.nodeSize : current.pos + neighbour.nodeSize;
      tr.insert(target, current.node);
      tr.setSelection(TextSelection.create(tr.doc, target + offset));
      dispatch(closeHistory(tr).scrollIntoView());
    }
    return true;
  };
}

/** Adds a section after the current one, at the same level, with one empty clause. */
export const addSection: Command = (state, dispatch) => {
  const section = sectionAt(state.selection.$from);
  const at = section ? section.pos + section.node.nodeSize : state.doc.content.size;
  if (dispatch) {
    const id = freshId(state.doc, "s-");
    // A new top-level section after an appendix is an appendix, so numbering stays 1…n, A…Z.
    const appendix = Boolean(section && section.depth === 1 && section.node.attrs.appendix);
    const node = sectionType.create({ id, appendix }, [heading.create(null, specSchema.text("New section")), clauseType.create({ id: `${id}-1` }, paragraph.create())]);
    const tr = state.tr.insert(at, node);
    tr.setSelection(TextSelection.create(tr.doc, at + 2, at + 2 + "New section".length));
    dispatch(closeHistory(tr).scrollIntoView());
  }
  return true;
};

/**
 * Keeps ids unique and valid: a pasted or duplicated clause or section gets a new id, and the
 * node that held an id before the change keeps it (existing ids never change), wherever the
 * copy was put.
 */
export const uniqueIds = new Plugin({
  appendTransaction(transactions, oldState, state) {
    if (!transactions.some((tr) => tr.docChanged)) return null;
    // Where each node that held an id stands now, found by mapping its old place forward.
    const mapping = new Mapping();
    for (const tr of transactions) mapping.appendMapping(tr.mapping);
    const home = new Map<string, number>();
    // Only sections hold ids below them, so the walk never goes into a clause's text.
    oldState.doc.descendants((node, pos) => {
      if (node.type !== clauseType && node.type !== sectionType) return false;
      const mapped = mapping.mapResult(pos, 1);
      if (!mapped.deleted) home.set(node.attrs.id as string, mapped.pos);
      return node.type === sectionType;
    });
    const holders = new Map<string, number[]>();
    state.doc.descendants((node, pos) => {
      if (node.type !== clauseType && node.type !== sectionType) return false;
      const id = node.attrs.id as string;
      const at = holders.get(id);
      if (at) at.push(pos);
      else holders.set(id, [pos]);
      return node.type === sectionType;
    });
    let tr: Transaction | null = null;
    for (const [id, positions] of holders) {
      const keeper = !isValidId(id) ? -1 : positions.includes(home.get(id) ?? -1) ? home.get(id)! : positions[0]!;
      for (const pos of positions) {
        if (pos === keeper) continue;
        tr ??= state.tr;
        const node = tr.doc.nodeAt(pos)!;
        tr.setNodeMarkup(pos, undefined, { ...node.attrs, id: freshId(tr.doc, node.type === clauseType ? "c-" : "s-") });
      }
    }
    return tr;
  },
});

/**
 * Numbers of every section and clause of an editor document by position, from the domain's one
 * numbering (the editor never numbers anything itself).
 */
export function editorNumbers(doc: PMNode): Map<number, string> {
  const byId = numberById(doc.toJSON() as DocJSON);
  const numbers = new Map<number, string>();
  doc.descendants((node, pos) => {
    if (node.type !== clauseType && node.type !== sectionType) return false;
    const number = byId.get(node.attrs.id as string);
    if (number !== undefined) numbers.set(pos, number);
    return node.type === sectionType;
  });
  return numbers;
}

export type { EditorState };

/** Where a section's clauses end: after its heading and clauses, before its first subsection. */
function clausesEnd(section: PMNode, sectionPos: number): number {
  let at = sectionPos + 1;
  let done = false;
  section.forEach((child) => {
    if (done || child.type === sectionType) {
      done = true;
      return;
    }
    at += child.nodeSize;
  });
  return at;
}

/**
 * One level deeper: the clause becomes the first clause of the first subsection of its section.
 * One level out: it becomes the last clause of the section above.
 */
export function shiftClause(direction: "in" | "out"): Command {
  return (state, dispatch) => {
    const current = clauseAt(state.selection.$from);
    if (!current) return false;
    const $clause = state.doc.resolve(current.pos);
    const section = $clause.parent;
    const sectionPos = $clause.before();
    let target: number;
    if (direction === "in") {
      let subsectionPos = -1;
      section.forEach((child, offset) => {
        if (subsectionPos < 0 && child.type === sectionType) subsectionPos = sectionPos + 1 + offset;
      });
      if (subsectionPos < 0) return false;
      const subsection = state.doc.nodeAt(subsectionPos)!;
      target = subsectionPos + 1 + subsection.child(0).nodeSize;
    } else {
      if ($clause.depth < 2) return false;
      const parentPos = $clause.before($clause.depth - 1);
      target = clausesEnd(state.doc.nodeAt(parentPos)!, parentPos);
    }
    if (dispatch) {
      const offset = state.selection.from - current.pos;
      const tr = state.tr.delete(current.pos, current.pos + current.node.nodeSize);
      const mapped = tr.mapping.map(target, -1);
      tr.insert(mapped, current.node);
      tr.setSelection(TextSelection.create(tr.doc, mapped + offset));
      dispatch(closeHistory(tr).scrollIntoView());
    }
    return true;
  };
}

/**
 * A transaction that puts a whole document in the editor, the title and reference included,
 * outside the undo history (it came from the server, not from typing).
 */
export function replaceDocument(state: EditorState, doc: DocJSON): Transaction {
  const node = specSchema.nodeFromJSON(doc);
  const tr = state.tr.replaceWith(0, state.doc.content.size, node.content);
  for (const [name, value] of Object.entries(node.attrs)) if (tr.doc.attrs[name] !== value) tr.setDocAttribute(name, value);
  return tr.setMeta("addToHistory", false).setMeta("fromServer", true);
}
