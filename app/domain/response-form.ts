// The public response form: its field names, the values it carries from the form to "Check your
// answers" and back, and the check that turns them into a response (zod, the same rules on every
// step, since the values come back from the browser each time).
import { z } from "zod";
import { makeAnchor } from "./anchoring";
import {
  CAPACITIES,
  CONSENTS,
  MAX_ANSWER_LENGTH,
  MAX_CLAUSE_COMMENTS,
  MAX_NAME_LENGTH,
  SCALE,
  type ClauseComment,
  type Question,
  type ResponseInput,
} from "./consultations";
import { textProblem } from "./text-policy";

/** What the form is built from: the consultation's questions, audiences and the version's clauses. */
export interface ResponseFormContext {
  questions: readonly Question[];
  audiences: readonly { code: string; name: string }[];
  clauses: readonly { id: string; number: string; label: string; plainText: string }[];
}

/** The form's values as the browser sends them: one string per field. */
export type ResponseValues = Record<string, string>;

export const FIELDS = {
  capacity: "capacity",
  organisation: "organisation",
  name: "respondentName",
  audience: "audience",
  email: "email",
  consent: "consent",
  /** Hidden from people; a script filling in every field fills this too. */
  honeypot: "website",
  slots: "commentSlots",
} as const;

export const answerField = (questionId: string) => `answer-${questionId}`;
export const scaleField = (questionId: string) => `scale-${questionId}`;
export const COMMENT_PARTS = ["clause", "body", "quote", "start"] as const;
export type CommentPart = (typeof COMMENT_PARTS)[number];
export const commentField = (slot: number, part: CommentPart) => `comment-${slot}-${part}`;

const MAX_QUOTE_LENGTH = 2000;
const MAX_EMAIL_LENGTH = 320;

/** How many clause-comment slots the form shows: at least one, at most the limit. */
export function commentSlots(values: ResponseValues): number {
  const n = Number.parseInt(values[FIELDS.slots] ?? "1", 10);
  return Number.isFinite(n) ? Math.min(Math.max(n, 1), MAX_CLAUSE_COMMENTS) : 1;
}

/** Every field name the form may send, so nothing else is carried from page to page. */
export function fieldNames(context: ResponseFormContext, slots = MAX_CLAUSE_COMMENTS): string[] {
  const names: string[] = [FIELDS.capacity, FIELDS.organisation, FIELDS.name, FIELDS.audience, FIELDS.email, FIELDS.consent, FIELDS.honeypot, FIELDS.slots];
  for (const q of context.questions) names.push(answerField(q.id), ...(q.kind === "agree-scale" ? [scaleField(q.id)] : []));
  for (let slot = 0; slot < slots; slot++) names.push(...COMMENT_PARTS.map((part) => commentField(slot, part)));
  return names;
}

/** The form's values from what was sent: known fields only, each once, at most a sane length. */
export function valuesOf(form: { get(name: string): unknown }, context: ResponseFormContext): ResponseValues {
  const values: ResponseValues = {};
  for (const name of fieldNames(context)) {
    const value = form.get(name);
    if (typeof value === "string" && value !== "") values[name] = value.slice(0, MAX_ANSWER_LENGTH * 2);
  }
  return values;
}

/** Optional text, trimmed: its length, then the text policy, each problem named by `label`. */
const text = (label: string, max: number, lines: boolean) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .superRefine((v, ctx) => {
      if (v.length > max) ctx.addIssue({ code: "custom", message: `${label} must be ${max.toLocaleString("en-GB")} characters or fewer (it has ${v.length.toLocaleString("en-GB")})` });
      else {
        const problem = textProblem(v, { lines });
        if (problem) ctx.addIssue({ code: "custom", message: `${label} ${problem}` });
      }
    });

/** One of a list, sent as a radio button's value (or nothing, when `optional`). */
const choice = <T extends readonly [string, ...string[]]>(options: T, message: string, optional = false) =>
  z.preprocess((v) => (typeof v === "string" ? v.trim() : v) || (optional ? undefined : v), optional ? z.enum(options, { error: message }).optional() : z.enum(options, { error: message }));

const EmailField = z
  .string()
  .optional()
  .transform((v) => (v ?? "").trim())
  .refine((v) => v === "" || (v.length <= MAX_EMAIL_LENGTH && z.email().safeParse(v).success), "Enter an email address in the correct format, like name@example.com, or leave it empty");

