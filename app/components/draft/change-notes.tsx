// "What changed and why": each changed clause of a draft with its redline and its change note
// (the reason, and the themes it answers), a page at a time, filtered to one theme if asked.
import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CharacterCount, Checkboxes, describedBy, FieldError, groupClass, Select } from "~/components/fields";
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
  field?: "rationale" | "themes" | "responses" | null;
  /** What was typed when the note was refused, put back into its form. */
  typed?: { rationale: string; themes: string[]; responses: string };
  /** The note was emptied, so it is gone. */
  removed?: boolean;
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
  const failed = result?.error ? result : null;
  const ids = { rationale: `rationale_${row.id}`, themes: `theme_${row.id}`, responses: `responses_${row.id}` };
  const errorOn = (field: "rationale" | "themes" | "responses") => (failed && (failed.field ?? "rationale") === field ? failed.error! : undefined);
  const typed = failed?.typed;
  const summary = useRef<HTMLDivElement>(null);
  // The summary next to the form takes the focus, as NHS.UK error summaries do.
  useEffect(() => {
    if (failed) summary.current?.focus();
  }, [failed]);
  const number = row.to?.number ?? row.from?.number;
  return (
    <Form method="post" className="sw-note-form" preventScrollReset>
      {failed ? (
        <div className="nhsuk-error-summary" role="alert" aria-labelledby={`note-error-title_${row.id}`} tabIndex={-1} ref={summary}>
          <h4 className="nhsuk-error-summary__title" id={`note-error-title_${row.id}`}>
            There is a problem with the note for clause {number}
          </h4>
          <div className="nhsuk-error-summary__body">
            <ul className="nhsuk-list nhsuk-error-summary__list">
              <li>
                <a href={`#${ids[failed.field ?? "rationale"]}`}>{failed.error}</a>
              </li>
            </ul>
          </div>
        </div>
      ) : null}
      <input type="hidden" name="intent" value="note" />
      <input type="hidden" name="clauseId" value={row.id} />
      <CharacterCount
        id={ids.rationale}
        name="rationale"
        label="What changed and why"
        hint="The public reads this beside the change."
        rows={3}
        maxLength={MAX_RATIONALE_LENGTH}
        error={errorOn("rationale")}
        defaultValue={typed ? typed.rationale : (row.note?.rationale ?? "")}
      />
      <div className="sw-theme-choices">
        <Checkboxes
          id={ids.themes}
          name="themes"
          legend="In response to"
          hint="Select all the themes this change answers."
          small
          error={errorOn("themes")}
          values={typed ? typed.themes : (row.note?.themes ?? [])}
          options={themes.map((t) => ({ value: t.code, text: `${t.code} ${t.title}` }))}
        />
      </div>
      <div className={groupClass(errorOn("responses"))}>
        <label className="nhsuk-label" htmlFor={ids.responses}>
          Responses this change answers (optional)
        </label>
        <div className="nhsuk-hint" id={`${ids.responses}-hint`}>
          Reference numbers of responses to the consultation on the version this draft started from, such as RT-7K3F-9Q2M, separated by commas. The public sees their words where the respondent agreed.
        </div>
        <FieldError id={ids.responses} message={errorOn("responses")} />
        <input
          className={`nhsuk-input${errorOn("responses") ? " nhsuk-input--error" : ""}`}
          id={ids.responses}
          name="responses"
          type="text"
          spellCheck={false}
          autoComplete="off"
          maxLength={2000}
          defaultValue={typed ? typed.responses : (row.responses ?? []).join(", ")}
          aria-describedby={describedBy(ids.responses, { hint: true, error: errorOn("responses") })}
        />
      </div>
      <button className="nhsuk-button nhsuk-button--secondary" type="submit">
        Save note<span className="nhsuk-u-visually-hidden"> for clause {number}</span>
      </button>
      {result && !result.error ? (
        <p className="sw-note-saved" role="status">
          {result.removed ? "The change note is removed." : "The change note is saved."}
        </p>
      ) : null}
    </Form>
  );
}
