// Approving a submitted version, after saying what will happen: its wording, notes and summary
// are fixed with the content hash shown, approved in the signed-in commissioner's name.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ChangeReviewList, RevisionSummaryText, SummaryRow as Row } from "~/components/draft/review";
import { useErrorSummaryFocus } from "~/components/draft/review";
import { ErrorPage } from "~/components/error-page";
import { OutcomeCount } from "~/components/draft/theme-outcomes";
import { Breadcrumbs, ErrorSummary } from "~/components/messages";
import { DomainError } from "~/domain/errors";
import { forDraft, PRIVATE } from "~/draft-access.server";
import { readForm } from "~/forms.server";
import { sentence, statusOf } from "~/http.server";
import { draftDecisionPage } from "~/models/draft-page.server";
import { approveVersion } from "~/models/workflow.server";
import { londonDate } from "~/domain/london-time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Approve version ${data.draft.number} – Specwork` : "Page not found – Specwork" }];

export const headers = () => PRIVATE;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { value } = await forDraft(request, params, draftDecisionPage);
  return data({ ...value, today: londonDate(new Date().toISOString()) }, { headers: PRIVATE });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, value } = await forDraft(request, params, draftDecisionPage);
  await readForm(request);
  try {
    await approveVersion(db, user, value.draft.id);
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message) }, { status: statusOf(error.kind), headers: PRIVATE });
    throw error;
  }
  return redirect(`/specs/${value.draft.slug}/drafts/${value.draft.id}`, { headers: PRIVATE });
}

export default function ApproveDraft() {
  const { draft, review, user, may, today, outcomes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useErrorSummaryFocus(result && (result.error || Object.keys((result as { fields?: object }).fields ?? {}).length) ? result : null);
  const base = `/specs/${draft.slug}/drafts/${draft.id}`;
  return (
    <>
      <Breadcrumbs items={[{ href: `/specs/${draft.slug}`, text: draft.title }, { href: `/specs/${draft.slug}/drafts`, text: "Drafts" }, { href: base, text: `Version ${draft.number}` }]} />
      <span className="nhsuk-caption-l">{draft.title}</span>
      <h1>Approve version {draft.number}</h1>
      <ErrorSummary message={result?.error} />
      <h2>What will happen</h2>
      <dl className="nhsuk-summary-list">
        <Row label="Version">
          {draft.number}
          {draft.parentNumber ? `, revised from version ${draft.parentNumber}` : ""}
        </Row>
        <Row label="What approving does">Its wording, change notes, summary and the reasons themes led to no change are fixed exactly as they are now. A commissioner can then publish it.</Row>
        <Row label="Content hash">
          <code className="sw-hash">{draft.contentHash}</code>
        </Row>
        <Row label="Changes">
          {review.changes.length} changed {review.changes.length === 1 ? "clause" : "clauses"}
          {review.unexplained ? `, ${review.unexplained} without a note` : ", each with a note"}
        </Row>
        <Row label="Themes that led to no change">
          <OutcomeCount count={outcomes} href={`${base}/outcomes`} editable={false} />
        </Row>
        <Row label="Approved by">
          {user.name} (you), on {today}
        </Row>
      </dl>
      <h2>Summary of this revision</h2>
      <RevisionSummaryText summary={draft.summary} />
      <h2>The changes</h2>
      <ChangeReviewList changes={review.changes} />
      {draft.parentNumber ? (
        <p>
          <a href={`${base}/changes`}>See the redline against version {draft.parentNumber}</a>
        </p>
      ) : null}
      {may.approve ? (
        <Form method="post">
          <button className="nhsuk-button" type="submit">
            Approve version {draft.number}
          </button>
        </Form>
      ) : may.approveBlockedAsAuthor ? (
        <p>This version holds wording or change notes you wrote, so another commissioner must approve it.</p>
      ) : (
        <p>You cannot approve this version: it is {draft.status === "submitted" ? "submitted, and approving is for commissioners" : draft.status}.</p>
      )}
      <p>
        <a href={base}>Back to the draft</a>
      </p>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
