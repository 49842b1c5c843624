// Changing a consultation (/consultations/:id/edit), for commissioners. Once it has opened, its
// questions and opening date are fixed: the page shows them and says why.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ConsultationForm } from "~/components/consultation-form";
import { ErrorPage } from "~/components/error-page";
import { Breadcrumbs } from "~/components/messages";
import { formOf, MAX_ROWS, readConsultationForm, sentForm } from "~/consultation-form";
import { questionsFrozen } from "~/domain/consultations";
import { DomainError } from "~/domain/errors";
import { readForm } from "~/forms.server";
import { notFound, sentence, statusOf } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { consultationFormChoices, getConsultation, updateConsultation } from "~/models/consultations.server";
import { requirePermission } from "~/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit ${data.title} – Specwork` : "Consultation not found – Specwork" }];

const FROZEN = "This consultation has opened, so its questions and opening date can no longer change: people may already have answered them.";

async function load(id: string) {
  const db = await getDatabase();
  const consultation = await getConsultation(db, id);
  if (!consultation) throw notFound("There is no consultation at this address.", { href: "/consultations", text: "See all consultations" });
  const choices = await consultationFormChoices(db, { slug: consultation.slug, number: consultation.versionNumber });
  return { db, consultation, choices, frozen: questionsFrozen(consultation, new Date()) };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "manageConsultations");
  const { consultation: c, choices, frozen } = await load(params.id ?? "");
  const shown = formOf(
    { id: c.id, slug: c.slug, versionNumber: c.versionNumber, fields: { title: c.title, kind: c.kind, summary: c.summary, whyItMatters: c.whyItMatters, opensAt: c.opensAt, closesAt: c.closesAt }, events: c.events, audiences: c.audiences.map((a) => a.code), questions: c.questions },
    { frozen },
  );
  return { id: c.id, title: c.title, choices, shown, frozen: frozen ? FROZEN : null, published: c.reportPublishedAt !== null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "manageConsultations");
  const { db, consultation, choices, frozen } = await load(params.id ?? "");
  const form = await readForm(request);
  const shown = { ...sentForm(form), values: { ...sentForm(form).values, id: consultation.id, version: `${consultation.slug}/${consultation.versionNumber}` } };
  const intent = form.get("intent");
  if (intent === "add-event") return { choices, shown: { ...shown, eventRows: Math.min(shown.eventRows + 1, MAX_ROWS) }, errors: {}, error: null };
  if (intent === "add-question" && !frozen) return { choices, shown: { ...shown, questionRows: Math.min(shown.questionRows + 1, MAX_ROWS) }, errors: {}, error: null };
  const read = readConsultationForm(shown, { isNew: false });
  if (!read.ok) return data({ choices, shown, errors: Object.fromEntries(Object.entries(read.errors).map(([k, m]) => [k, sentence(m)])), error: null }, { status: 400 });
  try {
    await updateConsultation(db, user, consultation.id, { fields: read.data.fields, events: read.data.events, audiences: read.data.audiences, questions: read.data.questions });
  } catch (error) {
    if (error instanceof DomainError) return data({ choices, shown, errors: {}, error: sentence(error.message) }, { status: statusOf(error.kind) });
    throw error;
  }
  return redirect(`/consultations/${consultation.id}`);
}

export default function EditConsultation() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Breadcrumbs
          items={[
            { href: "/consultations", text: "Consultations" },
            { href: `/consultations/${loaded.id}`, text: loaded.title },
          ]}
        />
        <h1>Edit consultation</h1>
        {loaded.published ? (
          <div className="nhsuk-inset-text">
            <p>The report of this consultation is published, so the consultation can no longer change.</p>
          </div>
        ) : null}
        <ConsultationForm action={`/consultations/${loaded.id}/edit`} isNew={false} choices={result?.choices ?? loaded.choices} shown={result?.shown ?? loaded.shown} errors={result?.errors ?? {}} error={result?.error ?? null} frozen={loaded.frozen} />
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
