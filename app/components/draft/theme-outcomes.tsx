// "No change because…": for each theme in the register, why this draft changes nothing for it.
// Themes its change notes already answer come first, read-only with their clauses; then every
// other theme, with a form to say why (or remove it), and the reason the version the draft
// started from gave, offered as a starting point.
import { Form } from "@remix-run/react";
import { CharacterCount } from "~/components/fields";
import type { OutcomeTheme } from "~/models/draft-page.server";
import { MAX_RATIONALE_LENGTH } from "~/domain/workflow";

/** What the last outcome form sent came to, shown beside that theme's form. */
export interface OutcomeResult {
  theme: string | null;
  /** The problem, in a sentence, or null when it was saved. */
  error: string | null;
  /** Whether the problem is with what was typed (shown on the field) rather than the page. */
  onField: boolean;
  /** What was typed, put back into the form with the error. */
  typed?: string;
  done?: "saved" | "removed" | "carried";
}

export const outcomeFieldId = (code: string) => `outcome_${code}`;
export const themeAnchor = (code: string) => `theme_${code}`;

const DONE_TEXT: Record<NonNullable<OutcomeResult["done"]>, string> = {
  saved: "The reason is saved.",
  removed: "The reason is removed.",
  carried: "The reason is copied into this draft.",
};

function Saved({ code, result }: { code: string; result: OutcomeResult | null }) {
  if (!result || result.error || result.theme !== code || !result.done) return null;
  return (
    <p className="sw-note-saved" role="status">
      {DONE_TEXT[result.done]}
    </p>
  );
}

/** The themes this draft's change notes answer: why is said on those notes. */
export function AnsweredThemes({ themes, editable, result }: { themes: OutcomeTheme[]; editable: boolean; result: OutcomeResult | null }) {
  if (!themes.length) return <p>No change note in this draft is linked to a theme yet.</p>;
  return (
    <ul className="nhsuk-list sw-outcome-list">
      {themes.map((theme) => (
        <li key={theme.code} id={themeAnchor(theme.code)} className="sw-outcome-list__item">
          <h3 className="nhsuk-heading-xs">
            {theme.code} {theme.title}
          </h3>
          <p>
            Answered by the {theme.clauses.length === 1 ? "change to clause" : "changes to clauses"} {theme.clauses.join(", ")}.
          </p>
          {theme.outcome ? (
            <>
              <p>
                This draft also says it led to no change: “{theme.outcome}”. {editable ? "Remove that, since a change answers the theme." : null}
              </p>
              {editable ? (
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="theme" value={theme.code} />
                  <button className="nhsuk-button nhsuk-button--secondary" type="submit" name="intent" value="remove">
                    Remove<span className="nhsuk-u-visually-hidden"> the no-change reason for {theme.code}</span>
                  </button>
                </Form>
              ) : null}
            </>
          ) : null}
          <Saved code={theme.code} result={result} />
        </li>
      ))}
    </ul>
  );
}

/** Every other theme, with why it led to no change (a form, for editors). */
export function OtherThemes({ themes, editable, parentNumber, result }: { themes: OutcomeTheme[]; editable: boolean; parentNumber: string | null; result: OutcomeResult | null }) {
  if (!themes.length) return <p>Every theme in the register is answered by a change in this draft.</p>;
  return (
    <ul className="nhsuk-list sw-outcome-list">
      {themes.map((theme) => (
        <li key={theme.code} id={themeAnchor(theme.code)} className="sw-outcome-list__item">
          <h3 className="nhsuk-heading-xs">
            {theme.code} {theme.title}
          </h3>
          {editable ? (
            <OutcomeForm theme={theme} parentNumber={parentNumber} result={result?.theme === theme.code ? result : null} />
          ) : theme.outcome ? (
            <p>
              <strong>No change because:</strong> {theme.outcome}
            </p>
          ) : (
            <p>Nothing recorded.</p>
          )}
        </li>
      ))}
    </ul>
  );
}

function OutcomeForm({ theme, parentNumber, result }: { theme: OutcomeTheme; parentNumber: string | null; result: OutcomeResult | null }) {
  const failed = result?.error && result.onField ? result : null;
  const id = outcomeFieldId(theme.code);
  const offer = theme.parentOutcome && theme.parentOutcome !== theme.outcome ? theme.parentOutcome : null;
  return (
    // A new key when what is stored changes, or a refusal comes back, so the field shows it.
    <Form method="post" className="sw-note-form" preventScrollReset key={`${theme.outcome ?? ""}\u0000${failed ? `${failed.error}\u0000${failed.typed ?? ""}` : ""}`}>
      {failed ? (
        <div className="nhsuk-error-summary" role="alert" aria-labelledby={`${id}-summary-title`} tabIndex={-1}>
          <h4 className="nhsuk-error-summary__title" id={`${id}-summary-title`}>
            There is a problem with the reason for {theme.code}
          </h4>
          <div className="nhsuk-error-summary__body">
            <ul className="nhsuk-list nhsuk-error-summary__list">
              <li>
                <a href={`#${id}`}>{failed.error}</a>
              </li>
            </ul>
          </div>
        </div>
      ) : null}
      <input type="hidden" name="theme" value={theme.code} />
      <CharacterCount
        id={id}
        name="outcome"
        label="No change because…"
        hint={`Why this theme led to no change in this version. The public reads it beside the theme in “You said, we did”.`}
        rows={3}
        maxLength={MAX_RATIONALE_LENGTH}
        error={failed?.error ?? undefined}
        defaultValue={failed ? (failed.typed ?? "") : (theme.outcome ?? "")}
      />
      <div className="nhsuk-button-group">
        <button className="nhsuk-button nhsuk-button--secondary" type="submit" name="intent" value="save">
          Save<span className="nhsuk-u-visually-hidden"> the reason for {theme.code}</span>
        </button>
        {theme.outcome ? (
          <button className="nhsuk-button nhsuk-button--secondary" type="submit" name="intent" value="remove">
            Remove<span className="nhsuk-u-visually-hidden"> the reason for {theme.code}</span>
          </button>
        ) : null}
      </div>
      {offer ? (
        <div className="nhsuk-inset-text">
          <p>
            Version {parentNumber} said: “{offer}”
          </p>
          <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" name="intent" value="carry">
            Use the reason from version {parentNumber}
            <span className="nhsuk-u-visually-hidden"> for {theme.code}</span>
          </button>
        </div>
      ) : null}
      <Saved code={theme.code} result={result} />
    </Form>
  );
}

/** "3 themes led to no change, with reasons", for a draft's review: one line, linked to the page. */
export function outcomeCountText(count: number): string {
  if (count === 0) return "No theme is recorded as having led to no change";
  return `${count} ${count === 1 ? "theme led" : "themes led"} to no change, with reasons`;
}

export function OutcomeCount({ count, href, editable }: { count: number; href: string; editable: boolean }) {
  return (
    <p className="sw-outcome-count">
      {outcomeCountText(count)}.{" "}
      <a href={href}>{editable ? "Record themes that led to no change" : "See the themes that led to no change"}</a>
    </p>
  );
}
