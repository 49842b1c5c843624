// "Check this version": a version's content hash, folded away and explained in plain words, for
// anyone who needs to be sure a copy they hold is word for word the published one.
export function CheckThisVersion({ versions }: { versions: { number: string; hash: string }[] }) {
  const one = versions.length === 1;
  return (
    <details className="nhsuk-details sw-check-version">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">Check {one ? "this version" : "these versions"}</span>
      </summary>
      <div className="nhsuk-details__text">
        <p>
          Each published version has a fingerprint: a code worked out from every word, number and heading in it. If anything in the text changed, even one letter, the fingerprint would be different.
        </p>
        <p>
          If you need to be sure that a copy you have is exactly the published version, for example in a contract or a complaint, give this fingerprint to whoever checks it. Specwork checks its own
          copies against these fingerprints.
        </p>
        <dl className="nhsuk-summary-list sw-check-version__list">
          {versions.map((v) => (
            <div className="nhsuk-summary-list__row" key={v.number}>
              <dt className="nhsuk-summary-list__key">Fingerprint of version {v.number}</dt>
              <dd className="nhsuk-summary-list__value">
                <code className="sw-check-version__hash">{v.hash}</code>
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </details>
  );
}
