// The engagement report as a page: the document NHS England publishes after an engagement or a
// consultation, laid out to print on A4. It shows only what the report value holds.
import { DECISION_TEXT, kappaText } from "~/domain/coding";
import { CONSULTATION_KIND_TEXT, inSentence } from "~/domain/consultations";
import { changeTitle, MIN_AGREEMENT_SAMPLE, leadingStance, notChanged, percentText, stanceMixText, type EngagementReport, type ReportTheme } from "~/domain/engagement-report";
import { STANCE_TEXT } from "~/domain/coding";
import { londonDate, londonTime } from "~/domain/london-time";
import { ResponsiveTable } from "./table";

const n = (value: number) => value.toLocaleString("en-GB");
const plural = (count: number, one: string, many: string) => `${n(count)} ${count === 1 ? one : many}`;

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n{2,}/)
        .filter((p) => p.trim())
        .map((p, i) => (
          <p key={i}>{p}</p>
        ))}
    </>
  );
}

/** "a webinar on 3 November 2016 and events in Birmingham (10 November 2016), Leeds (…)". */
export function eventsText(events: EngagementReport["consultation"]["events"]): string | null {
  if (!events.length) return null;
  const webinars = events.filter((e) => e.kind === "webinar").map((e) => `a webinar on ${londonDate(e.startsAt)}`);
  const inPerson = events.filter((e) => e.kind === "in-person").map((e) => `${e.place} (${londonDate(e.startsAt)})`);
  const parts = [...webinars, ...(inPerson.length ? [`${inPerson.length === 1 ? "an event" : `${inPerson.length} events`} in ${listText(inPerson)}`] : [])];
  return listText(parts);
}

function listText(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}` : (items[0] ?? "");
}

export function agreementText(kappa: number | null, doubleCoded: number): string {
  if (kappa === null && doubleCoded < MIN_AGREEMENT_SAMPLE) return `The sample is too small to measure how closely the two codings agreed: that needs at least ${MIN_AGREEMENT_SAMPLE} responses coded twice.`;
  if (kappa === null) return "We could not measure how closely the two codings agreed.";
  return `The two codings agreed ${kappaText(kappa) === "almost perfect" ? "almost perfectly" : `to a ${kappaText(kappa)} degree`} (Cohen's kappa ${kappa.toFixed(2)}, where 1 means complete agreement and 0 means no more agreement than chance).`;
}

