// Form fields in the NHS.UK pattern: a label, an optional hint, the field's error above it
// (marked for screen readers), and the field itself, described by its hint and error.
import type { ReactNode } from "react";

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
  const { id, name, hint, error, defaultValue, type = "text", width, autoComplete, maxLength } = props;
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
  const { id, name, hint, error, defaultValue, options, disabled } = props;
  return (
    <Field {...props}>
      <select
        className={`nhsuk-select${error ? " nhsuk-select--error" : ""}`}
        id={id}
        name={name}
        defaultValue={defaultValue}
        disabled={disabled}
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
