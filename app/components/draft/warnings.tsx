// What a draft's editors must know before going on: who returned it and why, and whether it
// started from a version that has been replaced since.
import { formatDate } from "~/components/format";

function Warning({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-warning-callout">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          {title}
        </span>
      </h2>
      {children}
    </div>
  );
}

export function DraftWarnings({ returned, staleBase, parentNumber }: { returned: { by: string; at: string; comment: string } | null; staleBase: string | null; parentNumber: string | null }) {
  return (
    <>
      {returned ? (
        <Warning title="Returned to draft">
          <p>
            {returned.by} returned this version on {formatDate(returned.at)}: “{returned.comment}”
          </p>
        </Warning>
      ) : null}
      {staleBase ? (
        <Warning title="Started from an older version">
          <p>
            This draft started from version {parentNumber}, but version {staleBase} has been published since. Publishing this draft would replace version{" "}
            {staleBase} and undo its changes. Consider starting a new draft from version {staleBase}.
          </p>
        </Warning>
      ) : null}
    </>
  );
}
