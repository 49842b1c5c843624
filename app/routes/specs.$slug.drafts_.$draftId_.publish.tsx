// Publishing an approved version: the commissioner chooses its number, label and date, then
// confirms what will happen ("Version 1.1 will replace 1.0 for the public on …"). A later date
// schedules the publication, which can be cancelled until that date comes.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { RevisionSummaryText, SummaryRow as Row } from "~/components/draft/review";
import { useErrorSummaryFocus } from "~/components/draft/review";
import { DateInput } from "~/components/date-input";
import { ErrorPage } from "~/components/error-page";
import { TextInput } from "~/components/fields";
import { formatDate } from "~/components/format";
import { Breadcrumbs, ErrorSummary, fieldErrors } from "~/components/messages";
import { DomainError } from "~/domain/errors";
import { isValidVersionNumber } from "~/domain/version-number";
import { MAX_LABEL_LENGTH } from "~/domain/workflow";
import { forDraft, keptText, PRIVATE } from "~/draft-access.server";
import { dateInput, parseForm } from "~/forms";
import { readForm } from "~/forms.server";
import { sentence, statusOf } from "~/http.server";
import { draftDecisionPage } from "~/models/draft-page.server";
import { cancelScheduledPublication, publishFieldOf, publishVersion, todayInLondon, type PublishOutcome } from "~/models/workflow.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Publish version ${data.draft.number} – Specwork` : "Page not found – Specwork" }];

export const headers = () => PRIVATE;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { value } = await forDraft(request, params, draftDecisionPage);
  return data({ ...value, today: todayInLondon() }, { headers: PRIVATE });
}

const IDS = { number: "sw_publish-number", label: "sw_publish-label", date: "sw_publish-date" } as const;

const Intent = z.object({ intent: z.enum(["check", "publish", "cancel"], { error: "Choose one of the page's buttons" }) });
const PublishFields = z.object({
  number: z
    .string({ error: "Enter the version number, such as 1.1 or 2.0" })
    .trim()
    .min(1, "Enter the version number, such as 1.1 or 2.0")
    .refine(isValidVersionNumber, "Enter the version number as whole numbers separated by full stops, such as 1.1 or 2.0"),
  label: z
    .string({ error: "Give the version a label, such as “Consultation draft”" })
    .trim()
    .min(1, "Give the version a label, such as “Consultation draft”")
    .max(MAX_LABEL_LENGTH, `A label has at most ${MAX_LABEL_LENGTH} characters`),
});
const PublishDate = dateInput("date", { label: "publication date", optional: true });

type Typed = Record<string, string>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, value } = await forDraft(request, params, draftDecisionPage);
  const form = await readForm(request);
  const typed: Typed = Object.fromEntries(["number", "label", "date-day", "date-month", "date-year"].map((name) => [name, keptText(String(form.get(name) ?? "")).slice(0, 400)]));
  const failure = (fields: Record<string, string>, error: string | null, status = 400) => data({ error, fields, typed, preview: null as PublishOutcome | null }, { status, headers: PRIVATE });
  const intent = parseForm(form, Intent);
  if (!intent.ok) return failure({}, intent.errors.intent ?? "Choose one of the page's buttons");
  try {
    if (intent.data.intent === "cancel") {
      await cancelScheduledPublication(db, user, value.draft.id);
      return redirect(`/specs/${value.draft.slug}/drafts/${value.draft.id}`, { headers: PRIVATE });
    }
    const fields = parseForm(form, PublishFields);
    const date = parseForm(form, PublishDate);
    if (!fields.ok || !date.ok) return failure({ ...(fields.ok ? {} : fields.errors), ...(date.ok ? {} : date.errors) }, null);
    const input = { number: fields.data.number, label: fields.data.label, date: date.data };
    if (intent.data.intent === "check") {
      const preview = await publishVersion(db, user, value.draft.id, { ...input, check: true });
      return data({ error: null, fields: {}, typed, preview }, { headers: PRIVATE });
    }
    const outcome = await publishVersion(db, user, value.draft.id, input);
    return redirect(outcome.scheduled ? `/specs/${value.draft.slug}/drafts/${value.draft.id}` : `/specs/${value.draft.slug}/v/${outcome.number}`, { headers: PRIVATE });
  } catch (error) {
    if (error instanceof DomainError) {
      const field = publishFieldOf(error);
      return field ? failure({ [field]: sentence(error.message) }, null, statusOf(error.kind)) : failure({}, sentence(error.message), statusOf(error.kind));
    }
    throw error;
  }
}

