// "You said, we did" for a revision: each theme, what people said, the changes made and why.
import { Breadcrumbs } from "~/components/messages";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { NumberChange, SegmentText } from "~/components/redline-view";
import { notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { themeReport } from "~/models/compare.server";
import { ThemeSaid } from "~/components/engagement-report";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `You said, we did: ${data.from} to ${data.to} – Specwork` : "Page not found – Specwork" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const report = await themeReport(await getDatabase(), params.slug ?? "", params.range ?? "");
  if (!report.ok) throw notFound(report.message, { href: `/specs/${params.slug}`, text: "See the versions of this specification" });
  const { comparison, themes, said } = report;
  return {
    slug: comparison.specification.slug,
    title: comparison.specification.title,
    from: comparison.from.number,
    to: comparison.to.number,
    said,
    themes: themes.map((t) => ({ ...t, changes: t.changes.map((c) => ({ ...c, row: c.row ? { from: c.row.from, to: c.row.to, display: c.row.display, status: c.row.status, appendix: c.row.appendix, depth: c.row.depth, kind: c.row.kind } : null })) })),
  };
}

export default function YouSaidWeDid() {
  const { slug, title, from, to, themes, said } = useLoaderData<typeof loader>();
  const changed = themes.filter((t) => t.changes.length > 0);
  const unchanged = themes.filter((t) => t.changes.length === 0);
  const base = `/specs/${slug}/compare/${from}...${to}`;
  return (
    <>
      <Breadcrumbs items={[{ href: `/specs/${slug}`, text: title }, { href: base, text: `Changes from ${from} to ${to}` }]} />
      <span className="nhsuk-caption-l">{title}</span>
      <h1>You said, we did</h1>
      <p className="nhsuk-lede-text">
        What people told us, and each change made in response between version {from} and version {to}, with the reason.
      </p>
      {said ? (
        <p>
          The counts and quotes come from the <a href={said.reportHref}>published report of {said.consultation.title}</a>, held on version {from}.
        </p>
      ) : null}
      <ul className="nhsuk-list sw-no-print">
        <li>
          <a href={`${base}/themes.csv`} download>
            Download as a spreadsheet (.csv)
          </a>
        </li>
        <li>
          <a href={`${base}/themes.json`}>The same as data (.json)</a>
        </li>
      </ul>
      <nav className="sw-contents" aria-labelledby="sw_themes-contents">
        <h2 id="sw_themes-contents" className="nhsuk-heading-m">
          Themes
        </h2>
        <ol className="sw-contents__list">
          {themes.map((t) => (
            <li key={t.code} className="sw-contents__item">
              <a href={`#theme_${t.code}`}>
                {t.code} {t.title}
              </a>{" "}
              ({t.changes.length ? `${t.changes.length} ${t.changes.length === 1 ? "change" : "changes"}` : "no change"})
            </li>
          ))}
        </ol>
      </nav>
      {changed.map((theme) => (
        <section key={theme.code} className="sw-theme" aria-labelledby={`theme_${theme.code}`}>
          <h2 id={`theme_${theme.code}`}>
            {theme.code} {theme.title}
          </h2>
          <h3 className="nhsuk-heading-s">You said</h3>
          <p>{theme.description}</p>
          {said?.byTheme[theme.code] ? <ThemeSaid theme={said.byTheme[theme.code]!} coded={said.coded} headingLevel={4} /> : null}
          {theme.annotations.length ? (
            <ul className="sw-said">
              {theme.annotations.map((a, i) => (
                <li key={i}>
                  <blockquote className="sw-said__quote">{a.body}</blockquote>
                  <p className="sw-said__source">
                    {a.author}, on clause {a.number ?? a.clauseId} of version {a.version}
                    {a.quote ? ` (“${a.quote}”)` : ""}
                  </p>
                </li>
              ))}
            </ul>
          ) : null}
          <h3 className="nhsuk-heading-s">We did</h3>
          <ol className="sw-did">
            {theme.changes.map((change) => (
              <li key={change.clauseId} className="sw-did__item">
                <p className="sw-did__clause">
                  <a href={`${base}#c_${change.clauseId}`}>
                    Clause {change.row ? <NumberChange row={change.row} /> : change.clauseId}
                  </a>
                  {change.row?.status === "inserted" ? " (new)" : change.row?.status === "deleted" ? " (removed)" : ""}
                </p>
                <p>
                  <strong>Why:</strong> {change.rationale}
                </p>
                {change.row ? (
                  <p className="sw-redline__text">
                    <SegmentText segments={change.row.display} />
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ))}
      {unchanged.length ? (
        <section aria-labelledby="sw_no-change">
          <h2 id="sw_no-change">Themes that led to no change</h2>
          <dl className="sw-no-change">
            {unchanged.map((theme) => (
              <div key={theme.code} id={`theme_${theme.code}`} tabIndex={-1}>
                <dt>
                  {theme.code} {theme.title}
                </dt>
                <dd>
                  {theme.outcome ?? "No change has been recorded for this theme in this revision."}
                  {said?.byTheme[theme.code] ? ` ${said.byTheme[theme.code]!.responses.toLocaleString("en-GB")} responses raised it.` : ""}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
