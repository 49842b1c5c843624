// Responding to a consultation (/consultations/:id/respond), no account needed, while it is open:
// the form, "Check your answers" (the answers carried in hidden fields, nothing stored), then
// "Send my response", which stores it and goes to the confirmation. Works without JavaScript.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { CharacterCount, Radios, Select, TextInput } from "~/components/fields";
import { Breadcrumbs, ErrorSummary } from "~/components/messages";
import { PrivacyNotice } from "~/components/privacy-notice";
import {
  CAPACITIES,
  CAPACITY_TEXT,
  CONSENT_TEXT,
  CONSENTS,
  consultationState,
  MAX_ANSWER_LENGTH,
  MAX_CLAUSE_COMMENTS,
  MAX_NAME_LENGTH,
  newReference,
  RESPONSES_PER_ADDRESS_PER_HOUR,
  SCALE,
  SCALE_TEXT,
  type ConsultationState,
} from "~/domain/consultations";
import { DomainError } from "~/domain/errors";
import { itemTexts } from "~/domain/document";
import { londonDateTime } from "~/domain/london-time";
import {
  answerField,
  commentField,
  commentSlots,
  FIELDS,
  readResponse,
  scaleField,
  valuesFromLink,
  valuesOf,
  type ResponseFormContext,
  type ResponseValues,
} from "~/domain/response-form";
import { readForm } from "~/forms.server";
import { notFound, sentence, type ErrorInfo } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { addressHashOf, RateLimited, submitResponse } from "~/models/consultation-responses.server";
import { getConsultation, type Consultation } from "~/models/consultations.server";
import { findVersion } from "~/models/versions.server";
import { z } from "zod";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Respond: ${data.consultation.title} – Specwork` : "Consultation not found – Specwork" }];

const FIRST_WORDS = 8;

/** The consultation and what its form is built from, or a 404 for an unknown address. */
async function load(id: string) {
  const db = await getDatabase();
  const consultation = await getConsultation(db, id);
  if (!consultation) {
    throw notFound("We could not find a consultation at this address. It may have moved, or the address may be mistyped.", { href: "/consultations", text: "See all consultations" });
  }
  const version = await findVersion(db, consultation.slug, consultation.versionNumber);
  const clauses = (version ? itemTexts(version.doc) : [])
    .filter((item) => item.kind === "clause")
    .map((item) => {
      const words = item.plainText.replace(/\s+/g, " ").trim().split(" ");
      const start = words.slice(0, FIRST_WORDS).join(" ") + (words.length > FIRST_WORDS ? "…" : "");
      return { id: item.id, number: item.number, label: `${item.number} – ${start}`, plainText: item.plainText };
    });
  const context: ResponseFormContext = {
    questions: consultation.questions,
    audiences: consultation.audiences.filter((a) => a.list === "audience").map((a) => ({ code: a.code, name: a.name })),
    clauses,
  };
  return { db, consultation, context };
}

function about(consultation: Consultation, state: ConsultationState) {
  return { id: consultation.id, title: consultation.title, opensAt: consultation.opensAt, closesAt: consultation.closesAt, state, reportPublishedAt: consultation.reportPublishedAt };
}

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { consultation, context } = await load(params.id ?? "");
  const state = consultationState(consultation, new Date());
  // The form only while open; the page says why otherwise.
  if (state !== "open") return { consultation: about(consultation, state), form: null, freshUntil: state === "upcoming" ? consultation.opensAt : null };
  return {
    consultation: about(consultation, state),
    form: {
      questions: context.questions,
      audiences: context.audiences,
      clauses: context.clauses.map(({ id, label, number }) => ({ id, label, number })),
      values: valuesFromLink(new URL(request.url).searchParams, context),
    },
    freshUntil: consultation.closesAt,
  };
}

const Intent = z.union([z.enum(["review", "add-comment", "send"]), z.string().regex(/^change:[A-Za-z0-9-]{1,40}$/)], { error: "Choose one of the page's buttons" });

function refusedWhileNotOpen(consultation: Consultation, state: ConsultationState): never {
  const back = { href: `/consultations/${consultation.id}`, text: "Go to the consultation" };
  if (state === "upcoming") {
    throw data<ErrorInfo>({ title: "This consultation is not open yet", message: `You can respond from ${londonDateTime(consultation.opensAt)}.`, back }, { status: 409 });
  }
  throw data<ErrorInfo>({ title: "This consultation has closed", message: `It closed at ${londonDateTime(consultation.closesAt)}, so it no longer takes responses. Nothing was sent.`, back }, { status: 410 });
}

export async function action({ params, request, context: server }: ActionFunctionArgs) {
  const { db, consultation, context } = await load(params.id ?? "");
  const state = consultationState(consultation, new Date());
  if (state !== "open") refusedWhileNotOpen(consultation, state);
  const form = await readForm(request);
  const intent = Intent.safeParse(form.get("intent"));
  if (!intent.success) throw data<ErrorInfo>({ title: "There is a problem", message: "Choose one of the page's buttons.", back: { href: `/consultations/${consultation.id}/respond`, text: "Go back to the form" } }, { status: 400 });
  const values = valuesOf(form, context);
  const slots = commentSlots(values);

  if (intent.data === "add-comment") {
    const more = Math.min(slots + 1, MAX_CLAUSE_COMMENTS);
    return data({ stage: "form" as const, values: { ...values, [FIELDS.slots]: String(more) }, errors: {} as Record<string, string>, error: null, focus: commentField(more - 1, "clause") });
  }
  if (intent.data.startsWith("change:")) {
    return data({ stage: "form" as const, values, errors: {} as Record<string, string>, error: null, focus: intent.data.slice("change:".length) });
  }
  // A script that fills in every field fills in the hidden one too: it sees a confirmation, and
  // nothing is stored.
  if (intent.data === "send" && values[FIELDS.honeypot]) {
    throw redirect(`/consultations/${consultation.id}/sent?reference=${newReference((n) => crypto.getRandomValues(new Uint8Array(n)))}`);
  }
  const read = readResponse(values, context);
  if (!read.ok) {
    const errors = Object.fromEntries(Object.entries(read.errors).map(([name, message]) => [name, sentence(message)]));
    return data({ stage: "form" as const, values, errors, error: null, focus: null }, { status: 400 });
  }
  if (intent.data === "review") return data({ stage: "check" as const, values, errors: {} as Record<string, string>, error: null, focus: null });

  let reference: string;
  try {
    reference = await submitResponse(
      db,
      consultation.id,
      { ...read.input, channel: "online", source: "form", submittedAt: new Date().toISOString() },
      { addressHash: addressHashOf(server.clientAddress ?? "unknown") },
    );
  } catch (error) {
    if (error instanceof RateLimited) {
      const message = `We have had ${RESPONSES_PER_ADDRESS_PER_HOUR} responses from your internet connection in the last hour, which is our limit. Your response has not been sent. Please try again in an hour; your answers are still on this page.`;
      return data({ stage: "check" as const, values, errors: {} as Record<string, string>, error: message, focus: null }, { status: 429 });
    }
    if (error instanceof DomainError) {
      if (error.kind === "conflict") refusedWhileNotOpen(consultation, consultationState(consultation, new Date()) === "upcoming" ? "upcoming" : "closed");
      return data({ stage: "form" as const, values, errors: {} as Record<string, string>, error: sentence(error.message), focus: null }, { status: 400 });
    }
    throw error;
  }
  return redirect(`/consultations/${consultation.id}/sent?reference=${reference}`);
}

type ShownForm = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["form"]>;

export default function Respond() {
  const { consultation, form } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs
        items={[
          { href: "/consultations", text: "Consultations" },
          { href: `/consultations/${consultation.id}`, text: consultation.title },
        ]}
      />
      {!form ? (
        <NotOpen consultation={consultation} />
      ) : result?.stage === "check" ? (
        <CheckAnswers id={consultation.id} title={consultation.title} form={form} values={result.values} error={result.error} />
      ) : (
        <ResponseForm
          id={consultation.id}
          title={consultation.title}
          closesAt={consultation.closesAt}
          form={form}
          values={result?.values ?? form.values}
          errors={result?.errors ?? {}}
          error={result?.error ?? null}
          focus={result?.focus ?? null}
        />
      )}
    </>
  );
}

function NotOpen({ consultation }: { consultation: ReturnType<typeof about> }) {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <span className="nhsuk-caption-l">{consultation.title}</span>
        {consultation.state === "upcoming" ? (
          <>
            <h1>This consultation is not open yet</h1>
            <p>You can respond from {londonDateTime(consultation.opensAt)} until {londonDateTime(consultation.closesAt)}.</p>
          </>
        ) : (
          <>
            <h1>This consultation has closed</h1>
            <p>It closed at {londonDateTime(consultation.closesAt)}, so it no longer takes responses.</p>
            {consultation.reportPublishedAt ? (
              <p>
                <a href={`/consultations/${consultation.id}/report`}>Read the engagement report</a> to see what people told us and what changed.
              </p>
            ) : (
              <p>We are analysing the responses, and will publish a report of what people said and what we changed.</p>
            )}
          </>
        )}
        <p>
          <a href={`/consultations/${consultation.id}`}>Go to the consultation</a>
        </p>
      </div>
    </div>
  );
}

/** The field ids the error summary links to: the field itself, or a radio group's first option. */
const hrefOf = (name: string) => `#${name}`;

