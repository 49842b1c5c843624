// Importing responses from other tools (format §5): the mapping file that says what each column
// of an export means, and turning one row of the export into a response, or into problems that
// name the row and the column.
import { z } from "zod";
import {
  CAPACITIES,
  CAPACITY_TEXT,
  CHANNELS,
  CONSENTS,
  CONSENT_TEXT,
  MAX_ANSWER_LENGTH,
  MAX_NAME_LENGTH,
  SCALE,
  SCALE_TEXT,
  type Answer,
  type Capacity,
  type ClauseComment,
  type Consent,
  type QuestionKind,
  type ResponseInput,
  type ScaleAnswer,
} from "./consultations";
import { canonicalJson, sha256Of } from "./hashing";
import { isValidId } from "./ids";
import { fromLondon } from "./london-time";
import { textProblem } from "./text-policy";

const header = z.string().trim().min(1, "a column's header cannot be empty").max(1000, "a column's header must be 1,000 characters or fewer");

const valuesOf = <T extends readonly [string, ...string[]]>(targets: T, what: string) =>
  z
    .object({
      column: header,
      values: z.record(z.string(), z.enum(targets, { error: `each value must become one of ${targets.join(", ")}` })).refine((v) => Object.keys(v).length > 0, `list at least one value for ${what}`),
    })
    .strict();

/** A question id (q1) or the comment of a scale question (q1-comment). */
const AnswerTarget = z.string().regex(/^q[1-9][0-9]{0,2}(-comment)?$/, "an answer column maps to a question id such as q1, or to q1-comment for the comment of a scale question");

/**
 * The mapping file, exactly as §5 shows it, with two optional extensions: `clauses` (a column of
 * comments on one clause of the consultation's version) and `channel` (whether the responses came
 * in online or in other formats, such as letters; online when not given).
 */
export const ResponseMappingSchema = z
  .object({
    id: header.optional(),
    submitted: header.optional(),
    capacity: valuesOf(CAPACITIES, "capacity").optional(),
    organisation: header.optional(),
    audience: header.optional(),
    email: header.optional(),
    consent: valuesOf(CONSENTS, "consent").optional(),
    answers: z.record(header, AnswerTarget).default({}),
    clauses: z.record(header, z.string().refine(isValidId, "a clause id holds only lower-case letters, digits and hyphens")).default({}),
    channel: z.enum(CHANNELS, { error: 'channel is "online" or "other"' }).default("online"),
  })
  .strict()
  .superRefine((mapping, ctx) => {
    const targets = new Map<string, string>();
    for (const [column, target] of Object.entries(mapping.answers)) {
      const clash = targets.get(target);
      if (clash !== undefined) ctx.addIssue({ code: "custom", path: ["answers", column], message: `both "${clash}" and "${column}" map to ${target}` });
      targets.set(target, column);
    }
  });
export type ResponseMapping = z.infer<typeof ResponseMappingSchema>;

/** Parses a mapping file's JSON value, with problems as lines ("answers.Q1: …"). */
export function parseMapping(value: unknown): { ok: true; mapping: ResponseMapping } | { ok: false; problems: string[] } {
  const parsed = ResponseMappingSchema.safeParse(value);
  if (parsed.success) return { ok: true, mapping: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}`) };
}

/** Every header the mapping names, in a stable order: each must be in the file. */
export function mappedHeaders(mapping: ResponseMapping): string[] {
  const single = [mapping.id, mapping.submitted, mapping.capacity?.column, mapping.organisation, mapping.audience, mapping.email, mapping.consent?.column];
  const all = [...single.filter((h): h is string => h !== undefined), ...Object.keys(mapping.answers), ...Object.keys(mapping.clauses)];
  return [...new Set(all)];
}

/** What a row is read against: the consultation's questions, its version's clauses, the audiences. */
export interface MappingContext {
  questions: ReadonlyMap<string, QuestionKind>;
  clauseIds: ReadonlySet<string>;
  audiences: readonly { code: string; name: string }[];
}

/** Problems with the mapping itself, against the consultation: unknown questions and clauses. */
export function mappingProblems(mapping: ResponseMapping, context: MappingContext): { column: string; message: string }[] {
  const problems: { column: string; message: string }[] = [];
  for (const [column, target] of Object.entries(mapping.answers)) {
    const questionId = target.replace(/-comment$/, "");
    const kind = context.questions.get(questionId);
    if (!kind) problems.push({ column, message: `the consultation has no question ${questionId}` });
    else if (target.endsWith("-comment") && kind !== "agree-scale") problems.push({ column, message: `${questionId} is a free-text question, so it has no separate comment: map the column to ${questionId}` });
  }
  for (const [column, clauseId] of Object.entries(mapping.clauses)) {
    if (!context.clauseIds.has(clauseId)) problems.push({ column, message: `the consultation's version has no clause ${clauseId}` });
  }
  return problems;
}

