// Check your answers before submitting a draft for approval: every change with its note, those
// without one marked and linked to where the note is written, and the revision's summary.
// An unchanged draft cannot be submitted; changes left unexplained must be confirmed.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ChangeReviewList, ReviewCounts, RevisionSummaryText } from "~/components/draft/review";
import { useErrorSummaryFocus } from "~/components/draft/review";
import { ErrorPage } from "~/components/error-page";
import { OutcomeCount } from "~/components/draft/theme-outcomes";
import { Checkboxes } from "~/components/fields";
import { Breadcrumbs, ErrorSummary } from "~/components/messages";
import { DomainError } from "~/domain/errors";
import { forDraft, PRIVATE } from "~/draft-access.server";
import { parseForm } from "~/forms";
import { readForm } from "~/forms.server";
import { sentence, statusOf } from "~/http.server";
import { draftDecisionPage } from "~/models/draft-page.server";
import { submitVersion } from "~/models/workflow.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Check and submit version ${data.draft.number} – Specwork` : "Page not found – Specwork" }];

export const headers = () => PRIVATE;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { value } = await forDraft(request, params, draftDecisionPage);
  return data(value, { headers: PRIVATE });
}

const CONFIRM_ID = "sw_confirm-unexplained";
const SubmitFields = z.object({
  // The number of unexplained changes the person saw and confirmed; absent when not ticked.
  confirmUnexplained: z.coerce.number().int().min(0).optional(),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, value } = await forDraft(request, params, draftDecisionPage);
  const fields = parseForm(await readForm(request), SubmitFields);
  if (!fields.ok) return data({ error: "Tick the box to confirm, or write the missing notes first", field: "confirmUnexplained" }, { status: 400, headers: PRIVATE });
  try {
    await submitVersion(db, user, value.draft.id, { confirmedUnexplained: fields.data.confirmUnexplained });
  } catch (error) {
    if (error instanceof DomainError) {
      const unconfirmed = /confirm that you are submitting/.test(error.message);
      return data({ error: unconfirmed ? `Confirm that you are submitting with ${value.review.unexplained === 1 ? "1 change" : `${value.review.unexplained} changes`} unexplained, or write the missing notes first` : sentence(error.message), field: unconfirmed ? "confirmUnexplained" : null }, { status: statusOf(error.kind), headers: PRIVATE });
    }
    throw error;
  }
  return redirect(`/specs/${value.draft.slug}/drafts/${value.draft.id}`, { headers: PRIVATE });
}

export default function SubmitDraft() {
  const { draft, review, may, outcomes, outcomeClashes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useErrorSummaryFocus(result && (result.error || Object.keys((result as { fields?: object }).fields ?? {}).length) ? result : null);
  const base = `/specs/${draft.slug}/drafts/${draft.id}`;
  const n = review.unexplained;
  const confirmError = result?.field === "confirmUnexplained" ? result.error : undefined;
  return (
    <>
      <Breadcrumbs items={[{ href: `/specs/${draft.slug}`, text: draft.title }, { href: `/specs/${draft.slug}/drafts`, text: "Drafts" }, { href: base, text: `Version ${draft.number}` }]} />
      <span className="nhsuk-caption-l">{draft.title}</span>
      <h1>Check the changes before you submit version {draft.number}</h1>
      <ErrorSummary message={confirmError ? null : result?.error} errors={confirmError ? [{ href: `#${CONFIRM_ID}`, text: confirmError }] : []} />
      {draft.unchanged ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>There are no changes to submit
            </span>
          </h2>
          <p>This draft is the same as version {draft.parentNumber}. Change the draft before submitting it.</p>
        </div>
      ) : null}
      {n > 0 ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              {n === 1 ? "1 change has no note" : `${n} changes have no note`}
            </span>
          </h2>
          <p>The public reads each change's note beside it. The changes marked “No note yet” below have none: write them, or confirm that you are submitting without them.</p>
        </div>
      ) : null}

      <h2>Summary of this revision</h2>
      <RevisionSummaryText summary={draft.summary} />
      {draft.status === "draft" ? (
        <p>
          <a href={`${base}#sw_summary-section`}>
            Change<span className="nhsuk-u-visually-hidden"> the summary of this revision</span>
          </a>
        </p>
      ) : null}

      <h2>What changed{draft.parentNumber ? ` from version ${draft.parentNumber}` : ""}</h2>
      <ReviewCounts summary={review.summary} />
      <ChangeReviewList changes={review.changes} noteHref={draft.status === "draft" ? (id) => `${base}?page=${review.changes.find((c) => c.id === id)?.page ?? 1}#note_${id}` : undefined} />
      <h2>Themes that led to no change</h2>
      <OutcomeCount count={outcomes} href={`${base}/outcomes`} editable={draft.status === "draft"} />
      {outcomeClashes.length ? (
        <div className="nhsuk-warning-callout">
          <h3 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              {outcomeClashes.length === 1 ? "1 theme is answered twice" : `${outcomeClashes.length} themes are answered twice`}
            </span>
          </h3>
          <p>
            {outcomeClashes.join(", ")} {outcomeClashes.length === 1 ? "has" : "have"} a reason for leading to no change, but a change in this draft answers {outcomeClashes.length === 1 ? "it" : "them"}.{" "}
            <a href={`${base}/outcomes`}>Remove the no-change reason</a> or unlink the theme from the change note before submitting.
          </p>
        </div>
      ) : null}

      {may.submit && !draft.unchanged ? (
        <Form method="post">
          <h2>Submit for approval</h2>
          <p>A commissioner who did not write these changes will review and approve them. While it is submitted, the draft cannot be edited unless it is withdrawn.</p>
          {n > 0 ? (
            <Checkboxes
              id={CONFIRM_ID}
              name="confirmUnexplained"
              legend="Changes without a note"
              error={confirmError}
              options={[{ value: String(n), text: `Submit with ${n === 1 ? "1 change" : `${n} changes`} unexplained` }]}
            />
          ) : null}
          <button className="nhsuk-button" type="submit">
            Submit for approval
          </button>
        </Form>
      ) : !may.submit ? (
        <p>This version is {draft.status === "draft" ? "a draft you cannot submit" : `already ${draft.status}`}.</p>
      ) : null}
      <p>
        <a href={base}>Back to the draft</a>
      </p>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
