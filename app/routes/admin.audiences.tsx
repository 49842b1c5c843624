// The audience and interest lists for admins (/admin/audiences): add one, or retire and restore
// one. A retired audience is no longer offered on new consultations; responses keep it.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Radios, TextInput } from "~/components/fields";
import { ErrorSummary, fieldErrors, StatusMessage } from "~/components/messages";
import { ResponsiveTable } from "~/components/table";
import { AUDIENCE_LISTS } from "~/domain/consultations";
import { DomainError } from "~/domain/errors";
import { isValidId } from "~/domain/ids";
import { followsTextPolicy } from "~/domain/text-policy";
import { parseForm, typedValues } from "~/forms";
import { readForm } from "~/forms.server";
import { sentence, statusOf } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { addAudience, listAudiences, setAudienceRetired } from "~/models/consultations.server";
import { requirePermission } from "~/session.server";
import { z } from "zod";

export const meta: MetaFunction = () => [{ title: "Audiences and interests – Specwork" }];

const LIST_TEXT: Record<(typeof AUDIENCE_LISTS)[number], string> = { audience: "Audience (who is responding)", interest: "Area of interest" };

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manageAudiences");
  const audiences = await listAudiences(await getDatabase(), { includeRetired: true });
  return { audiences: audiences.map((a) => ({ code: a.code, name: a.name, list: a.list, retired: a.retired_at !== null })) };
}

/** A code from a name: "Patients and the public" → "patients-and-the-public". */
const codeOf = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);

const AddForm = z.object({
  intent: z.literal("add"),
  name: z.string({ error: "Enter the audience's name" }).trim().min(1, "Enter the audience's name").max(200, "The name must be 200 characters or fewer").superRefine(followsTextPolicy()),
  list: z.enum(AUDIENCE_LISTS, { error: "Choose which list it belongs to" }),
});
// One form per list, each row's button naming what it does and to which: "retire:carers".
const RetireForm = z.object({
  intent: z
    .string()
    .regex(/^(retire|restore):/, "Choose one of the page's buttons")
    .transform((v) => ({ retire: v.startsWith("retire:"), code: v.slice(v.indexOf(":") + 1) }))
    .refine((v) => isValidId(v.code), "Choose an audience from the list"),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "manageAudiences");
  const form = await readForm(request);
  const db = await getDatabase();
  try {
    if (form.get("intent") === "add") {
      const parsed = parseForm(form, AddForm);
      const values = typedValues(form, ["name", "list"]);
      if (!parsed.ok) return data({ error: null, fields: Object.fromEntries(Object.entries(parsed.errors).map(([k, m]) => [k, sentence(m)])), message: null, values }, { status: 400 });
      const code = codeOf(parsed.data.name);
      if (!code) return data({ error: null, fields: { name: "The name must have at least one letter or digit." }, message: null, values }, { status: 400 });
      await addAudience(db, admin, { code, name: parsed.data.name, list: parsed.data.list });
      return data({ error: null, fields: {} as Record<string, string>, message: `${parsed.data.name} is added.` });
    }
    const parsed = parseForm(form, RetireForm);
    if (!parsed.ok) return data({ error: Object.values(parsed.errors)[0] ?? "Choose one of the page's buttons.", fields: {}, message: null }, { status: 400 });
    const retiring = parsed.data.intent.retire;
    await setAudienceRetired(db, admin, parsed.data.intent.code, retiring);
    return data({ error: null, fields: {}, message: retiring ? "The audience is retired: new consultations no longer offer it." : "The audience is restored." });
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message), fields: {}, message: null, values: form.get("intent") === "add" ? typedValues(form, ["name", "list"]) : {} }, { status: statusOf(error.kind) });
    throw error;
  }
}

export default function Audiences() {
  const { audiences } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const fields: Record<string, string> = result?.fields ?? {};
  const values: Record<string, string> = (result && "values" in result ? result.values : undefined) ?? {};
  return (
    <>
      <h1>Audiences and interests</h1>
      <p>The lists a consultation chooses from: who it is for, and its areas of interest. People responding choose the audience that fits them best.</p>
      <ErrorSummary message={result?.error} errors={fieldErrors(fields, { name: "audience_name", list: "audience_list" })} />
      <StatusMessage message={result?.message} />
      <h2>Add an audience or interest</h2>
      <Form method="post" className="sw-narrow-form" noValidate>
        <input type="hidden" name="intent" value="add" />
        <TextInput id="audience_name" name="name" label="Name" hint="As people responding will read it, such as Radiographers." maxLength={200} error={fields.name} defaultValue={values.name} />
        <Radios id="audience_list" name="list" legend="List" value={values.list || "audience"} error={fields.list} options={AUDIENCE_LISTS.map((l) => ({ value: l, text: LIST_TEXT[l] }))} />
        <button className="nhsuk-button" type="submit">
          Add
        </button>
      </Form>
      {AUDIENCE_LISTS.map((list) => (
        <Form method="post" key={list}>
          <h2>{list === "audience" ? "Audiences" : "Areas of interest"}</h2>
          <ResponsiveTable
            caption={list === "audience" ? "Audiences" : "Areas of interest"}
            headings={["Name", "Status", "Change"]}
            rows={audiences
              .filter((a) => a.list === list)
              .map((a) => ({
                key: a.code,
                cells: [
                  a.name,
                  a.retired ? "Retired" : "In use",
                  <button key="change" className="nhsuk-button nhsuk-button--secondary nhsuk-button--small" type="submit" name="intent" value={`${a.retired ? "restore" : "retire"}:${a.code}`}>
                    {a.retired ? "Restore" : "Retire"}
                    <span className="nhsuk-u-visually-hidden"> {a.name}</span>
                  </button>,
                ],
              }))}
          />
        </Form>
      ))}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