export interface RowProblem {
  /** 1 = the first row after the header. */
  row: number;
  /** The column's header, or null when the problem is with the whole row. */
  column: string | null;
  message: string;
}

export type RowResult = { ok: true; input: ResponseInput; key: string } | { ok: false; problems: RowProblem[] };

/** The cells of one row by header. Cells missing from the row read as empty. */
export type Row = ReadonlyMap<string, string>;

const listed = (values: Record<string, string>) =>
  Object.keys(values)
    .map((v) => `"${v}"`)
    .join(", ");

/** Matches a cell against a values map: exactly, then ignoring case and surrounding spaces. */
function lookUp<T extends string>(values: Record<string, T>, cell: string): T | undefined {
  if (Object.hasOwn(values, cell)) return values[cell];
  const wanted = cell.trim().toLowerCase();
  for (const [value, target] of Object.entries(values)) if (value.trim().toLowerCase() === wanted) return target;
  return undefined;
}

const SCALE_WORDS = new Map<string, ScaleAnswer>([
  ...SCALE.map((s) => [SCALE_TEXT[s].toLowerCase(), s] as const),
  ...SCALE.map((s) => [s, s] as const),
  ["neither", "neither"],
  ["neutral", "neither"],
  ["neither agree or disagree", "neither"],
]);

/** An agree–disagree answer from its words ("Strongly agree"), case and spacing ignored. */
export function scaleFromText(cell: string): ScaleAnswer | undefined {
  return SCALE_WORDS.get(cell.trim().toLowerCase().replace(/\s+/g, " "));
}

const EMAIL = z.email();

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** Excel counts days from 30 December 1899 (its 1900 leap-year mistake folded in). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const pad = (n: number) => String(n).padStart(2, "0");

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function london(y: number, m: number, d: number, hh: number, mm: number, ss: number): string | null {
  if (!validDate(y, m, d) || hh > 23 || mm > 59 || ss > 59) return null;
  const instant = Date.parse(fromLondon(`${y}-${pad(m)}-${pad(d)}`, `${pad(hh)}:${pad(mm)}`)) + ss * 1000;
  return new Date(instant).toISOString();
}

/**
 * When a response was sent, as a UTC instant: ISO 8601 (with Z or an offset; without one it is
 * London time), `DD/MM/YYYY HH:MM[:SS]` or `DD/MM/YYYY` in London time (the order UK exports
 * use), `18 October 2017 14:30` (the month in words, as GOV.UK writes dates), or an Excel serial date (days since 1899, the clock read as London time). Null when the
 * cell is none of these.
 */
