// Reading a form an action was sent: only the two encodings HTML forms use, and no control
// characters in any field. Anything else is answered with a 4xx and a message, before any change.
import { data } from "@remix-run/node";
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

/** A form's failure as the page shows it: each field's problem, by field name, and what was typed. */
export function formFailure(errors: Record<string, string>, status = 400, values: Record<string, string> = {}) {
  return data({ error: null, fields: errors, values }, { status });
}
