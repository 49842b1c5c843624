// An item's plain text (format §2) with what the plain text leaves out: where each line stands
// (heading, paragraph, list item of which list) and which stretches are bold, italic or linked.
// Formatting changes and the Word file both read a version through this.
import { sortMarks } from "../source/inline";
import { sectionChildren, type ClauseJSON, type DocJSON, type ListJSON, type MarkJSON, type SectionJSON, type TextJSON } from "../schema";

/** One list of one version: `key` tells it apart from the clause's other lists. */
export interface ListPlace {
  key: string;
  ordered: boolean;
  /** The first item's number (ordered lists). */
  start: number;
  /** 0 for a list in the clause itself, 1 for a list inside one of its items, … */
  level: number;
}

export type LineBlock = { kind: "heading" } | { kind: "paragraph"; first: boolean } | { kind: "item"; list: ListPlace };

export interface TextLine {
  /** Offset of the line's first character in the plain text. */
  start: number;
  /** Offset just after the line's list marker ("- ", "  1. "); equal to `start` for a paragraph. */
  textStart: number;
  block: LineBlock;
}

export interface MarkRun {
  start: number;
  end: number;
  /** In canonical order (link, strong, em). */
  marks: MarkJSON[];
}

export interface MarkedText {
  text: string;
  lines: TextLine[];
  /** Only the marked stretches, in order; everything else has no marks. */
  runs: MarkRun[];
}

export function markedText(node: ClauseJSON | SectionJSON): MarkedText {
  let text = "";
  const lines: TextLine[] = [];
  const runs: MarkRun[] = [];
  const inline = (content: TextJSON[] | undefined) => {
    for (const node of content ?? []) {
      if (node.marks?.length) runs.push({ start: text.length, end: text.length + node.text.length, marks: sortMarks(node.marks) });
      text += node.text;
    }
  };
  const line = (marker: string, block: LineBlock, content: TextJSON[] | undefined) => {
    if (lines.length) text += "\n";
    const start = text.length;
    text += marker;
    lines.push({ start, textStart: text.length, block });
    inline(content);
  };
  const list = (node: ListJSON, level: number, key: string) => {
    const place: ListPlace = { key, ordered: node.type === "ordered_list", start: node.type === "ordered_list" ? node.attrs.order : 1, level };
    const marker = "  ".repeat(level) + (place.ordered ? "1. " : "- ");
    node.content.forEach((item, i) => {
      const [paragraph, ...nested] = item.content;
      line(marker, { kind: "item", list: place }, paragraph.content);
      nested.forEach((sublist, j) => list(sublist, level + 1, `${key}.${i}.${j}`));
    });
  };
  if (node.type === "section") {
    line("", { kind: "heading" }, node.content[0].content);
  } else {
    node.content.forEach((block, i) => {
      if (block.type === "paragraph") line("", { kind: "paragraph", first: i === 0 }, block.content);
      else list(block, 0, String(i));
    });
  }
  return { text, lines, runs };
}

/** Whether any text of the item is bold, italic or linked (what markedText would give runs for). */
export function hasMarks(node: ClauseJSON | SectionJSON): boolean {
  return anyMarks(node.content as { type: string; marks?: unknown[]; content?: unknown[] }[]);
}

function anyMarks(nodes: { type: string; marks?: unknown[]; content?: unknown[] }[] | undefined): boolean {
  if (!nodes) return false;
  for (const node of nodes) {
    if (node.type === "text" ? node.marks?.length : anyMarks(node.content as never)) return true;
  }
  return false;
}

/** Every section and clause of a version by `kind:id`, as the redline keys them. */
export function itemNodes(doc: DocJSON): Map<string, ClauseJSON | SectionJSON> {
  const nodes = new Map<string, ClauseJSON | SectionJSON>();
  const visit = (section: SectionJSON) => {
    nodes.set(`section:${section.attrs.id}`, section);
    for (const child of sectionChildren(section)) {
      if (child.type === "section") visit(child);
      else nodes.set(`clause:${child.attrs.id}`, child);
    }
  };
  (doc.content ?? []).forEach(visit);
  return nodes;
}

/** A key naming a set of marks, equal for equal sets ("" for none). */
export function marksKey(marks: MarkJSON[]): string {
  return marks.map((m) => (m.type === "link" ? `link ${m.attrs.href}` : m.type)).join("|");
}

export const NO_MARKS: MarkJSON[] = [];

/**
 * What each character of the text is, as a number: -1 for a list marker or a line break (not
 * text a reader formats), otherwise an id of its set of marks (0 for none). `ids` interns the
 * sets so the two versions of an item can be compared by number.
 */
export function characterMarks(marked: MarkedText, ids: Map<string, number>): Int32Array {
  const out = new Int32Array(marked.text.length);
  for (let i = 0; i < marked.lines.length; i++) {
    const line = marked.lines[i]!;
    out.fill(-1, line.start, line.textStart);
    if (line.start > 0) out[line.start - 1] = -1;
  }
  for (const run of marked.runs) {
    const key = marksKey(run.marks);
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(key, id);
    }
    out.fill(id, run.start, run.end);
  }
  return out;
}
