// The redline of a draft against the version it started from, for staff: the counts, the list
// of changes and each change marked, with its note and themes.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ChangeReviewList, ReviewCounts, RevisionSummaryText } from "~/components/draft/review";
import { ErrorPage } from "~/components/error-page";
import { STATUS_TAG, STATUS_TEXT } from "~/components/format";
import { Breadcrumbs } from "~/components/messages";
import { RedlineBody } from "~/components/redline-view";
import { forDraft, PRIVATE } from "~/draft-access.server";
import { draftChangesPage } from "~/models/draft-page.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Changes in draft version ${data.draft.number} from ${data.draft.parentNumber ?? "nothing"} – Specwork` : "Page not found – Specwork" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { value } = await forDraft(request, params, draftChangesPage);
  return data(value, { headers: PRIVATE });
}

export const headers = () => PRIVATE;

export default function DraftChanges() {
  const { draft, review } = useLoaderData<typeof loader>();
  const base = `/specs/${draft.slug}/drafts/${draft.id}`;
  return (
    <>
      <Breadcrumbs items={[{ href: `/specs/${draft.slug}`, text: draft.title }, { href: `/specs/${draft.slug}/drafts`, text: "Drafts" }, { href: base, text: `Version ${draft.number}` }]} />
      <span className="nhsuk-caption-l">{draft.title}</span>
      <h1>
        {draft.parentNumber ? `Changes from version ${draft.parentNumber} to draft version ${draft.number}` : `Draft version ${draft.number}`} <strong className={STATUS_TAG[draft.status]}>{STATUS_TEXT[draft.status]}</strong>
      </h1>
      <p className="nhsuk-lede-text">
        For staff: this draft is not public. Added text is{" "}
        <ins>
          <span className="nhsuk-u-visually-hidden">[inserted: </span>underlined<span className="nhsuk-u-visually-hidden">]</span>
        </ins>{" "}
        and removed text is{" "}
        <del>
          <span className="nhsuk-u-visually-hidden">[deleted: </span>struck through<span className="nhsuk-u-visually-hidden">]</span>
        </del>
        .
      </p>
      <p>
        <a href={base}>Back to the draft</a>
      </p>
      <h2>Summary of this revision</h2>
      <RevisionSummaryText summary={draft.summary} />
      <h2>Counts</h2>
      <ReviewCounts summary={review.summary} />
      <h2>List of changes</h2>
      <ChangeReviewList changes={review.changes} />
      <h2>Each change</h2>
      {review.rows.length ? <RedlineBody rows={review.rows} mode="changes" notes={review.notes} /> : <p>There are no changes between these versions.</p>}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
