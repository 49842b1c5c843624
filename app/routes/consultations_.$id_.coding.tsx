// The coding queue (/consultations/:id/coding): one response at a time with the questions and
// clauses it answers, the numbered themes, its codings and suggestions. Every command is a form
// that posts, so the page works without JavaScript; with it, keys do the same (coding-keys.client).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { CodingNav } from "~/components/coding-nav";
import { ErrorPage } from "~/components/error-page";
import { describedBy, FieldError, groupClass } from "~/components/fields";
import { ErrorSummary } from "~/components/messages";
import { installCodingKeys } from "~/components/coding-keys.client";
import { STANCE_KEYS, SUGGESTION_KEYS } from "~/components/coding-keys";
import { STANCE_TEXT, STANCES } from "~/domain/coding";
import { CAPACITY_TEXT, CONSENT_TEXT, SCALE_TEXT, type ScaleAnswer } from "~/domain/consultations";
import { DomainError } from "~/domain/errors";
import { londonDate } from "~/domain/london-time";
import { parseForm, typedValues } from "~/forms";
import { readForm } from "~/forms.server";
import { notFound, sentence, statusOf } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { codeResponse, uncodeResponse } from "~/models/codings.server";
import { codingThemes, inQueue, queueItem } from "~/models/coding-queue.server";
import { suggestThemes } from "~/models/suggestions.server";
import { staffConsultation } from "~/staff-consultation.server";

export const meta: MetaFunction = () => [{ title: "Coding queue – Specwork" }];


const QuerySchema = z.object({
  response: z.coerce.number().int().positive().nullable().catch(null),
  pass: z.union([z.literal("1"), z.literal("2")]).transform(Number).pipe(z.union([z.literal(1), z.literal(2)])).catch(1),
});

function queueQuery(url: URL) {
  return QuerySchema.parse({ response: url.searchParams.get("response") || null, pass: url.searchParams.get("pass") ?? "1" });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, consultation } = await staffConsultation(request, params.id, "codeResponses");
  const { response, pass } = queueQuery(new URL(request.url));
  const db = await getDatabase();
  const item = await queueItem(db, consultation, { pass, coderId: user.id, responseId: response });
  if (!item && response !== null) {
    throw notFound(pass === 2 ? "This response is not in your second-coding queue: it is outside the sample, not coded yet, or you coded it first." : "There is no such response in this consultation.", {
      href: `/consultations/${encodeURIComponent(consultation.id)}/coding?pass=${pass}`,
      text: "Go to the coding queue",
    });
  }
  // The second coding shows no suggestions: they come from the first coding and would lead it.
  const suggestions = item && pass === 1 ? await suggestThemes(db, consultation.id, item.response.id, { limit: SUGGESTION_KEYS.length }) : [];
  return { consultation: { id: consultation.id, title: consultation.title, doubleCodePercent: consultation.doubleCodePercent }, role: user.role, pass, item, themes: await codingThemes(db), suggestions };
}

const target = { responseId: z.coerce.number({ error: "Choose a response" }).int().positive(), pass: z.enum(["1", "2"]).transform(Number) };
const stance = z.enum(STANCES, { error: "Choose a stance: supports, opposes, mixed or unclear" });
const evidence = z.preprocess((v) => v === "on" || v === "true", z.boolean());
const theme = z.string().trim().min(1, "Enter a theme's number").max(20, "Enter a theme's number, such as 2");

const CodingForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("apply"), ...target, theme, stance, evidence, origin: z.enum(["coder", "suggestion"]).default("coder") }),
  z.object({ intent: z.literal("remove"), ...target, theme }),
], { error: "Choose one of the page's buttons" });

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, consultation } = await staffConsultation(request, params.id, "codeResponses");
  const sent = await readForm(request);
  const parsed = parseForm(sent, CodingForm);
  // What the coder chose comes back with a problem, so nothing has to be chosen again.
  const typed = typedValues(sent, ["theme", "stance", "evidence"]);
  if (!parsed.ok) {
    const { theme: themeError, ...rest } = parsed.errors;
    const others = Object.values(rest);
    // The theme number is the form's one typed field: its problem is shown beside it.
    return data({ error: others.length ? sentence(others[0]!) : null, theme: themeError && !others.length ? sentence(themeError) : null, typed }, { status: 400 });
  }
  const form = parsed.data;
  const pass = form.pass as 1 | 2;
  const db = await getDatabase();
  const themes = await codingThemes(db);
  // A theme by its number in the key (what a coder types) or by its code (the buttons send it).
  const chosen = /^\d+$/.test(form.theme) ? themes.find((t) => t.number === Number(form.theme)) : themes.find((t) => t.code === form.theme.toUpperCase());
  if (!chosen) return data({ error: null, theme: `There is no theme ${form.theme}: enter a number from 1 to ${themes.length}.`, typed }, { status: 400 });
  try {
    if (pass === 2 && !(await inQueue(db, consultation, pass, user.id, form.responseId))) return data({ error: "This response is not in your second-coding queue.", theme: null, typed }, { status: 409 });
    if (form.intent === "apply") {
      await codeResponse(db, user, { consultationId: consultation.id, responseId: form.responseId, themeCode: chosen.code, pass, stance: form.stance, evidenceRich: form.evidence, origin: form.origin });
    } else {
      await uncodeResponse(db, user, { consultationId: consultation.id, responseId: form.responseId, themeCode: chosen.code, pass });
    }
  } catch (error) {
    if (error instanceof DomainError) return data({ error: sentence(error.message), theme: null, typed }, { status: statusOf(error.kind) });
    throw error;
  }
  return redirect(`/consultations/${encodeURIComponent(consultation.id)}/coding?response=${form.responseId}${pass === 2 ? "&pass=2" : ""}`);
}

