// What the editor marks as changed against the version a draft came from: per section heading and
// clause, the inserted words (ranges) and deleted words (a place and their text), and per item
// whether it is new or moved and what its number was. Pure ProseMirror model code (no DOM): the
// redline engine does the comparing, this module only places its segments in the editor's tree.
import type { Node as PMNode } from "prosemirror-model";
import { itemTexts } from "~/domain/document";
import { outline, type OutlineEntry } from "~/domain/numbering";
import { wordSegments } from "~/domain/redline";
import { markedText, type TextLine } from "~/domain/redline/marked-text";
import { movedIds } from "~/domain/redline/moves";
import type { ClauseJSON, DocJSON, SectionJSON } from "~/domain/schema";

/** "clause:<id>" or "section:<id>", as the redline keys its items. */
export type ItemKey = string;

export interface TrackedBase {
  entries: OutlineEntry[];
  texts: Map<ItemKey, string>;
  numbers: Map<ItemKey, string>;
}

/** The version a draft came from, read once. */
export function trackedBase(doc: DocJSON): TrackedBase {
  const items = itemTexts(doc);
  return {
    entries: items,
    texts: new Map(items.map((item) => [`${item.kind}:${item.id}`, item.plainText])),
    numbers: new Map(items.map((item) => [`${item.kind}:${item.id}`, item.number])),
  };
}

/** A section or clause of the editor's document: where it stands and its node. */
export interface CurrentItem {
  key: ItemKey;
  kind: "section" | "clause";
  id: string;
  parentId: string | null;
  /** Position of the section or clause node. */
  pos: number;
  node: PMNode;
}

/**
 * Every section and clause of the editor's document in order, without reading any text, and a
 * signature that changes exactly when the outline does (ids, kinds, nesting, order, appendices).
 */
export function currentItems(doc: PMNode): { items: CurrentItem[]; signature: string } {
  const items: CurrentItem[] = [];
  const parts: string[] = [];
  const visit = (section: PMNode, pos: number, parentId: string | null) => {
    const id = section.attrs.id as string;
    items.push({ key: `section:${id}`, kind: "section", id, parentId, pos, node: section });
    parts.push(`s${section.attrs.appendix ? "a" : ""}:${id}(`);
    section.forEach((child, offset) => {
      const at = pos + 1 + offset;
      if (child.type.name === "clause") {
        const childId = child.attrs.id as string;
        items.push({ key: `clause:${childId}`, kind: "clause", id: childId, parentId: id, pos: at, node: child });
        parts.push(`c:${childId}`);
      } else if (child.type.name === "section") visit(child, at, id);
    });
    parts.push(")");
  };
  doc.forEach((section, offset) => visit(section, offset, null));
  return { items, signature: parts.join(" ") };
}

export type ItemStatus = "inserted" | "moved" | "kept";

export interface ItemPlace {
  status: ItemStatus;
  number: string;
  /** Its number in the earlier version, when it had one there. */
  oldNumber: string | null;
}

export interface DeletedItem {
  key: ItemKey;
  kind: "section" | "clause";
  id: string;
  number: string;
  text: string;
}

export interface Structure {
  places: Map<ItemKey, ItemPlace>;
  /** Items of the earlier version that are gone, by the item they follow (null: the start). */
  deleted: Map<ItemKey | null, DeletedItem[]>;
}

/** A document with only the outline of `items` (no text), for the domain's numbering. */
function skeleton(items: CurrentItem[]): DocJSON {
  const sections = new Map<string, SectionJSON>();
  const top: SectionJSON[] = [];
  for (const item of items) {
    if (item.kind === "section") {
      const json: SectionJSON = { type: "section", attrs: { id: item.id, appendix: Boolean(item.node.attrs.appendix) }, content: [{ type: "heading" }] };
      sections.set(item.id, json);
      if (item.parentId === null) top.push(json);
      else sections.get(item.parentId)!.content.push(json);
    } else {
      const clause: ClauseJSON = { type: "clause", attrs: { id: item.id }, content: [{ type: "paragraph" }] };
      sections.get(item.parentId!)!.content.push(clause);
    }
  }
  return { type: "doc", attrs: { title: "", reference: "" }, content: top };
}

/**
 * Which items are new or moved, their numbers now and before, and where the deleted ones stood,
 * as the redline decides them (an id is the same item only if it keeps its kind).
 */
