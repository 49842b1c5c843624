// The tracked revision between two versions (compare/0.9...1.0), as a page, a Word file or JSON.
import { Breadcrumbs } from "~/components/messages";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CompareDownloads } from "~/components/downloads";
import { ErrorPage } from "~/components/error-page";
import { formatDate } from "~/components/format";
import { CheckThisVersion } from "~/components/check-version";
import { ChangeList, RedlineBody, SummaryTable, type RedlineViewMode } from "~/components/redline-view";
import { RevisionSummaries } from "~/components/revision-summary";
import { isChange } from "~/domain/redline";
import { badRequest, fileDownload, notFound } from "~/http.server";
import { rangeOrder } from "~/domain/version-number";
import { getDatabase } from "~/models/app-database.server";
import { comparePublicVersions, reasonsOnTheWay } from "~/models/compare.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data && "specification" in data ? `Changes from ${data.from.number} to ${data.to.number}: ${data.specification.title} – Specwork` : "Page not found – Specwork",
  },
];

/** "0.9...1.0", optionally with ".json" for the redline JSON (the Word and PDF files have routes of their own). */
function parseRange(range: string): { from: string; to: string; format: "page" | "json" } | null {
  const match = /^(.+?)\.\.\.(.+?)(\.json)?$/.exec(range);
  if (!match) return null;
  return { from: match[1]!, to: match[2]!, format: match[3] === ".json" ? "json" : "page" };
}

export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const range = parseRange(params.range ?? "");
  if (!range) {
    throw notFound(`“${params.range}” is not a pair of versions. Compare addresses look like /specs/${slug}/compare/0.9...1.0.`, {
      href: `/specs/${slug}`,
      text: "Choose versions to compare",
    });
  }
  // The page reads older to newer, so that each reason explains the change beside it; the
  // redline JSON (a contract for other tools) compares in whichever order it is asked.
  if (range.format === "page") {
    const order = rangeOrder(range.from, range.to);
    if (order === "same") throw badRequest(`You chose version ${range.from} twice. Choose two different versions to compare.`, { href: `/specs/${slug}#sw_compare`, text: "Choose versions to compare" });
    if (order === "reversed") throw redirect(`/specs/${slug}/compare/${range.to}...${range.from}${new URL(request.url).search}`);
  }
  const db = await getDatabase();
  const result = await comparePublicVersions(db, slug, range.from, range.to);
  if (!result.ok) {
    if (result.missing === "specification") throw notFound(`There is no specification called “${slug}”.`);
    const number = result.missing === "from" ? range.from : range.to;
    throw notFound(`${result.title} has no published version “${number}”.`, {
      href: `/specs/${slug}`,
      text: "See the versions of this specification",
    });
  }
  const { specification, from, to, redline, rows } = result.comparison;
  const baseName = `${slug}-${from.number}-to-${to.number}`;
  if (range.format === "json") {
    return fileDownload(JSON.stringify(redline, null, 2) + "\n", "application/json; charset=utf-8", `${baseName}.json`);
  }
  const mode: RedlineViewMode = new URL(request.url).searchParams.get("view") === "all" ? "all" : "changes";
  const { revisions, reasons } = await reasonsOnTheWay(db, result.comparison);
  // The page needs every item only for the whole-document view.
  const shown = mode === "all" ? rows : rows.filter(isChange);
  const describe = (v: typeof from) => ({
    number: v.number,
    label: v.label,
    date: v.date,
    hash: v.content_hash,
  });
  return {
    specification,
    from: describe(from),
    to: describe(to),
    summary: redline.summary,
    formatted: rows.filter((row) => row.formatting).length,
    mode,
    revisions,
    reasons: Object.fromEntries(shown.filter((row) => reasons[row.id]).map((row) => [row.id, reasons[row.id]!])),
    described: Object.fromEntries(shown.map((row) => [row.id, result.comparison.described[row.id]!])),
    rows: shown,
  };
}

