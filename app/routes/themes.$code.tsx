// One theme: what people said, their public annotations, and each published change made for it.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Breadcrumbs } from "~/components/messages";
import { notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { findTheme, themeLinks } from "~/models/themes.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.theme.code} ${data.theme.title} – Specwork` : "Page not found – Specwork" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const db = await getDatabase();
  const theme = await findTheme(db, params.code ?? "");
  if (!theme) throw notFound(`There is no theme “${params.code}”.`, { href: "/themes", text: "See all themes" });
  return { theme, ...(await themeLinks(db, theme.code)) };
}

export default function ThemePage() {
  const { theme, changes, annotations, outcomes } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ href: "/themes", text: "Themes" }]} />
      <span className="nhsuk-caption-l">
        {theme.code} · {theme.source}
      </span>
      <h1>{theme.title}</h1>
      <h2>What people said</h2>
      <p>{theme.description}</p>
      {annotations.length ? (
        <ul className="sw-said">
          {annotations.map((a, i) => (
            <li key={i}>
              <blockquote className="sw-said__quote">{a.body}</blockquote>
              <p className="sw-said__source">
                {a.author}, on <a href={`/specs/${a.slug}/v/${a.versionNumber}#${a.clauseId}`}>clause {a.number ?? a.clauseId} of version {a.versionNumber}</a>
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
