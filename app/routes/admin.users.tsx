// Accounts for admins (/admin/users): add an account, change a role, turn an account off or on.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Select, TextInput } from "~/components/fields";
import { ErrorSummary, fieldErrors, StatusMessage } from "~/components/messages";
import { formatDate } from "~/components/format";
import { ResponsiveTable } from "~/components/table";
import { MIN_PASSWORD_LENGTH, ROLES } from "~/domain/permissions";
import { getDatabase } from "~/models/app-database.server";
import { createUser, listUsers, updateUser } from "~/models/users.server";
import { DomainError } from "~/domain/errors";
import { sentence, statusOf } from "~/http.server";
import { requirePermission } from "~/session.server";
import { z } from "zod";
import { textProblem } from "~/domain/text-policy";
import { readForm } from "~/forms.server";
import { parseForm, typedValues, wholeNumber } from "~/forms";

/** Each role as the page names it. */
const ROLE_TEXT: Record<(typeof ROLES)[number], string> = { editor: "Editor", commissioner: "Commissioner", admin: "Admin" };

export const meta: MetaFunction = () => [{ title: "Accounts – Specwork" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "manageUsers");
  return { users: await listUsers(await getDatabase()), adminId: admin.id };
}

const Intent = z.object({ intent: z.enum(["create", "update"], { error: "Choose one of the page's buttons" }) });
const NewAccount = z.object({
  // A name is shown beside what the person writes, on public pages too: never an email address.
  name: z
    .string({ error: "Enter the person's name" })
    .trim()
    .min(1, "Enter the person's name")
    .max(200, "A name has at most 200 characters")
    .refine((name) => !name.includes("@"), "Enter the person's name, not an email address: names are shown on public pages"),
  email: z
    .string({ error: "Enter their email address" })
    .trim()
    .min(1, "Enter their email address")
    .max(320, "An email address has at most 320 characters")
    .superRefine((email, ctx) => {
      const problem = textProblem(email);
      if (problem) ctx.addIssue({ code: "custom", message: `The email address ${problem}` });
    })
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "Enter an email address in the correct format, like name@example.nhs.uk"),
  role: z.enum(ROLES, { error: "Choose a role: editor, commissioner or admin" }),
  password: z.string({ error: "Enter a first password" }).min(MIN_PASSWORD_LENGTH, `The password must have at least ${MIN_PASSWORD_LENGTH} characters`).max(1000, "A password has at most 1,000 characters"),
});
const AccountChange = z.object({
  userId: wholeNumber("Choose an account"),
  role: z.enum(ROLES, { error: "Choose a role: editor, commissioner or admin" }).optional(),
  disabled: z.enum(["true", "false"], { error: "Choose whether the account is on or off" }).optional(),
});

/** Where each field of the "Add an account" form is, for the error summary's links. */
const NEW_ACCOUNT_IDS = { name: "sw_new-name", email: "sw_new-email", role: "sw_new-role", password: "sw_new-password" };

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "manageUsers");
  const form = await readForm(request);
  const db = await getDatabase();
  const actor = { id: admin.id, email: admin.email };
  const intent = parseForm(form, Intent);
  if (!intent.ok) return data({ error: intent.errors.intent!, fields: {}, message: null }, { status: 400 });
  try {
    if (intent.data.intent === "create") {
      const account = parseForm(form, NewAccount);
      // What was typed comes back (never the password).
      if (!account.ok) return data({ error: null, fields: account.errors, message: null, values: typedValues(form, ["name", "email", "role"]) }, { status: 400 });
      const user = await createUser(db, account.data, actor);
      return data({ error: null, fields: {}, message: `Created an account for ${user.email}.` });
    }
    const change = parseForm(form, AccountChange);
    if (!change.ok) return data({ error: Object.values(change.errors).join(" "), fields: {}, message: null }, { status: 400 });
    const { userId, role, disabled } = change.data;
    await updateUser(db, userId, { ...(role ? { role } : {}), ...(disabled === undefined ? {} : { disabled: disabled === "true" }) }, actor);
    return data({ error: null, fields: {}, message: "The account is updated." });
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message), fields: {}, message: null, values: intent.data.intent === "create" ? typedValues(form, ["name", "email", "role"]) : {} }, { status: statusOf(error.kind) });
    throw error;
  }
}

export default function Accounts() {
  const { users, adminId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields: Record<string, string> = result?.fields ?? {};
  const values: Record<string, string> = (result && "values" in result ? result.values : undefined) ?? {};
  return (
    <>
      <h1>Accounts</h1>
      <ErrorSummary message={result?.error} errors={fieldErrors(result?.fields, NEW_ACCOUNT_IDS)} />
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
                    {ROLE_TEXT[role]}
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
      {/* Checked by the server, whose messages sit beside the fields, not by the browser's bubbles. */}
      <Form method="post" className="sw-narrow-form" noValidate>
        <input type="hidden" name="intent" value="create" />
        <TextInput id="sw_new-name" name="name" label="Name" hint="Shown beside what they write, on public pages too." autoComplete="off" error={fields.name} defaultValue={values.name} />
        <TextInput id="sw_new-email" name="email" label="Email address" type="email" autoComplete="off" error={fields.email} defaultValue={values.email} />
        <Select id="sw_new-role" name="role" label="Role" defaultValue={values.role || "editor"} options={ROLES.map((role) => ({ value: role, text: ROLE_TEXT[role] }))} error={fields.role} />
        <TextInput
          id="sw_new-password"
          name="password"
          label="First password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Give it to the person privately.`}
          error={fields.password}
        />
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