export function parseSubmitted(cell: string): string | null {
  const text = cell.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (m) {
    const [y, mo, d, hh = 0, mm = 0, ss = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => (v === undefined ? undefined : Number(v))) as number[];
    if (m[8]) {
      if (!validDate(y!, mo!, d!) || hh > 23 || mm > 59 || ss > 59) return null;
      const offset = m[8].toUpperCase() === "Z" ? "Z" : m[8].replace(/^([+-]\d{2}):?(\d{2})$/, "$1:$2");
      const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
      const instant = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${pad(hh)}:${pad(mm)}:${pad(ss)}${offset}`);
      return Number.isNaN(instant) ? null : new Date(instant + ms).toISOString();
    }
    return london(y!, mo!, d!, hh, mm, ss);
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (m) {
    const [d, mo, y, hh = 0, mm = 0, ss = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => (v === undefined ? undefined : Number(v))) as number[];
    return london(y!, mo!, d!, hh, mm, ss);
  }
  m = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9}),? (\d{4})(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (m) {
    const month = MONTHS.findIndex((name) => name.startsWith(m![2]!.toLowerCase()) && (m![2]!.length >= 3));
    if (month < 0 || (m[2]!.length > 3 && MONTHS[month] !== m[2]!.toLowerCase() && m[2]!.toLowerCase() !== "sept")) return null;
    const [d, y, hh = 0, mm = 0, ss = 0] = [m[1], m[3], m[4], m[5], m[6]].map((v) => (v === undefined ? undefined : Number(v))) as number[];
    return london(y!, month + 1, d!, hh, mm, ss);
  }
  if (/^\d{1,6}(\.\d+)?$/.test(text)) {
    const serial = Number(text);
    // Only plausible dates (1900 to 2199): a bare small number is more likely a mistake.
    if (serial < 1 || serial > 109_574) return null;
    const wall = new Date(EXCEL_EPOCH + Math.round(serial * 86_400) * 1000);
    return london(wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds());
  }
  return null;
}

/**
 * A cell's start, as a problem quotes it back: never an email address, since problems are shown
 * on staff pages, stored with the import and written to the command line's standard error.
 */
const quoted = (cell: string, max: number) => `"${cell.replace(/[^\s@"()<>,;]+@[^\s@"()<>,;]+/g, "(an email address)").slice(0, max)}"`;

/** A cell's text as stored: line endings made LF, surrounding white space removed. */
const clean = (cell: string) => cell.replace(/\r\n/g, "\n").trim();

/** The idempotence key: the other tool's id, or a hash of the row's mapped cells. */
export function rowKey(mapping: ResponseMapping, row: Row): string {
  const idCell = mapping.id === undefined ? "" : clean(row.get(mapping.id) ?? "");
  if (idCell) return `id:${idCell}`;
  const cells = mappedHeaders(mapping)
    .sort()
    .map((h) => [h, clean(row.get(h) ?? "")]);
  return `row:${sha256Of(canonicalJson(cells)).slice("sha256:".length)}`;
}

/**
 * One row of an export as a response, or every problem with it. `now` is the time given to rows
 * when the mapping has no submitted column. Nothing here echoes an email address or free text.
 */
export function readRow(mapping: ResponseMapping, context: MappingContext, row: Row, rowNumber: number, now: string): RowResult {
  const problems: RowProblem[] = [];
  const problem = (column: string | null, message: string) => problems.push({ row: rowNumber, column, message });
  const cellOf = (column: string | undefined) => (column === undefined ? "" : clean(row.get(column) ?? ""));

  /** Text through the policy and a length cap; null when empty. */
  const text = (column: string | undefined, max: number, lines: boolean): string | null => {
    if (column === undefined) return null;
    const value = cellOf(column);
    if (!value) return null;
    if (value.length > max) {
      problem(column, `is ${value.length.toLocaleString("en-GB")} characters long; the most a cell may hold is ${max.toLocaleString("en-GB")}`);
      return null;
    }
    const refused = textProblem(value, { lines });
    if (refused) {
      problem(column, refused);
      return null;
    }
    return value;
  };

  const mapped = <T extends string>(field: { column: string; values: Record<string, T> } | undefined, what: string): T | undefined => {
    if (!field) return undefined;
    const cell = cellOf(field.column);
    const target = lookUp(field.values, cell);
    if (target === undefined) problem(field.column, cell ? `${quoted(cell, 80)} is not one of the values the mapping lists for ${what} (${listed(field.values)})` : `is empty, and the mapping lists no empty value for ${what}`);
    return target;
  };

  if (mapping.id !== undefined) text(mapping.id, MAX_NAME_LENGTH, false);
  const organisation = text(mapping.organisation, MAX_NAME_LENGTH, false);
  const capacityCell = mapped(mapping.capacity, "capacity");
  // Without a capacity column, a row with an organisation's name is taken to speak for it.
  const capacity: Capacity = capacityCell ?? (mapping.capacity ? "individual" : organisation ? "organisation" : "individual");
  // Without a consent column nothing may be published: the safe reading of silence.
  const consent: Consent = mapped(mapping.consent, "consent") ?? "none";

  let audienceCode: string | null = null;
  let audienceText: string | null = null;
  const audience = text(mapping.audience, MAX_NAME_LENGTH, false);
  if (audience) {
    const wanted = audience.toLowerCase();
    const match = context.audiences.find((a) => a.name.toLowerCase() === wanted || a.code.toLowerCase() === wanted);
    if (match) audienceCode = match.code;
    else audienceText = audience;
  }

  let email: string | null = null;
  if (mapping.email !== undefined) {
    const cell = cellOf(mapping.email);
    if (cell) {
      if (cell.length > 320 || !EMAIL.safeParse(cell).success) problem(mapping.email, "is not an email address (leave it empty if the respondent gave none)");
      else email = cell;
    }
  }

  let submittedAt = now;
  if (mapping.submitted !== undefined) {
    const cell = cellOf(mapping.submitted);
    const parsed = cell ? parseSubmitted(cell) : null;
    if (parsed) submittedAt = parsed;
    else problem(mapping.submitted, cell ? `${quoted(cell, 40)} is not a date and time: use 2017-10-18T14:30:00Z, 18/10/2017 14:30 (London time) or a spreadsheet date` : "is empty: give the date and time the response was sent");
  }

  const answers = new Map<string, Answer>();
  const answerOf = (questionId: string) => {
    let answer = answers.get(questionId);
    if (!answer) answers.set(questionId, (answer = { questionId, scale: null, text: null }));
    return answer;
  };
  for (const [column, target] of Object.entries(mapping.answers)) {
    const questionId = target.replace(/-comment$/, "");
    const kind = context.questions.get(questionId);
    if (kind === "agree-scale" && !target.endsWith("-comment")) {
      const cell = cellOf(column);
      if (!cell) continue;
      const scale = scaleFromText(cell);
      if (scale) answerOf(questionId).scale = scale;
      else problem(column, `${quoted(cell, 60)} is not an answer on the agree–disagree scale (${SCALE.map((s) => SCALE_TEXT[s]).join(", ")}, or empty)`);
    } else {
      const value = text(column, MAX_ANSWER_LENGTH, true);
      if (value !== null) answerOf(questionId).text = value;
    }
  }

  const comments: ClauseComment[] = [];
  for (const [column, clauseId] of Object.entries(mapping.clauses)) {
    const body = text(column, MAX_ANSWER_LENGTH, true);
    if (body !== null) comments.push({ clauseId, start: null, end: null, quote: null, prefix: null, suffix: null, body });
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    key: rowKey(mapping, row),
    input: {
      channel: mapping.channel,
      source: "import",
      capacity,
      organisation,
      respondentName: null,
      audienceCode,
      audienceText,
      email,
      consent,
      submittedAt,
      answers: [...answers.values()],
      comments,
    },
  };
}

/** A row problem as one line, for the command line's standard error and the result page. */
export function problemLine(file: string, problem: RowProblem): string {
  // Row 0 without a column is the file as a whole (not a spreadsheet, a zip bomb, empty).
  if (problem.row === 0 && problem.column === null) return `${file}: ${problem.message}`;
  const where = problem.row === 0 ? "header row" : `row ${problem.row}`;
  return `${file}: ${where}${problem.column === null ? "" : `, column "${problem.column}"`}: ${problem.message}`;
}

/**
 * Sensible values maps for the words an export uses: the site's own wording, and common
 * variations ("Individual", "Organisation"), so the mapping page can suggest them.
 */
export function suggestCapacity(cell: string): Capacity | undefined {
  const t = cell.trim().toLowerCase();
  if (!t) return undefined;
  if (t === CAPACITY_TEXT.individual.toLowerCase() || /\b(individual|myself|personal|member of the public)\b/.test(t)) return "individual";
  if (t === CAPACITY_TEXT.organisation.toLowerCase() || /\b(organi[sz]ation|behalf|company|group|trust|charity)\b/.test(t)) return "organisation";
  return undefined;
}

export function suggestConsent(cell: string): Consent | undefined {
  const t = cell.trim().toLowerCase();
  if (!t) return undefined;
  for (const c of CONSENTS) if (t === CONSENT_TEXT[c].toLowerCase()) return c;
  if (/\b(do not|don't|not publish|no)\b/.test(t)) return "none";
  if (/\banonym/.test(t)) return "anonymous";
  if (/\b(in full|full|yes|with my name)\b/.test(t)) return "full";
  return undefined;
}


/** What a column can be mapped to on the mapping page. */
export const COLUMN_ROLES = ["id", "submitted", "capacity", "organisation", "audience", "email", "consent"] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];
export const COLUMN_ROLE_TEXT: Record<ColumnRole, string> = {
  id: "The other tool's response reference",
  submitted: "When the response was sent",
  capacity: "Capacity (as an individual or for an organisation)",
  organisation: "The organisation's name",
  audience: "Which audience describes them",
  email: "Email address",
  consent: "Whether we may publish the response",
};

/**
 * A column's target on the mapping page: "" (ignore it), a role, "q:<question id>" (an answer,
 * or "q:q1-comment"), or "c:<clause id>" (comments on that clause).
 */
export type ColumnTarget = "" | ColumnRole | `q:${string}` | `c:${string}`;

/** A first guess at a column's target from its header, for the mapping page's defaults. */
export function guessTarget(header: string, questions: ReadonlyMap<string, QuestionKind>): ColumnTarget {
  const h = header.trim().toLowerCase();
  const question = /^(?:q|question)\s*([1-9][0-9]{0,2})\b/.exec(h);
  if (question) {
    const id = `q${question[1]}`;
    const kind = questions.get(id);
    if (!kind) return "";
    return kind === "agree-scale" && /explain|comment|why|reason/.test(h) ? `q:${id}-comment` : `q:${id}`;
  }
  if (/e-?mail/.test(h)) return "email";
  if (/capacity|responding as|individual or/.test(h)) return "capacity";
  if (/organi[sz]ation/.test(h)) return "organisation";
  if (/publish|consent/.test(h)) return "consent";
  if (/describes you|audience|respondent type|best describes/.test(h)) return "audience";
  if (/submitted|date|time|received/.test(h)) return "submitted";
  if (/^(response )?(id|reference|ref)$|response id|response reference/.test(h)) return "id";
  return "";
}

export interface MappingChoices {
  headers: readonly string[];
  /** One per header, in the same order. */
  targets: readonly string[];
  channel: string;
  /** For capacity and consent: each value seen in the file, and what it means. */
  capacityValues: readonly (readonly [string, string])[];
  consentValues: readonly (readonly [string, string])[];
}

/**
 * The mapping the page's choices describe, checked by the same schema as a mapping file; or the
 * problems, by form field ("col-3", "capacity", "form").
 */
export function mappingFromChoices(choices: MappingChoices, context: MappingContext): { ok: true; mapping: ResponseMapping } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const value: Record<string, unknown> = { answers: {}, clauses: {}, channel: choices.channel };
  const answers = value.answers as Record<string, string>;
  const clauses = value.clauses as Record<string, string>;
  const byRole = new Map<string, number>();
  choices.targets.forEach((target, i) => {
    const header = choices.headers[i];
    if (!target || header === undefined) return;
    const field = `col-${i}`;
    if (!header.trim()) {
      errors[field] = "This column has no header, so it cannot be mapped: choose Do not import";
      return;
    }
    if ((COLUMN_ROLES as readonly string[]).includes(target)) {
      const earlier = byRole.get(target);
      if (earlier !== undefined) {
        errors[field] = `Only one column can hold ${COLUMN_ROLE_TEXT[target as ColumnRole].toLowerCase()}: “${choices.headers[earlier]}” already does`;
        return;
      }
      byRole.set(target, i);
      if (target === "capacity" || target === "consent") value[target] = { column: header, values: {} };
      else value[target] = header;
    } else if (target.startsWith("q:")) {
      const id = target.slice(2);
      if (Object.values(answers).includes(id)) errors[field] = `Another column already holds the answers to ${id.replace("-comment", " (comment)")}`;
      else answers[header] = id;
    } else if (target.startsWith("c:")) {
      clauses[header] = target.slice(2);
    } else {
      errors[field] = "Choose what this column holds from the list";
    }
  });
  for (const [role, pairs] of [
    ["capacity", choices.capacityValues],
    ["consent", choices.consentValues],
  ] as const) {
    const field = value[role] as { values: Record<string, string> } | undefined;
    if (!field) continue;
    for (const [cell, target] of pairs) if (target) field.values[cell] = target;
    if (!Object.keys(field.values).length) errors[role] = `Say what at least one of the ${role} column's values means`;
  }
  if (!Object.keys(answers).length && !Object.keys(clauses).length && !errors.form) errors.form = "Choose at least one column that holds answers or comments";
  if (Object.keys(errors).length) return { ok: false, errors };
  const parsed = parseMapping(value);
  if (!parsed.ok) return { ok: false, errors: { form: parsed.problems.join("; ") } };
  const problems = mappingProblems(parsed.mapping, context);
  if (problems.length) return { ok: false, errors: { form: problems.map((p) => `“${p.column}”: ${p.message}`).join("; ") } };
  return { ok: true, mapping: parsed.mapping };
}
