// The tracked revision laid out as a word processor keeps it: paragraphs in one sequence whose
// text, paragraph marks and formatting each carry a revision, so that accepting every revision
// gives the newer version paragraph by paragraph and rejecting every one gives the older.
//
// Items that kept their place (and the place of every section around them) are compared in
// place. Items that moved, and everything inside a moved section, appear twice: as a move
// source where they stood (the old text, with the words the new version dropped marked
// deleted) and as a move destination where they stand (the new text, with its new words marked
// inserted). Nothing is nested inside another revision, so readers that do not stack revisions
// still read both versions exactly.
import { itemTexts, type ItemText } from "../document";
import type { DocJSON, MarkJSON } from "../schema";
import { itemNodes, markedText, marksKey, NO_MARKS, type MarkedText, type TextLine } from "./marked-text";
import { settle } from "./tracked-joins";
import { steps, type Step } from "./tracked-text";
import type { Redline, RedlineItem, Segment, SegmentOp } from "./types";

export type Revision = "insert" | "delete" | "moveFrom" | "moveTo";

export interface TrackedRun {
  /** Never contains "\n"; "\t" separates a clause's number from its text. */
  text: string;
  revision: Revision | null;
  /** The marks as shown: the newer version's, or the older's for removed text. */
  marks: MarkJSON[];
  /** The marks before a formatting revision (accepting keeps `marks`, rejecting restores these). */
  oldMarks?: MarkJSON[];
  /** The run is the item's number. */
  number?: true;
}

export type ParagraphStyle =
  | { kind: "heading"; level: number }
  | { kind: "clause" }
  | { kind: "text" }
  /** `list` is a numbering instance: an index into TrackedRevision.lists. */
  | { kind: "item"; list: number; level: number };

export interface MoveRange {
  name: string;
  side: "from" | "to";
}

export interface TrackedParagraph {
  style: ParagraphStyle;
  /** The style before a paragraph revision, when the paragraph mark stays but its kind changed. */
  oldStyle?: ParagraphStyle;
  /** The revision of the paragraph mark, the break that ends the paragraph. */
  mark: Revision | null;
  runs: TrackedRun[];
  /** The item ("clause:id" or "section:id") whose text this paragraph holds. */
  item?: string;
  /** A move's range opens before this paragraph's runs … */
  moveStart?: MoveRange;
  /** … and closes after them. */
  moveEnd?: MoveRange;
}

export interface TrackedList {
  ordered: boolean;
  start: number;
  level: number;
}

export interface TrackedRevision {
  paragraphs: TrackedParagraph[];
  lists: TrackedList[];
}

/** How an item's occurrence is shown. */
type Role = "same" | "inserted" | "deleted" | "source" | "destination";

interface Occurrence {
  key: string;
  role: Role;
  move?: string;
}

const keyOf = (item: { kind: string; id: string }) => `${item.kind}:${item.id}`;

export function trackedRevision(result: Redline, fromDoc: DocJSON, toDoc: DocJSON): TrackedRevision {
  const items = new Map<string, RedlineItem>();
  for (const item of result.items) {
    // A deleted and an inserted item share a key only when an id changed kind, and then their
    // kinds differ: one entry per side and key is enough.
    if (item.status !== "inserted") items.set(`from ${keyOf(item)}`, item);
    if (item.status !== "deleted") items.set(`to ${keyOf(item)}`, item);
  }
  const builder = new ParagraphBuilder(fromDoc, toDoc);
  for (const occurrence of sequence(itemTexts(fromDoc), itemTexts(toDoc), items)) {
    const side = occurrence.role === "deleted" || occurrence.role === "source" ? "from" : "to";
    builder.item(items.get(`${side} ${occurrence.key}`)!, occurrence);
  }
  return { paragraphs: builder.paragraphs, lists: builder.lists };
}

/**
 * The order of occurrences. Items that stay in place (shared, not moved, and inside no moved
 * section) keep their relative order in both versions, so between two of them come first what
 * the older version had there (deleted items, move sources) and then what the newer one has
 * (inserted items, move destinations).
 */