export function EngagementReportView({ report }: { report: EngagementReport }) {
  const { consultation, specification, respondents, coding, themes, revisions } = report;
  const kind = consultation.kind === "engagement" ? "engagement" : "consultation";
  const events = eventsText(consultation.events);
  const unchanged = notChanged(themes);
  const versionText = `version ${specification.version}${specification.versionLabel ? ` (${specification.versionLabel})` : ""}`;
  return (
    <article className="sw-report" aria-labelledby="sw_report-title">
      <span className="nhsuk-caption-l">{CONSULTATION_KIND_TEXT[consultation.kind]} report</span>
      <h1 id="sw_report-title">{consultation.title}</h1>
      <p className="nhsuk-lede-text">
        What people told us in the {kind} on {versionText} of the {specification.title} specification, and how their responses have shaped it.
      </p>

      <nav className="sw-contents sw-no-print" aria-labelledby="sw_report-contents">
        <h2 id="sw_report-contents" className="nhsuk-heading-s">
          Contents
        </h2>
        <ol className="sw-contents__list">
          <li className="sw-contents__item">
            <a href="#sw_about">About the {kind}</a>
          </li>
          <li className="sw-contents__item">
            <a href="#sw_who">Who responded</a>
          </li>
          <li className="sw-contents__item">
            <a href="#sw_themes">What people told us</a>
          </li>
          <li className="sw-contents__item">
            <a href="#sw_unchanged">What did not change, and why</a>
          </li>
          <li className="sw-contents__item">
            <a href="#sw_method">How we analysed the responses</a>
          </li>
        </ol>
      </nav>

      <section aria-labelledby="sw_about">
        <h2 id="sw_about">About the {kind}</h2>
        <p>
          The {kind} ran from {londonDate(consultation.opensAt)} to {londonTime(consultation.closesAt)} on {londonDate(consultation.closesAt)}. It asked for views on {versionText} of the specification
          {specification.reference ? ` (reference ${specification.reference})` : ""}.
        </p>
        <Paragraphs text={consultation.summary} />
        {events ? <p>During the {kind} we held {events}.</p> : null}
        {consultation.audiences.length ? <p>We asked to hear from: {listText(consultation.audiences.map((a, i) => (i === 0 ? a : inSentence(a))))}.</p> : null}
        {consultation.questions.length ? (
          <>
            <h3>The questions we asked</h3>
            <ol>
              {consultation.questions.map((q) => (
                <li key={q.id}>{q.text}</li>
              ))}
            </ol>
          </>
        ) : null}
      </section>

      <section aria-labelledby="sw_who">
        <h2 id="sw_who">Who responded</h2>
        <p>
          We received {plural(respondents.total, "response", "responses")}: {n(respondents.online)} online and {n(respondents.otherFormats)} in other formats, such as letters, emails and petitions.
          {respondents.stored < respondents.total
            ? ` The tables count the ${n(respondents.stored)} responses we recorded one by one; the other ${n(respondents.total - respondents.stored)} were counted but not recorded in detail.`
            : ""}
        </p>
        {respondents.stored > 0 ? (
          <>
            <ResponsiveTable
              caption="Responses by who was responding"
              headings={["Responding", "Responses", "Share"]}
              rows={respondents.byCapacity.map((c) => ({ key: c.label, cells: [c.label === "Individuals" ? "As an individual" : "On behalf of an organisation", n(c.count), percentText(c.count, respondents.stored)] }))}
            />
            <ResponsiveTable
              caption="Responses by the description that fitted the respondent best"
              headings={["Description", "Responses", "Share"]}
              rows={respondents.byAudience.map((c) => ({ key: c.label, cells: [c.label, n(c.count), percentText(c.count, respondents.stored)] }))}
            />
          </>
        ) : null}
      </section>

      <section aria-labelledby="sw_themes">
        <h2 id="sw_themes">What people told us</h2>
        <p>
          We read every response and recorded the themes it raised. {plural(coding.coded, "response was", "responses were")} coded to at least one theme; a response can raise more than one. The themes
          are listed below with the most often raised first.
        </p>
        {themes.length === 0 ? (
          <p>No response has been coded to a theme yet.</p>
        ) : (
          <ResponsiveTable
            caption="The themes, most often raised first"
            headings={["Theme", "Responses", "Share of coded responses", "Most common view", "Our decision"]}
            rows={themes.map((t) => {
              const stance = leadingStance(t.stances);
              return {
                key: t.code,
                cells: [<a href={`#theme_${t.code}`}>{t.title}</a>, n(t.responses), percentText(t.responses, coding.coded), stance ? STANCE_TEXT[stance] : "None recorded", t.decision ? DECISION_TEXT[t.decision.decision] : "Not yet decided"],
              };
            })}
          />
        )}
        {themes.map((t) => (
          <ThemeSection key={t.code} theme={t} coded={coding.coded} />
        ))}
      </section>

      <section aria-labelledby="sw_unchanged">
        <h2 id="sw_unchanged">What did not change, and why</h2>
        {unchanged.length === 0 ? (
          <p>Every theme led to a change in the specification.</p>
        ) : (
          <dl className="sw-no-change">
            {unchanged.map((t) => (
              <div key={t.code}>
                <dt>{t.title}</dt>
                <dd>{t.decision?.reason ?? t.outcome ?? "No decision has been recorded for this theme yet."}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      <section aria-labelledby="sw_method">
        <h2 id="sw_method">How we analysed the responses</h2>
        <p>
          Each response was read by a member of the team, who recorded every theme it raised, whether it supported or opposed the proposals, and whether it gave evidence such as figures or first-hand
          experience. The counts in this report come from that coding. Quotes are taken only from people who agreed that their response could be published, and only after we checked it; we never give a
          respondent's name, and we name an organisation only when it agreed to be named.
        </p>
        {coding.doubleCoded > 0 ? (
          <p>
            To check the coding, a second person coded a sample of {plural(coding.doubleCoded, "response", "responses")} again without seeing the first coding. {agreementText(coding.kappa, coding.doubleCoded)}
          </p>
        ) : (
          <p>No responses were coded a second time, so we have no measure of how consistent the coding was.</p>
        )}
        {coding.doubleCoded > 0 ? (
          <ResponsiveTable
            caption="How closely the two codings agreed, theme by theme"
            headings={["Theme", "Agreement", "Cohen's kappa"]}
            rows={themes.map((t) => ({
              key: t.code,
              cells: [t.title, t.agreement.kappa === null ? "Not measurable" : kappaText(t.agreement.kappa).replace(/^./, (c) => c.toUpperCase()), t.agreement.kappa === null ? "–" : t.agreement.kappa.toFixed(2)],
            }))}
          />
        ) : null}
        {revisions.length ? (
          <p className="sw-no-print">
            You can see every change made to the specification in{" "}
            {revisions.map((r, i) => (
              <span key={r.version}>
                {i > 0 ? " and " : ""}
                <a href={r.compareHref}>
                  the changes from version {specification.version} to {r.version}
                </a>
              </span>
            ))}
            , and each theme with the changes made for it in{" "}
            <a href={`${revisions[0]!.compareHref}/themes`}>you said, we did</a>.
          </p>
        ) : null}
      </section>
    </article>
  );
}

function ThemeSection({ theme, coded }: { theme: ReportTheme; coded: number }) {
  return (
    <section className="sw-report__theme" aria-labelledby={`theme_${theme.code}`}>
      <h3 id={`theme_${theme.code}`} tabIndex={-1}>
        {theme.title}
      </h3>
      <p>{theme.description}</p>
      <ThemeSaid theme={theme} coded={coded} headingLevel={4} />
      <h4>Our decision</h4>
      {theme.decision ? (
        <p>
          <strong>{DECISION_TEXT[theme.decision.decision]}.</strong> {theme.decision.reason}
        </p>
      ) : (
        <p>No decision has been recorded yet.</p>
      )}
      {theme.changes.length ? (
        <>
          <h4>What changed in the specification</h4>
          <ul className="sw-did">
            {theme.changes.map((c) => (
              <li key={`${c.version} ${c.clauseId}`} className="sw-did__item">
                <p className="sw-did__clause">
                  <a href={c.href}>{changeTitle(c)}</a>
                </p>
                <p>{c.rationale}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/**
 * What a report counted for one theme: how many raised it (individuals and organisations), the
 * views they took, who they were, and quotes where consent allows. For the report, the theme's
 * page and "you said, we did".
 */
export function ThemeSaid({ theme, coded, headingLevel }: { theme: ReportTheme; coded: number; headingLevel: 3 | 4 }) {
  const Heading = headingLevel === 3 ? "h3" : "h4";
  const individuals = theme.byCapacity.find((c) => c.label === "Individuals")?.count ?? 0;
  const organisations = theme.byCapacity.find((c) => c.label === "Organisations")?.count ?? 0;
  return (
    <>
      {theme.responses > 0 ? (
        <>
          <p>
            {plural(theme.responses, "response", "responses")} ({percentText(theme.responses, coded)} of those coded) raised this theme: {n(individuals)} from individuals and {n(organisations)} from
            organisations. {stanceMixText(theme.stances)} {theme.evidenceRich > 0 ? `${plural(theme.evidenceRich, "response gave", "responses gave")} evidence such as figures or first-hand experience.` : ""}
          </p>
          <ResponsiveTable
            caption={`Who raised ${inSentence(theme.title)}`}
            className="sw-report__small-table"
            headings={["Description", "Responses"]}
            rows={theme.byAudience.map((c) => ({ key: c.label, cells: [c.label, n(c.count)] }))}
          />
        </>
      ) : (
        <p>No response was coded to this theme.</p>
      )}
      {theme.quotes.length ? (
        <>
          <Heading>In their words</Heading>
          <ul className="sw-said">
            {theme.quotes.map((q, i) => (
              <li key={i}>
                <blockquote className="sw-said__quote">{q.text}</blockquote>
                <p className="sw-said__source">
                  {q.attribution}
                  {q.context ? `, answering “${q.context}”` : ""}
                </p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
