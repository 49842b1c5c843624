// "What changed and why": each changed clause of a draft with its redline and its change note
// (the reason, and the themes it answers), a page at a time, filtered to one theme if asked.
import { Form } from "@remix-run/react";
import { Select } from "~/components/fields";
import { Pagination } from "~/components/pagination";
import { NumberChange, SegmentText } from "~/components/redline-view";
import type { RedlineRow } from "~/domain/redline";
import { MAX_RATIONALE_LENGTH } from "~/domain/workflow";

export interface ChangeWithNote extends RedlineRow {
  note: { rationale: string; themes: string[] } | null;
  /** Reference numbers of the responses the note cites. */
  responses?: string[];
}

/** The outcome of the last note form sent, shown beside that note (and the field it is about). */
export interface NoteResult {
  clauseId: string;
  error: string | null;
  field?: "rationale" | "responses" | null;
}

interface Props {
  changes: ChangeWithNote[];
  paging: { page: number; pages: number; total: number };
  themes: { code: string; title: string }[];
  filter: string | null;
  parentNumber: string | null;
  editable: boolean;
  result: NoteResult | null;
}

export function ChangeNotes({ changes, paging, themes, filter, parentNumber, editable, result }: Props) {
  const pageHref = (page: number) => `?${new URLSearchParams({ ...(filter ? { theme: filter } : {}), page: String(page) })}#sw_changes`;
  return (
    <>
      <h2 id="sw_changes">What changed and why</h2>
      <form method="get" className="sw-compare-form" aria-label="Show the changes for one theme">
        <Select
          id="sw_theme-filter"
          name="theme"
          label="Show changes linked to"
          defaultValue={filter ?? ""}
          options={[{ value: "", text: "Every theme" }, ...themes.map((t) => ({ value: t.code, text: `${t.code} ${t.title}` }))]}
        />
        <div className="nhsuk-form-group">
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Show
          </button>
        </div>
      </form>
      {paging.total === 0 ? (
        <p>{filter ? `No changed clause is linked to ${filter} yet.` : `No clause has changed from version ${parentNumber} yet.`}</p>
      ) : (
        <>
          <p>
            {paging.total} changed {paging.total === 1 ? "clause" : "clauses"}
            {paging.pages > 1 ? `, page ${paging.page} of ${paging.pages}` : ""}.
          </p>
          <ol className="sw-notes">
            {changes.map((row) => (
              <li key={row.id} className="sw-notes__item" id={`note_${row.id}`}>
                <h3 className="nhsuk-heading-s">
                  Clause <NumberChange row={row} />
                </h3>
                <p className="sw-redline__text">
                  <SegmentText segments={row.display} />
                </p>
                {editable ? (
                  <NoteForm row={row} themes={themes} result={result?.clauseId === row.id ? result : null} />
                ) : row.note ? (
                  <p>
                    <strong>Why:</strong> {row.note.rationale}
                    {row.note.themes.length ? ` (${row.note.themes.join(", ")})` : ""}
                    {row.responses?.length ? ` Cites ${row.responses.join(", ")}.` : ""}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
          <Pagination page={paging.page} pages={paging.pages} href={pageHref} label="Pages of changed clauses" />
        </>
      )}
    </>
  );
}

function NoteForm({ row, themes, result }: { row: ChangeWithNote; themes: { code: string; title: string }[]; result: NoteResult | null }) {
  const errorId = `rationale_${row.id}-error`;
  const responsesError = result?.field === "responses" ? result.error : null;
  const rationaleResult = result && result.field !== "responses" ? result : null;
  return (
    <Form method="post" className="sw-note-form">
      <input type="hidden" name="intent" value="note" />
      <input type="hidden" name="clauseId" value={row.id} />
      <div className={`nhsuk-form-group${rationaleResult?.error ? " nhsuk-form-group--error" : ""}`}>
        <label className="nhsuk-label" htmlFor={`rationale_${row.id}`}>
          What changed and why
        </label>
        <div className="nhsuk-hint" id={`rationale_${row.id}-hint`}>
          The public reads this beside the change. You can enter up to {MAX_RATIONALE_LENGTH.toLocaleString("en-GB")} characters.
        </div>
        {rationaleResult?.error ? (
          <span className="nhsuk-error-message" id={errorId}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {rationaleResult.error}
          </span>
        ) : null}
        <textarea
          className={`nhsuk-textarea${rationaleResult?.error ? " nhsuk-textarea--error" : ""}`}
          id={`rationale_${row.id}`}
          name="rationale"
          rows={3}
          defaultValue={row.note?.rationale ?? ""}
          maxLength={MAX_RATIONALE_LENGTH}
          aria-describedby={rationaleResult?.error ? `rationale_${row.id}-hint ${errorId}` : `rationale_${row.id}-hint`}
        />
      </div>
      <fieldset className="nhsuk-fieldset sw-theme-choices">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">In response to</legend>
        <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
          {themes.map((t) => (
            <div className="nhsuk-checkboxes__item" key={t.code}>
              <input
                className="nhsuk-checkboxes__input"
                id={`theme_${row.id}_${t.code}`}
                name="themes"
                type="checkbox"
                value={t.code}
                defaultChecked={row.note?.themes.includes(t.code) ?? false}
              />
              <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`theme_${row.id}_${t.code}`}>
                {t.code} {t.title}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <div className={`nhsuk-form-group${responsesError ? " nhsuk-form-group--error" : ""}`}>
        <label className="nhsuk-label" htmlFor={`responses_${row.id}`}>
          Responses this change answers (optional)
        </label>
        <div className="nhsuk-hint" id={`responses_${row.id}-hint`}>
          Reference numbers of responses to the consultation on the version this draft started from, such as RT-7K3F-9Q2M, separated by commas. The public sees their words where the respondent agreed.
        </div>
        {responsesError ? (
          <span className="nhsuk-error-message" id={`responses_${row.id}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {responsesError}
          </span>
        ) : null}
        <input
          className={`nhsuk-input${responsesError ? " nhsuk-input--error" : ""}`}
          id={`responses_${row.id}`}
          name="responses"
          type="text"
          spellCheck={false}
          autoComplete="off"
          maxLength={2000}
          defaultValue={(row.responses ?? []).join(", ")}
          aria-describedby={responsesError ? `responses_${row.id}-hint responses_${row.id}-error` : `responses_${row.id}-hint`}
        />
      </div>
      <button className="nhsuk-button nhsuk-button--secondary" type="submit">
        Save note<span className="nhsuk-u-visually-hidden"> for clause {row.to?.number ?? row.from?.number}</span>
      </button>
      {result && !result.error ? (
        <p className="sw-note-saved" role="status">
          The change note is saved.
        </p>
      ) : null}
    </Form>
  );
}
