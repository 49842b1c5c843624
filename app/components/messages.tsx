// The page furniture every route shares: the NHS.UK error summary, a status message, breadcrumbs.

/** "There is a problem", with the reason: the one way errors appear at the top of a page. */
export function ErrorSummary({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div className="nhsuk-error-summary" role="alert" aria-labelledby="sw_error-title" tabIndex={-1}>
      <h2 className="nhsuk-error-summary__title" id="sw_error-title">
        There is a problem
      </h2>
      <div className="nhsuk-error-summary__body">
        <p>{message}</p>
      </div>
    </div>
  );
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

export function Breadcrumbs({ items }: { items: { href: string; text: string }[] }) {
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
    </nav>
  );
}
