// The theme register for admins (/admin/themes): add a theme, or change one's words and status.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { CharacterCount, Select, TextInput } from "~/components/fields";
import { ErrorSummary, fieldErrors, StatusMessage } from "~/components/messages";
import { getDatabase } from "~/models/app-database.server";
import { listThemes, saveTheme } from "~/models/themes.server";
import { DomainError } from "~/domain/errors";
import { sentence, statusOf } from "~/http.server";
import { requirePermission } from "~/session.server";
import { THEME_STATUSES, ThemeFieldsSchema } from "~/domain/themes";
import { refusedCharacters } from "~/domain/text-policy";
import { z } from "zod";
import { readForm } from "~/forms.server";
import { parseForm, typedValues } from "~/forms";

export const meta: MetaFunction = () => [{ title: "Theme register – Specwork" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manageThemes");
  // A theme proposed elsewhere (such as from a group of uncoded responses) arrives as words to
  // start from; they are only the form's starting text, checked like any typed text on saving.
  const url = new URL(request.url);
  // Text the policy refuses (control or invisible characters) is not put on the page at all.
  const starting = (name: string, max: number) => {
    const value = (url.searchParams.get(name) ?? "").slice(0, max);
    return refusedCharacters(value, { lines: name === "description" }).length ? "" : value;
  };
  const prefill = { title: starting("title", 200), description: starting("description", 5000) };
  return { themes: await listThemes(await getDatabase()), prefill };
}

const ThemeForm = ThemeFieldsSchema.extend({
  intent: z.enum(["create", "update"], { error: "Choose one of the page's buttons" }),
  // Codes are capitals; a code typed in lower case means the same theme.
  code: z.preprocess((code) => (typeof code === "string" ? code.trim().toUpperCase() : code), ThemeFieldsSchema.shape.code),
});

const THEME_FIELDS = ["code", "title", "description", "source", "status"] as const;
/** Each status as the page names it. */
const THEME_STATUS_TEXT: Record<(typeof THEME_STATUSES)[number], string> = { open: "Open", addressed: "Addressed", closed: "Closed" };

/** Where each field of a theme's form is: "new" for the form that adds one, else the theme's code. */
const fieldIds = (prefix: string) => ({ code: `${prefix}_code`, title: `${prefix}_title`, description: `${prefix}_description`, source: `${prefix}_source`, status: `${prefix}_status` });

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "manageThemes");
  const form = await readForm(request);
  const parsed = parseForm(form, ThemeForm);
  const prefix = form.get("intent") === "update" ? String(form.get("code") ?? "") : "new";
  if (!parsed.ok) {
    const fields = Object.fromEntries(Object.entries(parsed.errors).map(([name, message]) => [name, sentence(message)]));
    return data({ error: null, fields, prefix, message: null, values: typedValues(form, THEME_FIELDS) }, { status: 400 });
  }
  const { intent, ...theme } = parsed.data;
  try {
    const code = await saveTheme(await getDatabase(), theme, { id: admin.id, email: admin.email }, intent);
    return data({ error: null, fields: {}, prefix, message: intent === "create" ? `Theme ${code} is added.` : `Theme ${code} is saved.`, values: {} as Record<string, string> });
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message), fields: {}, prefix, message: null, values: typedValues(form, THEME_FIELDS) }, { status: statusOf(error.kind) });
    throw error;
  }
}

function ThemeFieldset({ prefix, theme, errors }: { prefix: string; theme?: { title: string; description: string; source: string; status: string }; errors: Record<string, string> }) {
  const ids = fieldIds(prefix);
  return (
    <>
      <TextInput id={ids.title} name="title" label="Title" defaultValue={theme?.title} maxLength={200} error={errors.title} />
      <CharacterCount id={ids.description} name="description" label="What people said" defaultValue={theme?.description} maxLength={5000} error={errors.description} />
      <TextInput id={ids.source} name="source" label="Source" defaultValue={theme?.source ?? "Consultation 2017"} maxLength={200} error={errors.source} />
      <Select id={ids.status} name="status" label="Status" defaultValue={theme?.status ?? "open"} options={THEME_STATUSES.map((s) => ({ value: s, text: THEME_STATUS_TEXT[s] }))} error={errors.status} />
    </>
  );
}

export default function ThemeRegister() {
  const { themes, prefill } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorsFor = (prefix: string): Record<string, string> => (result?.prefix === prefix ? result.fields : {});
  // After a problem, the form shows what was typed, not what is stored.
  const typed = (prefix: string) => (result?.prefix === prefix && Object.keys(result.values).length ? (result.values as { title: string; description: string; source: string; status: string; code?: string }) : undefined);
  return (
    <>
      <h1>Theme register</h1>
      <ErrorSummary message={result?.error} errors={fieldErrors(result?.fields, fieldIds(result?.prefix ?? "new"))} />
      <StatusMessage message={result?.message} />
      <h2>Add a theme</h2>
      <Form method="post" className="sw-narrow-form">
        <input type="hidden" name="intent" value="create" />
        <TextInput id="new_code" name="code" label="Code" hint="Such as T16" width={5} error={errorsFor("new").code} defaultValue={typed("new")?.code} />
        <ThemeFieldset prefix="new" theme={typed("new") ?? (prefill.title || prefill.description ? { ...prefill, source: "Consultation 2017", status: "open" } : undefined)} errors={errorsFor("new")} />
        <button className="nhsuk-button" type="submit">
          Add theme
        </button>
      </Form>
      <h2>Themes</h2>
      {themes.map((theme) => (
        <details className="nhsuk-details" key={theme.code} open={result?.prefix === theme.code && !result.message ? true : undefined}>
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">
              {theme.code} {theme.title} ({THEME_STATUS_TEXT[theme.status as (typeof THEME_STATUSES)[number]] ?? theme.status})
            </span>
          </summary>
          <div className="nhsuk-details__text">
            <Form method="post" className="sw-narrow-form">
              <input type="hidden" name="intent" value="update" />
              <input type="hidden" name="code" value={theme.code} />
              <ThemeFieldset prefix={theme.code} theme={typed(theme.code) ?? theme} errors={errorsFor(theme.code)} />
              <button className="nhsuk-button nhsuk-button--secondary" type="submit">
                Save {theme.code}
              </button>
            </Form>
          </div>
        </details>
      ))}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
