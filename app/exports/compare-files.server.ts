// The comparison downloads: the tracked changes as Word (each change by whoever wrote it, each
// reason a comment) and as a PDF.
import type { Comparison } from "~/models/compare.server";
import type { ComparisonAttribution } from "~/models/downloads.server";
import { comparePdf } from "./compare-pdf.server";
import { redlineDocx, type ChangeComment } from "./redline-docx";

export async function compareDocx(comparison: Comparison, attribution: ComparisonAttribution): Promise<Uint8Array> {
  const { specification, from, to, redline } = comparison;
  const comments = new Map<string, ChangeComment[]>();
  for (const [clauseId, reasons] of attribution.reasons) {
    comments.set(
      clauseId,
      reasons.map((r) => ({ author: r.author, date: r.date, text: `Why this changed (version ${r.version}): ${r.rationale}` })),
    );
  }
  return redlineDocx({
    title: to.title,
    reference: specification.reference,
    from: { version: from.number, label: from.label, doc: from.doc },
    to: { version: to.number, label: to.label, doc: to.doc },
    redline,
    author: attribution.fallback.author,
    date: attribution.fallback.date,
    authors: attribution.items,
    comments,
  });
}

export async function compareFilePdf(comparison: Comparison, attribution: ComparisonAttribution): Promise<Uint8Array> {
  const { specification, from, to, redline, rows } = comparison;
  return comparePdf({
    slug: specification.slug,
    title: to.title,
    reference: specification.reference,
    from: { number: from.number, label: from.label, date: from.date },
    to: { number: to.number, label: to.label, date: to.date },
    summary: redline.summary,
    summaryText: to.summary,
    rows,
    reasons: new Map([...attribution.reasons].map(([id, reasons]) => [id, reasons.map((r) => ({ version: r.version, rationale: r.rationale }))])),
  });
}
