// The staff form that creates and edits a consultation: its field names, the values it shows
// (from a stored consultation, or as they were sent), and the check that turns what was sent
// into a consultation, each problem keyed by the field it is about. Shared by /consultations/new
// and /consultations/:id/edit, and safe in the browser bundle (zod and the domain only).
import { z } from "zod";
import {
  CONSULTATION_KINDS,
  ConsultationFieldsSchema,
  ConsultationIdSchema,
  EVENT_KINDS,
  EventSchema,
  QUESTION_KINDS,
  QuestionIdSchema,
  QuestionSchema,
  type ConsultationEvent,
  type ConsultationFields,
  type Question,
} from "~/domain/consultations";
import { isValidId } from "~/domain/ids";
import { fromLondon, londonFields } from "~/domain/london-time";
import { dateInput } from "~/forms";

/** At most this many event and question rows on one form. */
export const MAX_ROWS = 30;
/** Addresses the site's own pages take, so no consultation may have them. */
const RESERVED_IDS = new Set(["new", "privacy"]);

export const eventField = (row: number, part: "kind" | "place" | "date" | "start" | "end") => `event-${row}-${part}`;
export const questionField = (row: number, part: "id" | "text" | "kind" | "item") => `question-${row}-${part}`;

export type FormValues = Record<string, string>;

export interface ShownForm {
  values: FormValues;
  audiences: string[];
  eventRows: number;
  questionRows: number;
}

const rows = (value: string | undefined, least: number) => {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) ? Math.min(Math.max(n, least), MAX_ROWS) : least;
};

/** A date's three NHS.UK date-input fields, from an ISO date. */
function dateParts(name: string, isoDate: string): FormValues {
  const [year, month, day] = isoDate.split("-");
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year ?? "" };
}

/** The form as a new consultation starts: opening at 00:00 and closing at 23:59, London time. */
export function emptyForm(version: string): ShownForm {
  return { values: { version, kind: "consultation", opensTime: "00:00", closesTime: "23:59", [questionField(0, "kind")]: "free-text", [eventField(0, "kind")]: "in-person" }, audiences: [], eventRows: 1, questionRows: 1 };
}

/** A stored consultation as the form shows it, with one empty row each to add an event or question. */
export function formOf(c: { id: string; slug: string; versionNumber: string; fields: ConsultationFields; events: ConsultationEvent[]; audiences: string[]; questions: Question[] }, { frozen }: { frozen: boolean }): ShownForm {
  const opens = londonFields(c.fields.opensAt);
  const closes = londonFields(c.fields.closesAt);
  const values: FormValues = {
    id: c.id,
    version: `${c.slug}/${c.versionNumber}`,
    title: c.fields.title,
    kind: c.fields.kind,
    summary: c.fields.summary,
    whyItMatters: c.fields.whyItMatters,
    ...dateParts("opens", opens.date),
    opensTime: opens.time,
    ...dateParts("closes", closes.date),
    closesTime: closes.time,
  };
  c.events.forEach((e, row) => {
    const start = londonFields(e.startsAt);
    Object.assign(values, { [eventField(row, "kind")]: e.kind, [eventField(row, "place")]: e.place, ...dateParts(eventField(row, "date"), start.date), [eventField(row, "start")]: start.time, [eventField(row, "end")]: londonFields(e.endsAt).time });
  });
  values[eventField(c.events.length, "kind")] = "in-person";
  c.questions.forEach((q, row) => Object.assign(values, { [questionField(row, "id")]: q.id, [questionField(row, "text")]: q.text, [questionField(row, "kind")]: q.kind, [questionField(row, "item")]: q.itemId ?? "" }));
  if (!frozen) values[questionField(c.questions.length, "kind")] = "free-text";
  return { values, audiences: c.audiences, eventRows: c.events.length + 1, questionRows: frozen ? c.questions.length : c.questions.length + 1 };
}

/** What was sent, as the form shows it again: each field's first value, the audiences as a list. */
export function sentForm(form: FormData): ShownForm {
  const values: FormValues = {};
  for (const [name, value] of form) if (typeof value === "string" && !(name in values) && name !== "audiences") values[name] = value;
  return { values, audiences: form.getAll("audiences").map(String), eventRows: rows(values.eventRows, 1), questionRows: rows(values.questionRows, 0) };
}

const Time = z
  .string()
  .trim()
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, "Enter a time on the 24-hour clock, such as 09:30")
  .transform((t) => t.padStart(5, "0"));
const VersionChoice = z.string({ error: "Choose the version the consultation is on" }).regex(/^[a-z0-9-]+\/[0-9A-Za-z.-]+$/, "Choose the version the consultation is on");
const Audiences = z.array(z.string().refine(isValidId, "Choose audiences from the list"));

export interface ReadConsultation {
  id: string;
  slug: string;
  versionNumber: string;
  fields: ConsultationFields;
  events: ConsultationEvent[];
  audiences: string[];
  questions: Question[];
}

function firstIssue(result: z.ZodSafeParseResult<unknown>, errors: Record<string, string>, field: (path: string) => string) {
  if (result.success) return;
  for (const issue of result.error.issues) errors[field(String(issue.path[0] ?? ""))] ??= issue.message;
}

