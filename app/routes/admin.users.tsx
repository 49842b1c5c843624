import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { ErrorSummary, StatusMessage } from "~/components/messages";
import { formatDate } from "~/components/format";
import { ResponsiveTable } from "~/components/table";
import { MIN_PASSWORD_LENGTH, ROLES, type Role } from "~/domain/permissions";
import { getDatabase } from "~/models/app-database.server";
import { createUser, listUsers, updateUser } from "~/models/users.server";
import { DomainError } from "~/domain/errors";
import { sentence, statusOf } from "~/http.server";
import { requirePermission } from "~/session.server";
import { readForm } from "~/forms.server";

export const meta: MetaFunction = () => [{ title: "Accounts – Specwork" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "manageUsers");
  return { users: await listUsers(await getDatabase()), adminId: admin.id };
}

const isRole = (value: unknown): value is Role => typeof value === "string" && (ROLES as readonly string[]).includes(value);

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "manageUsers");
  const form = await readForm(request);
  const db = await getDatabase();
  const actor = { id: admin.id, email: admin.email };
  try {
    if (form.get("intent") === "create") {
      const role = form.get("role");
      if (!isRole(role)) return data({ error: "Choose a role: editor, commissioner or admin.", message: null }, { status: 400 });
      const user = await db.transaction().execute((trx) =>
        createUser(trx, { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? ""), role, password: String(form.get("password") ?? "") }, actor),
      );
      return data({ error: null, message: `Created an account for ${user.email}.` });
    }
    if (form.get("intent") === "update") {
      const id = Number(form.get("userId"));
      const role = form.get("role");
      if (!Number.isSafeInteger(id) || (role !== null && !isRole(role))) return data({ error: "That change is not valid.", message: null }, { status: 400 });
      const disabled = form.get("disabled");
      await db.transaction().execute((trx) =>
        updateUser(trx, id, { ...(isRole(role) ? { role } : {}), ...(disabled === null ? {} : { disabled: disabled === "true" }) }, actor),
      );
      return data({ error: null, message: "The account is updated." });
    }
    return data({ error: "Unknown action.", message: null }, { status: 400 });
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message), message: null }, { status: statusOf(error.kind) });
    throw error;
  }
}

export default function Accounts() {
  const { users, adminId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Accounts</h1>
      <ErrorSummary message={result?.error} />
      <StatusMessage message={result?.message} />
      <ResponsiveTable
        caption="People who can sign in"
        headings={["Name", "Email", "Role", "Account"]}
        rows={users.map((user) => ({
          key: user.id,
          cells: [
            user.name,
            user.email,
            <Form method="post" className="sw-inline-form">
              <input type="hidden" name="intent" value="update" />
              <input type="hidden" name="userId" value={user.id} />
              <label className="nhsuk-u-visually-hidden" htmlFor={`role_${user.id}`}>
                Role of {user.email}
              </label>
              <select className="nhsuk-select" id={`role_${user.id}`} name="role" defaultValue={user.role} disabled={user.id === adminId}>
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </select>{" "}
              {user.id === adminId ? null : (
                <button className="sw-link-button" type="submit">
                  Change role<span className="nhsuk-u-visually-hidden"> of {user.email}</span>
                </button>
              )}
            </Form>,
            <>
              {user.disabled_at ? `Turned off ${formatDate(user.disabled_at)}` : `Since ${formatDate(user.created_at)}`}{" "}
              {user.id === adminId ? null : (
                <Form method="post" className="sw-inline-form">
                  <input type="hidden" name="intent" value="update" />
                  <input type="hidden" name="userId" value={user.id} />
                  <input type="hidden" name="disabled" value={user.disabled_at ? "false" : "true"} />
                  <button className="sw-link-button" type="submit">
                    {user.disabled_at ? "Turn on" : "Turn off"}
                    <span className="nhsuk-u-visually-hidden"> the account of {user.email}</span>
                  </button>
                </Form>
              )}
            </>,
          ],
        }))}
      />

      <h2>Add an account</h2>
      <Form method="post" className="sw-narrow-form">
        <input type="hidden" name="intent" value="create" />
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="sw_new-name">
            Name
          </label>
          <input className="nhsuk-input" id="sw_new-name" name="name" autoComplete="off" />
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="sw_new-email">
            Email address
          </label>
          <input className="nhsuk-input" id="sw_new-email" name="email" type="email" autoComplete="off" spellCheck={false} />
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="sw_new-role">
            Role
          </label>
          <select className="nhsuk-select" id="sw_new-role" name="role" defaultValue="editor">
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="sw_new-password">
            First password
          </label>
          <div className="nhsuk-hint" id="sw_new-password-hint">
            At least {MIN_PASSWORD_LENGTH} characters. Give it to the person privately.
          </div>
          <input className="nhsuk-input" id="sw_new-password" name="password" type="password" autoComplete="new-password" aria-describedby="sw_new-password-hint" />
        </div>
        <button className="nhsuk-button" type="submit">
          Add account
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
