// A draft's page. It opens with its review (what changed, each change's note, the editors'
// summary, the redline against the version it started from), then the approval steps, then the
// editor (or the text, without JavaScript), annotations carried from published versions, and a
// note form for each change.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { CarriedAnnotations } from "~/components/draft/carried-annotations";
import { ChangeNotes, type NoteResult } from "~/components/draft/change-notes";
import { DraftWarnings } from "~/components/draft/warnings";
import { OutcomeCount } from "~/components/draft/theme-outcomes";
import { WORKFLOW_FIELD_IDS, WorkflowPanel } from "~/components/draft/workflow-panel";
import { ChangeReviewList, ReviewCounts, RevisionSummaryText, useErrorSummaryFocus } from "~/components/draft/review";
import { CharacterCount } from "~/components/fields";
import { RedlineBody } from "~/components/redline-view";
import { Pagination } from "~/components/pagination";
import { ApprovalRecord } from "~/components/approval-record";
import { ErrorPage } from "~/components/error-page";
import { formatDate, STATUS_TAG, STATUS_TEXT } from "~/components/format";
import { Breadcrumbs, ErrorSummary, fieldErrors } from "~/components/messages";
import { SpecDocument } from "~/components/spec-document";
import { DraftEditor } from "~/editor/editor.client";
import { forbidden, notFound, sentence, statusOf } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { keptText } from "~/draft-access.server";
import { draftPage } from "~/models/draft-page.server";
import { findDraft, setChangeNote } from "~/models/drafts.server";
import { MAX_COMMENT_LENGTH, MAX_RATIONALE_LENGTH, MAX_SUMMARY_LENGTH } from "~/domain/workflow";
import { DomainError } from "~/domain/errors";
import { returnVersion, setVersionSummary, withdrawVersion } from "~/models/workflow.server";
import { requireUser } from "~/session.server";
import { can } from "~/domain/permissions";
import { z } from "zod";
import { parseReferenceList } from "~/domain/engagement-report";
import { readForm } from "~/forms.server";
import { parseForm, repeated } from "~/forms";
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

// Submitting, approving and publishing each have their own page, which asks to confirm.
const Intent = z.object({ intent: z.enum(["note", "summary", "withdraw", "return"], { error: "Choose one of the page's buttons" }) });
const SummaryFields = z.object({
  summary: z.string().max(MAX_SUMMARY_LENGTH, `Write at most ${MAX_SUMMARY_LENGTH.toLocaleString("en-GB")} characters`).default(""),
});
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
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = draftIdOf(params);
  const db = await getDatabase();
  const draft = id === null ? undefined : await findDraft(db, id);
  if (!draft || draft.slug !== params.slug) throw missing(params);
  if (!can(user.role, "read", draft.status)) throw forbidden("Your role cannot read drafts.");
  const form = await readForm(request);
  const intent = parseForm(form, Intent);
  if (!intent.ok) return data({ error: intent.errors.intent ?? "Choose one of the page's buttons", fields: {}, note: null, typed: {} }, { status: 400 });
  try {
    switch (intent.data.intent) {
      case "note": {
        const note = parseForm(form, NoteFields);
        // What was typed goes back into the form with the error, so nothing is lost.
        const typed = { rationale: keptText(String(form.get("rationale") ?? ""), { lines: true }), themes: form.getAll("themes").map(String).filter((code) => ThemeCodeSchema.safeParse(code).success), responses: keptText(String(form.get("responses") ?? "")) };
        if (!note.ok) {
          const field: NoteResult["field"] = note.errors.responses && !note.errors.rationale ? "responses" : note.errors.themes && !note.errors.rationale ? "themes" : "rationale";
          return data({ error: null, fields: {}, note: { clauseId: String(form.get("clauseId") ?? ""), error: note.errors[field] ?? Object.values(note.errors)[0]!, field, typed }, typed: {} }, { status: 400 });
        }
        // An empty note saves nothing: it only removes a note that was there.
        const removing = !note.data.rationale.trim();
        if (removing && !draft.notes[note.data.clauseId]) {
          return data({ error: null, fields: {}, note: { clauseId: note.data.clauseId, error: "Write what changed and why", field: "rationale" as const, typed }, typed: {} }, { status: 400 });
        }
        try {
          await setChangeNote(db, user, draft.id, note.data.clauseId, note.data.rationale, note.data.themes, note.data.responses);
        } catch (error) {
          // Shown beside the note it is about, not at the top of a long page.
          const message = ` ${error instanceof Error ? error.message : ""} `;
          const field: NoteResult["field"] = / responses? /.test(message) ? "responses" : / theme /.test(message) && !/before linking/.test(message) ? "themes" : "rationale";
          if (error instanceof DomainError) return data({ error: null, fields: {}, note: { clauseId: note.data.clauseId, error: sentence(error.message), field, typed }, typed: {} }, { status: statusOf(error.kind) });
          throw error;
        }
        return data({ error: null, fields: {}, note: { clauseId: note.data.clauseId, error: null, field: null, removed: removing }, typed: {} });
      }
      case "summary": {
        const typed = { summary: keptText(String(form.get("summary") ?? ""), { lines: true }) };
        const fields = parseForm(form, SummaryFields);
        if (!fields.ok) return data({ error: null, fields: fields.errors, note: null, typed }, { status: 400 });
        try {
          await setVersionSummary(db, user, draft.id, fields.data.summary);
        } catch (error) {
          if (error instanceof DomainError) return data({ error: null, fields: { summary: sentence(error.message) }, note: null, typed }, { status: statusOf(error.kind) });
          throw error;
        }
        return redirect(`/specs/${draft.slug}/drafts/${draft.id}#sw_summary-section`);
      }
      case "withdraw":
        await withdrawVersion(db, user, draft.id);
        break;
      case "return": {
        const fields = parseForm(form, ReturnFields);
        if (!fields.ok) return data({ error: null, fields: fields.errors, note: null, typed: { comment: keptText(String(form.get("comment") ?? ""), { lines: true }) } }, { status: 400 });
        await returnVersion(db, user, draft.id, fields.data.comment);
        break;
      }
    }
    return redirect(`/specs/${draft.slug}/drafts/${draft.id}`);
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message), fields: {}, note: null, typed: {} }, { status: statusOf(error.kind) });
    throw error;
  }
}

