// Where annotations' quoted words stand in a clause, so a reading page can mark them: a quote's
// range in the clause's plain text (format §4 offsets), and the clause's text cut into pieces,
// each piece knowing which annotations quote it. Pure: the page renders the pieces.
import type { BlockJSON, ClauseJSON, ListJSON, TextJSON } from "./schema";

/** An annotation's quoted words as a range of the clause's plain text. */
export interface QuotedRange {
  id: number;
  start: number;
  end: number;
}

/** A stretch of one text node: its words, its marks, and the annotations whose quote covers it. */
export interface TextPiece {
  text: string;
  marks: TextJSON["marks"];
  annotations: number[];
}

/**
 * Where an annotation's quote is in the clause's text now: its range when the words there are
 * still the quote (or, for one carried from another version, the range anchoring placed it at),
 * else null, and the page says the quoted words are no longer in the clause. No quote, no range.
 */
export function quotedRange(
  text: string,
  annotation: { id: number; start: number | null; end: number | null; quote: string | null },
  { placed = false }: { placed?: boolean } = {},
): QuotedRange | null {
  const { start, end, quote } = annotation;
  if (!quote || start === null || end === null) return null;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) return null;
  // Anchoring has already matched a carried quote to this text, allowing small edits.
  if (placed || text.slice(start, end) === quote) return { id: annotation.id, start, end };
  return null;
}

/**
 * Each text node of the clause, in plain-text order, cut where a range starts or ends. Keyed by
 * the node itself, so a renderer walking the clause finds its pieces. Offsets count the list
 * markers and line breaks of the plain text, which belong to no text node.
 */
export function highlightPieces(clause: ClauseJSON, ranges: readonly QuotedRange[]): Map<TextJSON, TextPiece[]> {
  const pieces = new Map<TextJSON, TextPiece[]>();
  let offset = 0;
  let firstLine = true;
  const line = (prefix: string, content: TextJSON[] | undefined) => {
    offset += (firstLine ? 0 : 1) + prefix.length;
    firstLine = false;
    for (const node of content ?? []) {
      pieces.set(node, cut(node, offset, ranges));
      offset += node.text.length;
    }
  };
  const list = (block: ListJSON, level: number) => {
    const marker = "  ".repeat(level) + (block.type === "bullet_list" ? "- " : "1. ");
    for (const item of block.content) {
      const [paragraph, ...nested] = item.content;
      line(marker, paragraph.content);
      for (const sublist of nested) list(sublist, level + 1);
    }
  };
  for (const block of clause.content as BlockJSON[]) {
    if (block.type === "paragraph") line("", block.content);
    else list(block, 0);
  }
  return pieces;
}

/** One text node at `at` in the plain text, cut at every range boundary inside it. */
function cut(node: TextJSON, at: number, ranges: readonly QuotedRange[]): TextPiece[] {
  const end = at + node.text.length;
  const inside = ranges.filter((r) => r.start < end && r.end > at);
  if (!inside.length) return [{ text: node.text, marks: node.marks, annotations: [] }];
  const cuts = new Set([at, end]);
  for (const r of inside) {
    if (r.start > at) cuts.add(r.start);
    if (r.end < end) cuts.add(r.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const result: TextPiece[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i]!, points[i + 1]!];
    result.push({
      text: node.text.slice(from - at, to - at),
      marks: node.marks,
      annotations: inside.filter((r) => r.start <= from && r.end >= to).map((r) => r.id),
    });
  }
  return result;
}
