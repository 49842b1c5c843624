// "You said, we did" for a revision: each theme, what people said, the changes made and why.
import { Breadcrumbs } from "~/components/messages";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Fragment } from "react";
import { SegmentText } from "~/components/redline-view";
import { notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { parseCompareRange, themeReport } from "~/models/compare.server";
import { rangeOrder } from "~/domain/version-number";
import { ThemeSaid } from "~/components/engagement-report";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `You said, we did: ${data.from} to ${data.to} – Specwork` : "Page not found – Specwork",
  },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const pair = parseCompareRange(params.range ?? "");
  if (pair && rangeOrder(pair.from, pair.to) === "reversed") throw redirect(`/specs/${params.slug}/compare/${pair.to}...${pair.from}/themes`);
  const report = await themeReport(await getDatabase(), params.slug ?? "", params.range ?? "");
  if (!report.ok)
    throw notFound(report.message, {
      href: `/specs/${params.slug}`,
      text: "See the versions of this specification",
    });
  const { comparison, themes, changes, said, revisions } = report;
  return {
    slug: comparison.specification.slug,
    title: comparison.specification.title,
    from: comparison.from.number,
    to: comparison.to.number,
    said,
    byVersion: revisions.length > 1,
    themes: themes.map((t) => ({
      code: t.code,
      title: t.title,
      description: t.description,
      annotations: t.annotations,
      outcomes: t.outcomes,
      changes: t.changes.map((c) => c.clauseId),
    })),
    changes: changes.map((c) => ({
      id: c.id,
      kind: c.row.kind,
      status: c.row.status,
      display: c.row.display,
      described: c.described,
      reasons: c.reasons,
    })),
  };
}

const changeAnchor = (id: string) => `change_${id}`;

export default function YouSaidWeDid() {
  const { slug, title, from, to, themes, changes, said, byVersion } = useLoaderData<typeof loader>();
  const base = `/specs/${slug}/compare/${from}...${to}`;
  const names = new Map(changes.map((c) => [c.id, c.described.name]));
  return (
    <>
      <Breadcrumbs
        items={[
          { href: `/specs/${slug}`, text: title },
          { href: base, text: `Changes from ${from} to ${to}` },
        ]}
      />
      <span className="nhsuk-caption-l">{title}</span>
      <h1>You said, we did</h1>
      <p className="nhsuk-lede-text">
        What people told us, and what we changed in response between version {from} and version {to}, and why.
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
        {changes.length ? (
          <p>
            <a href="#sw_changes-made">The {changes.length} changes we made</a>
          </p>
        ) : null}
      </nav>
      {themes.length === 0 ? <p>No themes were recorded for the changes between these versions.</p> : null}
      {themes.map((theme) => (
        <section key={theme.code} className="sw-theme" aria-labelledby={`theme_${theme.code}`}>
          <h2 id={`theme_${theme.code}`} tabIndex={-1}>
            {theme.code} {theme.title}
          </h2>
          <h3 className="nhsuk-heading-s">You said</h3>
          <p>{theme.description}</p>
          {said?.byTheme[theme.code] || theme.annotations.length ? (
            <details className="nhsuk-details">
              <summary className="nhsuk-details__summary">
                <span className="nhsuk-details__summary-text">
                  What people said
                  {said?.byTheme[theme.code] ? ` (${said.byTheme[theme.code]!.responses.toLocaleString("en-GB")} responses)` : ""}
                  <span className="nhsuk-u-visually-hidden"> about {theme.title}</span>
                </span>
              </summary>
              <div className="nhsuk-details__text">
                {said?.byTheme[theme.code] ? <ThemeSaid theme={said.byTheme[theme.code]!} coded={said.coded} headingLevel={4} /> : null}
                {theme.annotations.length ? (
                  <ul className="sw-said">
                    {theme.annotations.map((a, i) => (
                      <li key={i}>
                        <blockquote className="sw-said__quote">{a.body}</blockquote>
                        <p className="sw-said__source">
                          {a.author}, on {a.number ? `clause ${a.number}` : "a clause"} of version {a.version}
                          {a.quote ? ` (“${a.quote}”)` : ""}
                        </p>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            </details>
          ) : null}
          <h3 className="nhsuk-heading-s">We did</h3>
          {theme.changes.length ? (
            <ul className="sw-did-links">
              {theme.changes.map((id) => (
                <li key={id}>
                  <a href={`#${changeAnchor(id)}`}>{names.get(id)}</a>
                </li>
              ))}
            </ul>
          ) : null}
          {theme.outcomes.length ? (
            theme.outcomes.map((o) => (
              <p key={o.version}>
                {byVersion ? <strong>In version {o.version}: </strong> : null}
                {o.outcome}
              </p>
            ))
          ) : theme.changes.length === 0 ? (
            <p>No change has been recorded for this theme in this revision.</p>
          ) : null}
        </section>
      ))}
      {changes.length ? (
        <section aria-labelledby="sw_changes-made">
          <h2 id="sw_changes-made" tabIndex={-1}>
            The changes we made
          </h2>
          <p>Each change once, with why it was made and the themes it answers.</p>
          <ol className="sw-did" role="list">
            {changes.map((change) => (
              <li key={change.id} className="sw-did__item">
                <h3 className="nhsuk-heading-s sw-did__clause" id={changeAnchor(change.id)} tabIndex={-1}>
                  <a href={`${base}#${change.kind === "section" ? "s" : "c"}_${change.id}`}>{change.described.name}</a>
                </h3>
                <p>
                  <strong className="nhsuk-tag nhsuk-tag--grey">{change.described.status}</strong>
                  {change.described.place ? ` ${change.described.place}` : ""}
                </p>
                <p className="sw-redline__text">
                  <SegmentText segments={change.display} />
                </p>
                {change.reasons.map((r) => (
                  <div key={r.version} className="sw-why">
                    <p>
                      <strong>{byVersion ? `Why, in version ${r.version}:` : "Why:"}</strong> {r.rationale}
                    </p>
                    {r.themes.length ? (
                      <p className="sw-why__themes">
                        Answers:{" "}
                        {r.themes.map((t, i) => (
                          <Fragment key={t.code}>
                            {i ? ", " : ""}
                            <a href={`#theme_${t.code}`}>
                              {t.code} {t.title}
                            </a>
                          </Fragment>
                        ))}
                      </p>
                    ) : null}
                  </div>
                ))}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
