// The decision on each theme of a consultation (/consultations/:id/decisions), with the reason the
// public will read: set by a commissioner before the report is published, fixed after.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorPage } from "~/components/error-page";
import { CharacterCount, describedBy, FieldError, groupClass } from "~/components/fields";
import { Breadcrumbs, ErrorSummary, fieldErrors, StatusMessage } from "~/components/messages";
import { DECISIONS, DECISION_TEXT } from "~/domain/coding";
import { DomainError } from "~/domain/errors";
import { followsTextPolicy } from "~/domain/text-policy";
import { ThemeCodeSchema } from "~/domain/themes";
import { parseForm, typedValues } from "~/forms";
import { readForm } from "~/forms.server";
import { notFound, sentence, statusOf } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { getConsultation } from "~/models/consultations.server";
import { decideTheme, decisionsOf } from "~/models/reports.server";
import { requirePermission } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Decisions on the themes: ${data.title} – Specwork` : "Page not found – Specwork" }];

const MAX_REASON_LENGTH = 5000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "decideThemes");
  const db = await getDatabase();
  const consultation = await getConsultation(db, params.id ?? "");
  if (!consultation) throw notFound("There is no consultation at this address.", { href: "/consultations", text: "See all consultations" });
  return { id: consultation.id, title: consultation.title, published: consultation.reportPublishedAt !== null, themes: await decisionsOf(db, consultation.id) };
}

const DecisionFields = z.object({
  theme: ThemeCodeSchema,
  decision: z.enum(DECISIONS, { error: "Choose whether the theme was adopted, partly adopted or not adopted" }),
  reason: z
    .string({ error: "Enter the reason the public will read" })
    .trim()
    .min(1, "Enter the reason the public will read")
    .max(MAX_REASON_LENGTH, `The reason must be ${MAX_REASON_LENGTH.toLocaleString("en-GB")} characters or fewer`)
    .superRefine(followsTextPolicy({ lines: true })),
});

const ids = (theme: string) => ({ decision: `${theme}_decision-${DECISIONS[0]}`, reason: `${theme}_reason` });

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "decideThemes");
  const form = await readForm(request);
  const theme = String(form.get("theme") ?? "");
  const parsed = parseForm(form, DecisionFields);
  if (!parsed.ok) {
    const fields = Object.fromEntries(Object.entries(parsed.errors).map(([name, message]) => [name, sentence(message)]));
    return data({ error: fields.theme ? "Choose a theme from the page." : null, fields, theme, message: null, values: typedValues(form, ["decision", "reason"]) }, { status: 400 });
  }
  try {
    await decideTheme(await getDatabase(), user, params.id ?? "", parsed.data);
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message), fields: {} as Record<string, string>, theme, message: null, values: typedValues(form, ["decision", "reason"]) }, { status: statusOf(error.kind) });
    throw error;
  }
  return data({ error: null, fields: {} as Record<string, string>, theme, message: `The decision on ${parsed.data.theme} is saved.`, values: {} as Record<string, string> });
}

function DecisionRadios({ theme, defaultValue, error }: { theme: string; defaultValue: string | null; error: string | undefined }) {
  const id = `${theme}_decision`;
  return (
    <div className={groupClass(error)}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(id, { error })}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Decision</legend>
        <FieldError id={id} message={error} />
        <div className="nhsuk-radios">
          {DECISIONS.map((d) => (
            <div className="nhsuk-radios__item" key={d}>
              <input className="nhsuk-radios__input" id={`${id}-${d}`} name="decision" type="radio" value={d} defaultChecked={defaultValue === d} />
              <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${id}-${d}`}>
                {DECISION_TEXT[d]}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export default function Decisions() {
  const { id, title, published, themes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorsFor = (theme: string): Record<string, string> => (result?.theme === theme ? result.fields : {});
  // A long page: a problem with one theme's form is listed beside that form, with what was typed.
  const here = (theme: string) => result?.theme === theme && !result.message && !result.fields.theme;
  const shownTheme = result?.theme && themes.some((t) => t.code === result.theme) && !result.fields.theme ? result.theme : null;
  return (
    <>
      <Breadcrumbs items={[{ href: "/consultations", text: "Consultations" }, { href: `/consultations/${id}`, text: title }]} />
      <span className="nhsuk-caption-l">{title}</span>
      <h1>Decisions on the themes</h1>
      {shownTheme ? null : <ErrorSummary message={result?.error} errors={fieldErrors(result?.fields, {})} />}
      <StatusMessage message={result?.message} />
      {published ? (
        <p>The report is published, so these decisions are fixed and can no longer change.</p>
      ) : (
        <p>
          For each theme, record whether what people asked for was adopted, and the reason. The reason appears in the engagement report as it is written here, so write it for the public.{" "}
          <a href={`/consultations/${id}/report`}>Preview the report</a>
        </p>
      )}
      {themes.map((t) => (
        <section key={t.code} className="sw-decision" aria-labelledby={`${t.code}_heading`}>
          <h2 id={`${t.code}_heading`} className="nhsuk-heading-m">
            {t.code} {t.title}
          </h2>
          <p>{t.responses === 1 ? "1 response raised this theme." : `${t.responses.toLocaleString("en-GB")} responses raised this theme.`}</p>
          {published ? (
            <p>
              <strong>{t.decision ? DECISION_TEXT[t.decision] : "No decision"}.</strong> {t.reason}
            </p>
          ) : (
            <Form method="post" className="sw-narrow-form" preventScrollReset>
              {here(t.code) ? <ErrorSummary id={`${t.code}_problem`} message={result?.error} errors={fieldErrors(result?.fields, ids(t.code))} /> : null}
              <input type="hidden" name="theme" value={t.code} />
              <DecisionRadios theme={t.code} defaultValue={here(t.code) ? result!.values.decision || null : t.decision} error={errorsFor(t.code).decision} />
              <CharacterCount id={`${t.code}_reason`} name="reason" label="Reason, for the public" defaultValue={here(t.code) ? result!.values.reason : t.reason} rows={4} maxLength={MAX_REASON_LENGTH} error={errorsFor(t.code).reason} />
              <button className="nhsuk-button nhsuk-button--secondary" type="submit">
                Save the decision on {t.code}
              </button>
            </Form>
          )}
        </section>
      ))}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
