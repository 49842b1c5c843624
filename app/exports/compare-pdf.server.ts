// The changes between two published versions as a tagged PDF: the two versions and their dates,
// a legend in words, then each change with its words added (underlined) and removed (struck
// through), never told apart by colour alone, and each change's reasons beneath it.
import { formatDate } from "~/components/format";
import { describeFormatting } from "~/components/redline-view";
import { isChange, type RedlineRow } from "~/domain/redline";
import type { RedlineSummary } from "~/domain/redline";
import { openPdfWriter, type StyledRun } from "./pdf-writer.server";
import { downloadName } from "./version-facts";

export interface ComparePdfVersion {
  number: string;
  label: string | null;
  date: string | null;
}

export interface ComparePdfInput {
  slug: string;
  title: string;
  reference: string;
  from: ComparePdfVersion;
  to: ComparePdfVersion;
  summary: RedlineSummary;
  rows: RedlineRow[];
  /** The editors' plain-English summary of the revision ("" when none). */
  summaryText?: string;
  /** Each change's reasons, by clause id: the version each came from and its words. */
  reasons: Map<string, { version: string; rationale: string }[]>;
}

const ADDED = "#007F3B";
const REMOVED = "#D5281B";

const STATUS: Record<RedlineRow["status"], string> = { unchanged: "formatting changed", modified: "changed", inserted: "added", deleted: "removed", moved: "moved" };

const describe = (v: ComparePdfVersion) => `Version ${v.number}${v.label ? ` – ${v.label}` : ""}${v.date ? `, published ${formatDate(v.date)}` : ""}`;
const plain = (text: string): StyledRun => ({ text, bold: false, italic: false, href: null });

/** "Clause 3.2.9 (was 3.2.8), changed: Providers must make …" */
function changeHeading(row: RedlineRow): string {
  const kind = row.kind === "section" ? "Section" : "Clause";
  const place = row.to ?? row.from!;
  const was = row.from && row.to && row.from.number !== row.to.number ? ` (was ${row.from.number})` : "";
  const status = row.kind === "section" && row.status === "modified" ? "renamed" : STATUS[row.status];
  const words = row.display
    .filter((s) => s.op !== (row.status === "deleted" ? "insert" : "delete"))
    .map((s) => s.text)
    .join("")
    .replace(/\s+/g, " ")
    .trim();
  const first = words.split(" ").slice(0, 8).join(" ");
  return `${kind} ${place.number}${was}, ${status}${first ? `: ${first}${first.length < words.length ? " …" : ""}` : ""}`;
}

/** A row's text as lines of runs: added words underlined, removed words struck through. */
function rowLines(row: RedlineRow): StyledRun[][] {
  const lines: StyledRun[][] = [[]];
  for (const s of row.display) {
    s.text.split("\n").forEach((piece, i) => {
      if (i > 0) lines.push([]);
      if (!piece) return;
      lines[lines.length - 1]!.push({
        ...plain(piece),
        underline: s.op === "insert" || s.formatting !== undefined,
        strike: s.op === "delete",
        italic: s.formatting !== undefined && s.op === "equal",
        color: s.op === "insert" ? ADDED : s.op === "delete" ? REMOVED : undefined,
        // Screen readers do not announce underlining or strike-through: the words say it.
        actual: s.op === "insert" ? `[added: ${piece}]` : s.op === "delete" ? `[removed: ${piece}]` : s.formatting !== undefined ? `[formatting changed: ${piece}]` : undefined,
      });
    });
  }
  return lines.filter((line) => line.some((run) => run.text.trim()));
}

function summaryText(summary: RedlineSummary, formatted: number): string {
  const parts = [
    [summary.modified, "changed"],
    [summary.inserted, "added"],
    [summary.deleted, "removed"],
    [summary.moved, "moved"],
    [formatted, "with formatting changed"],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, what]) => `${n} ${what}`);
  return parts.length ? `Sections and clauses: ${parts.join(", ")}. ${summary.unchanged} are unchanged.` : "Nothing changed between these versions.";
}

export async function comparePdf(input: ComparePdfInput): Promise<Uint8Array> {
  const heading = `Changes from version ${input.from.number} to ${input.to.number}`;
  const pdf = await openPdfWriter({ title: `${input.title}: ${heading.toLowerCase().replace(/^c/, "C")}`, subject: input.reference ? `Service specification ${input.reference}` : "Service specification", footer: heading });
  pdf.heading(1, heading);
  pdf.paragraph([plain(input.title)]);
  pdf.table(
    [
      ["Specification number", input.reference || "Not assigned"],
      ["From", describe(input.from)],
      ["To", describe(input.to)],
    ],
    "The versions compared",
  );
  if (input.summaryText?.trim()) {
    pdf.heading(2, "About this revision");
    for (const paragraph of input.summaryText.split(/\n{2,}/).filter((p) => p.trim())) pdf.paragraph([plain(paragraph.replace(/\s+/g, " ").trim())]);
  }
  pdf.heading(2, "How to read this document");
  pdf.paragraph([
    plain("Added words are "),
    { ...plain("underlined"), underline: true, color: ADDED },
    plain(" (and green). Removed words are "),
    { ...plain("struck through"), strike: true, color: REMOVED },
    plain(" (and red). Words whose formatting changed are "),
    { ...plain("underlined in italics"), underline: true, italic: true },
    plain(". Each change is followed by the reason recorded for it."),
  ]);
  const changes = input.rows.filter(isChange);
  pdf.heading(2, "Summary");
  pdf.paragraph([plain(summaryText(input.summary, changes.filter((r) => r.status === "unchanged").length))]);
  pdf.heading(2, "Each change");
  if (!changes.length) pdf.paragraph([plain("There are no changes to show.")]);
  for (const row of changes) {
    pdf.heading(3, changeHeading(row));
    for (const line of rowLines(row)) pdf.paragraph(line, { indent: 12 });
    // The marks show formatting changes only to the eye: the words say what changed.
    if (row.formatting?.length) pdf.paragraph([{ ...plain("Formatting changed: "), bold: true }, plain(`${row.formatting.map(describeFormatting).join("; ")}.`)], { indent: 12 });
    if (row.kind !== "clause") continue;
    const reasons = input.reasons.get(row.id) ?? [];
    if (!reasons.length) pdf.paragraph([{ ...plain("Why: "), bold: true }, { ...plain("no reason was recorded for this change."), italic: true }], { indent: 12 });
    for (const reason of reasons) pdf.paragraph([{ ...plain(`Why (version ${reason.version}): `), bold: true }, plain(reason.rationale)], { indent: 12 });
  }
  return pdf.finish();
}

export const comparePdfName = (slug: string, from: string, to: string) => `${downloadName(slug, from, "to", to)}.pdf`;
