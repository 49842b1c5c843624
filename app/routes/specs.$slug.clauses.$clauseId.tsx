// A clause's history: its text in every published version, and what each version changed and why.
import { Breadcrumbs } from "~/components/messages";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { formatDate } from "~/components/format";
import { NumberChange, SegmentText } from "~/components/redline-view";
import { ClauseBody } from "~/components/spec-document";
import { notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { clauseHistory } from "~/models/compare.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `History of clause ${data.latestNumber}: ${data.specification.title} – Specwork` : "Page not found – Specwork" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const clauseId = params.clauseId ?? "";
  const db = await getDatabase();
  const history = await clauseHistory(db, slug, clauseId);
  if (!history) {
    throw notFound(`There is no clause “${clauseId}” in any published version of this specification.`, {
      href: `/specs/${slug}`,
      text: "See the versions of this specification",
    });
  }
  const latest = [...history.steps].reverse().find((step) => step.clause)!;
  return { ...history, clauseId, latestNumber: latest.clause!.number };
}

const STEP_TEXT = {
  unchanged: "No change to the wording",
  modified: "Reworded",
  inserted: "Added",
  deleted: "Removed in this version",
  moved: "Moved",
} as const;

export default function ClauseHistoryPage() {
  const { specification, steps, clauseId, latestNumber } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ href: "/", text: "Specifications" }, { href: `/specs/${specification.slug}`, text: specification.title }]} />
      <span className="nhsuk-caption-l">{specification.title}</span>
      <h1>History of clause {latestNumber}</h1>
      <p>
        This clause in every published version, oldest first, and what each version changed. Its identifier is <code>{clauseId}</code>.
      </p>
      <ol className="sw-timeline">
        {steps.map((step) => {
          const heading = `Version ${step.version.number}${step.version.label ? ` – ${step.version.label}` : ""}`;
          const renumbered = step.change?.from && step.change?.to && step.change.from.number !== step.change.to.number;
          return (
            <li key={step.version.number} className="sw-timeline__item">
              <h2 className="nhsuk-heading-s sw-timeline__title">
                {heading}
                {step.version.date ? (
                  <>
                    {" "}
                    <span className="sw-timeline__date">
                      (<time dateTime={step.version.date}>{formatDate(step.version.date)}</time>)
                    </span>
                  </>
                ) : null}
              </h2>
              {step.change ? (
                <>
                  <p className="sw-timeline__meta">
                    <strong>{STEP_TEXT[step.change.status]}</strong>
                    {renumbered ? (
                      <>
                        {" "}
                        · renumbered <NumberChange row={step.change} />
                      </>
                    ) : null}
                  </p>
                  {step.note ? (
                    <div className="sw-why">
                      <p>
                        <strong>Why:</strong> {step.note.rationale}
                      </p>
                      {step.note.themes.length ? (
                        <p>
                          In response to:{" "}
                          {step.note.themes.map((code, i) => (
                            <span key={code}>
                              {i ? ", " : ""}
                              <a href={`/themes/${code}`}>{code}</a>
                            </span>
                          ))}
                        </p>
                      ) : null}
                      {step.note.responses?.length ? (
                        <>
                          <p>Responses this change answers:</p>
                          <ul className="sw-said">
                            {step.note.responses.map((r, i) => (
                              <li key={i}>
                                {r.text ? <blockquote className="sw-said__quote">{r.text}</blockquote> : null}
                                <p className="sw-said__source">{r.attribution}</p>
                              </li>
                            ))}
                          </ul>
                        </>
                      ) : null}
                    </div>
                  ) : null}
                  {step.change.status !== "unchanged" ? (
                    <div className="sw-clause">
                      <div className="sw-clause__number">
                        <span className="nhsuk-u-visually-hidden">Clause </span>
                        <NumberChange row={step.change} />
                      </div>
                      <p className="sw-redline__text sw-clause__body">
                        <SegmentText segments={step.change.display} />
                      </p>
                    </div>
                  ) : null}
                </>
              ) : step.clause ? (
                <p className="sw-timeline__meta">
                  <strong>First published in this version</strong>
                </p>
              ) : (
                <p className="sw-timeline__meta">Not in this version.</p>
              )}
              {step.clause && (!step.change || step.change.status === "unchanged") ? (
                <div className="sw-clause">
                  <div className="sw-clause__number">
                    <span className="nhsuk-u-visually-hidden">Clause </span>
                    {step.clause.number}
                  </div>
                  <div className="sw-clause__body">
                    <ClauseBody clause={step.clause.content} />
                  </div>
                </div>
              ) : null}
              {step.clause ? (
                <p className="sw-timeline__meta">
                  <a href={`/specs/${specification.slug}/v/${step.version.number}#${clauseId}`}>
                    Clause {step.clause.number} in version {step.version.number}
                  </a>
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