/**
 * Where to anchor a quote in a clause: the occurrence nearest the offset the browser saw (its
 * text may differ a little from the clause's plain text), with the context either side taken
 * from the clause itself. A quote the clause does not hold is kept without offsets.
 */
export function anchorQuote(plainText: string, quote: string, startHint: number | null): Pick<ClauseComment, "start" | "end" | "quote" | "prefix" | "suffix"> {
  const starts: number[] = [];
  for (let at = plainText.indexOf(quote); at >= 0 && quote; at = plainText.indexOf(quote, at + 1)) starts.push(at);
  if (!starts.length) return { start: null, end: null, quote, prefix: null, suffix: null };
  const hint = startHint ?? 0;
  const start = starts.reduce((best, s) => (Math.abs(s - hint) < Math.abs(best - hint) ? s : best));
  const anchor = makeAnchor("", "", plainText, start, start + quote.length);
  return { start: anchor.start, end: anchor.end, quote: anchor.quote, prefix: anchor.prefix, suffix: anchor.suffix };
}

export type ResponseParts = Omit<ResponseInput, "submittedAt" | "channel" | "source">;
export type ReadResponse = { ok: true; input: ResponseParts } | { ok: false; errors: Record<string, string> };

/**
 * The form's schema for one consultation: a field per question, the audiences it lists, the
 * clauses of its version. Its output is the response; its issues are keyed by field name.
 */
export function responseSchema(context: ResponseFormContext, slots: number) {
  const codes = context.audiences.map((a) => a.code);
  const shape: Record<string, z.ZodType> = {
    [FIELDS.capacity]: choice(CAPACITIES, "Choose whether you are responding as an individual or on behalf of an organisation"),
    [FIELDS.organisation]: text("The organisation's name", MAX_NAME_LENGTH, false),
    [FIELDS.name]: text("Your name", MAX_NAME_LENGTH, false),
    [FIELDS.audience]: codes.length ? choice(codes as [string, ...string[]], "Choose the description that fits you best") : z.unknown().transform(() => undefined).optional(),
    [FIELDS.email]: EmailField,
    [FIELDS.consent]: choice(CONSENTS, "Choose whether we may publish your response"),
  };
  context.questions.forEach((q, index) => {
    shape[answerField(q.id)] = text(`Your answer to question ${index + 1}`, MAX_ANSWER_LENGTH, true);
    if (q.kind === "agree-scale") shape[scaleField(q.id)] = choice(SCALE, `Choose how far you agree with question ${index + 1}`, true);
  });
  for (let slot = 0; slot < slots; slot++) {
    shape[commentField(slot, "clause")] = z.string().optional().transform((v) => (v ?? "").trim());
    shape[commentField(slot, "body")] = text("Your comment", MAX_ANSWER_LENGTH, true);
    shape[commentField(slot, "quote")] = z.string().optional().transform((v) => (v ?? "").trim().slice(0, MAX_QUOTE_LENGTH));
    shape[commentField(slot, "start")] = z.string().optional().transform((v) => (v && /^\d{1,6}$/.test(v) ? Number(v) : null));
  }
  return z.object(shape);
}

/**
 * The response from its fields, with the problems that need more than one field (an
 * organisation's name, a comment's clause, an empty response). Run on the parsed fields, and
 * on the raw ones when a field failed, so that every problem is listed at once.
 */
