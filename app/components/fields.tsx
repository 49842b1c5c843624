// Form fields in the NHS.UK pattern: a label, an optional hint, the field's error above it
// (marked for screen readers), and the field itself, described by its hint and error.
import { Fragment, useEffect, useState, type ReactNode } from "react";

/** A field's error message, above the field, as NHS.UK forms show it. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span className="nhsuk-error-message" id={`${id}-error`}>
      <span className="nhsuk-u-visually-hidden">Error:</span> {message}
    </span>
  );
}

/** The form group's class, marked when its field has a problem. */
export function groupClass(error: string | undefined): string {
  return error ? "nhsuk-form-group nhsuk-form-group--error" : "nhsuk-form-group";
}

/** aria-describedby for a field: its hint and its error, when it has them. */
export function describedBy(id: string, { hint = false, error }: { hint?: boolean; error?: string }): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

interface FieldProps {
  id: string;
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  defaultValue?: string;
  /** Put the cursor here when the page opens (coming back to a field from "Check your answers"). */
  autoFocus?: boolean;
}

function Field({ id, label, hint, error, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className={groupClass(error)}>
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="nhsuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      <FieldError id={id} message={error} />
      {children}
    </div>
  );
}

export function TextInput(props: FieldProps & { type?: "text" | "email" | "password"; width?: 5 | 10 | 20; autoComplete?: string; maxLength?: number }) {
  const { id, name, hint, error, defaultValue, type = "text", width, autoComplete, maxLength, autoFocus } = props;
  return (
    <Field {...props}>
      <input
        className={`nhsuk-input${width ? ` nhsuk-input--width-${width}` : ""}${error ? " nhsuk-input--error" : ""}`}
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        spellCheck={type === "email" ? false : undefined}
        maxLength={maxLength}
        autoFocus={autoFocus}
        aria-describedby={describedBy(id, { hint: Boolean(hint), error })}
      />
    </Field>
  );
}

export function TextArea(props: FieldProps & { rows?: number; maxLength?: number }) {
  const { id, name, hint, error, defaultValue, rows = 3, maxLength } = props;
  return (
    <Field {...props}>
      <textarea
        className={`nhsuk-textarea${error ? " nhsuk-textarea--error" : ""}`}
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        maxLength={maxLength}
        aria-describedby={describedBy(id, { hint: Boolean(hint), error })}
      />
    </Field>
  );
}

export function Select(props: FieldProps & { options: readonly { value: string; text: string }[]; disabled?: boolean }) {
  const { id, name, hint, error, defaultValue, options, disabled, autoFocus } = props;
  return (
    <Field {...props}>
      <select
        className={`nhsuk-select${error ? " nhsuk-select--error" : ""}`}
        id={id}
        name={name}
        defaultValue={defaultValue}
        disabled={disabled}
        autoFocus={autoFocus}
        aria-describedby={describedBy(id, { hint: Boolean(hint), error })}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.text}
          </option>
        ))}
      </select>
    </Field>
  );
}

export interface RadioOption {
  value: string;
  text: string;
  hint?: string;
  /** Shown beneath the option (an NHS.UK conditional reveal; without JavaScript, always shown). */
  conditional?: ReactNode;
}

/**
 * NHS.UK radios under one legend. The first option's id is `id`, so an error summary's link to
 * `#id` lands on the group; the rest are `id-2`, `id-3` …
 */
