// Paragraph joins that read the same in every reader: what to do when accepting or rejecting
// removes a paragraph mark and two paragraphs become one.
import type { ParagraphStyle, Revision, TrackedParagraph, TrackedRun } from "./tracked";

/** What of a paragraph's style matters to readers that ignore paragraph revisions. */
function readerKind(style: ParagraphStyle): string {
  if (style.kind === "item") return `item ${style.list} ${style.level}`;
  if (style.kind === "heading") return `heading ${style.level}`;
  return "paragraph";
}

const isWhite = (text: string) => !/\S/.test(text);

/**
 * Makes an item compared in place read the same in every reader. Word applies paragraph
 * revisions and joins paragraphs as the format says; LibreOffice mishandles a changed list in a
 * paragraph revision, and joins two paragraphs into the first one's kind; pandoc ignores
 * paragraph revisions, joins into the second one's kind, and puts a space at the join. So:
 *
 * - a paragraph that stays but changed list, level or list kind becomes the old paragraph
 *   removed and the new one added, each empty in the reading without it;
 * - where paragraphs join when a reading drops their marks, all that reading's text moves into
 *   one paragraph of the right kind, so every reader joins empty paragraphs only.
 */
export function settle(paragraphs: TrackedParagraph[]): TrackedParagraph[] {
  const out: TrackedParagraph[] = [];
  for (const paragraph of paragraphs) {
    if (paragraph.mark !== null || !paragraph.oldStyle || readerKind(paragraph.oldStyle) === readerKind(paragraph.style)) {
      out.push(paragraph);
      continue;
    }
    const older = paragraph.runs.filter((r) => r.revision !== "insert").map((r): TrackedRun => (r.revision === null ? { ...plain(r), revision: "delete", marks: r.oldMarks ?? r.marks } : r));
    const newer = paragraph.runs.filter((r) => r.revision !== "delete").map((r): TrackedRun => (r.revision === null ? { ...plain(r), revision: "insert" } : r));
    out.push({ style: paragraph.oldStyle, mark: "delete", runs: older }, { style: paragraph.style, mark: "insert", runs: newer });
  }
  gatherJoins(out, "reject");
  gatherJoins(out, "accept");
  return out;
}

/** A run without its formatting revision. */
function plain(run: TrackedRun): TrackedRun {
  const { oldMarks: _, ...rest } = run;
  return rest;
}

function gatherJoins(paragraphs: TrackedParagraph[], mode: "accept" | "reject"): void {
  const own: Revision = mode === "reject" ? "delete" : "insert";
  const other: Revision = mode === "reject" ? "insert" : "delete";
  const shown = (run: TrackedRun) => run.revision === null || run.revision === own;
  const textOf = (p: TrackedParagraph) => p.runs.filter(shown).map((r) => r.text).join("");
  const kindIn = (p: TrackedParagraph) => readerKind(mode === "reject" && p.oldStyle ? p.oldStyle : p.style);
  let start = 0;
  for (let end = 0; end < paragraphs.length; end++) {
    if (paragraphs[end]!.mark === other) continue;
    // paragraphs[start..end] join into paragraphs[end] in this reading.
    const chain = paragraphs.slice(start, end + 1);
    const survivor = chain[chain.length - 1]!;
    const texts = chain.map(textOf);
    const withText = chain.filter((_, i) => texts[i] !== "" && i < chain.length - 1);
    const joined = texts.filter((t) => t !== "");
    const badJoin = joined.some((t, i) => i > 0 && !isWhite(joined[i - 1]!.slice(-1)) && !isWhite(t[0]!));
    const wrongKind = withText.some((p) => readerKind(p.style) !== kindIn(survivor));
    if (withText.length && (badJoin || wrongKind)) {
      const first = chain.findIndex((_, i) => texts[i] !== "");
      const target = readerKind(chain[first]!.style) === kindIn(survivor) ? first : chain.length - 1;
      const before: TrackedRun[] = [];
      const after: TrackedRun[] = [];
      chain.forEach((p, i) => {
        if (i === target) return;
        const kept: TrackedRun[] = [];
        for (const run of p.runs) {
          if (run.revision === own) (i < target ? before : after).push(run);
          else if (run.revision === null) {
            (i < target ? before : after).push({ ...plain(run), revision: own, marks: own === "delete" ? (run.oldMarks ?? run.marks) : run.marks });
            kept.push({ ...plain(run), revision: other, marks: other === "delete" ? (run.oldMarks ?? run.marks) : run.marks });
          } else kept.push(run);
        }
        p.runs = kept;
      });
      chain[target]!.runs = [...before, ...chain[target]!.runs, ...after];
    }
    start = end + 1;
  }
  // Paragraphs still joining past the item hold no text in this reading (the rotation makes them).
  if (paragraphs.slice(start).some((p) => textOf(p) !== "")) throw new Error("an item's text would join the next item");
}
