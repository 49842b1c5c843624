// A draft's page: the editor (or the text, without JavaScript), the approval steps, annotations
// carried from published versions, and what changed and why, with a note form for each change.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { CarriedAnnotations } from "~/components/draft/carried-annotations";
import { ChangeNotes, type NoteResult } from "~/components/draft/change-notes";
import { DraftWarnings } from "~/components/draft/warnings";
import { WORKFLOW_FIELD_IDS, WorkflowPanel } from "~/components/draft/workflow-panel";
import { ErrorPage } from "~/components/error-page";
import { STATUS_TAG, STATUS_TEXT } from "~/components/format";
import { Breadcrumbs, ErrorSummary, fieldErrors } from "~/components/messages";
import { SpecDocument } from "~/components/spec-document";
import { DraftEditor } from "~/editor/editor.client";
import { forbidden, notFound, sentence, statusOf } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { draftPage } from "~/models/draft-page.server";
import { findDraft, setChangeNote } from "~/models/drafts.server";
import { MAX_COMMENT_LENGTH, MAX_LABEL_LENGTH, MAX_RATIONALE_LENGTH } from "~/domain/workflow";
import { DomainError } from "~/domain/errors";
import { approveVersion, publishVersion, returnVersion, submitVersion, withdrawVersion } from "~/models/workflow.server";
import { requireUser } from "~/session.server";
import { can } from "~/domain/permissions";
import { z } from "zod";
import { parseReferenceList } from "~/domain/engagement-report";
import { readForm } from "~/forms.server";
import { dateInput, parseForm, repeated } from "~/forms";
import { isValidId } from "~/domain/ids";
import { ThemeCodeSchema } from "~/domain/themes";

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

const Intent = z.object({ intent: z.enum(["note", "submit", "withdraw", "approve", "return", "publish"], { error: "Choose one of the page's buttons" }) });
const NoteFields = z.object({
  clauseId: z.string({ error: "Choose a clause" }).refine(isValidId, "Choose a clause from the list of changes"),
  rationale: z.string().max(MAX_RATIONALE_LENGTH, `Write at most ${MAX_RATIONALE_LENGTH.toLocaleString("en-GB")} characters`).default(""),
  themes: repeated(ThemeCodeSchema),
  // Reference numbers of responses the change answers, as typed: checked here for their form,
  // and by the model against the consultations on the version the draft started from.
  responses: z
    .string()
    .max(2000, "Write at most 2,000 characters of reference numbers")
    .default("")
    .transform((text, ctx) => {
      const parsed = parseReferenceList(text);
      if (parsed.ok) return parsed.references;
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }),
});
const ReturnFields = z.object({
  comment: z.string({ error: "Say why the version is being returned" }).trim().min(1, "Say why the version is being returned").max(MAX_COMMENT_LENGTH, `Write at most ${MAX_COMMENT_LENGTH.toLocaleString("en-GB")} characters`),
});
const PublishFields = z.object({
  label: z
    .string({ error: "Give the version a label, such as “Consultation draft”" })
    .trim()
    .min(1, "Give the version a label, such as “Consultation draft”")
    .max(MAX_LABEL_LENGTH, `A label has at most ${MAX_LABEL_LENGTH} characters`),
});
const PublishDate = dateInput("date", { label: "publication date", optional: true });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = draftIdOf(params);
  const db = await getDatabase();
  const draft = id === null ? undefined : await findDraft(db, id);
  if (!draft || draft.slug !== params.slug) throw missing(params);
  if (!can(user.role, "read", draft.status)) throw forbidden("Your role cannot read drafts.");
  const form = await readForm(request);
  const intent = parseForm(form, Intent);
  if (!intent.ok) return data({ error: intent.errors.intent ?? "Choose one of the page's buttons", fields: {}, note: null }, { status: 400 });
  try {
    switch (intent.data.intent) {
      case "note": {
        const note = parseForm(form, NoteFields);
        if (!note.ok) {
          const field: NoteResult["field"] = note.errors.responses && !note.errors.rationale ? "responses" : "rationale";
          return data({ error: null, fields: {}, note: { clauseId: String(form.get("clauseId") ?? ""), error: note.errors[field] ?? Object.values(note.errors)[0]!, field } }, { status: 400 });
        }
        try {
          await setChangeNote(db, user, draft.id, note.data.clauseId, note.data.rationale, note.data.themes, note.data.responses);
        } catch (error) {
          // Shown beside the note it is about, not at the top of a long page.
          const field: NoteResult["field"] = / responses? /.test(` ${error instanceof Error ? error.message : ""} `) ? "responses" : "rationale";
          if (error instanceof DomainError) return data({ error: null, fields: {}, note: { clauseId: note.data.clauseId, error: sentence(error.message), field } }, { status: statusOf(error.kind) });
          throw error;
        }
        return data({ error: null, fields: {}, note: { clauseId: note.data.clauseId, error: null, field: null } });
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
      case "return": {
        const fields = parseForm(form, ReturnFields);
        if (!fields.ok) return data({ error: null, fields: fields.errors, note: null }, { status: 400 });
        await returnVersion(db, user, draft.id, fields.data.comment);
        break;
      }
      case "publish": {
        const fields = parseForm(form, PublishFields);
        const date = parseForm(form, PublishDate);
        if (!fields.ok || !date.ok) return data({ error: null, fields: { ...(fields.ok ? {} : fields.errors), ...(date.ok ? {} : date.errors) }, note: null }, { status: 400 });
        await publishVersion(db, user, draft.id, { label: fields.data.label, date: date.data });
        return redirect(`/specs/${draft.slug}/v/${draft.number}`);
      }
    }
    return redirect(`/specs/${draft.slug}/drafts/${draft.id}`);
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message), fields: {}, note: null }, { status: statusOf(error.kind) });
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
      <ErrorSummary message={result?.error} errors={fieldErrors(result?.fields, WORKFLOW_FIELD_IDS)} />
      <DraftWarnings returned={returned} staleBase={staleBase} parentNumber={draft.parentNumber} />
      <WorkflowPanel may={may} status={draft.status} fields={result?.fields ?? {}} />

      {may.edit && hydrated ? (
        <DraftEditor draftId={draft.id} initialDoc={draft.doc} initialRevision={draft.revision} onSaved={refresh} highlight={highlighted} baseDoc={draft.parentDoc} baseNumber={draft.parentNumber} annotations={carried} />
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
