// The page furniture every route shares: the NHS.UK error summary, a status message, breadcrumbs.
import { useEffect, useRef } from "react";

/** A problem to show in the summary, linked to the field it is about when there is one. */
export interface SummaryError {
  href?: string;
  text: string;
}

/**
 * "There is a problem", with the reasons: the one way form errors are listed, at the top of the
 * form's page or (on a long page) beside the form. Each reason about a field links to it, as the
 * NHS.UK error summary does. The summary takes focus when it appears, so keyboard and screen
 * reader users start from it: `autofocus` without JavaScript, and again each time its reasons
 * change after a script-driven submission.
 */
export function ErrorSummary({ id = "sw_error", message, errors = [], answer }: { id?: string; message?: string | null; errors?: SummaryError[]; answer?: object | null }) {
  const all: SummaryError[] = [...(message ? [{ text: message }] : []), ...errors];
  const ref = useRef<HTMLDivElement>(null);
  const reasons = all.map((e) => `${e.href ?? ""} ${e.text}`).join("\n");
  // `answer` (the action's data, a new object for each submission) takes focus back to the
  // summary when the same problem comes again.
  useEffect(() => {
    if (reasons) ref.current?.focus();
  }, [reasons, answer]);
  if (!all.length) return null;
  return (
    <div className="nhsuk-error-summary" id={id} ref={ref} role="alert" aria-labelledby={`${id}-title`} tabIndex={-1} autoFocus>
      <h2 className="nhsuk-error-summary__title" id={`${id}-title`}>
        There is a problem
      </h2>
      <div className="nhsuk-error-summary__body">
        <ul className="nhsuk-list nhsuk-error-summary__list">
          {all.map((error) => (
            <li key={`${error.href ?? ""}${error.text}`}>{error.href ? <a href={error.href}>{error.text}</a> : error.text}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** Summary entries for a form's field problems, each linked to its field's element id. */
export function fieldErrors(fields: Record<string, string> | undefined, ids: Record<string, string>): SummaryError[] {
  return Object.entries(fields ?? {}).map(([name, text]) => (ids[name] ? { href: `#${ids[name]}`, text } : { text }));
}

/** A confirmation, announced to screen readers. */
export function StatusMessage({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div className="nhsuk-inset-text" role="status">
      <p>{message}</p>
    </div>
  );
}

/**
 * NHS.UK breadcrumbs: the trail on larger screens, and on small screens a back link to the last
 * page in it, whose visible words are `back` when given (the page's name is still read out).
 */
export function Breadcrumbs({ items, back }: { items: { href: string; text: string }[]; back?: string }) {
  return (
    <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
      <ol className="nhsuk-breadcrumb__list">
        {items.map((item) => (
          <li className="nhsuk-breadcrumb__list-item" key={item.href}>
            <a className="nhsuk-breadcrumb__link" href={item.href}>
              {item.text}
            </a>
          </li>
        ))}
      </ol>
      {/* nhsuk-frontend shows this instead of the list on small screens. */}
      {items.length ? (
        <a className="nhsuk-back-link" href={items[items.length - 1]!.href}>
          {back ? (
            <>
              {back}
              <span className="nhsuk-u-visually-hidden"> to {items[items.length - 1]!.text}</span>
            </>
          ) : (
            <>
              <span className="nhsuk-u-visually-hidden">Back to </span>
              {items[items.length - 1]!.text}
            </>
          )}
        </a>
      ) : null}
    </nav>
  );
}
