// The staff form for a consultation (new and edit): version and address, words, dates read as
// London time, events and questions as rows (another row added without JavaScript), audiences.
import { Form } from "@remix-run/react";
import { eventField, MAX_ROWS, questionField, type ShownForm } from "~/consultation-form";
import { CONSULTATION_KIND_TEXT, CONSULTATION_KINDS, EVENT_KIND_TEXT, EVENT_KINDS, QUESTION_KIND_TEXT, QUESTION_KINDS } from "~/domain/consultations";
import type { ConsultationFormChoices } from "~/models/consultations.server";
import { fromLondon, londonDateTime } from "~/domain/london-time";
import { DateInput } from "./date-input";
import { CharacterCount, Radios, Select, TextInput } from "./fields";
import { ErrorSummary } from "./messages";

function openedAt(values: Record<string, string>): string {
  const pad = (n: string | undefined) => (n ?? "").padStart(2, "0");
  const date = `${values["opens-year"] ?? ""}-${pad(values["opens-month"])}-${pad(values["opens-day"])}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? londonDateTime(fromLondon(date, values.opensTime ?? "00:00")) : "";
}

/** Where the error summary's link for a field goes: a date group's first box, else the field. */
const hrefOf = (name: string) => (/^(opens|closes|event-\d+-date)$/.test(name) ? `#${name}-day` : `#${name}`);

export function ConsultationForm({
  action,
  isNew,
  choices,
  shown,
  errors,
  error,
  frozen,
}: {
  action: string;
  isNew: boolean;
  choices: ConsultationFormChoices;
  shown: ShownForm;
  errors: Record<string, string>;
  error: string | null;
  /** Set once the consultation has opened: why its questions and opening date are fixed. */
  frozen: string | null;
}) {
  const { values } = shown;
  const v = (name: string) => values[name] ?? "";
  const versionText = choices.versions.find((c) => `${c.slug}/${c.number}` === v("version"))?.text ?? v("version");
  const shownAudiences = choices.audiences.filter((a) => !a.retired || shown.audiences.includes(a.code));
  const itemOptions = [{ value: "", text: "The whole specification" }, ...choices.items.map((i) => ({ value: i.id, text: i.text }))];
  return (
    <>
      <ErrorSummary message={error} errors={Object.entries(errors).map(([name, text]) => ({ href: hrefOf(name), text }))} />
      <Form method="post" action={action} noValidate className="sw-consultation-form">
        <input type="hidden" name="eventRows" value={shown.eventRows} />
        <input type="hidden" name="questionRows" value={shown.questionRows} />
        {isNew ? (
          <>
            <Select id="version" name="version" label="Version of the specification" hint="A consultation is held on a published version. Questions can be about its sections and clauses." defaultValue={v("version")} error={errors.version} options={choices.versions.map((c) => ({ value: `${c.slug}/${c.number}`, text: c.text }))} />
            <button className="nhsuk-button nhsuk-button--secondary" type="submit" name="intent" value="choose-version">
              Use this version
            </button>
            <TextInput id="id" name="id" label="Address" hint="The end of the consultation's web address, /consultations/…: lower-case letters, digits and hyphens, such as radiotherapy-consultation-2017." defaultValue={v("id")} error={errors.id} maxLength={80} />
          </>
        ) : (
          <>
            <input type="hidden" name="version" value={v("version")} />
            <dl className="nhsuk-summary-list">
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Version</dt>
                <dd className="nhsuk-summary-list__value">{versionText}</dd>
              </div>
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Address</dt>
                <dd className="nhsuk-summary-list__value">/consultations/{v("id")}</dd>
              </div>
            </dl>
          </>
        )}
        <TextInput id="title" name="title" label="Title" defaultValue={v("title")} error={errors.title} maxLength={300} />
        <Radios id="kind" name="kind" legend="Kind" value={v("kind")} error={errors.kind} options={CONSULTATION_KINDS.map((k) => ({ value: k, text: CONSULTATION_KIND_TEXT[k] }))} />
        <CharacterCount id="summary" name="summary" label="Summary of the proposals" hint="Leave a blank line between paragraphs." rows={6} maxLength={10_000} defaultValue={v("summary")} error={errors.summary} />
        <CharacterCount id="whyItMatters" name="whyItMatters" label="Why people's views matter" rows={4} maxLength={10_000} defaultValue={v("whyItMatters")} error={errors.whyItMatters} />

        <h2>Dates</h2>
        <p>Dates and times are UK time (GMT or BST, whichever is in force on the day).</p>
        {frozen ? (
          <>
            {["opens-day", "opens-month", "opens-year", "opensTime"].map((name) => (
              <input key={name} type="hidden" name={name} value={v(name)} />
            ))}
            <p>Opened at {openedAt(values)}. The opening date can no longer change.</p>
          </>
        ) : (
          <>
            <DateInput id="opens" name="opens" legend="Opening date" hint="For example, 18 10 2017." error={errors.opens} values={values} />
            <TextInput id="opensTime" name="opensTime" label="Opening time" hint="24-hour clock, such as 00:00 for the start of the day." width={5} defaultValue={v("opensTime")} error={errors.opensTime} />
          </>
        )}
        <DateInput id="closes" name="closes" legend="Closing date" hint="For example, 24 1 2018." error={errors.closes} values={values} />
        <TextInput id="closesTime" name="closesTime" label="Closing time" hint="24-hour clock, such as 23:59 for the end of the day." width={5} defaultValue={v("closesTime")} error={errors.closesTime} />

        <h2>Events</h2>
        <p>Leave a row empty if you do not need it.</p>
        {Array.from({ length: shown.eventRows }, (_, row) => (
          <fieldset className="nhsuk-fieldset sw-form-row" key={row}>
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Event {row + 1}</legend>
            <Select id={eventField(row, "kind")} name={eventField(row, "kind")} label="Kind" defaultValue={v(eventField(row, "kind")) || "in-person"} error={errors[eventField(row, "kind")]} options={EVENT_KINDS.map((k) => ({ value: k, text: EVENT_KIND_TEXT[k] }))} />
            <TextInput id={eventField(row, "place")} name={eventField(row, "place")} label="Place" hint="A town or venue, or Online for a webinar." defaultValue={v(eventField(row, "place"))} error={errors[eventField(row, "place")]} maxLength={200} />
            <DateInput id={eventField(row, "date")} name={eventField(row, "date")} legend="Date" hint="For example, 10 11 2016." error={errors[eventField(row, "date")]} values={values} />
            <TextInput id={eventField(row, "start")} name={eventField(row, "start")} label="Starts at" hint="Such as 10:00" width={5} defaultValue={v(eventField(row, "start"))} error={errors[eventField(row, "start")]} />
            <TextInput id={eventField(row, "end")} name={eventField(row, "end")} label="Ends at" hint="Such as 13:00" width={5} defaultValue={v(eventField(row, "end"))} error={errors[eventField(row, "end")]} />
          </fieldset>
        ))}
        {shown.eventRows < MAX_ROWS ? (
          <button className="nhsuk-button nhsuk-button--secondary" type="submit" name="intent" value="add-event">
            Add another event
          </button>
        ) : null}

        <h2>Who it is for</h2>
        {(["audience", "interest"] as const).map((list) => (
          <div className={errors.audiences ? "nhsuk-form-group nhsuk-form-group--error" : "nhsuk-form-group"} key={list}>
            <fieldset className="nhsuk-fieldset">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{list === "audience" ? "Audiences" : "Areas of interest"}</legend>
              {list === "audience" && errors.audiences ? (
                <span className="nhsuk-error-message" id="audiences-error">
                  <span className="nhsuk-u-visually-hidden">Error:</span> {errors.audiences}
                </span>
              ) : null}
              <div className="nhsuk-checkboxes nhsuk-checkboxes--small" id={list === "audience" ? "audiences" : undefined}>
                {shownAudiences
                  .filter((a) => a.list === list)
                  .map((a) => (
                    <div className="nhsuk-checkboxes__item" key={a.code}>
                      <input className="nhsuk-checkboxes__input" id={`audience_${a.code}`} name="audiences" type="checkbox" value={a.code} defaultChecked={shown.audiences.includes(a.code)} />
                      <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`audience_${a.code}`}>
                        {a.name}
                        {a.retired ? " (retired)" : ""}
                      </label>
                    </div>
                  ))}
              </div>
            </fieldset>
          </div>
        ))}

        <h2>Questions</h2>
        {frozen ? (
          <>
            <div className="nhsuk-inset-text">
              <p>{frozen}</p>
            </div>
            <ol className="nhsuk-list nhsuk-list--number">
              {Array.from({ length: shown.questionRows }, (_, row) => (
                <li key={row}>
                  {(["id", "text", "kind", "item"] as const).map((part) => (
                    <input key={part} type="hidden" name={questionField(row, part)} value={v(questionField(row, part))} />
                  ))}
                  {v(questionField(row, "text"))}{" "}
                  <span className="nhsuk-body-s">({QUESTION_KIND_TEXT[v(questionField(row, "kind")) as (typeof QUESTION_KINDS)[number]]?.toLowerCase()})</span>
                </li>
              ))}
            </ol>
          </>
        ) : (
          <>
            <p>Leave a question empty to remove it.</p>
            {Array.from({ length: shown.questionRows }, (_, row) => (
              <fieldset className="nhsuk-fieldset sw-form-row" key={row}>
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Question {row + 1}</legend>
                {v(questionField(row, "id")) ? <input type="hidden" name={questionField(row, "id")} value={v(questionField(row, "id"))} /> : null}
                <CharacterCount id={questionField(row, "text")} name={questionField(row, "text")} label="Question" rows={2} maxLength={1000} defaultValue={v(questionField(row, "text"))} error={errors[questionField(row, "text")]} />
                <Radios id={questionField(row, "kind")} name={questionField(row, "kind")} legend="How people answer" small value={v(questionField(row, "kind")) || "free-text"} error={errors[questionField(row, "kind")]} options={QUESTION_KINDS.map((k) => ({ value: k, text: QUESTION_KIND_TEXT[k] }))} />
                <Select id={questionField(row, "item")} name={questionField(row, "item")} label="About" hint="A section or clause of the version, if the question is about one." defaultValue={v(questionField(row, "item"))} error={errors[questionField(row, "item")]} options={itemOptions} />
              </fieldset>
            ))}
            {shown.questionRows < MAX_ROWS ? (
              <button className="nhsuk-button nhsuk-button--secondary" type="submit" name="intent" value="add-question">
                Add another question
              </button>
            ) : null}
          </>
        )}
        <div>
          <button className="nhsuk-button" type="submit" name="intent" value="save">
            {isNew ? "Create consultation" : "Save changes"}
          </button>
        </div>
      </Form>
    </>
  );
}
