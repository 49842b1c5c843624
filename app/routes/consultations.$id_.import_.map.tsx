// Importing responses, step 2 (/consultations/:id/import/map?upload=…): the first rows of the
// uploaded file, what each column holds, then what the capacity and consent answers mean and
// where the responses came from. Confirming starts the import and shows its progress.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorPage } from "~/components/error-page";
import { FieldError, groupClass, Select } from "~/components/fields";
import { Breadcrumbs, ErrorSummary } from "~/components/messages";
import { ResponsiveTable } from "~/components/table";
import { CAPACITIES, CAPACITY_TEXT, CHANNEL_TEXT, CHANNELS, CONSENTS, CONSENT_TEXT } from "~/domain/consultations";
import { COLUMN_ROLES, COLUMN_ROLE_TEXT, guessTarget, mappingFromChoices, suggestCapacity, suggestConsent } from "~/domain/response-mapping";
import { parseForm } from "~/forms";
import { readForm } from "~/forms.server";
import { notFound, sentence } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { getConsultation } from "~/models/consultations.server";
import { columnValues, findUpload, mappingContext, previewResponsesFile, startImport } from "~/models/response-import.server";
import { listVersionItems } from "~/models/versions.server";
import { requirePermission } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Say what each column holds – Import responses – Specwork" }];

const PRIVATE = { "Cache-Control": "private, no-store" };
const MAX_COLUMNS = 200;

async function pageData(request: Request, id: string, token: string) {
  const user = await requirePermission(request, "importResponses");
  const db = await getDatabase();
  const consultation = await getConsultation(db, id);
  if (!consultation) throw notFound(`There is no consultation at /consultations/${id}.`);
  const back = { href: `/consultations/${id}/import`, text: "Upload the file again" };
  const upload = await findUpload(user, id, token);
  if (!upload) throw notFound("This upload is not here any more (it was imported, or it is someone else's). Upload the file again.", back);
  // Sent again (back button, a second click): show the import it started.
  if (upload.importId !== undefined) throw redirect(`/consultations/${id}/import/${upload.importId}`, { headers: PRIVATE });
  const preview = await previewResponsesFile(upload.file, upload.format, 5);
  const clauses = (await listVersionItems(db, consultation.versionId)).filter((item) => item.kind === "clause");
  return { user, db, consultation, upload, preview, clauses };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("upload") ?? "";
  const { consultation, upload, preview, clauses } = await pageData(request, params.id ?? "", token);
  const questionKinds = new Map(consultation.questions.map((q) => [q.id, q.kind]));
  const headers = preview.ok ? preview.headers.slice(0, MAX_COLUMNS) : [];
  return data(
    {
      consultation: { id: consultation.id, title: consultation.title },
      token,
      fileName: upload.fileName,
      problem: preview.ok ? null : sentence(`The file ${preview.problem.message}`),
      headers,
      rows: preview.ok ? preview.rows.map((r) => r.slice(0, MAX_COLUMNS)) : [],
      guesses: headers.map((h) => guessTarget(h, questionKinds)),
      questions: consultation.questions.map((q) => ({ id: q.id, kind: q.kind, text: q.text })),
      clauses: clauses.map((c) => ({ id: c.item_id, number: c.number, text: c.plain_text.length > 60 ? `${c.plain_text.slice(0, 59)}…` : c.plain_text })),
    },
    { headers: PRIVATE },
  );
}

const Target = z.string().max(200, "Choose what this column holds from the list");
const Fields = z
  .object({
    upload: z.string().regex(/^[0-9a-f]{32}$/, "This upload is not here any more: upload the file again"),
    step: z.enum(["columns", "start"], { error: "Choose one of the page's buttons" }),
    channel: z.enum(CHANNELS, { error: "Say whether these responses came in online or in other formats" }),
  })
  .catchall(Target);