function assemble(fields: Record<string, unknown>, context: ResponseFormContext, slots: number, problem: (name: string, message: string) => void): ResponseParts {
  const get = (name: string) => (typeof fields[name] === "string" ? (fields[name] as string).trim() : "");
  const capacity = get(FIELDS.capacity) as ResponseInput["capacity"];
  if (capacity === "organisation" && !get(FIELDS.organisation)) problem(FIELDS.organisation, "Enter the name of your organisation");

  const answers: ResponseInput["answers"] = [];
  for (const q of context.questions) {
    const scale = q.kind === "agree-scale" ? ((get(scaleField(q.id)) || null) as ResponseInput["answers"][number]["scale"]) : null;
    const answer = get(answerField(q.id));
    if (scale !== null || answer) answers.push({ questionId: q.id, scale, text: answer || null });
  }

  const comments: ClauseComment[] = [];
  for (let slot = 0; slot < slots; slot++) {
    const clauseId = get(commentField(slot, "clause"));
    const body = get(commentField(slot, "body"));
    if (!clauseId && !body) continue;
    const clause = context.clauses.find((c) => c.id === clauseId);
    if (!clause) {
      problem(commentField(slot, "clause"), clauseId ? "Choose a clause from the list" : "Choose the clause your comment is about");
      continue;
    }
    if (!body) {
      problem(commentField(slot, "body"), `Write your comment on clause ${clause.number}, or choose no clause`);
      continue;
    }
    const quote = get(commentField(slot, "quote")).slice(0, MAX_QUOTE_LENGTH);
    const start = fields[commentField(slot, "start")];
    const hint = typeof start === "number" ? start : null;
    const anchor = quote && !textProblem(quote, { lines: true }) ? anchorQuote(clause.plainText, quote, hint) : { start: null, end: null, quote: null, prefix: null, suffix: null };
    comments.push({ clauseId, body, ...anchor });
  }
  if (!answers.length && !comments.length) {
    const first = context.questions[0];
    problem(first ? (first.kind === "agree-scale" ? scaleField(first.id) : answerField(first.id)) : commentField(0, "body"), "Answer at least one question, or comment on a clause");
  }
  return {
    capacity,
    organisation: capacity === "organisation" ? get(FIELDS.organisation) : null,
    respondentName: get(FIELDS.name) || null,
    audienceCode: get(FIELDS.audience) || null,
    audienceText: null,
    email: get(FIELDS.email) || null,
    consent: get(FIELDS.consent) as ResponseInput["consent"],
    answers,
    comments,
  };
}

/** The order the form shows its fields in, so problems are listed as a reader meets them. */
function formOrder(context: ResponseFormContext, slots: number): string[] {
  const order: string[] = [FIELDS.capacity, FIELDS.organisation, FIELDS.name, FIELDS.audience, FIELDS.email];
  for (const q of context.questions) order.push(scaleField(q.id), answerField(q.id));
  for (let slot = 0; slot < slots; slot++) order.push(commentField(slot, "clause"), commentField(slot, "body"));
  return [...order, FIELDS.consent];
}

/**
 * The response the values describe, or each field's problem (keyed by field name, in the order
 * the form shows them). Empty questions are allowed; an empty response is not.
 */
export function readResponse(values: ResponseValues, context: ResponseFormContext): ReadResponse {
  const slots = commentSlots(values);
  const result = responseSchema(context, slots).safeParse(values);
  const errors: Record<string, string> = {};
  const problem = (name: string, message: string) => void (errors[name] ??= message);
  if (!result.success) for (const issue of result.error.issues) problem(String(issue.path[0] ?? FIELDS.capacity), issue.message);
  const input = assemble(result.success ? result.data : values, context, slots, problem);
  if (!Object.keys(errors).length) return { ok: true, input };
  // A comment's own text problem names its clause, once the clause is known.
  for (let slot = 0; slot < slots; slot++) {
    const clause = context.clauses.find((c) => c.id === (values[commentField(slot, "clause")] ?? "").trim());
    const name = commentField(slot, "body");
    if (clause && errors[name]?.startsWith("Your comment ")) errors[name] = errors[name]!.replace("Your comment ", `Your comment on clause ${clause.number} `);
  }
  const order = formOrder(context, slots);
  return { ok: false, errors: Object.fromEntries(Object.entries(errors).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))) };
}

/** The clause a comment slot starts on, from "Comment on this clause" (?clause=…&quote=…). */
export function valuesFromLink(search: URLSearchParams, context: ResponseFormContext): ResponseValues {
  const clause = search.get("clause") ?? "";
  if (!context.clauses.some((c) => c.id === clause)) return {};
  const values: ResponseValues = { [commentField(0, "clause")]: clause };
  const quote = (search.get("quote") ?? "").slice(0, MAX_QUOTE_LENGTH);
  if (quote && !textProblem(quote, { lines: true })) values[commentField(0, "quote")] = quote;
  const start = search.get("start");
  if (quote && start && /^\d{1,6}$/.test(start)) values[commentField(0, "start")] = start;
  return values;
}
