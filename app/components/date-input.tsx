// The NHS.UK date input: day, month and year in three fields under one legend, with its hint and
// its error. Named `<name>-day`, `<name>-month` and `<name>-year`, as forms.server reads them.
import { describedBy, FieldError } from "~/components/fields";

type DatePart = "day" | "month" | "year";

/**
 * Which of a date's three fields to mark when it has a problem, from what was typed: as the
 * NHS.UK pattern asks, only the empty or impossible ones (a day of 32, a month of 13, a year
 * that is not four digits); all three when each looks right alone but together they are no
 * date (31 2 2017), or when nothing typed is known.
 */
export function wrongDateParts(typed: Partial<Record<DatePart, string>> | null): DatePart[] {
  const all: DatePart[] = ["day", "month", "year"];
  if (!typed) return all;
  const value = (part: DatePart) => (typed[part] ?? "").trim();
  const missing = all.filter((part) => !value(part));
  if (missing.length && missing.length < 3) return missing;
  const inRange = (text: string, low: number, high: number) => /^\d{1,2}$/.test(text) && Number(text) >= low && Number(text) <= high;
  const wrong = all.filter((part) => (part === "day" ? !inRange(value(part), 1, 31) : part === "month" ? !inRange(value(part), 1, 12) : !/^\d{4}$/.test(value(part))));
  return wrong.length ? wrong : all;
}

export function DateInput({ id, name, legend, hint, error, values }: { id: string; name: string; legend: string; hint: string; error: string | undefined; values?: Record<string, string> }) {
  const parts = [
    ["day", "Day", 2],
    ["month", "Month", 2],
    ["year", "Year", 4],
  ] as const;
  const marked = error ? wrongDateParts(values ? { day: values[`${name}-day`], month: values[`${name}-month`], year: values[`${name}-year`] } : null) : [];
  return (
    <div className={error ? "nhsuk-form-group nhsuk-form-group--error" : "nhsuk-form-group"}>
      <fieldset className="nhsuk-fieldset" role="group" aria-describedby={describedBy(id, { hint: true, error })}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
        <div className="nhsuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
        <FieldError id={id} message={error} />
        <div className="nhsuk-date-input" id={id}>
          {parts.map(([part, label, width]) => (
            <div className="nhsuk-date-input__item" key={part}>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label nhsuk-date-input__label" htmlFor={`${id}-${part}`}>
                  {label}
                </label>
                <input
                  className={`nhsuk-input nhsuk-date-input__input nhsuk-input--width-${width}${marked.includes(part) ? " nhsuk-input--error" : ""}`}
                  id={`${id}-${part}`}
                  name={`${name}-${part}`}
                  type="text"
                  inputMode="numeric"
                  defaultValue={values?.[`${name}-${part}`]}
                />
              </div>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
