// The editors' plain-English summary of each revision a comparison spans, at the top of its page.
import { formatDate } from "./format";

export interface RevisionSummary {
  number: string;
  label: string | null;
  date: string | null;
  summary: string;
}

export function RevisionSummaries({ revisions }: { revisions: RevisionSummary[] }) {
  const written = revisions.filter((r) => r.summary.trim());
  if (!written.length) return null;
  if (written.length === 1 && revisions.length === 1) {
    const [first, ...rest] = paragraphs(written[0]!.summary);
    return (
      <div className="sw-revision-summary">
        <p>
          <strong>In brief:</strong> {first}
        </p>
        {rest.map((p, i) => (
          <p key={i}>{p}</p>
        ))}
      </div>
    );
  }
  return (
    <div className="sw-revision-summary">
      <h2 className="nhsuk-heading-s">In brief</h2>
      {written.map((r) => (
        <section key={r.number} aria-labelledby={`sw_summary_${r.number}`}>
          <h3 className="nhsuk-heading-xs" id={`sw_summary_${r.number}`}>
            Version {r.number}
            {r.label ? ` – ${r.label}` : ""}
            {r.date ? ` (${formatDate(r.date)})` : ""}
          </h3>
          {paragraphs(r.summary).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </section>
      ))}
    </div>
  );
}

function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}
