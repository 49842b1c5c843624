// The NHS.UK date input: day, month and year in three fields under one legend, with its hint and
// its error. Named `<name>-day`, `<name>-month` and `<name>-year`, as forms.server reads them.
import { describedBy, FieldError } from "~/components/fields";

export function DateInput({ id, name, legend, hint, error, values }: { id: string; name: string; legend: string; hint: string; error: string | undefined; values?: Record<string, string> }) {
  const parts = [
    ["day", "Day", 2],
    ["month", "Month", 2],
    ["year", "Year", 4],
  ] as const;
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
                  className={`nhsuk-input nhsuk-date-input__input nhsuk-input--width-${width}${error ? " nhsuk-input--error" : ""}`}
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
