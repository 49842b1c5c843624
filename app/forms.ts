// Checking a form's fields with zod, the same on the server and in the browser bundle (route
// modules build their schemas at load time): problems by field, repeated fields, NHS.UK dates.
import { z } from "zod";
import { refusedCharacters } from "~/domain/text-policy";

/** Each field's first problem, by field name, in words for the person filling the form in. */
export type FieldErrors = Record<string, string>;

export type ParsedForm<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * A form's fields checked against its zod schema. A field sent more than once (checkboxes, a
 * multiple select) becomes a list; declare such fields with `repeated`. Problems come back by
 * field name, each message written for the page (the schemas' own messages).
 */
export function parseForm<T extends z.ZodType>(form: FormData, schema: T): ParsedForm<z.infer<T>> {
  const values: Record<string, unknown> = {};
  for (const name of new Set(form.keys())) {
    const all = form.getAll(name).map(String);
    values[name] = all.length > 1 ? all : all[0];
  }
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** A field that may be sent once, many times or not at all (checkboxes), as a list. */
export function repeated<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(item));
}

/** A whole number sent as text, such as an id in a hidden field. */
export const wholeNumber = (message: string) => z.coerce.number({ error: message }).int(message).positive(message);


/**
 * An NHS.UK date input (three fields: `<name>-day`, `-month`, `-year`) as an ISO 8601 date, or
 * "" when all three are empty and the date may be left out. Problems are reported on `<name>`.
 */
export function dateInput<N extends string>(name: N, { label, optional }: { label: string; optional: boolean }) {
  const part = z.string().trim().max(4).optional();
  return z
    .object({ [`${name}-day`]: part, [`${name}-month`]: part, [`${name}-year`]: part } as Record<`${N}-${"day" | "month" | "year"}`, typeof part>)
    .transform((fields, ctx) => {
      const get = (p: string) => (fields as Record<string, string | undefined>)[`${name}-${p}`] ?? "";
      const [day, month, year] = [get("day"), get("month"), get("year")];
      if (!day && !month && !year) {
        if (!optional) ctx.addIssue({ code: "custom", path: [name], message: `Enter the ${label}` });
        return "";
      }
      const missing = [!day && "day", !month && "month", !year && "year"].filter(Boolean);
      if (missing.length) {
        ctx.addIssue({ code: "custom", path: [name], message: `The ${label} must include a ${missing.join(" and ")}` });
        return "";
      }
      const iso = `${year.padStart(4, "0")}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
      const date = new Date(`${iso}T00:00:00Z`);
      const real = /^\d{4}-\d{2}-\d{2}$/.test(iso) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso && year.length === 4;
      if (!real) ctx.addIssue({ code: "custom", path: [name], message: `The ${label} must be a real date, such as 18 10 2017` });
      return real ? iso : "";
    });
}

/**
 * What was typed in a field, to put back after a problem: at most `max` characters, and without
 * the characters the text policy refuses (the field's message says where they were), so none of
 * them reaches a page.
 */
export function typedText(value: FormDataEntryValue | null | undefined, max = 20_000): string {
  const text = typeof value === "string" ? value.slice(0, max) : "";
  let kept = "";
  let at = 0;
  for (const refused of refusedCharacters(text, { lines: true })) {
    kept += text.slice(at, refused.index);
    at = refused.index + String.fromCodePoint(refused.codePoint).length;
  }
  return kept + text.slice(at);
}

/** What was typed in each named field (never a password), to show again after a problem. */
export function typedValues(form: FormData, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, typedText(form.get(name))]));
}
