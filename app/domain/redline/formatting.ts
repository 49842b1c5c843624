// Formatting-only changes: text that both versions share (an `equal` segment) but whose bold,
// italic or link differs. The contract keeps segments plain text, so these travel beside them.
import type { MarkJSON } from "../schema";
import { characterMarks, type MarkedText } from "./marked-text";
import type { FormattingChange, Segment } from "./types";

export function formattingChanges(segments: Segment[], from: MarkedText, to: MarkedText): FormattingChange[] {
  // Most clauses have no marks at all; they cannot have changed formatting.
  if (!from.runs.length && !to.runs.length) return [];
  const ids = new Map<string, number>();
  const fromMarks = characterMarks(from, ids);
  const toMarks = characterMarks(to, ids);
  const changes: FormattingChange[] = [];
  let open: { from: number; to: number; fromId: number; toId: number } | null = null;
  const close = (fromEnd: number, toEnd: number) => {
    const text = to.text.slice(open!.to, toEnd);
    // A stretch of white space alone shows nothing to a reader.
    if (/\S/.test(text)) {
      changes.push({
        text,
        from: { start: open!.from, end: fromEnd, marks: marksAt(from, open!.from) },
        to: { start: open!.to, end: toEnd, marks: marksAt(to, open!.to) },
      });
    }
    open = null;
  };
  let fromAt = 0;
  let toAt = 0;
  for (const segment of segments) {
    const length = segment.text.length;
    if (segment.op === "delete") fromAt += length;
    else if (segment.op === "insert") toAt += length;
    else {
      for (let i = 0; i < length; i++) {
        const fromId = fromMarks[fromAt + i]!;
        const toId = toMarks[toAt + i]!;
        const differs = fromId >= 0 && toId >= 0 && fromId !== toId;
        if (open && (!differs || fromId !== open.fromId || toId !== open.toId)) close(fromAt + i, toAt + i);
        if (differs && !open) open = { from: fromAt + i, to: toAt + i, fromId, toId };
      }
      if (open) close(fromAt + length, toAt + length);
      fromAt += length;
      toAt += length;
    }
  }
  return changes;
}

function marksAt(marked: MarkedText, offset: number): MarkJSON[] {
  return marked.runs.find((run) => run.start <= offset && offset < run.end)?.marks ?? [];
}
