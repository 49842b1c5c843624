// The engagement report of a consultation (/consultations/:id/report): public once published,
// from its fixed snapshot; before that, a live preview for staff, which a commissioner publishes.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EngagementReportView } from "~/components/engagement-report";
import { ErrorPage } from "~/components/error-page";
import { Breadcrumbs, ErrorSummary, StatusMessage } from "~/components/messages";
import { consultationState } from "~/domain/consultations";
import { DomainError } from "~/domain/errors";
import { londonDate } from "~/domain/london-time";
import { can } from "~/domain/permissions";
import { parseForm } from "~/forms";
import { formFailure, readForm } from "~/forms.server";
import { actionFailure, notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { getConsultation } from "~/models/consultations.server";
import { buildReport, publishedReport, publishReport } from "~/models/reports.server";
import { getUser, requirePermission } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.draft ? "Draft: " : ""}Engagement report: ${data.report.consultation.title} – Specwork` : "Page not found – Specwork" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  const db = await getDatabase();
  const user = await getUser(request);
  const consultation = await getConsultation(db, id);
  if (!consultation) throw notFound("There is no consultation at this address.", { href: "/consultations", text: "See all consultations" });
  const published = await publishedReport(db, id);
  const staff = user !== null && can(user.role, "readResponses");
  if (published) {
    return { report: published.report, publishedAt: published.publishedAt, draft: false as const, canPublish: false, closed: true, confirming: false, published: new URL(request.url).searchParams.has("published") };
  }
  if (!staff) {
    throw notFound("The report of this consultation has not been published yet. It will appear here when it is.", { href: `/consultations/${id}`, text: "Go back to the consultation" });
  }
  const closed = consultationState(consultation, new Date()) === "closed";
  const canPublish = closed && can(user.role, "publishReport");
  return {
    report: (await buildReport(db, id))!,
    publishedAt: null,
    draft: true as const,
    canPublish,
    closed,
    confirming: canPublish && new URL(request.url).searchParams.get("publish") === "confirm",
    published: false,
  };
}

const PublishFields = z.object({ intent: z.literal("publish", { error: "Use the page's button to publish the report" }) });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "publishReport");
  const parsed = parseForm(await readForm(request), PublishFields);
  if (!parsed.ok) return formFailure(parsed.errors);
  try {
    await publishReport(await getDatabase(), user, params.id ?? "");
  } catch (error) {
    if (error instanceof DomainError) return actionFailure(error);
    throw error;
  }
  return redirect(`/consultations/${params.id}/report?published`, 303);
}

export default function ReportPage() {
  const { report, publishedAt, draft, canPublish, closed, confirming, published } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const base = `/consultations/${report.consultation.id}`;
  const undecided = report.themes.filter((t) => !t.decision).map((t) => t.title);
  return (
    <>
      <Breadcrumbs items={[{ href: "/consultations", text: "Consultations" }, { href: base, text: report.consultation.title }]} />
      <ErrorSummary message={result?.error ?? (result && "fields" in result ? Object.values(result.fields)[0] : null)} />
      <StatusMessage message={published ? "The report is published. Everyone can now read it, and it will not change." : null} />
      {draft ? (
        <div className="nhsuk-warning-callout sw-report__banner">
          <h2 className="nhsuk-warning-callout__label">
            <span className="nhsuk-u-visually-hidden">Important: </span>Draft – not published
          </h2>
          <p>
            Only staff can see this page. It shows the report as it would be published now, from the responses, coding and decisions as they stand; the figures change as coding goes on.
            {closed ? "" : " The consultation has not closed yet, so the report cannot be published."}
          </p>
          {canPublish && !confirming ? (
            <p className="sw-no-print">
              <a className="nhsuk-button nhsuk-u-margin-bottom-0" href="?publish=confirm">
                Publish the report
              </a>
            </p>
          ) : null}
          <p className="sw-no-print">
            <a href={`${base}/decisions`}>Set the decision on each theme</a>
          </p>
        </div>
      ) : (
        <p className="sw-report__published">Published on {londonDate(publishedAt!)}</p>
      )}
      {confirming ? (
        <div className="sw-report__confirm sw-no-print">
          <h2>Are you sure you want to publish the report?</h2>
          <p>
            Everyone will be able to read it, download it and see its counts on each theme's page. Once it is published it cannot be changed or withdrawn, and the decisions on the themes are fixed.
          </p>
          {undecided.length ? (
            <div className="nhsuk-inset-text">
              <p>
                {undecided.length === 1 ? "1 theme has" : `${undecided.length} themes have`} no decision yet: {undecided.join(", ")}. The report will say “Not yet decided” for {undecided.length === 1 ? "it" : "them"}.{" "}
                <a href={`${base}/decisions`}>Set the decisions first</a>
              </p>
            </div>
          ) : null}
          {report.themes.length && report.themes.every((t) => t.changes.length === 0) ? (
            <div className="nhsuk-inset-text">
              <p>
                No theme is linked to a change in the specification yet, so the report cannot show what changed because of what people said. Change notes that answer a theme come with the
                next version of the specification: if a revised version is on its way, publish it first, then this report.
              </p>
            </div>
          ) : null}
          <Form method="post" action={`${base}/report`}>
            <input type="hidden" name="intent" value="publish" />
            <button className="nhsuk-button" type="submit">
              Yes, publish the report
            </button>{" "}
            <a className="nhsuk-button nhsuk-button--secondary" href={`${base}/report`}>
              No, go back
            </a>
          </Form>
        </div>
      ) : null}
      <EngagementReportView report={report} />
      {draft ? null : (
        <section className="sw-no-print" aria-labelledby="sw_downloads">
          <h2 id="sw_downloads">Download the report</h2>
          <ul className="nhsuk-list">
            <li>
              <a href={`${base}/report.docx`} download>
                As a Word document (.docx)
              </a>
            </li>
            <li>
              <a href={`${base}/report.csv`} download>
                The figures as a spreadsheet (.csv)
              </a>
            </li>
            <li>
              <a href={`${base}/report.json`}>The whole report as data (.json)</a>
            </li>
          </ul>
        </section>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
