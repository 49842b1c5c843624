// A draft's page: the editor (or the text, without JavaScript), the approval steps, annotations
// carried from published versions, and what changed and why, with a note form for each change.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { CarriedAnnotations } from "~/components/draft/carried-annotations";
import { ChangeNotes } from "~/components/draft/change-notes";
import { DraftWarnings } from "~/components/draft/warnings";
import { WorkflowPanel } from "~/components/draft/workflow-panel";
import { ErrorPage } from "~/components/error-page";
import { STATUS_TAG, STATUS_TEXT } from "~/components/format";
import { Breadcrumbs, ErrorSummary } from "~/components/messages";
import { SpecDocument } from "~/components/spec-document";
import { DraftEditor } from "~/editor/editor.client";
import { forbidden, notFound, sentence, statusOf } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { draftPage } from "~/models/draft-page.server";
import { findDraft, setChangeNote } from "~/models/drafts.server";
import { DomainError } from "~/domain/errors";
import { approveVersion, publishVersion, returnVersion, submitVersion, withdrawVersion } from "~/models/workflow.server";
import { requireUser } from "~/session.server";
import { can } from "~/domain/permissions";
import { readForm } from "~/forms.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Draft version ${data.draft.number} – Specwork` : "Draft – Specwork" }];

function draftIdOf(params: LoaderFunctionArgs["params"]): number | null {
  const id = Number(params.draftId);
  return Number.isSafeInteger(id) && id > 0 && String(id) === params.draftId ? id : null;
}

const missing = (params: LoaderFunctionArgs["params"]) =>
  notFound(`There is no draft ${params.draftId} of this specification.`, { href: `/specs/${params.slug}/drafts`, text: "See the drafts" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = draftIdOf(params);
  if (id === null) throw missing(params);
  const url = new URL(request.url);
  const page = Number(url.searchParams.get("page") ?? "1");
  try {
    return await draftPage(await getDatabase(), user, params.slug ?? "", id, { theme: url.searchParams.get("theme") || null, page: Number.isSafeInteger(page) ? page : 1 });
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not-found") throw missing(params);
    if (error instanceof DomainError && error.kind === "forbidden") throw forbidden(error.message);
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = draftIdOf(params);
  const db = await getDatabase();
  const draft = id === null ? undefined : await findDraft(db, id);
  if (!draft || draft.slug !== params.slug) throw missing(params);
  if (!can(user.role, "read", draft.status)) throw forbidden("Your role cannot read drafts.");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  try {
    switch (intent) {
      case "note": {
        const clauseId = String(form.get("clauseId") ?? "");
        try {
          await setChangeNote(db, user, draft.id, clauseId, String(form.get("rationale") ?? ""), form.getAll("themes").map(String));
        } catch (error) {
          // Shown beside the note it is about, not at the top of a long page.
          if (error instanceof DomainError) return data({ error: null, note: { clauseId, error: sentence(error.message) } }, { status: statusOf(error.kind) });
          throw error;
        }
        return data({ error: null, note: { clauseId, error: null } });
      }
      case "submit":
        await submitVersion(db, user, draft.id);
        break;
      case "withdraw":
        await withdrawVersion(db, user, draft.id);
        break;
      case "approve":
        await approveVersion(db, user, draft.id);
        break;
      case "return":
        await returnVersion(db, user, draft.id, String(form.get("comment") ?? ""));
        break;
      case "publish":
        await publishVersion(db, user, draft.id, { label: String(form.get("label") ?? ""), date: String(form.get("date") ?? "") });
        return redirect(`/specs/${draft.slug}/v/${draft.number}`);
      default:
        return data({ error: `Unknown action “${intent}”.`, note: null }, { status: 400 });
    }
    return redirect(`/specs/${draft.slug}/drafts/${draft.id}`);
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message), note: null }, { status: statusOf(error.kind) });
    throw error;
  }
}

function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

export default function DraftPage() {
  const { draft, changes, paging, highlighted, may, themes, filter, carried, returned, staleBase } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const hydrated = useHydrated();
  const revalidator = useRevalidator();
  // After a save, reload the list of changed clauses and their notes.
  const refresh = useCallback(() => revalidator.revalidate(), [revalidator]);
  return (
    <>
      <Breadcrumbs items={[{ href: `/specs/${draft.slug}`, text: draft.title }, { href: `/specs/${draft.slug}/drafts`, text: "Drafts" }]} />
      <span className="nhsuk-caption-l">{draft.title}</span>
      <h1>
        Version {draft.number} <strong className={STATUS_TAG[draft.status]}>{STATUS_TEXT[draft.status]}</strong>
      </h1>
      <p>
        Started by {draft.createdBy}
        {draft.parentNumber ? ` from version ${draft.parentNumber}` : ""}. Saved {draft.revision} {draft.revision === 1 ? "time" : "times"}.
      </p>
      <ErrorSummary message={result?.error} />
      <DraftWarnings returned={returned} staleBase={staleBase} parentNumber={draft.parentNumber} />
      <WorkflowPanel may={may} status={draft.status} />

      {may.edit && hydrated ? (
        <DraftEditor draftId={draft.id} initialDoc={draft.doc} initialRevision={draft.revision} onSaved={refresh} highlight={highlighted} />
      ) : (
        <>
          {may.edit ? (
            <div className="nhsuk-inset-text">
              <p>The editor needs JavaScript. Without it you can read the draft, write change notes and use the workflow buttons.</p>
            </div>
          ) : null}
          <SpecDocument doc={draft.doc} />
        </>
      )}

      <CarriedAnnotations carried={carried} />
      <ChangeNotes changes={changes} paging={paging} themes={themes} filter={filter} parentNumber={draft.parentNumber} editable={may.edit} result={result?.note ?? null} />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
