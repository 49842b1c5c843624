// The version page's annotation forms (a new annotation on a clause, a reply to a thread): their
// fields' element ids, the values shown again after a problem, and the zod checks that turn what
// was sent into an annotation, each problem in words beside its field. Safe in the browser
// bundle (zod and the domain only).
import { z } from "zod";
import { ANNOTATION_KINDS, MAX_ANNOTATION_LENGTH, VISIBILITIES } from "~/domain/annotations";
import { itemTexts } from "~/domain/document";
import { isValidId } from "~/domain/ids";
import type { DocJSON } from "~/domain/schema";
import { textProblem } from "~/domain/text-policy";
import { parseForm, repeated, typedText, wholeNumber, type FieldErrors } from "~/forms";

/** The longest quote an annotation may keep. */
export const MAX_QUOTE_LENGTH = 5000;

/** Each annotation form field's element id, so the error summary can link to it. */
export const annotateFieldIds = (clauseId: string): Record<string, string> => ({
  quote: `quote_${clauseId}`,
  kind: `kind_${clauseId}`,
  body: `body_${clauseId}`,
  visibility: `visibility_${clauseId}`,
  themes: `themes_${clauseId}`,
});
export const replyFieldIds = (parentId: number): Record<string, string> => ({ body: `reply_${parentId}` });

/** What was sent, to put back in the form after a problem. */
export interface AnnotateValues {
  quote: string;
  kind: string;
  body: string;
  visibility: string;
  themes: string[];
}

/** A problem with one of the annotation forms: which form, each field's problem, what was sent. */
export type AnnotationFailure =
  | { form: "annotate"; clauseId: string; fields: FieldErrors; values: AnnotateValues }
  | { form: "reply"; parentId: number; fields: FieldErrors; values: { body: string } };

const policy = (what: string) => (value: string, ctx: z.RefinementCtx) => {
  const problem = textProblem(value, { lines: true });
  if (problem) ctx.addIssue({ code: "custom", message: `${what} ${problem}` });
};

const annotationBody = (empty: string, what: string) =>
  z
    .string({ error: empty })
    .trim()
    .min(1, empty)
    .max(MAX_ANNOTATION_LENGTH, `${what} must be ${MAX_ANNOTATION_LENGTH.toLocaleString("en-GB")} characters or fewer`)
    .superRefine(policy(what));

/**
 * A new annotation on a clause of this version: the quote, when given, must be words of that
 * clause's text (`clauseText` gives it, or undefined when the version has no such clause), and
 * each theme one of the register's.
 */
export function annotateSchema(clauseText: (clauseId: string) => string | undefined, themeCodes: readonly string[]) {
  return z
    .object({
      clauseId: z.string({ error: "Choose a clause" }).refine((id) => isValidId(id) && clauseText(id) !== undefined, "Choose a clause of this version"),
      quote: z
        .string()
        .trim()
        .max(MAX_QUOTE_LENGTH, `The quoted words must be ${MAX_QUOTE_LENGTH.toLocaleString("en-GB")} characters or fewer`)
        .superRefine(policy("The quoted words"))
        .optional()
        .transform((q) => q || null),
      kind: z.enum(ANNOTATION_KINDS, { error: "Choose what kind of annotation this is" }),
      body: annotationBody("Enter your annotation", "Your annotation"),
      visibility: z.enum(VISIBILITIES, { error: "Choose who can read the annotation" }),
      themes: repeated(z.string().refine((code) => themeCodes.includes(code), "Choose themes from the list")),
    })
    .superRefine((fields, ctx) => {
      const text = clauseText(fields.clauseId);
      if (fields.quote && text !== undefined && !text.includes(fields.quote)) {
        ctx.addIssue({ code: "custom", path: ["quote"], message: "The quoted words are not in this clause: select them in the clause's text, or leave this empty" });
      }
    });
}

/** The new-annotation check for a version's document and the register's theme codes. */
export function annotateSchemaFor(doc: DocJSON, themeCodes: readonly string[]) {
  const texts = new Map(itemTexts(doc).filter((i) => i.kind === "clause").map((i) => [i.id, i.plainText]));
  return annotateSchema((id) => texts.get(id), themeCodes);
}

export const ReplySchema = z.object({
  parentId: wholeNumber("Choose the annotation to reply to"),
  body: annotationBody("Enter your reply", "Your reply"),
});

/** A new annotation's form as sent, checked; on a problem, what to show again beside the form. */
export function readAnnotateForm(form: FormData, schema: ReturnType<typeof annotateSchema>) {
  const parsed = parseForm(form, schema);
  if (parsed.ok) return parsed;
  const text = (name: string) => typedText(form.get(name));
  const failure: AnnotationFailure = {
    form: "annotate",
    clauseId: text("clauseId"),
    fields: parsed.errors,
    values: { quote: text("quote"), kind: text("kind"), body: text("body"), visibility: text("visibility"), themes: form.getAll("themes").slice(0, 100).map((t) => typedText(t, 20)) },
  };
  return { ok: false as const, failure };
}

/** A reply's form as sent, checked; on a problem, what to show again beside the thread. */
export function readReplyForm(form: FormData) {
  const parsed = parseForm(form, ReplySchema);
  if (parsed.ok) return parsed;
  const parentId = Number(form.get("parentId"));
  const failure: AnnotationFailure = { form: "reply", parentId: Number.isSafeInteger(parentId) ? parentId : 0, fields: parsed.errors, values: { body: typedText(form.get("body")) } };
  return { ok: false as const, failure };
}
