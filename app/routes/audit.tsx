// The audit log for staff (/audit), newest first, filtered by action, person or specification.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { shortHash } from "~/components/format";
import { ResponsiveTable } from "~/components/table";
import { getDatabase } from "~/models/app-database.server";
import { auditActions, listAudit } from "~/models/audit.server";
import { listSpecifications } from "~/models/specifications.server";
import { requirePermission } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Audit log – Specwork" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "viewAudit");
  const url = new URL(request.url);
  const filter = {
    action: url.searchParams.get("action") || undefined,
    actor: url.searchParams.get("actor")?.trim().toLowerCase() || undefined,
    slug: url.searchParams.get("spec") || undefined,
  };
  const db = await getDatabase();
  const entries = await listAudit(db, { ...filter, limit: 300 });
  return {
    filter,
    actions: await auditActions(db),
    specifications: (await listSpecifications(db)).map((s) => ({ slug: s.slug, title: s.title })),
    entries: entries.map((e) => ({ id: e.id, at: e.at, actor: e.actor, action: e.action, object: `${e.object_type} ${e.object_id}`, slug: e.specification_slug, version: e.version_number, hash: e.content_hash, details: e.details })),
  };
}

export default function AuditLog() {
  const { filter, actions, specifications, entries } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Audit log</h1>
      <p>Every change anyone made, newest first. Entries are written with the change itself and can never be edited.</p>
      <form method="get" className="sw-compare-form" aria-label="Filter the audit log">
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="sw_audit-action">
            Action
          </label>
          <select className="nhsuk-select" id="sw_audit-action" name="action" defaultValue={filter.action ?? ""}>
            <option value="">Any</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="sw_audit-actor">
            Who (email)
          </label>
          <input className="nhsuk-input" id="sw_audit-actor" name="actor" defaultValue={filter.actor ?? ""} />
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="sw_audit-spec">
            Specification
          </label>
          <select className="nhsuk-select" id="sw_audit-spec" name="spec" defaultValue={filter.slug ?? ""}>
            <option value="">Any</option>
            {specifications.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.title}
              </option>
            ))}
          </select>
        </div>
        <div className="nhsuk-form-group">
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Filter
          </button>
        </div>
      </form>
      {entries.length === 0 ? (
        <p>No entries match.</p>
      ) : (
        <ResponsiveTable
          className="sw-audit"
          caption={entries.length === 300 ? "The latest 300 entries" : `${entries.length} entries`}
          headings={["When (UTC)", "Who", "What", "Object", "Version and hash", "Details"]}
          rows={entries.map((e) => ({
            key: e.id,
            cells: [
              <time dateTime={e.at}>{e.at.slice(0, 19).replace("T", " ")}</time>,
              e.actor,
              e.action,
              e.object,
              <>
                {e.slug ? `${e.slug} ${e.version ?? ""}` : ""} {e.hash ? <code title={e.hash}>{shortHash(e.hash)}</code> : null}
              </>,
              e.details === "{}" ? "" : e.details,
            ],
          }))}
        />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
