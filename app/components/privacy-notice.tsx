// What happens to a response, in short, where people fill in the form; the full notice has its own page.

export function PrivacyNotice() {
  return (
    <details className="nhsuk-details">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">How we use your response</span>
      </summary>
      <div className="nhsuk-details__text">
        <p>
          We keep what you tell us on this form: your answers, your comments, whether you respond as an individual or for an organisation, the description you
          chose, and your name and email address if you give them.
        </p>
        <p>
          Only the NHS England staff analysing this consultation can see your response. We never publish your name or email address, or show them on any page,
          list or download. We quote your words only if you agree, and only after a member of staff has checked them.
        </p>
        <p>We use your email address only to contact you about your response. We keep your name, email address and organisation name for 2 years after the consultation closes, then delete them; your answers stay, without them.</p>
        <p>
          <a href="/consultations/privacy">Read the full privacy notice</a>
        </p>
      </div>
    </details>
  );
}