function queueHref(consultationId: string, responseId: number, pass: number) {
  return `/consultations/${encodeURIComponent(consultationId)}/coding?response=${responseId}${pass === 2 ? "&pass=2" : ""}`;
}

export default function CodingQueue() {
  const { consultation, role, pass, item, themes, suggestions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  useEffect(() => installCodingKeys(document), []);
  const base = `/consultations/${encodeURIComponent(consultation.id)}`;
  const themeTitle = (code: string) => themes.find((t) => t.code === code)?.title ?? code;
  const themeNumber = (code: string) => themes.find((t) => t.code === code)?.number;
  return (
    <>
      <CodingNav consultationId={consultation.id} title={consultation.title} role={role} current="coding" />
      <h1>{pass === 2 ? "Second coding" : "Coding queue"}</h1>
      <p>
        {pass === 2 ? (
          <>
            The second coding is an independent reading of a sample of {consultation.doubleCodePercent}% of the coded responses, to measure how far coders agree. You see only
            responses someone else coded first, and not their coding. <a href={`${base}/coding`}>Go back to the first coding</a>.
          </>
        ) : (
          <>
            Code each response to the themes it raises. <a href={`${base}/coding?pass=2`}>Do the second coding of the sample</a>.
          </>
        )}
      </p>
      <ErrorSummary message={result?.error} errors={result?.theme ? [{ href: "#sw_theme-number", text: result.theme }] : []} />
      {!item ? (
        <p>{pass === 2 ? "There are no responses for you to code a second time: the sample holds only responses someone else coded first." : "This consultation has no responses yet."}</p>
      ) : (
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <nav className="sw-queue-nav" aria-label="Responses in the queue">
              <p className="sw-queue-nav__position">
                Response {item.position.index.toLocaleString("en-GB")} of {item.position.total.toLocaleString("en-GB")} ({item.position.done.toLocaleString("en-GB")} coded{pass === 2 ? " a second time" : ""})
              </p>
              <ul className="nhsuk-list sw-inline-list">
                {item.position.previousId ? (
                  <li>
                    <Link to={queueHref(consultation.id, item.position.previousId, pass)} data-key-previous="">
                      Previous response
                    </Link>
                  </li>
                ) : null}
                {item.position.nextId ? (
                  <li>
                    <Link to={queueHref(consultation.id, item.position.nextId, pass)} data-key-next="">
                      Next response
                    </Link>
                  </li>
                ) : null}
              </ul>
            </nav>
            <h2 id="sw_response">
              Response <span data-reference="">{item.response.reference}</span>
            </h2>
            <dl className="nhsuk-summary-list">
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Responding</dt>
                <dd className="nhsuk-summary-list__value">
                  {CAPACITY_TEXT[item.response.capacity]}
                  {item.response.organisation ? ` (${item.response.organisation})` : ""}
                </dd>
              </div>
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Best describes them</dt>
                <dd className="nhsuk-summary-list__value">{item.response.audience ?? "Not given"}</dd>
              </div>
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Received</dt>
                <dd className="nhsuk-summary-list__value">
                  {londonDate(item.response.submittedAt)}, {item.response.channel === "online" ? "online" : "in another format"}
                </dd>
              </div>
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Publication</dt>
                <dd className="nhsuk-summary-list__value">{CONSENT_TEXT[item.response.consent]}</dd>
              </div>
            </dl>
            {item.answers.length === 0 && item.comments.length === 0 ? <p>This response answered no question and commented on no clause.</p> : null}
            {item.answers.map((a) => (
              <section className="sw-answer" key={a.questionId} aria-labelledby={`sw_q-${a.questionId}`}>
                <h3 className="nhsuk-heading-s" id={`sw_q-${a.questionId}`}>
                  {a.question}
                  {a.itemNumber ? <span className="sw-answer__about"> (about {a.itemKind === "section" ? "section" : "clause"} {a.itemNumber})</span> : null}
                </h3>
                {a.scale ? <p className="sw-answer__scale">{SCALE_TEXT[a.scale as ScaleAnswer]}</p> : null}
                {a.text ? <p className="sw-answer__text">{a.text}</p> : null}
              </section>
            ))}
            {item.comments.map((c) => (
              <section className="sw-answer" key={c.id} aria-labelledby={`sw_c-${c.id}`}>
                <h3 className="nhsuk-heading-s" id={`sw_c-${c.id}`}>
                  Comment on clause {c.clauseNumber ?? "(no longer in this version)"}
                </h3>
                {c.clauseText ? <blockquote className="sw-answer__clause">{c.clauseText}</blockquote> : null}
                {c.quote ? (
                  <p>
                    On the words: <q>{c.quote}</q>
                  </p>
                ) : null}
                <p className="sw-answer__text">{c.body}</p>
              </section>
            ))}
          </div>
          <div className="nhsuk-grid-column-one-third">
            <h2 className="nhsuk-heading-m">Themes coded{pass === 2 ? " in your second coding" : ""}</h2>
            {item.codings.length === 0 ? (
              <p>None yet.</p>
            ) : (
              <ul className="nhsuk-list sw-codings" aria-label="Themes coded">
                {item.codings.map((c) => (
                  <li className="sw-coding" key={c.themeCode} data-theme={c.themeCode}>
                    <p className="sw-coding__theme">
                      <strong>
                        {themeNumber(c.themeCode)}. {c.themeCode} {themeTitle(c.themeCode)}
                      </strong>
                      <br />
                      {STANCE_TEXT[c.stance]}
                      {c.evidenceRich ? ", evidence-rich" : ""}. {c.origin === "suggestion" ? "Suggested, accepted by" : "Chosen by"} {c.codedBy}.
                    </p>
                    <Form method="post" className="sw-coding__actions">
                      <input type="hidden" name="responseId" value={item.response.id} />
                      <input type="hidden" name="pass" value={pass} />
                      <input type="hidden" name="theme" value={c.themeCode} />
                      <input type="hidden" name="origin" value={c.origin} />
                      {c.evidenceRich ? <input type="hidden" name="evidence" value="on" /> : null}
                      {STANCES.filter((s) => s !== c.stance).map((s) => (
                        <button key={s} className="sw-link-button" type="submit" name="stance" value={s}>
                          {STANCE_TEXT[s]}
                          <span className="nhsuk-u-visually-hidden"> for {c.themeCode}</span>
                        </button>
                      ))}
                      <input type="hidden" name="intent" value="apply" />
                    </Form>
                    <Form method="post" className="sw-coding__actions">
                      <input type="hidden" name="responseId" value={item.response.id} />
                      <input type="hidden" name="pass" value={pass} />
                      <input type="hidden" name="theme" value={c.themeCode} />
                      <input type="hidden" name="origin" value={c.origin} />
                      <input type="hidden" name="stance" value={c.stance} />
                      {c.evidenceRich ? null : <input type="hidden" name="evidence" value="on" />}
                      <button className="sw-link-button" type="submit" name="intent" value="apply">
                        {c.evidenceRich ? "Not evidence-rich" : "Evidence-rich"}
                        <span className="nhsuk-u-visually-hidden"> for {c.themeCode}</span>
                      </button>
                      <button className="sw-link-button" type="submit" name="intent" value="remove">
                        Remove<span className="nhsuk-u-visually-hidden"> {c.themeCode}</span>
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            )}
            <Form method="post" id="sw_apply" className="sw-apply" key={item.response.id}>
              <input type="hidden" name="responseId" value={item.response.id} />
              <input type="hidden" name="pass" value={pass} />
              <div className={groupClass(result?.theme ?? undefined)}>
                <label className="nhsuk-label nhsuk-label--s" htmlFor="sw_theme-number">
                  Theme number
                </label>
                <div className="nhsuk-hint" id="sw_theme-number-hint">
                  From 1 to {themes.length}, as in the list of themes.
                </div>
                <FieldError id="sw_theme-number" message={result?.theme ?? undefined} />
                <input
                  className={`nhsuk-input nhsuk-input--width-3${result?.theme ? " nhsuk-input--error" : ""}`}
                  id="sw_theme-number"
                  name="theme"
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  aria-describedby={describedBy("sw_theme-number", { hint: true, error: result?.theme ?? undefined })}
                  defaultValue={result?.typed.theme}
                />
              </div>
              <fieldset className="nhsuk-fieldset">
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Stance</legend>
                <div className="nhsuk-radios nhsuk-radios--small">
                  {STANCES.map((s) => (
                    <div className="nhsuk-radios__item" key={s}>
                      <input className="nhsuk-radios__input" id={`sw_stance-${s}`} name="stance" type="radio" value={s} defaultChecked={s === (result?.typed.stance || "unclear")} />
                      <label className="nhsuk-label nhsuk-radios__label" htmlFor={`sw_stance-${s}`}>
                        {STANCE_TEXT[s]}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
              <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
                <div className="nhsuk-checkboxes__item">
                  <input className="nhsuk-checkboxes__input" id="sw_evidence" name="evidence" type="checkbox" defaultChecked={result?.typed.evidence === "on"} />
                  <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="sw_evidence">
                    Evidence-rich
                  </label>
                </div>
              </div>
              <div className="sw-apply__buttons">
                <button className="nhsuk-button" type="submit" name="intent" value="apply" data-key-apply="">
                  Apply theme
                </button>{" "}
                <button className="nhsuk-button nhsuk-button--secondary" type="submit" name="intent" value="remove" data-key-remove="">
                  Remove theme
                </button>
              </div>
            </Form>
            {pass === 1 ? (
              <>
                <h2 className="nhsuk-heading-m">Suggested themes</h2>
                {suggestions.length === 0 ? (
                  <p>No suggestions: the response shares no telling words with a theme it is not yet coded to.</p>
                ) : (
                  <ol className="nhsuk-list sw-suggestions">
                    {suggestions.map((s, i) => (
                      <li key={s.themeCode}>
                        <Form method="post" className="sw-suggestion">
                          <input type="hidden" name="responseId" value={item.response.id} />
                          <input type="hidden" name="pass" value={pass} />
                          <input type="hidden" name="theme" value={s.themeCode} />
                          <input type="hidden" name="origin" value="suggestion" />
                          <input type="hidden" name="stance" value="unclear" data-suggestion-stance="" />
                          <p className="sw-suggestion__theme">
                            <strong>
                              {themeNumber(s.themeCode)}. {s.themeCode} {s.title}
                            </strong>
                            <br />
                            Shares: {s.sharedWords.join(", ")}
                          </p>
                          <button className="nhsuk-button nhsuk-button--secondary sw-suggestion__apply" type="submit" name="intent" value="apply" data-suggestion-key={SUGGESTION_KEYS[i]}>
                            Apply<span className="nhsuk-u-visually-hidden"> {s.themeCode} {s.title}</span>
                            <span className="sw-key" aria-hidden="true">
                              {SUGGESTION_KEYS[i]}
                            </span>
                          </button>
                        </Form>
                      </li>
                    ))}
                  </ol>
                )}
              </>
            ) : null}
          </div>
        </div>
      )}
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <h2 className="nhsuk-heading-m">Themes</h2>
          <ol className="nhsuk-list sw-theme-key" aria-label="Themes and their numbers">
            {themes.map((t) => (
              <li key={t.code}>
                <span className="sw-key">{t.number}</span> {t.code} {t.title}
              </li>
            ))}
          </ol>
        </div>
        <div className="nhsuk-grid-column-one-half">
          <h2 className="nhsuk-heading-m">Keys</h2>
          <p>With JavaScript on, these keys work anywhere on the page except in a text box.</p>
          <dl className="nhsuk-summary-list sw-key-legend">
            {[
              ["1 … " + themes.length + ", then Enter", "Apply the theme with that number, with the stance chosen (a theme already coded takes that stance)"],
              ["1 … " + themes.length + ", then x", "Remove the theme with that number"],
              [`${STANCE_KEYS.supports} ${STANCE_KEYS.opposes} ${STANCE_KEYS.mixed} ${STANCE_KEYS.unclear}`, "Choose the stance: supports, opposes, mixed, unclear"],
              ["e", "Mark the theme about to be applied evidence-rich, or not"],
              [SUGGESTION_KEYS.join(" "), "Apply the first, second, third or fourth suggestion"],
              ["j or n", "Next response"],
              ["k or p", "Previous response"],
              ["Escape", "Clear the theme number"],
            ].map(([keys, what]) => (
              <div className="nhsuk-summary-list__row" key={keys}>
                <dt className="nhsuk-summary-list__key">
                  <kbd>{keys}</kbd>
                </dt>
                <dd className="nhsuk-summary-list__value">{what}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
