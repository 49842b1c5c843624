// A draft's review as a commissioner reads it: the counts of what changed, each changed clause
// by number, section and first words with its note and themes (or "No note yet"), and the
// editors' summary of the revision.
import { Fragment, useEffect } from "react";
import { SummaryTable } from "~/components/redline-view";
import type { RedlineSummary } from "~/domain/redline";

export interface ReviewChangeView {
  id: string;
  status: "unchanged" | "modified" | "inserted" | "deleted" | "moved";
  formattingOnly: boolean;
  fromNumber: string | null;
  toNumber: string | null;
  section: string;
  words: string;
  note: { rationale: string; themes: { code: string; title: string }[] } | null;
}

const STATUS_WORDS: Record<ReviewChangeView["status"], string> = {
  modified: "Changed",
  inserted: "New",
  deleted: "Removed",
  moved: "Moved",
  unchanged: "Formatting changed",
};

const STATUS_TAG: Record<ReviewChangeView["status"], string> = {
  modified: "nhsuk-tag nhsuk-tag--blue",
  inserted: "nhsuk-tag nhsuk-tag--green",
  deleted: "nhsuk-tag nhsuk-tag--red",
  moved: "nhsuk-tag nhsuk-tag--purple",
  unchanged: "nhsuk-tag nhsuk-tag--yellow",
};

/** "3.2.9", "3.2.10 (was 3.2.9)", "new 3.2.21" or "3.2.4 (removed)". */
export function clauseNumberText(change: Pick<ReviewChangeView, "fromNumber" | "toNumber">): string {
  if (!change.fromNumber) return change.toNumber ?? "";
  if (!change.toNumber) return change.fromNumber;
  return change.fromNumber === change.toNumber ? change.toNumber : `${change.toNumber} (was ${change.fromNumber})`;
}

export function ReviewCounts({ summary }: { summary: RedlineSummary }) {
  return <SummaryTable summary={summary} />;
}

/**
 * Every changed clause with its note. `noteHref` gives where its note is written, for the
 * changes that have none yet (when the person may write it).
 */
export function ChangeReviewList({ changes, noteHref, headingLevel = "h3" }: { changes: ReviewChangeView[]; noteHref?: (id: string) => string; headingLevel?: "h3" | "h4" }) {
  const Heading = headingLevel;
  if (!changes.length) return <p>No clause has changed.</p>;
  return (
    <ol className="sw-review-list" role="list">
      {changes.map((change) => (
        <li key={change.id} className={`sw-review-list__item${change.note ? "" : " sw-review-list__item--unexplained"}`}>
          <Heading className="nhsuk-heading-xs sw-review-list__title">
            Clause {clauseNumberText(change)} <strong className={STATUS_TAG[change.status]}>{STATUS_WORDS[change.status]}</strong>
          </Heading>
          <p className="sw-review-list__words">
            {change.section ? <span className="sw-review-list__section">{change.section}: </span> : null}
            {change.words ? `“${change.words}”` : "(no words)"}
          </p>
          {change.note ? (
            <>
              <p>
                <strong>Why:</strong> {change.note.rationale}
              </p>
              {change.note.themes.length ? (
                <p className="sw-why__themes">
                  In response to:{" "}
                  {change.note.themes.map((t, i) => (
                    <Fragment key={t.code}>
                      {i ? ", " : ""}
                      {t.code} {t.title}
                    </Fragment>
                  ))}
                </p>
              ) : null}
            </>
          ) : (
            <p className="sw-review-list__missing">
              <strong>No note yet.</strong>{" "}
              {noteHref ? (
                <a href={noteHref(change.id)}>
                  Write the note<span className="nhsuk-u-visually-hidden"> for clause {clauseNumberText(change)}</span>
                </a>
              ) : null}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The editors' summary of the revision, or a plain note that there is none yet. */
export function RevisionSummaryText({ summary }: { summary: string }) {
  if (!summary) return <p>The editors have not written a summary of this revision yet.</p>;
  return (
    <div className="nhsuk-inset-text sw-revision-summary">
      {summary.split(/\n+/).map((line, i) => (
        <p key={i}>{line}</p>
      ))}
    </div>
  );
}

/** One row of an NHS.UK summary list. */
export function SummaryRow({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

/** Puts the focus on the page's error summary when a form comes back with a problem (NHS.UK pattern). */
export function useErrorSummaryFocus(problem: unknown): void {
  useEffect(() => {
    if (problem) (document.querySelector(".nhsuk-error-summary") as HTMLElement | null)?.focus();
  }, [problem]);
}
