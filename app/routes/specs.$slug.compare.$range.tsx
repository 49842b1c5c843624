// The tracked revision between two versions (compare/0.9...1.0), as a page, a Word file or JSON.
import { Breadcrumbs } from "~/components/messages";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CompareDownloads } from "~/components/downloads";
import { ErrorPage } from "~/components/error-page";
import { formatDate } from "~/components/format";
import { ChangeList, RedlineBody, SummaryTable, type RedlineViewMode } from "~/components/redline-view";
import { isChange } from "~/domain/redline";
import { redlineDocx } from "~/exports/redline-docx";
import { fileDownload, notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { comparePublicVersions } from "~/models/compare.server";
import { changeNotes, listThemes } from "~/models/themes.server";
import { publicCitations } from "~/models/reports.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title:
      data && "specification" in data
        ? `Changes from ${data.from.number} to ${data.to.number}: ${data.specification.title} – Specwork`
        : "Page not found – Specwork",
  },
];

/** "0.9...1.0", optionally with ".docx" or ".json" for a download. */
function parseRange(range: string): { from: string; to: string; format: "page" | "docx" | "json" } | null {
  const match = /^(.+?)\.\.\.(.+?)(\.docx|\.json)?$/.exec(range);
  if (!match) return null;
  return { from: match[1]!, to: match[2]!, format: match[3] === ".docx" ? "docx" : match[3] === ".json" ? "json" : "page" };
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
  const db = await getDatabase();
  const result = await comparePublicVersions(db, slug, range.from, range.to);
  if (!result.ok) {
    if (result.missing === "specification") throw notFound(`There is no specification called “${slug}”.`);
    const number = result.missing === "from" ? range.from : range.to;
    throw notFound(`${result.title} has no published version “${number}”.`, { href: `/specs/${slug}`, text: "See the versions of this specification" });
  }
  const { specification, from, to, redline, rows } = result.comparison;
  const baseName = `${slug}-${from.number}-to-${to.number}`;
  if (range.format === "docx") {
    const docx = await redlineDocx({
      title: to.title,
      reference: specification.reference,
      from: { version: from.number, label: from.label, doc: from.doc },
      to: { version: to.number, label: to.label, doc: to.doc },
      redline,
      author: "Specwork",
      date: to.date ? `${to.date}T00:00:00Z` : to.created_at,
    });
    return fileDownload(docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", `${baseName}.docx`);
  }
  if (range.format === "json") {
    return fileDownload(JSON.stringify(redline, null, 2) + "\n", "application/json; charset=utf-8", `${baseName}.json`);
  }
  const mode: RedlineViewMode = new URL(request.url).searchParams.get("view") === "all" ? "all" : "changes";
  const themeTitles = new Map((await listThemes(db)).map((t) => [t.code, t.title]));
  const cited = await publicCitations(db, to.id);
  const notes = Object.fromEntries(
    [...(await changeNotes(db, to.id))].map(([clauseId, note]) => [
      clauseId,
      { rationale: note.rationale, themes: note.themes.map((code) => ({ code, title: themeTitles.get(code) ?? "" })), responses: cited.get(clauseId) ?? [] },
    ]),
  );
  const describe = (v: typeof from) => ({ number: v.number, label: v.label, date: v.date });
  return {
    specification,
    from: describe(from),
    to: describe(to),
    summary: redline.summary,
    formatted: rows.filter((row) => row.formatting).length,
    mode,
    notes,
    // The page needs every item only for the whole-document view.
    rows: mode === "all" ? rows : rows.filter(isChange),
  };
}

export default function ComparePage() {
  const data = useLoaderData<typeof loader>();
  // Downloads are answered by entry.server before rendering.
  if (!("specification" in data)) return null;
  const { specification, from, to, summary, formatted, mode, rows, notes } = data;
  const base = `/specs/${specification.slug}/compare/${from.number}...${to.number}`;
  const versionText = (v: typeof from) => `version ${v.number}${v.label ? ` – ${v.label}` : ""}${v.date ? ` (${formatDate(v.date)})` : ""}`;
  return (
    <>
      <Breadcrumbs items={[{ href: "/", text: "Specifications" }, { href: `/specs/${specification.slug}`, text: specification.title }]} />
      <span className="nhsuk-caption-l">{specification.title}</span>
      <h1>
        Changes from version {from.number} to {to.number}
      </h1>
      <p className="nhsuk-lede-text">
        What changed from {versionText(from)} to {versionText(to)}. Added text is{" "}
        <ins>
          <span className="nhsuk-u-visually-hidden">[inserted: </span>underlined<span className="nhsuk-u-visually-hidden">]</span>
        </ins>{" "}
        and removed text is{" "}
        <del>
          <span className="nhsuk-u-visually-hidden">[deleted: </span>struck through<span className="nhsuk-u-visually-hidden">]</span>
        </del>
        {formatted > 0 ? (
          <>
            ; text whose formatting changed has a{" "}
            <span className="sw-format-change">
              <span className="nhsuk-u-visually-hidden">[formatting changed: </span>dotted underline<span className="nhsuk-u-visually-hidden">]</span>
            </span>
            , and the change is described under it
          </>
        ) : null}
        .
      </p>
      <ul className="nhsuk-list sw-no-print">
        <li>
          <a href={`${base}/themes`}>You said, we did: each theme and the changes made in response</a>
        </li>
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

      <h2>Summary</h2>
      <SummaryTable summary={summary} formatted={formatted} />

      <nav className="sw-view-switch sw-no-print" aria-label="How much to show">
        <ul className="nhsuk-list sw-inline-list">
          <li>
            {mode === "changes" ? (
              <strong aria-current="page">Changes only</strong>
            ) : (
              <a href={base}>Changes only</a>
            )}
          </li>
          <li>
            {mode === "all" ? (
              <strong aria-current="page">Whole document</strong>
            ) : (
              <a href={`${base}?view=all`}>Whole document</a>
            )}
          </li>
        </ul>
      </nav>

      <h2 id="sw_changes">List of changes</h2>
      <ChangeList rows={rows} />

      <h2>{mode === "all" ? "The whole document, with changes marked" : "Each change"}</h2>
      <RedlineBody rows={rows} mode={mode} notes={notes} historyHref={(id) => `/specs/${specification.slug}/clauses/${id}`} />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