function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

export default function DraftPage() {
  const { draft, review, changes, paging, highlighted, may, themes, filter, carried, returned, staleBase, record, outcomes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // A note's problem is shown (and focused) beside its form; the page's own at the top.
  useErrorSummaryFocus(result && (result.error || Object.keys(result.fields ?? {}).length) ? result : null);
  const hydrated = useHydrated();
  const revalidator = useRevalidator();
  // After a save, reload the list of changed clauses and their notes.
  const refresh = useCallback(() => revalidator.revalidate(), [revalidator]);
  const base = `/specs/${draft.slug}/drafts/${draft.id}`;
  const typed = (result?.typed ?? {}) as Record<string, string | undefined>;
  const noteHref = may.edit ? (id: string) => `${base}?page=${review.changes.find((c) => c.id === id)?.page ?? 1}#note_${id}` : undefined;
  const reviewPageHref = (page: number) => `${base}?page=${page}#sw_review-heading`;
  const decision = may.submit || may.approve || may.publish || may.return || may.withdraw;
  return (
    <>
      <Breadcrumbs items={[{ href: `/specs/${draft.slug}`, text: draft.title }, { href: `/specs/${draft.slug}/drafts`, text: "Drafts" }]} />
      <span className="nhsuk-caption-l">{draft.title}</span>
      <h1>
        Version {draft.number}{" "}
        {draft.scheduledFor ? <strong className="nhsuk-tag nhsuk-tag--orange">Scheduled for {formatDate(draft.scheduledFor)}</strong> : <strong className={STATUS_TAG[draft.status]}>{STATUS_TEXT[draft.status]}</strong>}
      </h1>
      <p>
        Started by {draft.createdBy}
        {draft.parentNumber ? ` from version ${draft.parentNumber}` : ""}. Saved {draft.revision} {draft.revision === 1 ? "time" : "times"}.
      </p>
      <ApprovalRecord record={record} />
      <ErrorSummary message={result?.error} errors={fieldErrors(result?.fields, WORKFLOW_FIELD_IDS)} />
      <DraftWarnings returned={returned} staleBase={staleBase} parentNumber={draft.parentNumber} />

      <section aria-labelledby="sw_review-heading" className="sw-review">
        <h2 id="sw_review-heading">What changed{draft.parentNumber ? ` from version ${draft.parentNumber}` : ""}</h2>
        <p>
          {review.total === 0
            ? "No clause has changed yet."
            : `${review.total} changed ${review.total === 1 ? "clause" : "clauses"}; ${review.unexplained === 0 ? "every one has a note" : `${review.unexplained} without a note yet`}.`}
          {decision ? (
            <>
              {" "}
              <a href="#sw_workflow">Go to approval</a>
            </>
          ) : null}
        </p>
        <ReviewCounts summary={review.summary} />
        <ul className="nhsuk-list">
          {draft.parentNumber ? (
            <li>
              <a href={`${base}/changes`}>See the redline of this draft against version {draft.parentNumber}, on its own page</a>
            </li>
          ) : null}
        </ul>
        <OutcomeCount count={outcomes} href={`${base}/outcomes`} editable={may.edit} />

        <section id="sw_summary-section" aria-labelledby="sw_summary-heading">
          <h3 id="sw_summary-heading">Summary of this revision</h3>
          {may.edit ? (
            <Form method="post" className="sw-summary-form">
              <input type="hidden" name="intent" value="summary" />
              <CharacterCount
                id={WORKFLOW_FIELD_IDS.summary}
                name="summary"
                label="Summary of the revision, in plain English"
                hint="The public reads this at the top of the list of changes. Say what changed and why, in a few sentences."
                maxLength={MAX_SUMMARY_LENGTH}
                rows={4}
                error={result?.fields && "summary" in result.fields ? (result.fields as Record<string, string>).summary : undefined}
                defaultValue={typed.summary ?? draft.summary}
              />
              <button className="nhsuk-button nhsuk-button--secondary" type="submit">
                Save summary
              </button>
            </Form>
          ) : (
            <RevisionSummaryText summary={draft.summary} />
          )}
        </section>

        <h3>Each changed clause and why</h3>
        {review.paging.pages > 1 ? (
          <p>
            Changes {(review.paging.page - 1) * paging.perPage + 1} to {(review.paging.page - 1) * paging.perPage + review.changes.length} of {review.total}.{" "}
            <a href={`${base}/changes`}>See every change on one page</a>.
          </p>
        ) : null}
        <ChangeReviewList changes={review.changes} noteHref={noteHref} headingLevel="h4" />
        <Pagination page={review.paging.page} pages={review.paging.pages} href={reviewPageHref} label="Pages of the review" />

        {review.rows.length ? (
          <>
            <h3>The changes, marked</h3>
            <RedlineBody rows={review.rows} mode="changes" notes={review.notes} />
          </>
        ) : null}
      </section>

      <WorkflowPanel may={may} status={draft.status} fields={result?.fields ?? {}} base={base} scheduledFor={draft.scheduledFor} />

      <h2>The draft</h2>
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