export default function PublishDraft() {
  const { draft, user, may, replaces, today, record } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useErrorSummaryFocus(result && (result.error || Object.keys((result as { fields?: object }).fields ?? {}).length) ? result : null);
  const base = `/specs/${draft.slug}/drafts/${draft.id}`;
  const fields: Record<string, string> = result?.fields ?? {};
  const typed: Typed = result?.typed ?? {};
  const preview = result?.preview ?? null;
  const scheduledFor = record.scheduledFor;
  const when = (date: string) => (date === today ? `today, ${formatDate(date)}` : `on ${formatDate(date)}`);
  return (
    <>
      <Breadcrumbs items={[{ href: `/specs/${draft.slug}`, text: draft.title }, { href: `/specs/${draft.slug}/drafts`, text: "Drafts" }, { href: base, text: `Version ${draft.number}` }]} />
      <span className="nhsuk-caption-l">{draft.title}</span>
      <h1>{preview ? `${preview.scheduled ? "Schedule" : "Publish"} version ${preview.number}` : `Publish version ${draft.number}`}</h1>
      <ErrorSummary message={result?.error} errors={fieldErrors(fields, IDS)} />

      {scheduledFor ? (
        <>
          <div className="nhsuk-inset-text">
            <p>
              <strong className="nhsuk-tag nhsuk-tag--orange">Scheduled for {formatDate(scheduledFor)}</strong> Version {draft.number}
              {draft.label ? ` – ${draft.label}` : ""} will replace {replaces ? `version ${replaces.number}` : "nothing"} for the public on {formatDate(scheduledFor)}. Scheduled by {record.scheduledBy ?? "a commissioner"}.
            </p>
          </div>
          {may.publish ? (
            <Form method="post">
              <input type="hidden" name="intent" value="cancel" />
              <p>Cancelling takes it back to approved. You can then publish it again with another number, label or date.</p>
              <button className="nhsuk-button nhsuk-button--secondary" type="submit">
                Cancel the scheduled publication
              </button>
            </Form>
          ) : null}
        </>
      ) : null}

      <h2>Summary of this revision</h2>
      <RevisionSummaryText summary={draft.summary} />

      {preview ? (
        <section aria-labelledby="sw_publish-confirm">
          <h2 id="sw_publish-confirm">What will happen</h2>
          <p className="nhsuk-body-l">
            {preview.scheduled
              ? `Version ${preview.number} is scheduled: it will replace ${preview.replaces ? `version ${preview.replaces}` : "nothing"} for the public on ${formatDate(preview.date)}. Until then it stays approved, and you can cancel.`
              : `Version ${preview.number} will replace ${preview.replaces ? `version ${preview.replaces}` : "nothing"} for the public ${when(preview.date)}.`}
          </p>
          <dl className="nhsuk-summary-list">
            <Row label="Version number">{preview.number}</Row>
            <Row label="Label">{typed.label}</Row>
            <Row label="Publication date">{formatDate(preview.date)}</Row>
            <Row label="Content hash">
              <code className="sw-hash">{draft.contentHash}</code>
            </Row>
            <Row label={preview.scheduled ? "Scheduled by" : "Published by"}>{user.name} (you)</Row>
          </dl>
          <Form method="post">
            <input type="hidden" name="intent" value="publish" />
            {Object.entries(typed).map(([name, v]) => (
              <input key={name} type="hidden" name={name} value={v} />
            ))}
            <button className="nhsuk-button" type="submit">
              {preview.scheduled ? `Schedule version ${preview.number}` : `Publish version ${preview.number}`}
            </button>
          </Form>
          <h2>Or change the details</h2>
        </section>
      ) : null}

      {may.publish && !scheduledFor ? (
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="check" />
          <TextInput
            id={IDS.number}
            name="number"
            label="Version number"
            hint={`Higher than every published version${replaces ? ` (the latest is ${replaces.number})` : ""}, such as ${draft.number} or a new whole number for a major revision.`}
            width={5}
            error={fields.number}
            defaultValue={typed.number ?? draft.number}
          />
          <TextInput
            id={IDS.label}
            name="label"
            label="Label"
            hint="For example: Consultation draft, open 18 Oct 2017 to 24 Jan 2018"
            error={fields.label}
            maxLength={MAX_LABEL_LENGTH}
            defaultValue={typed.label ?? draft.label ?? ""}
          />
          <DateInput
            id={IDS.date}
            name="date"
            legend="Publication date"
            hint={`For example, 18 10 2017. Leave it empty for today. A later date schedules the publication for that day${replaces?.date ? `; it cannot be before ${formatDate(replaces.date)}, the date of version ${replaces.number}` : ""}.`}
            error={fields.date}
            values={typed}
          />
          <button className="nhsuk-button" type="submit">
            Continue
          </button>
        </Form>
      ) : !may.publish ? (
        <p>You cannot publish this version: {draft.status === "approved" ? "publishing is for commissioners" : `it is ${draft.status}, and only an approved version can be published`}.</p>
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