/** An instant from a date-input group and a time field, read as London time; problems on `name`. */
function instantOf(values: FormValues, name: string, timeName: string, label: string, errors: Record<string, string>): string | null {
  const date = dateInput(name, { label, optional: false }).safeParse(values);
  firstIssue(date, errors, () => name);
  const time = Time.safeParse(values[timeName] ?? "");
  firstIssue(time, errors, () => timeName);
  return date.success && date.data && time.success ? fromLondon(date.data, time.data) : null;
}

const FIELD_ORDER = ["version", "id", "title", "kind", "summary", "whyItMatters", "opens", "opensTime", "closes", "closesTime", "event", "audiences", "question"];

/** Problems in the order their fields appear on the page, as the error summary lists them. */
function inFormOrder(errors: Record<string, string>): Record<string, string> {
  const rank = (name: string) => {
    const row = /^(event|question)-(\d+)-/.exec(name);
    return FIELD_ORDER.indexOf(row ? row[1]! : name) * 1000 + (row ? Number(row[2]) : 0);
  };
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

/** What the form describes, or each field's problem. `id` is checked only for a new consultation. */
export function readConsultationForm(shown: ShownForm, { isNew }: { isNew: boolean }): { ok: true; data: ReadConsultation } | { ok: false; errors: Record<string, string> } {
  const { values } = shown;
  const errors: Record<string, string> = {};
  const id = ConsultationIdSchema.refine((v) => !RESERVED_IDS.has(v), "That address is taken by one of the site's own pages: choose another").safeParse(values.id ?? "");
  if (isNew) firstIssue(id, errors, () => "id");
  const version = VersionChoice.safeParse(values.version);
  firstIssue(version, errors, () => "version");

  const opensAt = instantOf(values, "opens", "opensTime", "opening date", errors);
  const closesAt = instantOf(values, "closes", "closesTime", "closing date", errors);
  const kind = z.enum(CONSULTATION_KINDS).safeParse(values.kind);
  const fields = ConsultationFieldsSchema.safeParse({
    title: values.title ?? "",
    kind: kind.success ? kind.data : undefined,
    summary: values.summary ?? "",
    whyItMatters: values.whyItMatters ?? "",
    opensAt: opensAt ?? "1970-01-01T00:00:00.000Z",
    closesAt: closesAt ?? "1970-01-01T00:00:01.000Z",
  });
  firstIssue(fields, errors, (path) => (path === "closesAt" ? "closes" : path === "opensAt" ? "opens" : path));

  const events: ConsultationEvent[] = [];
  for (let row = 0; row < shown.eventRows; row++) {
    const parts = ["place", "date-day", "date-month", "date-year", "start", "end"].map((p) => (values[`event-${row}-${p}`] ?? "").trim());
    if (parts.every((p) => !p)) continue;
    const startsAt = instantOf(values, eventField(row, "date"), eventField(row, "start"), "event's date", errors);
    const end = Time.safeParse(values[eventField(row, "end")] ?? "");
    firstIssue(end, errors, () => eventField(row, "end"));
    const date = dateInput(eventField(row, "date"), { label: "event's date", optional: false }).safeParse(values);
    const endsAt = date.success && date.data && end.success ? fromLondon(date.data, end.data) : null;
    const event = EventSchema.safeParse({ kind: values[eventField(row, "kind")], place: values[eventField(row, "place")] ?? "", startsAt: startsAt ?? "1970-01-01T00:00:00.000Z", endsAt: endsAt ?? "1970-01-01T00:00:01.000Z" });
    firstIssue(event, errors, (path) => eventField(row, path === "endsAt" ? "end" : path === "startsAt" ? "start" : (path as "kind" | "place")));
    if (event.success && startsAt && endsAt) events.push(event.data);
  }

  const questions: Question[] = [];
  const ids = new Set<string>();
  const wanted: { row: number; id: string | null }[] = [];
  for (let row = 0; row < shown.questionRows; row++) {
    if (!(values[questionField(row, "text")] ?? "").trim()) continue;
    const given = QuestionIdSchema.safeParse(values[questionField(row, "id")] ?? "");
    const id = given.success && !ids.has(given.data) ? given.data : null;
    if (id) ids.add(id);
    wanted.push({ row, id });
  }
  let next = 1;
  for (const { row, id: given } of wanted) {
    let id = given;
    while (!id) {
      const candidate = `q${next++}`;
      if (!ids.has(candidate)) {
        ids.add(candidate);
        id = candidate;
      }
    }
    const kind = z.enum(QUESTION_KINDS).safeParse(values[questionField(row, "kind")]);
    const question = QuestionSchema.safeParse({ id, text: values[questionField(row, "text")] ?? "", kind: kind.success ? kind.data : undefined, itemId: values[questionField(row, "item")] || null });
    firstIssue(question, errors, (path) => questionField(row, path === "itemId" ? "item" : path === "kind" ? "kind" : "text"));
    if (question.success) questions.push(question.data);
  }

  const audiences = Audiences.safeParse(shown.audiences);
  firstIssue(audiences, errors, () => "audiences");

  if (Object.keys(errors).length || !fields.success || !version.success || !audiences.success) return { ok: false, errors: inFormOrder(errors) };
  const [slug, versionNumber] = version.data.split("/") as [string, string];
  return { ok: true, data: { id: id.success ? id.data : (values.id ?? ""), slug, versionNumber, fields: fields.data, events, audiences: audiences.data, questions } };
}