export function structureOf(base: TrackedBase, items: CurrentItem[]): Structure {
  const entries = outline(skeleton(items));
  const baseKeys = new Set(base.entries.map((e) => `${e.kind}:${e.id}`));
  const currentKeys = new Set(entries.map((e) => `${e.kind}:${e.id}`));
  const shared = new Set(entries.filter((e) => baseKeys.has(`${e.kind}:${e.id}`)).map((e) => e.id));
  // An id that changed kind is two unrelated items.
  for (const e of base.entries) if (shared.has(e.id) && !currentKeys.has(`${e.kind}:${e.id}`)) shared.delete(e.id);
  const moved = movedIds(base.entries, entries, shared);
  const places = new Map<ItemKey, ItemPlace>();
  for (const e of entries) {
    const key = `${e.kind}:${e.id}`;
    const kept = shared.has(e.id);
    places.set(key, { status: !kept ? "inserted" : moved.has(e.id) ? "moved" : "kept", number: e.number, oldNumber: kept ? base.numbers.get(key)! : null });
  }
  const deleted = new Map<ItemKey | null, DeletedItem[]>();
  let anchor: ItemKey | null = null;
  for (const e of base.entries) {
    const key = `${e.kind}:${e.id}`;
    if (shared.has(e.id) && currentKeys.has(key)) {
      if (!moved.has(e.id)) anchor = key;
      continue;
    }
    const list = deleted.get(anchor) ?? [];
    list.push({ key, kind: e.kind, id: e.id, number: e.number, text: base.texts.get(key) ?? "" });
    deleted.set(anchor, list);
  }
  return { places, deleted };
}

/** A mark inside one item, at positions relative to the item's node. */
export type TextMark = { type: "insert"; from: number; to: number } | { type: "delete"; at: number; text: string };

/** An item's plain text (format §2), its lines, and where each line's text starts in the node. */
export interface ItemText {
  text: string;
  lines: TextLine[];
  /** Position (relative to the item's node) of each line's first character. */
  starts: number[];
}

export function itemText(node: PMNode): ItemText {
  if (node.type.name === "section") {
    const heading = node.child(0);
    const json = { type: "section", attrs: node.attrs, content: [heading.toJSON()] } as unknown as SectionJSON;
    const marked = markedText(json);
    return { text: marked.text, lines: marked.lines, starts: [2] };
  }
  const marked = markedText(node.toJSON() as ClauseJSON);
  const starts: number[] = [];
  node.descendants((child, pos) => {
    if (!child.isTextblock) return true;
    starts.push(pos + 2);
    return false;
  });
  return { text: marked.text, lines: marked.lines, starts };
}

/** The line holding plain-text offset `offset` (the last line starting at or before it). */
function lineAt(item: ItemText, offset: number): number {
  let lo = 0;
  let hi = item.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (item.lines[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Where a plain-text offset stands in the node; an offset in a list marker goes to the text after it. */
export function positionOf(item: ItemText, offset: number): number {
  const line = lineAt(item, offset);
  const { textStart } = item.lines[line]!;
  return item.starts[line]! + Math.max(0, offset - textStart);
}

/** The node ranges covering plain-text offsets [from, to), one per line, markers and breaks left out. */
export function rangesOf(item: ItemText, from: number, to: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let line = lineAt(item, from); line < item.lines.length; line++) {
    const { start, textStart } = item.lines[line]!;
    if (start >= to) break;
    const end = line + 1 < item.lines.length ? item.lines[line + 1]!.start - 1 : item.text.length;
    const a = Math.max(from, textStart);
    const b = Math.min(to, end);
    if (a < b) ranges.push([item.starts[line]! + a - textStart, item.starts[line]! + b - textStart]);
  }
  return ranges;
}

/** Deleted text as one line: a line break reads as a pilcrow, list markers are left out. */
export function deletedText(text: string): string {
  return text.replace(/\n *(?:- |1\. )?/g, " ¶ ");
}

/**
 * The inserted and deleted words of one item against its text in the earlier version (none for a
 * new item: it is marked as a whole). `changed` says whether its words differ at all.
 */
export function textMarks(item: ItemText, baseText: string | undefined): { marks: TextMark[]; changed: boolean } {
  if (baseText === undefined || baseText === item.text) return { marks: [], changed: false };
  const { segments } = wordSegments(baseText, item.text);
  const marks: TextMark[] = [];
  let at = 0;
  for (const segment of segments) {
    if (segment.op === "equal") at += segment.text.length;
    else if (segment.op === "insert") {
      for (const [from, to] of rangesOf(item, at, at + segment.text.length)) marks.push({ type: "insert", from, to });
      at += segment.text.length;
    } else marks.push({ type: "delete", at: positionOf(item, at), text: deletedText(segment.text) });
  }
  return { marks, changed: true };
}

/**
 * Where a quote stands in an item's text: the occurrence nearest `near` (its offset when it was
 * placed), or null when the words are no longer there.
 */
export function quoteRange(text: string, quote: string, near: number | null): [number, number] | null {
  if (!quote) return null;
  let best = -1;
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) {
    if (best < 0 || Math.abs(at - (near ?? 0)) < Math.abs(best - (near ?? 0))) best = at;
    if (near === null) break;
  }
  return best < 0 ? null : [best, best + quote.length];
}
