// One theme: what people said, their public annotations, and each published change made for it.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Breadcrumbs } from "~/components/messages";
import { notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { findTheme, themeLinks } from "~/models/themes.server";
import { themeInReports } from "~/models/reports.server";
import { ThemeSaid } from "~/components/engagement-report";
import { CONSULTATION_KIND_TEXT } from "~/domain/consultations";
import { DECISION_TEXT } from "~/domain/coding";
import { londonDate } from "~/domain/london-time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.theme.code} ${data.theme.title} – Specwork` : "Page not found – Specwork" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const db = await getDatabase();
  const theme = await findTheme(db, params.code ?? "");
  if (!theme) throw notFound(`There is no theme “${params.code}”.`, { href: "/themes", text: "See all themes" });
  // Counts, quotes and decisions only from published reports: fixed when each was published.
  return { theme, ...(await themeLinks(db, theme.code)), reports: await themeInReports(db, theme.code) };
}

export default function ThemePage() {
  const { theme, changes, annotations, outcomes, reports } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ href: "/themes", text: "Themes" }]} />
      <span className="nhsuk-caption-l">
        {theme.code} · {theme.source}
      </span>
      <h1>{theme.title}</h1>
      <h2>What people said</h2>
      <p>{theme.description}</p>
      {reports.map((r) => (
        <section key={r.consultation.id} className="sw-theme-report" aria-labelledby={`report_${r.consultation.id}`}>
          <h3 id={`report_${r.consultation.id}`}>
            In the {CONSULTATION_KIND_TEXT[r.consultation.kind].toLowerCase()} that closed on {londonDate(r.consultation.closesAt)}
          </h3>
          <p className="nhsuk-body-s">
            {r.consultation.title}, on version {r.specification.version}. <a href={r.reportHref}>Read the {r.consultation.kind === "engagement" ? "engagement" : "consultation"} report</a>
          </p>
          <ThemeSaid theme={r.theme} coded={r.coded} headingLevel={4} />
          {r.theme.decision ? (
            <>
              <h4>Our decision</h4>
              <p>
                <strong>{DECISION_TEXT[r.theme.decision.decision]}.</strong> {r.theme.decision.reason}
              </p>
            </>
          ) : null}
        </section>
      ))}
      {annotations.length ? (
        <ul className="sw-said">
          {annotations.map((a, i) => (
            <li key={i}>
              <blockquote className="sw-said__quote">{a.body}</blockquote>
              <p className="sw-said__source">
                {a.author}, on <a href={`/specs/${a.slug}/v/${a.versionNumber}#${a.clauseId}`}>{a.number ? `clause ${a.number}` : "a clause"} of version {a.versionNumber}</a>
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      <h2>What changed in response</h2>
      {changes.length === 0 ? (
        <p>No clause has changed for this theme yet.</p>
      ) : (
        <ol className="sw-did">
          {changes.map((c, i) => (
            <li key={i} className="sw-did__item">
              <p className="sw-did__clause">
                {c.number ? (
                  <a href={`/specs/${c.slug}/clauses/${c.clauseId}`}>
                    Clause {c.number} of version {c.versionNumber}
                    {c.versionLabel ? ` (${c.versionLabel})` : ""}
                  </a>
                ) : (
                  <a href={`/specs/${c.slug}/clauses/${c.clauseId}`}>A clause removed in version {c.versionNumber}</a>
                )}
              </p>
              <p>
                <strong>Why:</strong> {c.rationale}
              </p>
            </li>
          ))}
        </ol>
      )}
      {outcomes.length ? (
        <>
          <h2>Where it led to no change</h2>
          <ul className="nhsuk-list">
            {outcomes.map((o, i) => (
              <li key={i}>
                Version {o.versionNumber}: {o.outcome}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
