// A clause's history: its text in every published version, and what each version changed and why.
import { Breadcrumbs } from "~/components/messages";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { formatDate } from "~/components/format";
import { NumberChange, SegmentText, Why } from "~/components/redline-view";
import { ClauseBody } from "~/components/spec-document";
import { notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { clauseHistory } from "~/models/compare.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `History of clause ${data.latestNumber}: ${data.specification.title} – Specwork` : "Page not found – Specwork",
  },
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

/** "Number changed from 3.2.8" or "Moved from 3.2.15", when it did. */
function placeText(change: { status: keyof typeof STEP_TEXT; from: { number: string } | null; to: { number: string } | null }): string | null {
  if (!change.from || !change.to || change.from.number === change.to.number) return null;
  return change.status === "moved" ? `moved from ${change.from.number}` : `number changed from ${change.from.number}`;
}

export default function ClauseHistoryPage() {
  const { specification, steps, clauseId, latestNumber } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        items={[
          { href: "/", text: "Specifications" },
          { href: `/specs/${specification.slug}`, text: specification.title },
        ]}
      />
      <span className="nhsuk-caption-l">{specification.title}</span>
      <h1>History of clause {latestNumber}</h1>
      <p>This clause in every published version, oldest first, and what each version changed and why.</p>
      <ol className="sw-timeline">
        {steps.map((step) => {
          const heading = `Version ${step.version.number}${step.version.label ? ` – ${step.version.label}` : ""}`;
          const place = step.change ? placeText(step.change) : null;
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
                    {place ? ` · ${place}` : null}
                  </p>
                  {step.note ? (
                    <Why reasons={[step.note]} />
                  ) : step.described?.noReason ? (
                    <Why reasons={[]} noReason={step.described.noReason} />
                  ) : step.change.status !== "unchanged" ? (
                    <Why reasons={[]} />
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
