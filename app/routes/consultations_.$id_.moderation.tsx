// Moderation (/consultations/:id/moderation): a commissioner reads each response whose consent
// allows publication and decides whether its words may be quoted in public.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CodingNav } from "~/components/coding-nav";
import { ErrorPage } from "~/components/error-page";
import { ErrorSummary } from "~/components/messages";
import { Pagination } from "~/components/pagination";
import { CAPACITY_TEXT, CONSENT_TEXT, quoteAttribution, SCALE_TEXT, type ScaleAnswer } from "~/domain/consultations";
import { DomainError } from "~/domain/errors";
import { londonDate } from "~/domain/london-time";
import { parseForm, wholeNumber } from "~/forms";
import { readForm } from "~/forms.server";
import { sentence, statusOf } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { moderationQueue } from "~/models/coding-queue.server";
import { moderateResponse } from "~/models/consultation-responses.server";
import { staffConsultation } from "~/staff-consultation.server";

export const meta: MetaFunction = () => [{ title: "Moderation – Specwork" }];

const pageOf = (url: URL) => z.coerce.number().int().min(1).max(100_000).catch(1).parse(url.searchParams.get("page") ?? 1);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, consultation } = await staffConsultation(request, params.id, "moderateResponses");
  const queue = await moderationQueue(await getDatabase(), consultation, { page: pageOf(new URL(request.url)) });
  return {
    consultation: { id: consultation.id, title: consultation.title },
    role: user.role,
    ...queue,
    rows: queue.rows.map((r) => ({ ...r, shownAs: quoteAttribution({ consent: r.consent, capacity: r.capacity, organisation: r.organisation, audienceName: r.audience }) })),
  };
}

const ModerationForm = z.object({
  responseId: wholeNumber("Choose a response"),
  decision: z.enum(["approved", "rejected"], { error: "Choose Approve for publication or Do not publish" }),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, consultation } = await staffConsultation(request, params.id, "moderateResponses");
  const parsed = parseForm(await readForm(request), ModerationForm);
  if (!parsed.ok) return data({ error: sentence(Object.values(parsed.errors)[0] ?? "The form could not be read") }, { status: 400 });
  try {
    await moderateResponse(await getDatabase(), user, consultation.id, parsed.data.responseId, parsed.data.decision);
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message) }, { status: statusOf(error.kind) });
    throw error;
  }
  const page = parsed.data.page > 1 ? `?page=${parsed.data.page}` : "";
  return redirect(`/consultations/${encodeURIComponent(consultation.id)}/moderation${page}`);
}

export default function Moderation() {
  const { consultation, role, rows, waiting, page, pages } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const base = `/consultations/${encodeURIComponent(consultation.id)}`;
  return (
    <>
      <CodingNav consultationId={consultation.id} title={consultation.title} role={role} current="moderation" />
      <h1>Moderation</h1>
      <p>
        These responses may be quoted in public, because their senders agreed, once you approve them. Approve only what is fit to publish: no personal details about anyone, nothing
        offensive or defamatory. A response you do not publish is still read, coded and counted.
      </p>
      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>
          A person’s own name is never published. Respondents who chose to publish anonymously are never named, and nor is their organisation; a quote shows only the kind of
          respondent. Responses whose senders asked us not to publish them are not listed here and can never be approved.
        </p>
        <p>Approve before the engagement report is published: a published report never changes, so a quote in it stays even if its approval is taken back later.</p>
      </div>
      <ErrorSummary message={result?.error} />
      <p>
        {waiting === 0 ? "No response is waiting for moderation." : `${waiting.toLocaleString("en-GB")} ${waiting === 1 ? "response is" : "responses are"} waiting for moderation.`}
      </p>
      {rows.map((r) => (
        <section className="sw-group" key={r.id} aria-labelledby={`sw_mod-${r.id}`}>
          <h2 className="nhsuk-heading-m" id={`sw_mod-${r.id}`}>
            Response {r.reference}
          </h2>
          <dl className="nhsuk-summary-list">
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Received</dt>
              <dd className="nhsuk-summary-list__value">{londonDate(r.submittedAt)}</dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Responding</dt>
              <dd className="nhsuk-summary-list__value">{CAPACITY_TEXT[r.capacity]}</dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">They chose</dt>
              <dd className="nhsuk-summary-list__value">{CONSENT_TEXT[r.consent]}</dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">A quote would be shown as from</dt>
              <dd className="nhsuk-summary-list__value">{r.shownAs}</dd>
            </div>
          </dl>
          {r.answers.map((a, i) => (
            <div className="sw-answer" key={i}>
              <p className="nhsuk-body-s">{a.question}</p>
              {a.scale ? <p className="sw-answer__scale">{SCALE_TEXT[a.scale as ScaleAnswer]}</p> : null}
              {a.text ? <p>{a.text}</p> : null}
            </div>
          ))}
          {r.comments.map((c, i) => (
            <div className="sw-answer" key={`c${i}`}>
              <p className="nhsuk-body-s">Comment on clause {c.clauseNumber ?? "(no longer in this version)"}</p>
              <p>{c.body}</p>
            </div>
          ))}
          <Form method="post" action={`${base}/moderation`} className="sw-coding__actions">
            <input type="hidden" name="responseId" value={r.id} />
            <input type="hidden" name="page" value={page} />
            <button className="nhsuk-button" type="submit" name="decision" value="approved">
              Approve for publication<span className="nhsuk-u-visually-hidden">: response {r.reference}</span>
            </button>
            <button className="nhsuk-button nhsuk-button--secondary" type="submit" name="decision" value="rejected">
              Do not publish<span className="nhsuk-u-visually-hidden">: response {r.reference}</span>
            </button>
          </Form>
        </section>
      ))}
      <Pagination page={page} pages={pages} href={(p) => `${base}/moderation${p > 1 ? `?page=${p}` : ""}`} label="Pages of responses waiting for moderation" />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
