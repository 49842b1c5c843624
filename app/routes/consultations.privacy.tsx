// The privacy notice for consultation responses (/consultations/privacy), in plain English.
import type { MetaFunction } from "@remix-run/node";
import { Breadcrumbs } from "~/components/messages";

export const meta: MetaFunction = () => [{ title: "Privacy notice for consultation responses – Specwork" }];

export default function ConsultationPrivacy() {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Breadcrumbs items={[{ href: "/consultations", text: "Consultations" }]} />
        <h1>How we use your consultation response</h1>
        <h2>What we keep</h2>
        <p>When you respond to a consultation we keep:</p>
        <ul>
          <li>your answers to the questions and your comments on clauses</li>
          <li>whether you responded as an individual or on behalf of an organisation, and the organisation's name</li>
          <li>the description you chose of yourself, such as clinician or carer</li>
          <li>your name and email address, only if you give them</li>
          <li>what you told us about publishing your response</li>
        </ul>
        <p>
          To stop anyone sending large numbers of responses, we also keep a scrambled code made from your internet address for a short time. We cannot turn
          it back into your address, and we do not keep the address itself.
        </p>
        <h2>Who sees it</h2>
        <p>Only the NHS England staff who analyse the consultation can read your response.</p>
        <p>
          We never publish your name or email address, and they never appear on any page, list or download. If you agreed, we may quote your words in the
          report of the consultation, after a member of staff has checked them:
        </p>
        <ul>
          <li>if you chose to be published in full and responded for an organisation, we may name the organisation</li>
          <li>if you chose to be published anonymously, we say only what kind of respondent you are</li>
          <li>if you asked us not to publish your response, we count it but never quote it</li>
        </ul>
        <h2>How we use your email address</h2>
        <p>Only to contact you about your response, if we need to. We do not add you to any mailing list.</p>
        <h2>How long we keep it</h2>
        <p>
          We keep your name, email address and organisation name for 2 years after the consultation closes, then delete them. Your answers stay, without them, so that the counts in the report can
          still be checked.
        </p>
        <p>
          <a href="/consultations">See all consultations</a>
        </p>
      </div>
    </div>
  );
}