function ResponseForm({ id, title, closesAt, form, values, errors, error, focus }: { id: string; title: string; closesAt: string; form: ShownForm; values: ResponseValues; errors: Record<string, string>; error: string | null; focus: string | null }) {
  const slots = commentSlots(values);
  const summary = Object.entries(errors).map(([name, text]) => ({ href: hrefOf(name), text }));
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary message={error} errors={summary} />
        <span className="nhsuk-caption-l">{title}</span>
        <h1>Respond to this consultation</h1>
        <p>
          You do not need an account. Answer as many questions as you like. You can check your answers before you send them. The consultation closes at{" "}
          {londonDateTime(closesAt)}.
        </p>
        <Form method="post" action={`/consultations/${id}/respond`} noValidate>
          <input type="hidden" name={FIELDS.slots} value={slots} />
          <h2>About you</h2>
          <Radios
            id={FIELDS.capacity}
            name={FIELDS.capacity}
            legend="Are you responding as an individual or on behalf of an organisation?"
            error={errors[FIELDS.capacity]}
            value={values[FIELDS.capacity]}
            options={CAPACITIES.map((c) => ({
              value: c,
              text: CAPACITY_TEXT[c],
              conditional:
                c === "organisation" ? (
                  <TextInput
                    id={FIELDS.organisation}
                    name={FIELDS.organisation}
                    label="Name of your organisation"
                    hint="Only if you are responding on behalf of an organisation."
                    defaultValue={values[FIELDS.organisation]}
                    maxLength={MAX_NAME_LENGTH}
                    error={errors[FIELDS.organisation]}
                    autoComplete="organization"
                    autoFocus={focus === FIELDS.organisation}
                  />
                ) : undefined,
            }))}
            autoFocus={focus === FIELDS.capacity}
          />
          <TextInput
            id={FIELDS.name}
            name={FIELDS.name}
            label="Your name (optional)"
            hint="We never publish names."
            defaultValue={values[FIELDS.name]}
            maxLength={MAX_NAME_LENGTH}
            error={errors[FIELDS.name]}
            autoComplete="name"
            autoFocus={focus === FIELDS.name}
          />
          {form.audiences.length ? (
            <Radios
              id={FIELDS.audience}
              name={FIELDS.audience}
              legend="Which of these best describes you?"
              error={errors[FIELDS.audience]}
              value={values[FIELDS.audience]}
              small
              options={form.audiences.map((a) => ({ value: a.code, text: a.name }))}
              autoFocus={focus === FIELDS.audience}
            />
          ) : null}
          <TextInput
            id={FIELDS.email}
            name={FIELDS.email}
            label="Email address (optional)"
            hint="Only if you would like us to be able to contact you about your response. We never publish email addresses."
            type="email"
            defaultValue={values[FIELDS.email]}
            error={errors[FIELDS.email]}
            autoComplete="email"
            autoFocus={focus === FIELDS.email}
          />

          {form.questions.length ? <h2>Questions</h2> : null}
          {form.questions.map((q, index) =>
            q.kind === "agree-scale" ? (
              <div key={q.id} className="sw-question">
                <Radios
                  id={scaleField(q.id)}
                  name={scaleField(q.id)}
                  legend={`Question ${index + 1}: ${q.text}`}
                  hint="Choose one, if you would like to answer."
                  error={errors[scaleField(q.id)]}
                  value={values[scaleField(q.id)]}
                  small
                  options={SCALE.map((s) => ({ value: s, text: SCALE_TEXT[s] }))}
                  autoFocus={focus === scaleField(q.id)}
                />
                <CharacterCount
                  id={answerField(q.id)}
                  name={answerField(q.id)}
                  label={`Your comments on question ${index + 1} (optional)`}
                  maxLength={MAX_ANSWER_LENGTH}
                  defaultValue={values[answerField(q.id)]}
                  error={errors[answerField(q.id)]}
                  autoFocus={focus === answerField(q.id)}
                />
              </div>
            ) : (
              <CharacterCount
                key={q.id}
                id={answerField(q.id)}
                name={answerField(q.id)}
                label={`Question ${index + 1}: ${q.text}`}
                maxLength={MAX_ANSWER_LENGTH}
                defaultValue={values[answerField(q.id)]}
                error={errors[answerField(q.id)]}
                autoFocus={focus === answerField(q.id)}
              />
            ),
          )}

          <h2>Comments on clauses</h2>
          <p>If you would like to comment on particular clauses of the specification, choose each clause and write your comment. This is optional.</p>
          {Array.from({ length: slots }, (_, slot) => {
            const quote = values[commentField(slot, "quote")];
            return (
              <fieldset className="nhsuk-fieldset sw-clause-comment" key={slot}>
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Clause comment {slot + 1}</legend>
                <Select
                  id={commentField(slot, "clause")}
                  name={commentField(slot, "clause")}
                  label="Clause"
                  defaultValue={values[commentField(slot, "clause")] ?? ""}
                  error={errors[commentField(slot, "clause")]}
                  options={[{ value: "", text: "Choose a clause" }, ...form.clauses.map((c) => ({ value: c.id, text: c.label }))]}
                  autoFocus={focus === commentField(slot, "clause")}
                />
                {quote ? (
                  <div className="nhsuk-inset-text">
                    <p>
                      The words you chose: <q>{quote}</q>
                    </p>
                    <input type="hidden" name={commentField(slot, "quote")} value={quote} />
                    {values[commentField(slot, "start")] ? <input type="hidden" name={commentField(slot, "start")} value={values[commentField(slot, "start")]} /> : null}
                  </div>
                ) : null}
                <CharacterCount
                  id={commentField(slot, "body")}
                  name={commentField(slot, "body")}
                  label="Your comment"
                  maxLength={MAX_ANSWER_LENGTH}
                  defaultValue={values[commentField(slot, "body")]}
                  error={errors[commentField(slot, "body")]}
                  autoFocus={focus === commentField(slot, "body")}
                />
              </fieldset>
            );
          })}
          {slots < MAX_CLAUSE_COMMENTS ? (
            <button className="nhsuk-button nhsuk-button--secondary" type="submit" name="intent" value="add-comment">
              Add another clause comment
            </button>
          ) : (
            <p>You can comment on up to {MAX_CLAUSE_COMMENTS} clauses.</p>
          )}

          <h2>Publishing your response</h2>
          <Radios
            id={FIELDS.consent}
            name={FIELDS.consent}
            legend="May we publish your response?"
            hint="We may quote responses in the report of this consultation. We never publish names or email addresses."
            error={errors[FIELDS.consent]}
            value={values[FIELDS.consent]}
            options={CONSENTS.map((c) => ({ value: c, text: CONSENT_TEXT[c], hint: CONSENT_HINT[c] }))}
            autoFocus={focus === FIELDS.consent}
          />
          <PrivacyNotice />

          <div className="sw-honeypot" aria-hidden="true">
            <label htmlFor={FIELDS.honeypot}>Leave this field empty</label>
            <input id={FIELDS.honeypot} name={FIELDS.honeypot} type="text" tabIndex={-1} autoComplete="off" defaultValue={values[FIELDS.honeypot]} />
          </div>

          <button className="nhsuk-button" type="submit" name="intent" value="review">
            Continue
          </button>
        </Form>
      </div>
    </div>
  );
}