export function Radios({ id, name, legend, legendSize = "s", hint, error, value, options, small, autoFocus }: {
  id: string;
  name: string;
  legend: ReactNode;
  legendSize?: "s" | "m";
  hint?: ReactNode;
  error?: string;
  value?: string;
  options: readonly RadioOption[];
  small?: boolean;
  autoFocus?: boolean;
}) {
  return (
    <div className={groupClass(error)}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(id, { hint: Boolean(hint), error })}>
        <legend className={`nhsuk-fieldset__legend nhsuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        {hint ? (
          <div className="nhsuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        ) : null}
        <FieldError id={id} message={error} />
        <div className={`nhsuk-radios${small ? " nhsuk-radios--small" : ""}${options.some((o) => o.conditional) ? " nhsuk-radios--conditional" : ""}`}>
          {options.map((option, i) => {
            const optionId = i === 0 ? id : `${id}-${i + 1}`;
            return (
              <Fragment key={option.value}>
                <div className="nhsuk-radios__item">
                  <input
                    className="nhsuk-radios__input"
                    id={optionId}
                    name={name}
                    type="radio"
                    value={option.value}
                    defaultChecked={value === option.value}
                    autoFocus={autoFocus && (value ? value === option.value : i === 0)}
                    aria-describedby={option.hint ? `${optionId}-item-hint` : undefined}
                  />
                  <label className="nhsuk-label nhsuk-radios__label" htmlFor={optionId}>
                    {option.text}
                  </label>
                  {option.hint ? (
                    <div className="nhsuk-hint nhsuk-radios__hint" id={`${optionId}-item-hint`}>
                      {option.hint}
                    </div>
                  ) : null}
                </div>
                {option.conditional ? (
                  <div className="nhsuk-radios__conditional" id={`conditional-${optionId}`}>
                    {option.conditional}
                  </div>
                ) : null}
              </Fragment>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/**
 * A textarea in the NHS.UK character count pattern. Without JavaScript the hint states the
 * limit; with it, a message under the field counts down as people type (announced politely).
 * The server enforces the limit either way.
 */
export function CharacterCount(props: FieldProps & { rows?: number; maxLength: number }) {
  const { id, name, label, hint, error, defaultValue, rows = 5, maxLength, autoFocus } = props;
  const [length, setLength] = useState<number | null>(null);
  // Only once the page runs scripts: the server's page shows the plain hint.
  useEffect(() => setLength((document.getElementById(id) as HTMLTextAreaElement | null)?.value.length ?? 0), [id]);
  const limit = `You can enter up to ${maxLength.toLocaleString("en-GB")} characters`;
  const left = length === null ? null : maxLength - length;
  return (
    <div className="nhsuk-character-count" data-module="nhsuk-character-count" data-maxlength={maxLength}>
      <div className={groupClass(error)}>
        <label className="nhsuk-label" htmlFor={id}>
          {label}
        </label>
        <div className="nhsuk-hint" id={`${id}-hint`}>
          {hint ? <>{hint} </> : null}
          {limit}.
        </div>
        <FieldError id={id} message={error} />
        <textarea
          className={`nhsuk-textarea nhsuk-js-character-count${error || (left !== null && left < 0) ? " nhsuk-textarea--error" : ""}`}
          id={id}
          name={name}
          rows={rows}
          defaultValue={defaultValue}
          autoFocus={autoFocus}
          onChange={(event) => setLength(event.currentTarget.value.length)}
          aria-describedby={describedBy(id, { hint: true, error })}
        />
      </div>
      {left !== null ? (
        <div className={`nhsuk-character-count__status ${left < 0 ? "nhsuk-error-message" : "nhsuk-hint"}`} aria-live="polite">
          {left >= 0
            ? `You have ${left.toLocaleString("en-GB")} character${left === 1 ? "" : "s"} remaining`
            : `You have ${(-left).toLocaleString("en-GB")} character${left === -1 ? "" : "s"} too many`}
        </div>
      ) : null}
    </div>
  );
}

export interface CheckboxOption {
  value: string;
  text: ReactNode;
  hint?: string;
}

/**
 * NHS.UK checkboxes under one legend (the pattern for choosing several things, such as themes).
 * The first box's id is `id`, so an error summary's link to `#id` lands on the group; the rest
 * are `id-2`, `id-3` … Every box has the same name, so the form sends each chosen value.
 */
export function Checkboxes({ id, name, legend, legendSize = "s", hint, error, values = [], options, small }: {
  id: string;
  name: string;
  legend: ReactNode;
  legendSize?: "s" | "m";
  hint?: ReactNode;
  error?: string;
  values?: readonly string[];
  options: readonly CheckboxOption[];
  small?: boolean;
}) {
  return (
    <div className={groupClass(error)}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(id, { hint: Boolean(hint), error })}>
        <legend className={`nhsuk-fieldset__legend nhsuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        {hint ? (
          <div className="nhsuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        ) : null}
        <FieldError id={id} message={error} />
        <div className={`nhsuk-checkboxes${small ? " nhsuk-checkboxes--small" : ""}`}>
          {options.map((option, i) => {
            const optionId = i === 0 ? id : `${id}-${i + 1}`;
            return (
              <div className="nhsuk-checkboxes__item" key={option.value}>
                <input
                  className="nhsuk-checkboxes__input"
                  id={optionId}
                  name={name}
                  type="checkbox"
                  value={option.value}
                  defaultChecked={values.includes(option.value)}
                  aria-describedby={option.hint ? `${optionId}-item-hint` : undefined}
                />
                <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={optionId}>
                  {option.text}
                </label>
                {option.hint ? (
                  <div className="nhsuk-hint nhsuk-checkboxes__hint" id={`${optionId}-item-hint`}>
                    {option.hint}
                  </div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
