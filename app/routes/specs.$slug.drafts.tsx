// A specification's work in progress for staff, and starting a new draft from a version.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Select } from "~/components/fields";
import { Breadcrumbs, ErrorSummary, fieldErrors } from "~/components/messages";
import { formatDate, STATUS_TAG, STATUS_TEXT } from "~/components/format";
import { actionFailure, notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { createDraft } from "~/models/drafts.server";
import { DomainError } from "~/domain/errors";
import { findSpecification } from "~/models/specifications.server";
import { listPublicVersions } from "~/models/versions.server";
import { listWorkInProgress } from "~/models/workflow.server";
import { can } from "~/domain/permissions";
import { requirePermission, requireUser } from "~/session.server";
import { z } from "zod";
import { formFailure, readForm } from "~/forms.server";
import { parseForm } from "~/forms";
import { isValidVersionNumber } from "~/domain/version-number";

export const meta: MetaFunction = () => [{ title: "Drafts – Specwork" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "viewAudit");
  const db = await getDatabase();
  const spec = await findSpecification(db, params.slug ?? "");
  if (!spec) throw notFound(`There is no specification called “${params.slug}”.`);
  return {
    specification: { slug: spec.slug, title: spec.title },
    drafts: await listWorkInProgress(db, spec.id),
    versions: (await listPublicVersions(db, spec.id)).map((v) => ({ number: v.number, label: v.label })),
    canCreate: can(user.role, "createDraft", "published"),
  };
}

const StartDraftFields = z.object({
  from: z.string({ error: "Choose the version to start from" }).trim().min(1, "Choose the version to start from").refine(isValidVersionNumber, "Choose a version from the list"),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(await readForm(request), StartDraftFields);
  if (!parsed.ok) return formFailure(parsed.errors);
  try {
    const draft = await createDraft(await getDatabase(), user, params.slug ?? "", parsed.data.from);
    return redirect(`/specs/${params.slug}/drafts/${draft.id}`);
  } catch (error) {
    if (error instanceof DomainError) return actionFailure(error);
    throw error;
  }
}

export default function Drafts() {
  const { specification, drafts, versions, canCreate } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs items={[{ href: `/specs/${specification.slug}`, text: specification.title }]} />
      <h1>Drafts</h1>
      <ErrorSummary message={result?.error} errors={fieldErrors(result && "fields" in result ? result.fields : undefined, { from: "sw_draft-from" })} />
      {drafts.length === 0 ? (
        <p>There are no drafts, submitted or approved versions in progress.</p>
      ) : (
        <ul className="nhsuk-list">
          {drafts.map((d) => (
            <li key={d.id}>
              <a href={`/specs/${specification.slug}/drafts/${d.id}`}>Version {d.number}</a> <strong className={STATUS_TAG[d.status]}>{STATUS_TEXT[d.status]}</strong> · started by {d.createdBy} on {formatDate(d.createdAt)} · {d.revision} saves
            </li>
          ))}
        </ul>
      )}
      {canCreate ? <StartDraftForm slug={specification.slug} versions={versions} error={result && "fields" in result ? result.fields.from : undefined} /> : null}
    </>
  );
}

export function StartDraftForm({ slug, versions, error }: { slug: string; versions: { number: string; label: string | null }[]; error?: string }) {
  return (
    <Form method="post" action={`/specs/${slug}/drafts`} className="sw-compare-form">
      <Select id="sw_draft-from" name="from" label="Start a new draft from" error={error} options={versions.map((v) => ({ value: v.number, text: `Version ${v.number}${v.label ? ` – ${v.label}` : ""}` }))} />
      <div className="nhsuk-form-group">
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Start draft
        </button>
      </div>
    </Form>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
