import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { ErrorSummary, StatusMessage } from "~/components/messages";
import { getDatabase } from "~/models/app-database.server";
import { listThemes, saveTheme } from "~/models/themes.server";
import { DomainError } from "~/domain/errors";
import { sentence, statusOf } from "~/http.server";
import { requirePermission } from "~/session.server";
import { THEME_STATUSES } from "~/domain/themes";
import { readForm } from "~/forms.server";

export const meta: MetaFunction = () => [{ title: "Theme register – Specwork" }];


export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manageThemes");
  return { themes: await listThemes(await getDatabase()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "manageThemes");
  const form = Object.fromEntries([...(await readForm(request)).entries()].map(([k, v]) => [k, String(v)]));
  const mode = form.intent === "create" ? "create" : "update";
  try {
    const db = await getDatabase();
    const code = await db.transaction().execute((trx) => saveTheme(trx, form, { id: admin.id, email: admin.email }, mode));
    return data({ error: null, message: mode === "create" ? `Theme ${code} is added.` : `Theme ${code} is saved.` });
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message), message: null }, { status: statusOf(error.kind) });
    throw error;
  }
}

function ThemeFields({ prefix, theme }: { prefix: string; theme?: { title: string; description: string; source: string; status: string } }) {
  return (
    <>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor={`${prefix}_title`}>
          Title
        </label>
        <input className="nhsuk-input" id={`${prefix}_title`} name="title" defaultValue={theme?.title} />
      </div>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor={`${prefix}_description`}>
          What people said
        </label>
        <textarea className="nhsuk-textarea" id={`${prefix}_description`} name="description" rows={3} defaultValue={theme?.description} />
      </div>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor={`${prefix}_source`}>
          Source
        </label>
        <input className="nhsuk-input" id={`${prefix}_source`} name="source" defaultValue={theme?.source ?? "Consultation 2017"} />
      </div>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor={`${prefix}_status`}>
          Status
        </label>
        <select className="nhsuk-select" id={`${prefix}_status`} name="status" defaultValue={theme?.status ?? "open"}>
          {THEME_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

export default function ThemeRegister() {
  const { themes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Theme register</h1>
      <ErrorSummary message={result?.error} />
      <StatusMessage message={result?.message} />
      <h2>Add a theme</h2>
      <Form method="post" className="sw-narrow-form">
        <input type="hidden" name="intent" value="create" />
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="new_code">
            Code
          </label>
          <div className="nhsuk-hint" id="new_code-hint">
            Such as T16
          </div>
          <input className="nhsuk-input nhsuk-input--width-5" id="new_code" name="code" aria-describedby="new_code-hint" />
        </div>
        <ThemeFields prefix="new" />
        <button className="nhsuk-button" type="submit">
          Add theme
        </button>
      </Form>
      <h2>Themes</h2>
      {themes.map((theme) => (
        <details className="nhsuk-details" key={theme.code}>
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">
              {theme.code} {theme.title} ({theme.status})
            </span>
          </summary>
          <div className="nhsuk-details__text">
            <Form method="post" className="sw-narrow-form">
              <input type="hidden" name="intent" value="update" />
              <input type="hidden" name="code" value={theme.code} />
              <ThemeFields prefix={theme.code} theme={theme} />
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