export default function ComparePage() {
  const data = useLoaderData<typeof loader>();
  // Downloads are answered by entry.server before rendering.
  if (!("specification" in data)) return null;
  const { specification, from, to, summary, formatted, mode, rows, reasons, described, revisions } = data;
  const base = `/specs/${specification.slug}/compare/${from.number}...${to.number}`;
  const versionText = (v: typeof from) => `version ${v.number}${v.label ? ` – ${v.label}` : ""}${v.date ? ` (${formatDate(v.date)})` : ""}`;
  const changes = rows.filter(isChange).length;
  // In the changes-only view this sits in the list of changes, so the first change is on a phone's first screen.
  const viewSwitch = (
    <nav className="sw-view-switch sw-no-print" aria-label="How much to show">
      <ul className="nhsuk-list sw-inline-list">
        <li>{mode === "changes" ? <strong aria-current="page">Changes only</strong> : <a href={base}>Changes only</a>}</li>
        <li>{mode === "all" ? <strong aria-current="page">Whole document</strong> : <a href={`${base}?view=all`}>Whole document</a>}</li>
      </ul>
    </nav>
  );
  return (
    <>
      <Breadcrumbs items={[{ href: "/", text: "Specifications" }, { href: `/specs/${specification.slug}`, text: specification.title }]} />
      <h1>
        Changes from version {from.number} to {to.number}
      </h1>
      <p className="sw-compare__versions">
        From {versionText(from)} to {versionText(to)}. Added words are{" "}
        <ins>
          <span className="nhsuk-u-visually-hidden">[inserted: </span>underlined
          <span className="nhsuk-u-visually-hidden">]</span>
        </ins>
        , removed words are{" "}
        <del>
          <span className="nhsuk-u-visually-hidden">[deleted: </span>struck through<span className="nhsuk-u-visually-hidden">]</span>
        </del>
        {formatted > 0 ? (
          <>
            , and words whose formatting changed have a{" "}
            <span className="sw-format-change">
              <span className="nhsuk-u-visually-hidden">[formatting changed: </span>
              dotted underline<span className="nhsuk-u-visually-hidden">]</span>
            </span>{" "}
            and the change described under them
          </>
        ) : null}
        .
      </p>
      <RevisionSummaries revisions={revisions} />
      <p className="sw-no-print">
        <a href={`${base}/themes`}>You said, we did</a>
      </p>
      <details className="nhsuk-details sw-change-details" id="sw_changes">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">
            List of all {changes} {changes === 1 ? "change" : "changes"}
          </span>
        </summary>
        <div className="nhsuk-details__text">
          {mode === "changes" ? viewSwitch : null}
          <SummaryTable summary={summary} formatted={formatted} />
          <ChangeList rows={rows} described={described} />
        </div>
      </details>

      {mode === "all" ? viewSwitch : null}
      {/* On a phone the first change should be on the first screen, so this heading is only read out. */}
      <h2 className={mode === "all" ? undefined : "nhsuk-u-visually-hidden"}>{mode === "all" ? "The whole document, with changes marked" : "Each change"}</h2>
      <RedlineBody rows={rows} mode={mode} reasons={reasons} described={described} byVersion={revisions.length > 1} historyHref={(id) => `/specs/${specification.slug}/clauses/${id}`} />

      <h2 className="sw-no-print">Download</h2>
      <ul className="nhsuk-list sw-no-print sw-downloads">
        <li>
          <a href={`${base}.docx`} download>
            Download as a Word document with tracked changes (.docx)
          </a>
        </li>
        <CompareDownloads slug={specification.slug} from={from.number} to={to.number} rows={rows} />
        <li>
          <a href={`${base}.json`} download>
            Download the changes as data (.json)
          </a>
        </li>
      </ul>
      <CheckThisVersion
        versions={[
          { number: from.number, hash: from.hash },
          { number: to.number, hash: to.hash },
        ]}
      />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
