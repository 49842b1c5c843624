// A specification's page: its published versions, publications, the compare form and work in progress.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Breadcrumbs } from "~/components/messages";
import { formatDate, STATUS_TAG, STATUS_TEXT } from "~/components/format";
import { notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { findSpecification } from "~/models/specifications.server";
import { StartDraftForm } from "~/routes/specs.$slug.drafts";
import { publicationEvents } from "~/models/audit.server";
import { defaultComparison } from "~/models/compare.server";
import { approvalRecords, listWorkInProgress } from "~/models/workflow.server";
import { ApprovalRecord } from "~/components/approval-record";
import { can } from "~/domain/permissions";
import { getUser } from "~/session.server";
import { listPublicVersions } from "~/models/versions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.specification.title} – Specwork` : "Page not found – Specwork" },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const db = await getDatabase();
  const slug = params.slug ?? "";
  const spec = await findSpecification(db, slug);
  if (!spec) throw notFound(`There is no specification called “${slug}”.`);
  const records = await approvalRecords(db, spec.id);
  const versions = (await listPublicVersions(db, spec.id)).map((v) => ({ ...v, approval: records.get(v.number) ?? null }));
  // A specification with nothing published is not yet public.
  if (versions.length === 0) throw notFound(`There is no specification called “${slug}”.`);
  const user = await getUser(request);
  return {
    specification: { slug: spec.slug, title: spec.title, reference: spec.reference },
    versions,
    comparison: await defaultComparison(db, spec.id),
    events: (await publicationEvents(db, spec.slug)).map((e) => ({ at: e.at, action: e.action, version: e.version_number })),
    staff: user && can(user.role, "viewAudit")
      ? { canCreate: can(user.role, "createDraft", "published"), drafts: await listWorkInProgress(db, spec.id) }
      : null,
  };
}

export default function SpecificationPage() {
  const { specification, versions, comparison, events, staff } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ href: "/", text: "Specifications" }]} />
      <span className="nhsuk-caption-l">{specification.reference}</span>
      <h1>{specification.title}</h1>
      {staff ? (
        <section className="sw-staff nhsuk-card">
          <div className="nhsuk-card__content">
            <h2 className="nhsuk-card__heading nhsuk-heading-m">Work in progress</h2>
            {staff.drafts.length ? (
              <ul className="nhsuk-list">
                {staff.drafts.map((d) => (
                  <li key={d.id}>
                    <a href={`/specs/${specification.slug}/drafts/${d.id}`}>Version {d.number}</a>{" "}
                    {d.scheduledFor ? <strong className="nhsuk-tag nhsuk-tag--orange">Scheduled for {formatDate(d.scheduledFor)}</strong> : <strong className={STATUS_TAG[d.status]}>{STATUS_TEXT[d.status]}</strong>} · started by {d.createdBy}
                  </li>
                ))}
              </ul>
            ) : (
              <p>No drafts yet.</p>
            )}
            {staff.canCreate ? <StartDraftForm slug={specification.slug} versions={versions} /> : null}
          </div>
        </section>
      ) : null}
      <h2>Versions</h2>
      <p>Newest first. Each version is kept exactly as it was published.</p>
      <ol className="sw-timeline">
        {versions.map((v, index) => (
          <li key={v.number} className="sw-timeline__item">
            <h3 className="nhsuk-heading-s sw-timeline__title">
              <a href={`/specs/${specification.slug}/v/${v.number}`}>
                Version {v.number}
                {v.label ? ` – ${v.label}` : ""}
              </a>
            </h3>
            <p className="sw-timeline__meta">
              <strong className={STATUS_TAG[v.status]}>{STATUS_TEXT[v.status]}</strong>
              {v.date ? (
                <>
                  {" · dated "}
                  <time dateTime={v.date}>{formatDate(v.date)}</time>
                </>
              ) : null}
              {" · "}
              {v.clauseCount} clauses
            </p>
            <ApprovalRecord record={v.approval} className="sw-timeline__meta" />
            {versions[index + 1] ? (
              <p className="sw-timeline__meta">
                <a href={`/specs/${specification.slug}/compare/${versions[index + 1]!.number}...${v.number}`}>
                  What changed from version {versions[index + 1]!.number} to {v.number}
                </a>
              </p>
            ) : null}
          </li>
        ))}
      </ol>

      {events.length ? (
        <>
          <h2>Publication history</h2>
          <ul className="nhsuk-list">
            {events.map((e, i) => (
              <li key={i}>
                <time dateTime={e.at}>{formatDate(e.at)}</time>: version {e.version} {e.action === "version.publish" ? "published" : "superseded"}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {comparison ? (
        <>
          <h2 id="sw_compare">Compare two versions</h2>
          <form method="get" action={`/specs/${specification.slug}/compare`} className="sw-compare-form">
            <VersionSelect id="sw_from" name="from" label="Older version" versions={versions} selected={comparison.from} />
            <VersionSelect id="sw_to" name="to" label="Newer version" versions={versions} selected={comparison.to} />
            <div className="nhsuk-form-group">
              <button className="nhsuk-button" type="submit">
                Compare
              </button>
            </div>
          </form>
        </>
      ) : null}
    </>
  );
}

function VersionSelect({ id, name, label, versions, selected }: { id: string; name: string; label: string; versions: { number: string; label: string | null }[]; selected: string }) {
  return (
    <div className="nhsuk-form-group">
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
      <select className="nhsuk-select" id={id} name={name} defaultValue={selected}>
        {versions.map((v) => (
          <option key={v.number} value={v.number}>
            {v.number}
            {v.label ? ` – ${v.label}` : ""}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
