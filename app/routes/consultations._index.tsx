// Every consultation for the public (/consultations): open ones first, then those opening soon,
// then closed ones with their engagement reports.
import type { MetaFunction } from "@remix-run/node";
import { useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { can } from "~/domain/permissions";
import type { loader as rootLoader } from "~/root";
import { ErrorPage } from "~/components/error-page";
import { CONSULTATION_KIND_TEXT, consultationState, nextClockChange, type ConsultationState } from "~/domain/consultations";
import { londonDateTime } from "~/domain/london-time";
import { getDatabase } from "~/models/app-database.server";
import { listConsultations, type ConsultationSummary } from "~/models/consultations.server";

export const meta: MetaFunction = () => [{ title: "Consultations – Specwork" }];

export async function loader() {
  const consultations = await listConsultations(await getDatabase());
  const at = new Date();
  const groups: Record<ConsultationState, typeof consultations> = { open: [], upcoming: [], closed: [] };
  for (const c of consultations) groups[consultationState(c, at)].push(c);
  // Soonest first for open and upcoming ones; the most recently closed first.
  groups.open.sort((a, b) => a.closesAt.localeCompare(b.closesAt));
  groups.upcoming.sort((a, b) => a.opensAt.localeCompare(b.opensAt));
  groups.closed.sort((a, b) => b.closesAt.localeCompare(a.closesAt));
  return { groups, freshUntil: nextClockChange(consultations, at) };
}

function ConsultationCard({ consultation, children }: { consultation: ConsultationSummary; children: React.ReactNode }) {
  return (
    <li className="sw-consultation">
      <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
        <a href={`/consultations/${consultation.id}`}>{consultation.title}</a>
      </h3>
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
        {CONSULTATION_KIND_TEXT[consultation.kind]} on {consultation.specificationTitle}, version {consultation.versionNumber}
      </p>
      {children}
    </li>
  );
}

export default function Consultations() {
  const { groups } = useLoaderData<typeof loader>();
  const user = useRouteLoaderData<typeof rootLoader>("root")?.user;
  return (
    <>
      <h1>Consultations</h1>
      {user && can(user.role, "manageConsultations") ? (
        <p>
          <a className="nhsuk-button nhsuk-button--secondary" href="/consultations/new">
            Start a consultation
          </a>
        </p>
      ) : null}
      <p className="nhsuk-lede-text">
        Before a service specification changes, we ask the people it affects what they think. Tell us your views while a consultation is open, and read what
        people said and what changed once it has closed.
      </p>

      <h2 id="sw_open">Open consultations</h2>
      {groups.open.length ? (
        <ul className="nhsuk-list sw-consultations" aria-labelledby="sw_open">
          {groups.open.map((c) => (
            <ConsultationCard key={c.id} consultation={c}>
              <p className="nhsuk-body-s">Closes at {londonDateTime(c.closesAt)}</p>
            </ConsultationCard>
          ))}
        </ul>
      ) : (
        <p>There are no open consultations at the moment. Upcoming consultations are listed below when they have been planned.</p>
      )}

      <h2 id="sw_upcoming">Opening soon</h2>
      {groups.upcoming.length ? (
        <ul className="nhsuk-list sw-consultations" aria-labelledby="sw_upcoming">
          {groups.upcoming.map((c) => (
            <ConsultationCard key={c.id} consultation={c}>
              <p className="nhsuk-body-s">Opens at {londonDateTime(c.opensAt)}</p>
            </ConsultationCard>
          ))}
        </ul>
      ) : (
        <p>No consultations are planned yet.</p>
      )}

      <h2 id="sw_closed">Closed consultations</h2>
      {groups.closed.length ? (
        <ul className="nhsuk-list sw-consultations" aria-labelledby="sw_closed">
          {groups.closed.map((c) => (
            <ConsultationCard key={c.id} consultation={c}>
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">Closed at {londonDateTime(c.closesAt)}</p>
              {c.reportPublishedAt ? (
                <p className="nhsuk-body-s">
                  <a href={`/consultations/${c.id}/report`}>
                    Read the engagement report<span className="nhsuk-u-visually-hidden">: {c.title}</span>
                  </a>
                </p>
              ) : (
                <p className="nhsuk-body-s">We are analysing the responses. The report will be published here.</p>
              )}
            </ConsultationCard>
          ))}
        </ul>
      ) : (
        <p>No consultations have closed yet.</p>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
