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

/** A text field's problem in words, or null: its length, then the text policy. */
function textIssue(label: string, text: string, max: number, lines: boolean): string | null {
  if (text.length > max) return `${label} must be ${max.toLocaleString("en-GB")} characters or fewer (it has ${text.length.toLocaleString("en-GB")})`;
  const problem = textProblem(text, { lines });
  return problem ? `${label} ${problem}` : null;
}

const EmailSchema = z.email();

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

export type ReadResponse = { ok: true; input: Omit<ResponseInput, "submittedAt" | "channel" | "source"> } | { ok: false; errors: Record<string, string> };

/**
 * The response the values describe, or each field's problem (keyed by field name, in the order
 * the form shows them). Empty questions are allowed; an empty response is not.
 */
export function readResponse(values: ResponseValues, context: ResponseFormContext): ReadResponse {
  const errors: Record<string, string> = {};
  const get = (name: string) => (values[name] ?? "").trim();

  const capacity = get(FIELDS.capacity);
  if (!(CAPACITIES as readonly string[]).includes(capacity)) errors[FIELDS.capacity] = "Choose whether you are responding as an individual or on behalf of an organisation";
  const organisation = get(FIELDS.organisation);
  if (capacity === "organisation") {
    const issue = organisation ? textIssue("The organisation's name", organisation, MAX_NAME_LENGTH, false) : "Enter the name of your organisation";
    if (issue) errors[FIELDS.organisation] = issue;
  }
  const name = get(FIELDS.name);
  const nameIssue = name ? textIssue("Your name", name, MAX_NAME_LENGTH, false) : null;
  if (nameIssue) errors[FIELDS.name] = nameIssue;

  const audience = get(FIELDS.audience);
  if (context.audiences.length && !context.audiences.some((a) => a.code === audience)) errors[FIELDS.audience] = "Choose the description that fits you best";

  const email = get(FIELDS.email);
  if (email && (email.length > MAX_EMAIL_LENGTH || !EmailSchema.safeParse(email).success)) errors[FIELDS.email] = "Enter an email address in the correct format, like name@example.com, or leave it empty";

  const answers: ResponseInput["answers"] = [];
  for (const [index, q] of context.questions.entries()) {
    const label = `Your answer to question ${index + 1}`;
    const text = get(answerField(q.id));
    const issue = text ? textIssue(label, text, MAX_ANSWER_LENGTH, true) : null;
    if (issue) errors[answerField(q.id)] = issue;
    let scale: (typeof SCALE)[number] | null = null;
    if (q.kind === "agree-scale") {
      const chosen = get(scaleField(q.id));
      if (chosen && !(SCALE as readonly string[]).includes(chosen)) errors[scaleField(q.id)] = `Choose how far you agree with question ${index + 1}`;
      else scale = (chosen || null) as typeof scale;
    }
    if (scale !== null || text) answers.push({ questionId: q.id, scale, text: text || null });
  }

  const comments: ClauseComment[] = [];
  const slots = commentSlots(values);
  for (let slot = 0; slot < slots; slot++) {
    const clauseId = get(commentField(slot, "clause"));
    const body = get(commentField(slot, "body"));
    if (!clauseId && !body) continue;
    const clause = context.clauses.find((c) => c.id === clauseId);
    if (!clause) {
      errors[commentField(slot, "clause")] = clauseId ? "Choose a clause from the list" : "Choose the clause your comment is about";
      continue;
    }
    if (!body) {
      errors[commentField(slot, "body")] = `Write your comment on clause ${clause.number}, or choose no clause`;
      continue;
    }
    const issue = textIssue(`Your comment on clause ${clause.number}`, body, MAX_ANSWER_LENGTH, true);
    if (issue) {
      errors[commentField(slot, "body")] = issue;
      continue;
    }
    const quote = get(commentField(slot, "quote")).slice(0, MAX_QUOTE_LENGTH);
    const startHint = Number.parseInt(get(commentField(slot, "start")), 10);
    const anchor = quote && !textProblem(quote, { lines: true }) ? anchorQuote(clause.plainText, quote, Number.isFinite(startHint) ? startHint : null) : { start: null, end: null, quote: null, prefix: null, suffix: null };
    comments.push({ clauseId, body, ...anchor });
  }

  const consent = get(FIELDS.consent);
  if (!(CONSENTS as readonly string[]).includes(consent)) errors[FIELDS.consent] = "Choose whether we may publish your response";

  if (!Object.keys(errors).length && !answers.length && !comments.length) {
    const first = context.questions[0];
    errors[first ? (first.kind === "agree-scale" ? scaleField(first.id) : answerField(first.id)) : commentField(0, "body")] = "Answer at least one question, or comment on a clause";
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    input: {
      capacity: capacity as ResponseInput["capacity"],
      organisation: capacity === "organisation" ? organisation : null,
      respondentName: name || null,
      audienceCode: audience || null,
      audienceText: null,
      email: email || null,
      consent: consent as ResponseInput["consent"],
      answers,
      comments,
    },
  };
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
