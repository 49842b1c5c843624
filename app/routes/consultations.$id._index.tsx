// One consultation for the public (/consultations/:id): what it proposes, when it is open, its
// events, who it is for, its questions and documents, and how to respond or read its outcome.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { can, type Role } from "~/domain/permissions";
import type { loader as rootLoader } from "~/root";
import { ErrorPage } from "~/components/error-page";
import { Breadcrumbs } from "~/components/messages";
import {
  CONSULTATION_KIND_TEXT,
  CONSULTATION_STATE_TEXT,
  consultationState,
  EVENT_KIND_TEXT,
  EVENT_STATE_TEXT,
  eventState,
  nextClockChange,
  QUESTION_KIND_TEXT,
  type ConsultationState,
  type EventState,
} from "~/domain/consultations";
import { outline } from "~/domain/numbering";
import { londonDate, londonDateTime, londonTime } from "~/domain/london-time";
import { notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { getConsultation } from "~/models/consultations.server";
import { findVersion } from "~/models/versions.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.consultation.title} – Specwork` : "Consultation not found – Specwork" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const db = await getDatabase();
  const consultation = await getConsultation(db, params.id ?? "");
  if (!consultation) {
    throw notFound("We could not find a consultation at this address. It may have moved, or the address may be mistyped.", {
      href: "/consultations",
      text: "See all consultations",
    });
  }
  const at = new Date();
  const version = await findVersion(db, consultation.slug, consultation.versionNumber);
  const items = new Map((version ? outline(version.doc) : []).map((e) => [e.id, `${e.kind} ${e.number}`]));
  return {
    consultation: {
      ...consultation,
      state: consultationState(consultation, at),
      events: consultation.events.map((e) => ({ ...e, state: eventState(e, at) })),
      questions: consultation.questions.map((q) => ({ ...q, itemName: q.itemId ? (items.get(q.itemId) ?? null) : null })),
    },
    freshUntil: nextClockChange([consultation], at),
  };
}

const STATE_TAG: Record<ConsultationState, string> = { open: "nhsuk-tag nhsuk-tag--green", upcoming: "nhsuk-tag nhsuk-tag--blue", closed: "nhsuk-tag nhsuk-tag--grey" };
const EVENT_TAG: Record<EventState, string> = { upcoming: "nhsuk-tag nhsuk-tag--blue", "under-way": "nhsuk-tag nhsuk-tag--green", ended: "nhsuk-tag nhsuk-tag--grey" };

/** Text a commissioner wrote, as paragraphs (a blank line between them). */
function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p, i) => (
          <p key={i}>{p}</p>
        ))}
    </>
  );
}

/** Where staff work on the consultation's responses, as far as their role allows. */
function StaffLinks({ id, role, closed, published }: { id: string; role: Role; closed: boolean; published: boolean }) {
  const links: [string, string, boolean][] = [
    ["responses", "Responses", true],
    ["coding", "Code responses to themes", can(role, "codeResponses")],
    ["import", "Import responses from another tool", can(role, "importResponses")],
    ["moderation", "Moderate quotes for publication", can(role, "moderateResponses")],
    ["agreement", "Agreement between coders", true],
    ["decisions", "Decide each theme", can(role, "decideThemes") && !published],
    ["report", published ? "Engagement report" : "Engagement report (draft preview)", closed || published],
  ];
  return (
    <nav className="nhsuk-card" aria-label="Work on this consultation">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-s">For staff</h2>
        <ul className="nhsuk-list">
          {links
            .filter(([, , shown]) => shown)
            .map(([path, text]) => (
              <li key={path}>
                <a href={`/consultations/${id}/${path}`}>{text}</a>
              </li>
            ))}
        </ul>
      </div>
    </nav>
  );
}

