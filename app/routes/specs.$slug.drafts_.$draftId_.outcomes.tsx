// Themes that led to no change in a draft: for each theme in the register that no change of the
// draft answers, the editors say why ("No change because…"). The public reads these beside each
// theme in "You said, we did" once the version is published; they are sealed with it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { useErrorSummaryFocus } from "~/components/draft/review";
import { AnsweredThemes, OtherThemes, type OutcomeResult } from "~/components/draft/theme-outcomes";
import { ErrorPage } from "~/components/error-page";
import { STATUS_TAG, STATUS_TEXT } from "~/components/format";
import { Breadcrumbs, ErrorSummary } from "~/components/messages";
import { DomainError } from "~/domain/errors";
import { textProblem } from "~/domain/text-policy";
import { ThemeCodeSchema } from "~/domain/themes";
import { MAX_RATIONALE_LENGTH } from "~/domain/workflow";
import { forDraft, keptText, PRIVATE } from "~/draft-access.server";
import { parseForm } from "~/forms";
import { readForm } from "~/forms.server";
import { sentence, statusOf } from "~/http.server";
import { draftOutcomesPage } from "~/models/draft-page.server";
import { carryThemeOutcome, setThemeOutcome } from "~/models/drafts.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Themes that led to no change in version ${data.draft.number} – Specwork` : "Page not found – Specwork" }];

export const headers = () => PRIVATE;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { value } = await forDraft(request, params, draftOutcomesPage);
  return data(value, { headers: PRIVATE });
}

const Fields = z.object({
  intent: z.enum(["save", "remove", "carry"], { error: "Choose one of the page's buttons" }),
  theme: z.string({ error: "Choose a theme from the list" }).refine((code) => ThemeCodeSchema.safeParse(code).success, "Choose a theme from the list"),
  outcome: z
    .string()
    .max(MAX_RATIONALE_LENGTH, `The reason must be ${MAX_RATIONALE_LENGTH.toLocaleString("en-GB")} characters or fewer`)
    .superRefine((text, ctx) => {
      const problem = textProblem(text, { lines: true });
      if (problem) ctx.addIssue({ code: "custom", message: `The reason ${problem}` });
    })
    .default(""),
});

/** A model's refusal as a field's message: a sentence without its full stop, as NHS.UK writes them. */
const fieldMessage = (message: string) => sentence(message).replace(/\.$/, "");

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, user, value } = await forDraft(request, params, draftOutcomesPage);
  const form = await readForm(request);
  const typed = keptText(String(form.get("outcome") ?? ""), { lines: true });
  const raw = String(form.get("theme") ?? "");
  const listed = [...value.answered, ...value.others].some((t) => t.code === raw);
  const theme = listed ? raw : null;
  const fields = parseForm(form, Fields);
  if (!fields.ok) {
    const onField = Boolean(theme && fields.errors.outcome && !fields.errors.intent);
    const error = fields.errors.intent ?? fields.errors.theme ?? fields.errors.outcome ?? "Check the form";
    return data<OutcomeResult>({ theme, error, onField, typed }, { status: 400, headers: PRIVATE });
  }
  const { intent, outcome } = fields.data;
  const code = fields.data.theme;
  try {
    if (intent === "carry") await carryThemeOutcome(db, user, value.draft.id, code);
    else await setThemeOutcome(db, user, value.draft.id, code, intent === "remove" ? "" : outcome);
  } catch (error) {
    if (error instanceof DomainError) {
      // What was typed is at fault (empty, too long, a theme a change answers): say so on the field.
      const onField = Boolean(theme) && value.may.edit && error.kind !== "forbidden" && error.kind !== "not-found" && !/there is no theme/.test(error.message) && !/this version is /.test(error.message);
      return data<OutcomeResult>({ theme, error: fieldMessage(error.message), onField, typed }, { status: statusOf(error.kind), headers: PRIVATE });
    }
    throw error;
  }
  return data<OutcomeResult>({ theme: code, error: null, onField: false, done: intent === "remove" ? "removed" : intent === "carry" ? "carried" : "saved" }, { headers: PRIVATE });
}

export default function DraftOutcomes() {
  const { draft, answered, others, recorded, may } = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() ?? null) as OutcomeResult | null;
  useErrorSummaryFocus(result?.error ? result : null);
  const base = `/specs/${draft.slug}/drafts/${draft.id}`;
  const pageError = result?.error && !result.onField ? result.error : null;
  return (
    <>
      <Breadcrumbs items={[{ href: `/specs/${draft.slug}`, text: draft.title }, { href: `/specs/${draft.slug}/drafts`, text: "Drafts" }, { href: base, text: `Version ${draft.number}` }]} />
      <span className="nhsuk-caption-l">{draft.title}</span>
      <h1>
        Themes that led to no change in version {draft.number} <strong className={STATUS_TAG[draft.status]}>{STATUS_TEXT[draft.status]}</strong>
      </h1>
      <ErrorSummary message={pageError} />
      <p className="nhsuk-lede-text">When a theme people raised led to no change in this version, say why. Once the version is published, the public reads it beside the theme in “You said, we did”.</p>
      <p>
        {recorded === 0 ? "No theme has a reason recorded yet." : `${recorded} ${recorded === 1 ? "theme led" : "themes led"} to no change, with reasons.`}{" "}
        {draft.parentNumber && may.edit ? `Reasons recorded for version ${draft.parentNumber} are not carried over by themselves: use one as a starting point where it still holds.` : null}
      </p>
      {!may.edit ? <p>{draft.status === "draft" ? "Your role cannot change drafts." : draft.status === "submitted" ? "This version is submitted for approval: withdraw it to draft to change what it says about each theme." : `This version is ${STATUS_TEXT[draft.status].toLowerCase()}: what it says about each theme is fixed.`}</p> : null}
      <p>
        <a href={base}>Back to the draft</a>
      </p>

      <h2>Themes answered by changes in this draft</h2>
      <p>Why these changed is said on each change’s note.</p>
      <AnsweredThemes themes={answered} editable={may.edit} result={result} />

      <h2>Other themes</h2>
      <OtherThemes themes={others} editable={may.edit} parentNumber={draft.parentNumber} result={result} />
      <p>
        <a href={base}>Back to the draft</a>
      </p>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