function sequence(fromItems: ItemText[], toItems: ItemText[], items: Map<string, RedlineItem>): Occurrence[] {
  const relocated = new Set<string>();
  for (const item of toItems) {
    const status = items.get(`to ${keyOf(item)}`)!.status;
    if (status === "inserted") continue;
    // Sections come before their contents, so a moved section is known before its clauses.
    if (status === "moved" || (item.parentId !== null && relocated.has(`section:${item.parentId}`))) relocated.add(keyOf(item));
  }
  const shared = (item: ItemText, side: "from" | "to") => {
    const status = items.get(`${side} ${keyOf(item)}`)!.status;
    return status !== "inserted" && status !== "deleted";
  };
  const stays = (item: ItemText, side: "from" | "to") => shared(item, side) && !relocated.has(keyOf(item));

  const out: Occurrence[] = [];
  // Where each moved item stands among the moved items between the same two staying items.
  const place = { source: new Map<string, { gap: number; index: number }>(), destination: new Map<string, { gap: number; index: number }>() };
  let i = 0;
  let j = 0;
  for (let gap = 0; i < fromItems.length || j < toItems.length; gap++) {
    for (let moved = 0; i < fromItems.length && !stays(fromItems[i]!, "from"); i++) {
      const key = keyOf(fromItems[i]!);
      const role: Role = shared(fromItems[i]!, "from") ? "source" : "deleted";
      if (role === "source") place.source.set(key, { gap, index: moved++ });
      out.push({ key, role });
    }
    for (let moved = 0; j < toItems.length && !stays(toItems[j]!, "to"); j++) {
      const key = keyOf(toItems[j]!);
      const role: Role = shared(toItems[j]!, "to") ? "destination" : "inserted";
      if (role === "destination") place.destination.set(key, { gap, index: moved++ });
      out.push({ key, role });
    }
    if (i < fromItems.length && j < toItems.length) {
      const key = keyOf(toItems[j]!);
      if (keyOf(fromItems[i]!) !== key) throw new Error(`items out of step at ${key}`);
      out.push({ key, role: "same" });
      i++;
      j++;
    }
  }

  // One named move for each run of moved items that stand together, in the same order, at
  // both ends: a moved section and its clauses make one move.
  let previous: Occurrence | null = null;
  let count = 0;
  for (const occurrence of out) {
    if (occurrence.role === "same") previous = null;
    if (occurrence.role !== "source") continue;
    const source = place.source.get(occurrence.key)!;
    const destination = place.destination.get(occurrence.key)!;
    const before = previous && { source: place.source.get(previous.key)!, destination: place.destination.get(previous.key)! };
    const continues =
      before !== null &&
      before.source.gap === source.gap &&
      before.source.index + 1 === source.index &&
      before.destination.gap === destination.gap &&
      before.destination.index + 1 === destination.index;
    occurrence.move = continues ? previous!.move : `move${++count}`;
    previous = occurrence;
  }
  const names = new Map(out.filter((o) => o.role === "source").map((o) => [o.key, o.move!]));
  for (const occurrence of out) if (occurrence.role === "destination") occurrence.move = names.get(occurrence.key);
  return out;
}

/** Bold and italic: the formatting a formatting revision can restore (a link's address it cannot). */
const boldItalic = (marks: MarkJSON[]) => marksKey(marks.filter((m) => m.type !== "link"));

/** What each segment op and each role make of text and of paragraph marks. */
const RUN_REVISION: Record<Role, Record<SegmentOp, Revision | null | "skip">> = {
  same: { equal: null, delete: "delete", insert: "insert" },
  inserted: { equal: "insert", delete: "skip", insert: "insert" },
  deleted: { equal: "delete", delete: "delete", insert: "skip" },
  source: { equal: "moveFrom", delete: "delete", insert: "skip" },
  destination: { equal: "moveTo", delete: "skip", insert: "insert" },
};

class ParagraphBuilder {
  readonly paragraphs: TrackedParagraph[] = [];
  readonly lists: TrackedList[] = [];
  private readonly fromNodes;
  private readonly toNodes;
  /** Numbering instance of each list, by side, item and list key; a paired older list shares its newer one's. */
  private readonly instances = new Map<string, number>();
  /** The move range that closed last on each side, and the paragraph it closes in. */
  private readonly openMove: Record<"from" | "to", { name: string; end: number } | null> = { from: null, to: null };

  constructor(fromDoc: DocJSON, toDoc: DocJSON) {
    this.fromNodes = itemNodes(fromDoc);
    this.toNodes = itemNodes(toDoc);
  }