export default function ConsultationPage() {
  const { consultation: c } = useLoaderData<typeof loader>();
  const user = useRouteLoaderData<typeof rootLoader>("root")?.user;
  const versionHref = `/specs/${c.slug}/v/${c.versionNumber}`;
  const range = c.parentNumber ? `${c.parentNumber}...${c.versionNumber}` : null;
  const audiences = c.audiences.filter((a) => a.list === "audience");
  const interests = c.audiences.filter((a) => a.list === "interest");
  return (
    <>
      <Breadcrumbs items={[{ href: "/consultations", text: "Consultations" }]} />
      <span className="nhsuk-caption-l">{CONSULTATION_KIND_TEXT[c.kind]}</span>
      <h1>{c.title}</h1>
      <p>
        <strong className={STATE_TAG[c.state]}>{CONSULTATION_STATE_TEXT[c.state]}</strong>
      </p>
      {user && can(user.role, "manageConsultations") && !c.reportPublishedAt ? (
        <p>
          <a href={`/consultations/${c.id}/edit`}>Edit this consultation</a>
        </p>
      ) : null}
      {user && can(user.role, "readResponses") ? <StaffLinks id={c.id} role={user.role} closed={c.state === "closed"} published={Boolean(c.reportPublishedAt)} /> : null}
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">{c.state === "upcoming" ? "Opens" : "Opened"}</dt>
          <dd className="nhsuk-summary-list__value">{londonDateTime(c.opensAt)}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">{c.state === "closed" ? "Closed" : "Closes"}</dt>
          <dd className="nhsuk-summary-list__value">{londonDateTime(c.closesAt)}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Specification</dt>
          <dd className="nhsuk-summary-list__value">
            {c.specificationTitle}, version {c.versionNumber}
            {c.versionLabel ? ` – ${c.versionLabel}` : ""}
          </dd>
        </div>
      </dl>

      {c.state === "open" ? (
        <a className="nhsuk-button nhsuk-button--start" href={`/consultations/${c.id}/respond`} role="button" draggable="false">
          Respond to this consultation
          <svg className="nhsuk-icon nhsuk-icon__chevron-right" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true" focusable="false" width="24" height="24">
            <path d="M15.5 12a1 1 0 0 1-.29.71l-5 5a1 1 0 0 1-1.42-1.42l4.3-4.29-4.3-4.29a1 1 0 0 1 1.42-1.42l5 5a1 1 0 0 1 .29.71z" />
          </svg>
        </a>
      ) : c.state === "upcoming" ? (
        <div className="nhsuk-inset-text">
          <p>This consultation opens at {londonDateTime(c.opensAt)}. You can respond from then until it closes.</p>
        </div>
      ) : (
        <div className="nhsuk-inset-text">
          <h2 className="nhsuk-heading-m">This consultation has closed</h2>
          {c.reportPublishedAt ? (
            <p>
              <a href={`/consultations/${c.id}/report`}>Read the engagement report</a>: what people told us, and how it shaped the specification.
            </p>
          ) : (
            <p>We are analysing the responses. We will publish a report of what people told us, and what we changed because of it.</p>
          )}
        </div>
      )}

      <p>
        <a href="/consultations/privacy">How we use responses</a>: we never publish names or email addresses.
      </p>

      <h2>Overview</h2>
      <Paragraphs text={c.summary} />

      <h2>Why your views matter</h2>
      <Paragraphs text={c.whyItMatters} />

      <h2>Documents</h2>
      <ul className="nhsuk-list">
        <li>
          <a href={versionHref}>
            {c.specificationTitle}, version {c.versionNumber}
          </a>
        </li>
        {range ? (
          <>
            <li>
              <a href={`/specs/${c.slug}/compare/${range}`}>
                What changed from version {c.parentNumber} to {c.versionNumber} (tracked changes)
              </a>
            </li>
            <li>
              <a href={`/specs/${c.slug}/compare/${range}.docx`} download>
                The tracked changes as a Word document (.docx)
              </a>
            </li>
          </>
        ) : null}
      </ul>

      <h2>Events</h2>
      {c.events.length ? (
        <ul className="nhsuk-list sw-consultation-events">
          {c.events.map((e) => (
            <li key={e.id} className="nhsuk-u-margin-bottom-3">
              <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
                {EVENT_KIND_TEXT[e.kind]}: {e.place}
              </h3>
              <p className="nhsuk-u-margin-bottom-1">
                {londonDate(e.startsAt)}, {londonTime(e.startsAt)} to {londonTime(e.endsAt)}
              </p>
              <strong className={EVENT_TAG[e.state]}>{EVENT_STATE_TEXT[e.state]}</strong>
            </li>
          ))}
        </ul>
      ) : (
        <p>{c.state === "closed" ? "There were no events for this consultation." : "There are no events for this consultation. You can respond online."}</p>
      )}

      <h2>Who this is for</h2>
      {audiences.length ? (
        <>
          <p>We would particularly like to hear from:</p>
          <ul>
            {audiences.map((a) => (
              <li key={a.code}>{a.name}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>Anyone may respond.</p>
      )}
      {interests.length ? (
        <>
          <h3>Areas of interest</h3>
          <ul>
            {interests.map((a) => (
              <li key={a.code}>{a.name}</li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>What we are asking</h2>
      {c.questions.length ? (
        <ol className="nhsuk-list nhsuk-list--number">
          {c.questions.map((q) => (
            <li key={q.id}>
              {q.text}
              <span className="nhsuk-body-s sw-question-kind">
                {" "}
                ({QUESTION_KIND_TEXT[q.kind].toLowerCase()}
                {q.itemId && q.itemName ? (
                  <>
                    , about <a href={`${versionHref}#${q.itemId}`}>{q.itemName}</a>
                  </>
                ) : null}
                )
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p>This consultation asks for comments on the specification's clauses rather than set questions.</p>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
