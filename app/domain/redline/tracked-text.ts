// An item's text as a word processor's runs and paragraph breaks: its segments walked on both
// versions at once, with list markers dropped (they become numbering) and formatting attached.
import type { MarkJSON } from "../schema";
import { marksKey, NO_MARKS, type MarkedText } from "./marked-text";
import type { Segment, SegmentOp } from "./types";

/** A piece of an item's text, or the break between two of its lines, from the segments' view. */
export type Step =
  | { type: "text"; op: SegmentOp; text: string; from: MarkJSON[]; to: MarkJSON[] }
  | { type: "break"; op: SegmentOp; fromLine: number; toLine: number };

/**
 * Walks an item's segments on both versions at once: list markers (which become numbering) are
 * dropped, pieces are cut where marks change, and shared text whose link changed becomes a
 * deletion and an insertion, because a link's address is not formatting a revision can restore.
 * The last step is the break that ends the item.
 */
export function steps(segments: Segment[], from: MarkedText | null, to: MarkedText | null): Step[] {
  const out: Step[] = [];
  const side = (marked: MarkedText | null) => ({ marked, at: 0, line: 0 });
  const f = side(from);
  const t = side(to);
  const isText = (s: typeof f) => {
    const line = s.marked!.lines[s.line];
    return !line || s.at >= line.textStart;
  };
  const marksOf = (s: typeof f) => runAt(s.marked!, s.at);
  // How far the current stretch on one side goes before its marks or its kind (marker or text) change.
  const extent = (s: typeof f) => {
    const line = s.marked!.lines[s.line];
    if (line && s.at < line.textStart) return line.textStart - s.at;
    const run = runIndexAt(s.marked!, s.at);
    if (run.inside) return s.marked!.runs[run.index]!.end - s.at;
    const next = s.marked!.runs[run.index];
    return next ? next.start - s.at : Infinity;
  };
  const emit = (op: SegmentOp, text: string, fromMarks: MarkJSON[], toMarks: MarkJSON[]) => {
    const last = out[out.length - 1];
    if (last && last.type === "text" && last.op === op && marksKey(last.from) === marksKey(fromMarks) && marksKey(last.to) === marksKey(toMarks)) last.text += text;
    else out.push({ type: "text", op, text, from: fromMarks, to: toMarks });
  };
  for (const piece of lineBreaksLast(segments)) {
    const onFrom = piece.op !== "insert";
    const onTo = piece.op !== "delete";
    if (piece.text === "\n") {
      out.push({ type: "break", op: piece.op, fromLine: onFrom ? f.line : -1, toLine: onTo ? t.line : -1 });
      for (const s of [onFrom ? f : null, onTo ? t : null]) {
        if (!s) continue;
        s.at++;
        s.line++;
      }
      continue;
    }
    for (let i = 0; i < piece.text.length; ) {
      let length = piece.text.length - i;
      if (onFrom) length = Math.min(length, extent(f));
      if (onTo) length = Math.min(length, extent(t));
      if (!(length > 0)) throw new Error("the segments do not match the item's text");
      const text = piece.text.slice(i, i + length);
      const fromText = onFrom && isText(f);
      const toText = onTo && isText(t);
      const fromMarks = fromText ? marksOf(f) : NO_MARKS;
      const toMarks = toText ? marksOf(t) : NO_MARKS;
      if (fromText && toText) {
        if (linkOf(fromMarks) === linkOf(toMarks)) emit("equal", text, fromMarks, toMarks);
        else {
          emit("delete", text, fromMarks, NO_MARKS);
          emit("insert", text, NO_MARKS, toMarks);
        }
      } else if (fromText) emit("delete", text, fromMarks, NO_MARKS);
      else if (toText) emit("insert", text, NO_MARKS, toMarks);
      if (onFrom) f.at += length;
      if (onTo) t.at += length;
      i += length;
    }
  }
  return out;
}

/**
 * The segments cut into line breaks and text, ending with the break that ends the item, and
 * with each run of added (or removed) lines carrying its own breaks. A diff may align "A" with
 * "A\nB" as A, +"\nB", end; read as paragraphs that makes A's break the new one and moves A's
 * old break to B, so A would take B's kind (a list item, say) in readers that ignore paragraph
 * revisions. Turning it into A, break, +"B\n" keeps each old paragraph on its own break.
 */
function lineBreaksLast(segments: Segment[]): Segment[] {
  const pieces: Segment[] = [];
  for (const segment of segments) {
    for (const part of segment.text.split(/(\n)/)) if (part) pieces.push({ op: segment.op, text: part });
  }
  pieces.push({ op: "equal", text: "\n" });
  for (let i = 0; i < pieces.length; ) {
    const op = pieces[i]!.op;
    if (op === "equal" || pieces[i]!.text !== "\n") {
      i++;
      continue;
    }
    let j = i;
    while (j < pieces.length && pieces[j]!.op === op) j++;
    const after = pieces[j];
    if (after && after.op === "equal" && after.text === "\n") {
      pieces[i] = { op: "equal", text: "\n" };
      pieces[j] = { op, text: "\n" };
    }
    i = j;
  }
  return pieces;
}

const linkOf = (marks: MarkJSON[]) => marks.find((m) => m.type === "link")?.attrs.href ?? null;

/** The run containing `offset`, or the index of the first run after it. */
function runIndexAt(marked: MarkedText, offset: number): { index: number; inside: boolean } {
  let lo = 0;
  let hi = marked.runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (marked.runs[mid]!.end <= offset) lo = mid + 1;
    else hi = mid;
  }
  const run = marked.runs[lo];
  return { index: lo, inside: run !== undefined && run.start <= offset };
}

function runAt(marked: MarkedText, offset: number): MarkJSON[] {
  const { index, inside } = runIndexAt(marked, offset);
  return inside ? marked.runs[index]!.marks : NO_MARKS;
}