  item(item: RedlineItem, occurrence: Occurrence): void {
    const { role, key } = occurrence;
    const from = role === "inserted" ? null : markedText(this.fromNodes.get(key)!);
    const to = role === "deleted" ? null : markedText(this.toNodes.get(key)!);
    const all = steps(item.segments, from, to);
    if (role === "same") this.pairLists(key, all, from!, to!);
    const style = (side: "from" | "to", line: number): ParagraphStyle => {
      const marked = side === "from" ? from! : to!;
      return this.style(side, key, item, marked.lines[Math.min(line, marked.lines.length - 1)]!);
    };

    const first = this.paragraphs.length;
    let runs: TrackedRun[] = this.numberRuns(item, role);
    const line = { from: 0, to: 0 };
    const close = (mark: Revision | null) => {
      const removed = mark === "delete" || mark === "moveFrom";
      const paragraph: TrackedParagraph = { style: removed ? style("from", line.from) : style("to", line.to), mark, runs };
      if (mark === null) {
        const old = style("from", line.from);
        if (!sameStyle(paragraph.style, old)) paragraph.oldStyle = old;
      }
      this.paragraphs.push(paragraph);
      runs = [];
    };
    for (const step of all) {
      const revision = RUN_REVISION[role][step.op];
      if (step.type === "break") {
        if (revision !== "skip") close(revision);
        if (step.fromLine >= 0) line.from = step.fromLine + 1;
        if (step.toLine >= 0) line.to = step.toLine + 1;
      } else if (revision !== "skip") {
        const removed = revision === "delete" || revision === "moveFrom";
        const run: TrackedRun = { text: step.text, revision, marks: removed ? step.from : step.to };
        if (!removed && step.op === "equal" && boldItalic(step.from) !== boldItalic(step.to)) run.oldMarks = step.from;
        runs.push(run);
      }
    }
    if (runs.length) throw new Error(`the text of ${key} does not end with its break`);
    if (role === "same") this.paragraphs.push(...settle(this.paragraphs.splice(first)));
    for (let i = first; i < this.paragraphs.length; i++) this.paragraphs[i]!.item = key;

    if (occurrence.move) {
      const side = role === "source" ? "from" : "to";
      const open = this.openMove[side];
      // The items of one move stand together: the range opened at the first goes on to the last.
      if (open && open.name === occurrence.move) delete this.paragraphs[open.end]!.moveEnd;
      else this.paragraphs[first]!.moveStart = { name: occurrence.move, side };
      this.paragraphs[this.paragraphs.length - 1]!.moveEnd = { name: occurrence.move, side };
      this.openMove[side] = { name: occurrence.move, end: this.paragraphs.length - 1 };
    }
  }

  /** The number and the space or tab after it: kept, or the old one removed and the new one added. */
  private numberRuns(item: RedlineItem, role: Role): TrackedRun[] {
    const label = (side: "from" | "to") => {
      const place = side === "from" ? item.from : item.to;
      if (!place) return "";
      const node = (side === "from" ? this.fromNodes : this.toNodes).get(keyOf(item));
      return `${node?.type === "section" && node.attrs.appendix && place.parent === null ? "Appendix " : ""}${place.number}`;
    };
    const segments: Segment[] =
      role === "inserted" ? [{ op: "insert", text: label("to") }]
      : role === "deleted" ? [{ op: "delete", text: label("from") }]
      : label("from") === label("to") ? [{ op: "equal", text: label("to") }]
      : [{ op: "delete", text: label("from") }, { op: "insert", text: label("to") }];
    const runs: TrackedRun[] = [];
    for (const segment of segments) {
      const revision = RUN_REVISION[role][segment.op];
      if (revision !== "skip") runs.push({ text: segment.text, revision, marks: NO_MARKS, number: true });
    }
    const separator = RUN_REVISION[role].equal;
    runs.push({ text: item.kind === "section" ? " " : "\t", revision: separator === "skip" ? null : separator, marks: NO_MARKS });
    return runs;
  }

  /** A list of the older version shares the numbering of the newer list it lines up with. */
  private pairLists(key: string, all: Step[], from: MarkedText, to: MarkedText): void {
    const fromTaken = new Set<string>();
    const toTaken = new Set<string>();
    const pair = (fromLine: TextLine | undefined, toLine: TextLine | undefined) => {
      if (fromLine?.block.kind !== "item" || toLine?.block.kind !== "item") return;
      const a = fromLine.block.list;
      const b = toLine.block.list;
      if (fromTaken.has(a.key) || toTaken.has(b.key) || a.ordered !== b.ordered || a.start !== b.start || a.level !== b.level) return;
      fromTaken.add(a.key);
      toTaken.add(b.key);
      this.instances.set(`from ${key} ${a.key}`, this.instance("to", key, b));
    };
    for (const step of all) if (step.type === "break" && step.op === "equal") pair(from.lines[step.fromLine], to.lines[step.toLine]);
    pair(from.lines[from.lines.length - 1], to.lines[to.lines.length - 1]);
  }

  private instance(side: "from" | "to", key: string, list: { key: string; ordered: boolean; start: number; level: number }): number {
    const name = `${side} ${key} ${list.key}`;
    let index = this.instances.get(name);
    if (index === undefined) {
      index = this.lists.length;
      this.lists.push({ ordered: list.ordered, start: list.start, level: list.level });
      this.instances.set(name, index);
    }
    return index;
  }

  private style(side: "from" | "to", key: string, item: RedlineItem, line: TextLine): ParagraphStyle {
    const block = line.block;
    // A section's depth is the number of parts in its number (3, 3.2, B.1).
    if (block.kind === "heading") return { kind: "heading", level: Math.min(6, (side === "from" ? item.from : item.to)!.number.split(".").length) };
    if (block.kind === "paragraph") return block.first ? { kind: "clause" } : { kind: "text" };
    return { kind: "item", list: this.instance(side, key, block.list), level: block.list.level };
  }
}

function sameStyle(a: ParagraphStyle, b: ParagraphStyle): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "heading" && b.kind === "heading") return a.level === b.level;
  if (a.kind === "item" && b.kind === "item") return a.list === b.list && a.level === b.level;
  return true;
}