export async function action({ request, params }: ActionFunctionArgs) {
  await requirePermission(request, "importResponses");
  const form = await readForm(request);
  const token = String(form.get("upload") ?? "");
  const { user, db, consultation, upload, preview } = await pageData(request, params.id ?? "", token);
  if (!preview.ok) return data({ step: "columns" as const, errors: { form: sentence(`The file ${preview.problem.message}`) }, targets: [], values: null }, { status: 400, headers: PRIVATE });
  const headers = preview.headers.slice(0, MAX_COLUMNS);
  const parsed = parseForm(form, Fields);
  const rawTargets = headers.map((_, i) => String(form.get(`col-${i}`) ?? ""));
  if (!parsed.ok) return data({ step: "columns" as const, errors: parsed.errors, targets: rawTargets, values: null }, { status: 400, headers: PRIVATE });
  const context = await mappingContext(db, consultation.id);
  const pairs = (prefix: string) => {
    const out: [string, string][] = [];
    for (let k = 0; form.has(`${prefix}text-${k}`); k++) out.push([String(form.get(`${prefix}text-${k}`)), String(form.get(`${prefix}-${k}`) ?? "")]);
    return out;
  };
  const choices = { headers, targets: rawTargets, channel: parsed.data.channel, capacityValues: pairs("cap"), consentValues: pairs("con") };
  if (parsed.data.step === "columns") {
    // Check the columns alone first: the values are asked for on the next step.
    const columnsOnly = { ...choices, capacityValues: [["", "individual"]] as [string, string][], consentValues: [["", "none"]] as [string, string][] };
    const checked = mappingFromChoices(columnsOnly, context);
    if (!checked.ok) return data({ step: "columns" as const, errors: checked.errors, targets: rawTargets, values: null }, { status: 400, headers: PRIVATE });
    const seen = await columnValues(upload);
    const valuesOf = (role: "capacity" | "consent") => {
      const index = rawTargets.indexOf(role);
      return index < 0 ? null : { header: headers[index]!, values: seen.get(index) ?? [] };
    };
    return data({ step: "values" as const, errors: {} as Record<string, string>, targets: rawTargets, values: { capacity: valuesOf("capacity"), consent: valuesOf("consent"), channel: parsed.data.channel } }, { headers: PRIVATE });
  }
  const checked = mappingFromChoices(choices, context);
  if (!checked.ok) {
    const seen = await columnValues(upload);
    const valuesOf = (role: "capacity" | "consent") => {
      const index = rawTargets.indexOf(role);
      return index < 0 ? null : { header: headers[index]!, values: seen.get(index) ?? [] };
    };
    return data({ step: "values" as const, errors: checked.errors, targets: rawTargets, values: { capacity: valuesOf("capacity"), consent: valuesOf("consent"), channel: parsed.data.channel } }, { status: 400, headers: PRIVATE });
  }
  const importId = await startImport(db, user, upload, checked.mapping);
  return redirect(`/consultations/${consultation.id}/import/${importId}`, { headers: PRIVATE });
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

function targetOptions(page: LoaderData) {
  return [
    { value: "", text: "Do not import this column" },
    ...COLUMN_ROLES.map((role) => ({ value: role, text: COLUMN_ROLE_TEXT[role] })),
    ...page.questions.flatMap((q) => {
      const short = q.text.length > 50 ? `${q.text.slice(0, 49)}…` : q.text;
      return q.kind === "agree-scale"
        ? [
            { value: `q:${q.id}`, text: `Answer to ${q.id.toUpperCase()} (agree or disagree): ${short}` },
            { value: `q:${q.id}-comment`, text: `Comment on ${q.id.toUpperCase()}: ${short}` },
          ]
        : [{ value: `q:${q.id}`, text: `Answer to ${q.id.toUpperCase()}: ${short}` }];
    }),
    ...page.clauses.map((c) => ({ value: `c:${c.id}`, text: `Comments on clause ${c.number}: ${c.text}` })),
  ];
}

function ValueRows({ prefix, role, header, values, choices, errors }: { prefix: string; role: "capacity" | "consent"; header: string; values: string[]; choices: readonly { value: string; text: string }[]; errors: Record<string, string> }) {
  const suggest = role === "capacity" ? suggestCapacity : suggestConsent;
  return (
    <fieldset className={`nhsuk-fieldset ${groupClass(errors[role])}`} id={role}>
      <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">What the answers in “{header}” mean</legend>
      <FieldError id={role} message={errors[role]} />
      {values.length === 0 ? <p>This column is empty in the file.</p> : null}
      {values.map((value, k) => (
        <div key={value}>
          <input type="hidden" name={`${prefix}text-${k}`} value={value} />
          <Select id={`${prefix}-${k}`} name={`${prefix}-${k}`} label={value ? `“${value}”` : "An empty cell"} defaultValue={suggest(value) ?? ""} options={[{ value: "", text: "Not listed (a row with this answer is a problem)" }, ...choices]} />
        </div>
      ))}
    </fieldset>
  );
}

export default function MapColumns() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const targets = result?.targets?.length ? result.targets : page.guesses;
  const options = targetOptions(page);
  const base = [
    { href: "/consultations", text: "Consultations" },
    { href: `/consultations/${page.consultation.id}`, text: page.consultation.title },
    { href: `/consultations/${page.consultation.id}/import`, text: "Import responses" },
  ];
  if (page.problem) {
    return (
      <>
        <Breadcrumbs items={base} />
        <h1>This file cannot be imported</h1>
        <ErrorSummary message={page.problem} />
        <p>
          <a href={`/consultations/${page.consultation.id}/import`}>Upload another file</a>
        </p>
      </>
    );
  }
  const summaryErrors = Object.entries(errors).map(([field, text]) => (field.startsWith("col-") || field === "capacity" || field === "consent" || field === "channel" ? { href: `#${field}`, text } : { text }));
  const values = result?.step === "values" ? result.values : null;
  return (
    <>
      <Breadcrumbs items={base} />
      <span className="nhsuk-caption-l">{page.fileName}</span>
      <h1>{values ? "Check what the answers mean" : "Say what each column holds"}</h1>
      <ErrorSummary errors={summaryErrors} />
      {!values ? (
        <>
          <ResponsiveTable caption={`The first ${page.rows.length === 1 ? "row" : `${page.rows.length} rows`} of the file`} headings={page.headers.map((h, i) => h || `Column ${i + 1}`)} rows={page.rows.map((cells, r) => ({ key: r, cells: page.headers.map((_, i) => cells[i] ?? "") }))} className="sw-import-preview" />
          <Form method="post" className="sw-narrow-form">
            <input type="hidden" name="upload" value={page.token} />
            <input type="hidden" name="step" value="columns" />
            {page.headers.map((header, i) => (
              <Select key={i} id={`col-${i}`} name={`col-${i}`} label={header ? `“${header}”` : `Column ${i + 1} (no header)`} hint={page.rows[0]?.[i] ? `For example: ${page.rows[0][i]!.slice(0, 80)}` : undefined} defaultValue={targets[i] ?? ""} options={options} error={errors[`col-${i}`]} />
            ))}
            <ChannelRadios defaultValue="online" error={errors.channel} />
            <button className="nhsuk-button" type="submit">
              Continue
            </button>
          </Form>
        </>
      ) : (
        <Form method="post" className="sw-narrow-form">
          <input type="hidden" name="upload" value={page.token} />
          <input type="hidden" name="step" value="start" />
          {targets.map((target, i) => (
            <input key={i} type="hidden" name={`col-${i}`} value={target} />
          ))}
          <h2 className="nhsuk-heading-s">The columns to import</h2>
          <ul>
            {targets.map((target, i) =>
              target ? (
                <li key={i}>
                  “{page.headers[i]}”: {options.find((o) => o.value === target)?.text ?? target}
                </li>
              ) : null,
            )}
          </ul>
          <p>
            <a href={`/consultations/${page.consultation.id}/import/map?upload=${page.token}`}>Change the columns</a>
          </p>
          {values.capacity ? <ValueRows prefix="cap" role="capacity" header={values.capacity.header} values={values.capacity.values} choices={CAPACITIES.map((c) => ({ value: c, text: CAPACITY_TEXT[c] }))} errors={errors} /> : null}
          {values.consent ? <ValueRows prefix="con" role="consent" header={values.consent.header} values={values.consent.values} choices={CONSENTS.map((c) => ({ value: c, text: CONSENT_TEXT[c] }))} errors={errors} /> : null}
          {!values.consent ? <p>No column says whether a response may be published, so none of these responses will be published.</p> : null}
          <ChannelRadios defaultValue={values.channel} error={errors.channel} />
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>Every row is checked before anything is stored. If any row has a problem, nothing is imported and you will see each problem with its row and column. A row imported before is counted once.</p>
          </div>
          <button className="nhsuk-button" type="submit">
            Import responses
          </button>
        </Form>
      )}
    </>
  );
}

function ChannelRadios({ defaultValue, error }: { defaultValue: string; error?: string }) {
  return (
    <div className={groupClass(error)}>
      <fieldset className="nhsuk-fieldset" id="channel" aria-describedby={error ? "channel-error" : undefined}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">How did these responses come in?</legend>
        <FieldError id="channel" message={error} />
        <div className="nhsuk-radios">
          {CHANNELS.map((channel) => (
            <div className="nhsuk-radios__item" key={channel}>
              <input className="nhsuk-radios__input" id={`channel-${channel}`} name="channel" type="radio" value={channel} defaultChecked={channel === defaultValue} />
              <label className="nhsuk-label nhsuk-radios__label" htmlFor={`channel-${channel}`}>
                {channel === "online" ? "Online, through another tool such as a survey" : CHANNEL_TEXT[channel]}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}

