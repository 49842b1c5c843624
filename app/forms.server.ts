// Reading a form an action was sent: only the two encodings HTML forms use, and no control
// characters in any field. Anything else is answered with a 4xx and a message, before any change.
import { data } from "@remix-run/node";
import { z } from "zod";
import { refusedCharacters, type RefusedCharacter } from "~/domain/text-policy";
import type { ErrorInfo } from "~/http.server";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

function refused(request: Request, status: 400 | 415, message: string) {
  const back = { href: new URL(request.url).pathname, text: "Go back to the form" };
  return data<ErrorInfo>({ title: "There is a problem with what was sent", message, back }, { status });
}

/**
 * The form fields of a request, or a thrown 415 (not a form, or no Content-Type) or 400 (a
 * broken body, a file, or a control character in a field). Control characters are refused here
 * for every field because nobody types them; the rest of the text policy applies where each
 * field is stored, so its message can say which field and stay beside it.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) {
    const sent = type ? `it was sent as ${type}` : "it was sent with no Content-Type";
    throw refused(request, 415, `This address takes a form (application/x-www-form-urlencoded or multipart/form-data), but ${sent}.`);
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw refused(request, 400, "The form could not be read: its encoding is broken.");
  }
  for (const [name, value] of form) {
    // A name is repeated in the message only when it is plain, so the message holds nothing refused.
    const field = name.length <= 40 && refusedCharacters(name).length === 0 ? `The field “${name}”` : "A field";
    if (typeof value !== "string") throw refused(request, 400, `${field} is a file, and no form here takes files.`);
    const isControl = (r: RefusedCharacter) => r.kind === "control" || r.kind === "surrogate";
    const inName = refusedCharacters(name).find(isControl);
    if (inName) throw refused(request, 400, `A field's name has a ${inName.description}.`);
    const inValue = refusedCharacters(value, { lines: true }).find(isControl);
    if (inValue) throw refused(request, 400, `${field} has a ${inValue.description} at character ${inValue.position}. Remove it and try again.`);
  }
  return form;
}

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

/** A form's failure as the page shows it: the fields' problems, or one message for the summary. */
export function formFailure(errors: FieldErrors, status = 400) {
  return data({ error: null, fields: errors }, { status });
}

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
