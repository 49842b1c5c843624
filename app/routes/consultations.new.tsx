// Starting a consultation on a published version (/consultations/new), for commissioners.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConsultationForm } from "~/components/consultation-form";
import { ErrorPage } from "~/components/error-page";
import { Breadcrumbs } from "~/components/messages";
import { emptyForm, MAX_ROWS, readConsultationForm, sentForm } from "~/consultation-form";
import { DomainError } from "~/domain/errors";
import { readForm } from "~/forms.server";
import { sentence, statusOf } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { consultationFormChoices, createConsultation } from "~/models/consultations.server";
import { requirePermission } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "New consultation – Specwork" }];

/** The version the form starts on: the one asked for (?version=slug/number), else the newest. */
function chosenVersion(value: string | null | undefined): { slug: string; number: string } | null {
  const match = /^([a-z0-9-]+)\/([0-9A-Za-z.-]+)$/.exec(value ?? "");
  return match ? { slug: match[1]!, number: match[2]! } : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "manageConsultations");
  const choices = await consultationFormChoices(await getDatabase(), chosenVersion(new URL(request.url).searchParams.get("version")));
  const first = choices.versions[0];
  return { choices, shown: emptyForm(first ? `${first.slug}/${first.number}` : "") };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "manageConsultations");
  const db = await getDatabase();
  const form = await readForm(request);
  const shown = sentForm(form);
  const choices = await consultationFormChoices(db, chosenVersion(shown.values.version));
  const intent = form.get("intent");
  if (intent === "add-event") return { choices, shown: { ...shown, eventRows: Math.min(shown.eventRows + 1, MAX_ROWS) }, errors: {}, error: null };
  // A new version chosen: the form again, with that version's sections and clauses to ask about.
  if (intent === "choose-version") return { choices, shown, errors: {}, error: null };
  if (intent === "add-question") return { choices, shown: { ...shown, questionRows: Math.min(shown.questionRows + 1, MAX_ROWS) }, errors: {}, error: null };
  const read = readConsultationForm(shown, { isNew: true });
  if (!read.ok) return data({ choices, shown, errors: Object.fromEntries(Object.entries(read.errors).map(([k, m]) => [k, sentence(m)])), error: null }, { status: 400 });
  try {
    await createConsultation(db, user, read.data);
  } catch (error) {
    if (error instanceof DomainError) return data({ choices, shown, errors: {}, error: sentence(error.message) }, { status: statusOf(error.kind) });
    throw error;
  }
  return redirect(`/consultations/${read.data.id}`);
}

export default function NewConsultation() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Breadcrumbs items={[{ href: "/consultations", text: "Consultations" }]} />
        <h1>New consultation</h1>
        <ConsultationForm action="/consultations/new" isNew choices={result?.choices ?? loaded.choices} shown={result?.shown ?? loaded.shown} errors={result?.errors ?? {}} error={result?.error ?? null} frozen={null} />
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
