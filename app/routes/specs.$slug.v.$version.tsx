import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { formatDate, shortHash, STATUS_TAG, STATUS_TEXT } from "~/components/format";
import { ContentsList, SpecDocument } from "~/components/spec-document";
import { isPublic } from "~/domain/workflow";
import { fileDownload, notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { findSpecification } from "~/models/specifications.server";
import { listAnnotations, threadsByClause } from "~/models/annotations.server";
import { findVersion, latestPublicVersion, previousPublicVersion, versionSourceText } from "~/models/versions.server";
import { getUser } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && "version" in data ? `${data.version.title}, version ${data.version.number} – Specwork` : "Page not found – Specwork" },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const db = await getDatabase();
  const slug = params.slug ?? "";
  const requested = params.version ?? "";
  const wantsSource = requested.endsWith(".md");
  const number = wantsSource ? requested.slice(0, -3) : requested;
  const spec = await findSpecification(db, slug);
  if (!spec) throw notFound(`There is no specification called “${slug}”.`);
  const version = await findVersion(db, slug, number);
  if (!version || !isPublic(version.status)) {
    throw notFound(`${spec.title} has no published version “${number}”.`, {
      href: `/specs/${spec.slug}`,
      text: "See the versions of this specification",
    });
  }
  if (wantsSource) {
    return fileDownload(versionSourceText(version), "text/markdown; charset=utf-8", `${version.slug}-${version.number}.md`);
  }
  return {
    version: {
      slug: version.slug,
      number: version.number,
      title: version.title,
      reference: version.reference,
      label: version.label,
      date: version.date,
      status: version.status,
      contentHash: version.content_hash,
      clauseCount: version.clause_count,
      doc: version.doc,
      previous: await previousPublicVersion(db, spec.id, version.number),
      latest: version.status === "superseded" ? await latestPublicVersion(db, spec.id) : null,
    },
    // Staff see every annotation; everyone else only public ones.
    annotations: threadsByClause(await listAnnotations(db, version.id, await getUser(request))),
  };
}

export default function VersionPage() {
  const data = useLoaderData<typeof loader>();
  // Only a .md request gets a file, and entry.server answers that before any rendering.
  if (!("version" in data)) return null;
  const { version, annotations } = data;
  return (
    <>
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <a className="nhsuk-breadcrumb__link" href="/">
              Specifications
            </a>
          </li>
          <li className="nhsuk-breadcrumb__list-item">
            <a className="nhsuk-breadcrumb__link" href={`/specs/${version.slug}`}>
              {version.title}
            </a>
          </li>
        </ol>
      </nav>
      <span className="nhsuk-caption-l">
        Version {version.number}
        {version.label ? ` – ${version.label}` : ""}
      </span>
      <h1>{version.title}</h1>
      {version.latest && version.latest.number !== version.number ? (
        <div className="nhsuk-inset-text sw-superseded">
          <p>
            This version has been replaced. The latest is{" "}
            <a href={`/specs/${version.slug}/v/${version.latest.number}`}>
              version {version.latest.number}
              {version.latest.label ? ` – ${version.latest.label}` : ""}
            </a>
            .
          </p>
        </div>
      ) : null}
      <table className="nhsuk-table sw-header-table">
        <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">About this version</caption>
        <tbody className="nhsuk-table__body">
          <HeaderRow label="Specification number">{version.reference || "Not assigned"}</HeaderRow>
          <HeaderRow label="Service">{version.title}</HeaderRow>
          <HeaderRow label="Version">
            {version.number}
            {version.label ? ` – ${version.label}` : ""}
          </HeaderRow>
          <HeaderRow label="Status">
            <strong className={STATUS_TAG[version.status]}>{STATUS_TEXT[version.status]}</strong>
          </HeaderRow>
          <HeaderRow label="Date">{version.date ? <time dateTime={version.date}>{formatDate(version.date)}</time> : "Not dated"}</HeaderRow>
          <HeaderRow label="Clauses">{version.clauseCount}</HeaderRow>
          <HeaderRow label="Content hash">
            <code title={version.contentHash}>{shortHash(version.contentHash)}</code>
          </HeaderRow>
        </tbody>
      </table>
      <ul className="nhsuk-list sw-no-print">
        {version.previous ? (
          <li>
            <a href={`/specs/${version.slug}/compare/${version.previous}...${version.number}`}>
              What changed from version {version.previous} to {version.number}
            </a>
          </li>
        ) : null}
        <li>
          <a href={`/specs/${version.slug}/v/${version.number}.md`} download>
            Download this version as a source file (.md)
          </a>
        </li>
      </ul>
      <ContentsList doc={version.doc} />
      <SpecDocument doc={version.doc} annotations={annotations} historyHref={(id) => `/specs/${version.slug}/clauses/${id}`} />
    </>
  );
}

function HeaderRow({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <tr className="nhsuk-table__row">
      <th className="nhsuk-table__header" scope="row">
        {label}
      </th>
      <td className="nhsuk-table__cell">{children}</td>
    </tr>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
