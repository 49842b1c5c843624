// Download links for a version (Word, PDF) and for a comparison (PDF), each saying the kind of
// file and roughly how big it is, in plain words. Rendered as list items inside a page's list of
// links, so that each page adds them with one line.
import { isChange, type RedlineRow } from "~/domain/redline/view";
import { sectionChildren, type DocJSON, type SectionJSON } from "~/domain/schema";
import { clausePlainText, sectionPlainText } from "~/domain/plain-text";

/** "about 20 KB", "about 1.2 MB": sizes are rounded, since they are estimates. */
export function sizeText(bytes: number): string {
  if (bytes >= 1_000_000) return `about ${(bytes / 1_000_000).toFixed(1)} MB`;
  return `about ${Math.max(10, Math.round(bytes / 10_000) * 10)} KB`;
}

function textLength(doc: DocJSON): number {
  let n = 0;
  const visit = (section: SectionJSON) => {
    n += sectionPlainText(section).length;
    for (const child of sectionChildren(section)) {
      if (child.type === "section") visit(child);
      else n += clausePlainText(child).length;
    }
  };
  (doc.content ?? []).forEach(visit);
  return n;
}

// Measured on the sample versions and the 50,000-word benchmark specification: a fixed part
// (styles; for a PDF, the embedded fonts) and a part that grows with the text.
export const estimateDocx = (chars: number) => 15_600 + 0.23 * chars;
export const estimatePdf = (chars: number) => 58_000 + 1.13 * chars;

export function VersionDownloads({ slug, number, doc }: { slug: string; number: string; doc: DocJSON }) {
  const base = `/specs/${slug}/v/${number}`;
  const chars = textLength(doc);
  return (
    <>
      <li>
        <a href={`${base}.docx`} download>
          Download this version as a Word document (.docx, {sizeText(estimateDocx(chars))})
        </a>
      </li>
      <li>
        <a href={`${base}.pdf`} download>
          Download this version as a PDF (.pdf, {sizeText(estimatePdf(chars))})
        </a>
      </li>
    </>
  );
}

export function CompareDownloads({ slug, from, to, rows }: { slug: string; from: string; to: string; rows: Pick<RedlineRow, "status" | "formatting" | "display">[] }) {
  const chars = rows.filter(isChange).reduce((n, row) => n + row.display.reduce((k, s) => k + s.text.length, 0) + 300, 0);
  return (
    <li>
      <a href={`/specs/${slug}/compare/${from}...${to}.pdf`} download>
        Download these changes as a PDF, with the reason for each change (.pdf, {sizeText(estimatePdf(chars))})
      </a>
    </li>
  );
}