const CONSENT_HINT: Record<(typeof CONSENTS)[number], string> = {
  full: "Your words may be quoted. If you respond for an organisation, we may name the organisation.",
  anonymous: "Your words may be quoted, without saying who you are or which organisation you represent.",
  none: "We will read and count your response, but never quote it.",
};

function CheckAnswers({ id, title, form, values, error }: { id: string; title: string; form: ShownForm; values: ResponseValues; error: string | null }) {
  const get = (name: string) => values[name] ?? "";
  const capacity = get(FIELDS.capacity) as (typeof CAPACITIES)[number];
  const rows: { key: string; label: string; value: React.ReactNode; field: string }[] = [
    { key: "capacity", label: "Responding", value: CAPACITY_TEXT[capacity] ?? "", field: FIELDS.capacity },
  ];
  if (capacity === "organisation") rows.push({ key: "organisation", label: "Organisation", value: get(FIELDS.organisation), field: FIELDS.organisation });
  rows.push({ key: "name", label: "Your name", value: get(FIELDS.name) || "Not given", field: FIELDS.name });
  if (form.audiences.length) rows.push({ key: "audience", label: "Which best describes you", value: form.audiences.find((a) => a.code === get(FIELDS.audience))?.name ?? "", field: FIELDS.audience });
  rows.push({ key: "email", label: "Email address", value: get(FIELDS.email) || "Not given", field: FIELDS.email });
  form.questions.forEach((q, index) => {
    const scale = get(scaleField(q.id)) as (typeof SCALE)[number];
    const text = get(answerField(q.id));
    const value =
      q.kind === "agree-scale" ? (
        <>
          <p className="nhsuk-u-margin-bottom-1">{SCALE_TEXT[scale] ?? "No answer chosen"}</p>
          {text ? <p className="sw-prewrap">{text}</p> : null}
        </>
      ) : (
        <p className="sw-prewrap">{text || "Not answered"}</p>
      );
    rows.push({ key: q.id, label: `Question ${index + 1}: ${q.text}`, value, field: q.kind === "agree-scale" ? scaleField(q.id) : answerField(q.id) });
  });
  for (let slot = 0; slot < commentSlots(values); slot++) {
    const clause = form.clauses.find((c) => c.id === get(commentField(slot, "clause")));
    const body = get(commentField(slot, "body"));
    if (!clause || !body) continue;
    const quote = get(commentField(slot, "quote"));
    rows.push({
      key: `comment-${slot}`,
      label: `Comment on clause ${clause.number}`,
      value: (
        <>
          {quote ? (
            <p className="nhsuk-u-margin-bottom-1">
              On the words <q>{quote}</q>
            </p>
          ) : null}
          <p className="sw-prewrap">{body}</p>
        </>
      ),
      field: commentField(slot, "body"),
    });
  }
  rows.push({ key: "consent", label: "Publishing your response", value: CONSENT_TEXT[get(FIELDS.consent) as (typeof CONSENTS)[number]] ?? "", field: FIELDS.consent });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary message={error} />
        <span className="nhsuk-caption-l">{title}</span>
        <h1>Check your answers before sending your response</h1>
        <Form method="post" action={`/consultations/${id}/respond`}>
          {Object.entries(values).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <dl className="nhsuk-summary-list">
            {rows.map((row) => (
              <div className="nhsuk-summary-list__row" key={row.key}>
                <dt className="nhsuk-summary-list__key">{row.label}</dt>
                <dd className="nhsuk-summary-list__value">{row.value}</dd>
                <dd className="nhsuk-summary-list__actions">
                  <button className="sw-link-button" type="submit" name="intent" value={`change:${row.field}`} formAction={`/consultations/${id}/respond#${row.field}`}>
                    Change<span className="nhsuk-u-visually-hidden"> {row.label.toLowerCase()}</span>
                  </button>
                </dd>
              </div>
            ))}
          </dl>
          <h2>Now send your response</h2>
          <p>By sending this response you confirm that the answers are your own, or your organisation's.</p>
          <button className="nhsuk-button" type="submit" name="intent" value="send">
            Send my response
          </button>
        </Form>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
