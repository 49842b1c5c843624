// Consultations and the responses to them: the enumerations (defined here once), where a
// consultation stands by the clock, what a response holds, and what its consent lets us publish.
import { z } from "zod";
import { isValidId } from "./ids";
import { followsTextPolicy } from "./text-policy";

export const CONSULTATION_KINDS = ["engagement", "consultation"] as const;
export type ConsultationKind = (typeof CONSULTATION_KINDS)[number];
export const CONSULTATION_KIND_TEXT: Record<ConsultationKind, string> = { engagement: "Engagement", consultation: "Public consultation" };

export const EVENT_KINDS = ["webinar", "in-person"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const EVENT_KIND_TEXT: Record<EventKind, string> = { webinar: "Webinar", "in-person": "Event" };

export const QUESTION_KINDS = ["free-text", "agree-scale"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const QUESTION_KIND_TEXT: Record<QuestionKind, string> = { "free-text": "Free text", "agree-scale": "Agree or disagree, with a comment" };

/** The five-point agree–disagree scale, strongest agreement first. */
export const SCALE = ["strongly-agree", "agree", "neither", "disagree", "strongly-disagree"] as const;
export type ScaleAnswer = (typeof SCALE)[number];
export const SCALE_TEXT: Record<ScaleAnswer, string> = {
  "strongly-agree": "Strongly agree",
  agree: "Agree",
  neither: "Neither agree nor disagree",
  disagree: "Disagree",
  "strongly-disagree": "Strongly disagree",
};

export const CAPACITIES = ["individual", "organisation"] as const;
export type Capacity = (typeof CAPACITIES)[number];
export const CAPACITY_TEXT: Record<Capacity, string> = { individual: "As an individual", organisation: "On behalf of an organisation" };

export const CONSENTS = ["full", "anonymous", "none"] as const;
export type Consent = (typeof CONSENTS)[number];
export const CONSENT_TEXT: Record<Consent, string> = {
  full: "Publish my response in full",
  anonymous: "Publish my response anonymously",
  none: "Do not publish my response",
};

export const CHANNELS = ["online", "other"] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_TEXT: Record<Channel, string> = { online: "Online", other: "Other formats (letters, emails, petitions)" };

export const RESPONSE_SOURCES = ["form", "import", "sample"] as const;
export type ResponseSource = (typeof RESPONSE_SOURCES)[number];

export const MODERATION_STATUSES = ["pending", "approved", "rejected"] as const;
export type ModerationStatus = (typeof MODERATION_STATUSES)[number];
export const MODERATION_TEXT: Record<ModerationStatus, string> = { pending: "Not yet moderated", approved: "Approved for publication", rejected: "Not for publication" };

export const AUDIENCE_LISTS = ["audience", "interest"] as const;
export type AudienceList = (typeof AUDIENCE_LISTS)[number];

/** Where a consultation stands at a moment: before it opens, while open, after it closes. */
export const CONSULTATION_STATES = ["upcoming", "open", "closed"] as const;
export type ConsultationState = (typeof CONSULTATION_STATES)[number];
export const CONSULTATION_STATE_TEXT: Record<ConsultationState, string> = { upcoming: "Opens soon", open: "Open", closed: "Closed" };

export function consultationState(window: { opensAt: string; closesAt: string }, at: Date): ConsultationState {
  const t = at.getTime();
  if (t < Date.parse(window.opensAt)) return "upcoming";
  if (t < Date.parse(window.closesAt)) return "open";
  return "closed";
}

/** Questions are frozen once a consultation opens: people may already have answered them. */
export function questionsFrozen(window: { opensAt: string }, at: Date): boolean {
  return at.getTime() >= Date.parse(window.opensAt);
}

export const EVENT_STATES = ["upcoming", "under-way", "ended"] as const;
export type EventState = (typeof EVENT_STATES)[number];
export const EVENT_STATE_TEXT: Record<EventState, string> = { upcoming: "Coming up", "under-way": "Happening now", ended: "Now ended" };

export function eventState(event: { startsAt: string; endsAt: string }, at: Date): EventState {
  const t = at.getTime();
  if (t < Date.parse(event.startsAt)) return "upcoming";
  if (t < Date.parse(event.endsAt)) return "under-way";
  return "ended";
}

/** Limits on what one response may hold, shown on the form and enforced on the server. */
export const MAX_ANSWER_LENGTH = 10_000;
export const MAX_CLAUSE_COMMENTS = 20;
export const MAX_NAME_LENGTH = 200;
/** How long after a consultation closes its respondents' names, emails and organisations are kept. */
export const PERSONAL_DETAILS_KEPT_DAYS = 2 * 365;

/** Responses one address may send in an hour, so that a script cannot flood a consultation. */
export const RESPONSES_PER_ADDRESS_PER_HOUR = 10;

/** A consultation's id, as its address shows it: lower-case words joined by hyphens. */
export const ConsultationIdSchema = z
  .string()
  .trim()
  .min(1, "Enter an address for the consultation")
  .max(80, "The address must be 80 characters or fewer")
  .refine(isValidId, "The address may hold only lower-case letters, digits and hyphens, such as radiotherapy-engagement-2016");

/** A question's id, as import mappings name it: q1, q2 … */
export const QuestionIdSchema = z.string().regex(/^q[1-9][0-9]{0,2}$/, "a question id is q followed by a number, such as q1");

const line = (max: number, empty: string) => z.string().trim().min(1, empty).max(max, `Must be ${max} characters or fewer`).superRefine(followsTextPolicy());
const lines = (max: number, empty: string) => z.string().trim().min(1, empty).max(max, `Must be ${max.toLocaleString("en-GB")} characters or fewer`).superRefine(followsTextPolicy({ lines: true }));

/** A UTC instant, always stored in one spelling (toISOString), so that equal times compare equal. */
const instant = (error: string) => z.iso.datetime({ offset: false, error }).transform((v) => new Date(v).toISOString());

export const QuestionSchema = z
  .object({
    id: QuestionIdSchema,
    text: lines(1000, "Enter the question"),
    kind: z.enum(QUESTION_KINDS),
    /** A section or clause of the consultation's version the question is about. */
    itemId: z.string().refine(isValidId, "not a section or clause id").nullable().default(null),
  })
  .strict();
export type Question = z.infer<typeof QuestionSchema>;

export const EventSchema = z
  .object({
    kind: z.enum(EVENT_KINDS),
    place: line(200, "Enter where the event is, or Online for a webinar"),
    startsAt: instant("a start time is an ISO 8601 UTC time"),
    endsAt: instant("an end time is an ISO 8601 UTC time"),
  })
  .strict()
  .refine((e) => Date.parse(e.endsAt) > Date.parse(e.startsAt), { message: "An event must end after it starts", path: ["endsAt"] });
export type ConsultationEvent = z.infer<typeof EventSchema>;

/** What a commissioner sets for a consultation (the form and the sample file share it). */
export const ConsultationFieldsSchema = z
  .object({
    title: line(300, "Enter a title"),
    kind: z.enum(CONSULTATION_KINDS, { error: "Choose engagement or public consultation" }),
    summary: lines(10_000, "Enter a summary of the proposals"),
    whyItMatters: lines(10_000, "Say why people's views matter"),
    opensAt: instant("an opening time is an ISO 8601 UTC time"),
    closesAt: instant("a closing time is an ISO 8601 UTC time"),
  })
  .strict()
  .refine((c) => Date.parse(c.closesAt) > Date.parse(c.opensAt), { message: "The closing date must be after the opening date", path: ["closesAt"] });
export type ConsultationFields = z.infer<typeof ConsultationFieldsSchema>;

/** One answer: a free-text answer, or a scale answer with its optional comment. */
export interface Answer {
  questionId: string;
  scale: ScaleAnswer | null;
  text: string | null;
}

export interface ClauseComment {
  clauseId: string;
  start: number | null;
  end: number | null;
  quote: string | null;
  prefix: string | null;
  suffix: string | null;
  body: string;
}

/** A response as it is received, before it is stored. */
export interface ResponseInput {
  channel: Channel;
  source: ResponseSource;
  capacity: Capacity;
  organisation: string | null;
  respondentName: string | null;
  audienceCode: string | null;
  audienceText: string | null;
  email: string | null;
  consent: Consent;
  submittedAt: string;
  answers: Answer[];
  comments: ClauseComment[];
}

/**
 * Who a published quote is attributed to, as consent allows: an organisation by name when the
 * respondent agreed to full publication; otherwise only the kind of respondent. A person's own
 * name is never shown, and nothing is shown at all without consent and moderation.
 */
export function quoteAttribution(response: { consent: Consent; capacity: Capacity; organisation: string | null; audienceName: string | null }): string {
  const kind = response.audienceName ?? (response.capacity === "organisation" ? "An organisation" : "A respondent");
  if (response.consent === "full" && response.capacity === "organisation" && response.organisation) return response.organisation;
  return response.capacity === "organisation" && response.consent === "anonymous" && response.audienceName ? `An organisation (${inSentence(kind)})` : kind;
}

/**
 * A name as it reads inside a sentence: "Patient groups" becomes "patient groups", but a name
 * with capitals past its first letter (NHS England staff, National Institute for Health and
 * Care Excellence, Clinical Reference Groups) is a proper name and keeps them.
 */
export function inSentence(name: string): string {
  return /\p{Lu}/u.test(name.slice(1)) ? name : name.charAt(0).toLowerCase() + name.slice(1);
}

/** Whether a response's words may appear on a public page or export. */
export function mayQuote(response: { consent: Consent; moderation: ModerationStatus }): boolean {
  return response.consent !== "none" && response.moderation === "approved";
}

const REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/**
 * A reference number a person can read out on the phone: eight characters from an alphabet
 * without 0/O or 1/I, in two groups, such as "RT-7K3F-9Q2M". `random` gives bytes.
 */
export function newReference(random: (n: number) => Uint8Array): string {
  const bytes = random(8);
  const chars = Array.from(bytes, (b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join("");
  return `RT-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** Whether a response falls in a consultation's double-coding sample (stable for its id). */
export function inDoubleCodingSample(responseId: number, percent: number): boolean {
  // A multiplicative hash spreads consecutive ids evenly over 0–99.
  const h = Math.imul(responseId, 2654435761) >>> 0;
  return h % 100 < percent;
}

/**
 * The first moment after `at` at which what a page shows about these consultations changes by
 * the clock alone (one opens or closes, an event starts or ends), or null when none will.
 */
export function nextClockChange(consultations: readonly { opensAt: string; closesAt: string; events?: readonly { startsAt: string; endsAt: string }[] }[], at: Date): string | null {
  const t = at.getTime();
  const times = consultations.flatMap((c) => [c.opensAt, c.closesAt, ...(c.events ?? []).flatMap((e) => [e.startsAt, e.endsAt])]);
  const later = times.map((iso) => Date.parse(iso)).filter((ms) => ms > t);
  return later.length ? new Date(Math.min(...later)).toISOString() : null;
}
