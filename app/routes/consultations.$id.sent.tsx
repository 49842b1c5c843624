// The confirmation after a response is sent (/consultations/:id/sent?reference=…): the reference
// number and what happens next. The reference is all the address holds; nothing personal.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { londonDateTime } from "~/domain/london-time";
import { notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { getConsultation } from "~/models/consultations.server";

export const meta: MetaFunction = () => [{ title: "Response sent – Specwork" }];

const REFERENCE = /^RT-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

export async function loader({ params, request }: LoaderFunctionArgs) {
  const consultation = await getConsultation(await getDatabase(), params.id ?? "");
  const back = { href: "/consultations", text: "See all consultations" };
  if (!consultation) throw notFound("We could not find a consultation at this address.", back);
  const reference = new URL(request.url).searchParams.get("reference") ?? "";
  if (!REFERENCE.test(reference)) {
    throw notFound("This page shows the reference number of a response you have just sent, and this address has none.", { href: `/consultations/${consultation.id}`, text: "Go to the consultation" });
  }
  // One page per reference: not worth keeping in the page cache.
  return { consultation: { id: consultation.id, title: consultation.title, closesAt: consultation.closesAt }, reference, freshUntil: new Date().toISOString() };
}

export default function ResponseSent() {
  const { consultation, reference } = useLoaderData<typeof loader>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <div className="nhsuk-panel nhsuk-panel--confirmation">
          <h1 className="nhsuk-panel__title">Response sent</h1>
          <div className="nhsuk-panel__body">
            Your reference number
            <br />
            <strong className="sw-reference">{reference}</strong>
          </div>
        </div>
        <p>Thank you for responding to {consultation.title}.</p>
        <p>Keep your reference number. Quote it if you contact us about your response.</p>
        <h2>What happens next</h2>
        <p>The consultation closes at {londonDateTime(consultation.closesAt)}. After it closes we will:</p>
        <ul>
          <li>read every response and group what people said into themes</li>
          <li>decide what to change in the specification because of them</li>
          <li>publish a report of what people told us and what we changed, on the consultation's page</li>
        </ul>
        <p>
          <a href={`/consultations/${consultation.id}`}>Go back to the consultation</a>
        </p>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
