// The engagement report of a closed consultation: what it holds (a plain, serialisable value,
// stored as the published snapshot), and the arithmetic its pages and files share.
import { STANCES, type Decision, type Stance } from "./coding";
import type { ConsultationKind, EventKind } from "./consultations";

/** The audience a response is counted under when it gave none, or one not on the list. */
export const OTHER_AUDIENCE = "Other or not given";

/** How many quotes a theme shows at most, and how long each excerpt may be. */
export const QUOTES_PER_THEME = 3;
export const QUOTE_LENGTH = 320;

export interface Count {
  label: string;
  count: number;
}

export interface ReportQuote {
  text: string;
  /** Who said it, as consent allows (see quoteAttribution): never a person's name. */
  attribution: string;
  /** What the words answer: a question, or a clause of the version consulted on. */
  context: string | null;
}

export interface ReportChange {
  clauseId: string;
  /** The clause's number in the version consulted on (null when the revision added it). */
  fromNumber: string | null;
  /** Its number in the revision (null when the revision removed it). */
  toNumber: string | null;
  rationale: string;
  /** The clause in the redline between the version consulted on and the revision. */
  href: string;
  /** The revision the change was made in. */
  version: string;
}

export interface ReportTheme {
  code: string;
  title: string;
  description: string;
  /** Responses coded to the theme (first coding, current codings). */
  responses: number;
  byAudience: Count[];
  byCapacity: Count[];
  stances: Record<Stance, number>;
  evidenceRich: number;
  quotes: ReportQuote[];
  decision: { decision: Decision; reason: string } | null;
  changes: ReportChange[];
  /** What the revision records for the theme when it led to no change. */
  outcome: string | null;
  /** Agreement between the first and second coding for this theme, over the double-coded sample. */
  agreement: { responses: number; kappa: number | null };
}

export interface EngagementReport {
  consultation: {
    id: string;
    title: string;
    kind: ConsultationKind;
    summary: string;
    whyItMatters: string;
    opensAt: string;
    closesAt: string;
    events: { kind: EventKind; place: string; startsAt: string; endsAt: string }[];
    audiences: string[];
    questions: { id: string; text: string }[];
  };
  specification: { slug: string; title: string; reference: string; version: string; versionLabel: string | null };
  /** The published revision(s) that followed the version consulted on. */
  revisions: { version: string; label: string | null; compareHref: string }[];
  respondents: {
    /** Every response counted: stored ones and those received in other formats without being stored. */
    total: number;
    /** Responses recorded one by one (the tables count these). */
    stored: number;
    online: number;
    otherFormats: number;
    byCapacity: Count[];
    byAudience: Count[];
  };
  coding: {
    /** Responses coded to at least one theme. */
    coded: number;
    /** Responses coded a second time, independently, to check the coding. */
    doubleCoded: number;
    /** Cohen's kappa pooled over every theme of the double-coded sample. */
    kappa: number | null;
  };
  themes: ReportTheme[];
  /** When the snapshot was built (ISO 8601). */
  builtAt: string;
}

/** Themes in the order a report lists them: most responses first, then by code. */
export function orderThemes<T extends { code: string; responses: number }>(themes: readonly T[]): T[] {
  return [...themes].sort((a, b) => b.responses - a.responses || a.code.localeCompare(b.code));
}

/** A share as a whole percentage, as a report writes it ("less than 1%" for a small non-zero share). */
export function percentText(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return "0%";
  const percent = (part / whole) * 100;
  if (percent < 1) return "less than 1%";
  return `${Math.round(percent)}%`;
}

/** A stance mix with nothing counted yet. */
export const emptyStances = (): Record<Stance, number> => ({ supports: 0, opposes: 0, mixed: 0, unclear: 0 });

/** The stance that most of a theme's responses took, or null when none were coded. */
export function leadingStance(stances: Record<Stance, number>): Stance | null {
  let best: Stance | null = null;
  for (const stance of STANCES) if (stances[stance] > 0 && (best === null || stances[stance] > stances[best])) best = stance;
  // A tie at the top is no single view: the responses' views are mixed.
  if (best !== null && STANCES.some((s) => s !== best && stances[s] === stances[best!])) return "mixed";
  return best;
}

const STANCE_PHRASE: Record<Stance, string> = { supports: "supported the proposals", opposes: "opposed the proposals", mixed: "had mixed views", unclear: "gave no clear view" };

/** "12 supported the proposals, 30 opposed them …" in plain words, largest first. */
export function stanceMixText(stances: Record<Stance, number>): string {
  const parts = STANCES.filter((s) => stances[s] > 0)
    .sort((a, b) => stances[b] - stances[a] || STANCES.indexOf(a) - STANCES.indexOf(b))
    .map((s) => `${stances[s].toLocaleString("en-GB")} ${STANCE_PHRASE[s]}`);
  if (!parts.length) return "No stance was recorded.";
  return `${parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : parts[0]}.`;
}

/**
 * Cohen's kappa from counts: n responses coded twice, `first` of them given the theme by the
 * first coder, `second` by the second, `both` by both. Null when it is undefined.
 */
export function kappaFromCounts(n: number, first: number, second: number, both: number): number | null {
  if (n <= 0) return null;
  const neither = n - first - second + both;
  const po = (both + neither) / n;
  const pe = (first / n) * (second / n) + (1 - first / n) * (1 - second / n);
  return pe === 1 ? null : (po - pe) / (1 - pe);
}

/**
 * The sentence of a text that best says something about a theme (the most shared terms with
 * it), shortened to QUOTE_LENGTH at a word; null when no sentence shares a term. `themeTerms`
 * are stems (see coding.termsOf).
 */
export function excerptFor(text: string, themeTerms: ReadonlySet<string>, termsOf: (text: string) => { stem: string }[]): { text: string; score: number } | null {
  const sentences = text.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter(Boolean);
  let best: { text: string; score: number } | null = null;
  for (const sentence of sentences) {
    const score = termsOf(sentence).filter((t) => themeTerms.has(t.stem)).length;
    if (score > 0 && (!best || score > best.score)) best = { text: sentence, score };
  }
  // A coder read the response as raising the theme even when it shares no word with the theme's
  // description: its first sentence then stands for it, after every closer match.
  if (!best) return sentences.length ? { text: shorten(sentences[0]!, QUOTE_LENGTH), score: 0 } : null;
  return { text: shorten(best.text, QUOTE_LENGTH), score: best.score };
}

export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, "")}…`;
}

/** Counts in the order given, dropping none (so a table always has the same rows). */
export function countsInOrder(labels: readonly string[], counts: ReadonlyMap<string, number>): Count[] {
  return labels.map((label) => ({ label, count: counts.get(label) ?? 0 }));
}

/** A response's reference number as people are given it, such as RT-7K3F-9Q2M. */
export const RESPONSE_REFERENCE = /^RT-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;
/** How many responses one change note may cite. */
export const MAX_CITED_RESPONSES = 20;

/**
 * The reference numbers typed into a change note's "Responses this change answers" (separated by
 * commas, spaces or lines; any case), or the first that is not one.
 */
export function parseReferenceList(text: string): { ok: true; references: string[] } | { ok: false; message: string } {
  const words = text.split(/[\s,;]+/).map((w) => w.trim().toUpperCase()).filter(Boolean);
  const bad = words.find((w) => !RESPONSE_REFERENCE.test(w));
  if (bad) return { ok: false, message: `“${bad.slice(0, 20)}” is not a response reference number, which looks like RT-7K3F-9Q2M` };
  const references = [...new Set(words)];
  if (references.length > MAX_CITED_RESPONSES) return { ok: false, message: `A change note may cite at most ${MAX_CITED_RESPONSES} responses` };
  return { ok: true, references };
}

/** A response a change note cites, as the public sees it: its words only where consent allows. */
export interface CitedResponse {
  text: string | null;
  attribution: string;
}

/** Themes that led to no change in the specification, or whose proposals were not adopted. */
export function notChanged<T extends Pick<ReportTheme, "changes" | "decision">>(themes: readonly T[]): T[] {
  // An adopted theme is not listed here even without a clause change yet: its reason says what
  // is being done, and "did not change" would contradict "adopted".
  return themes.filter((t) => t.decision?.decision === "not-adopted" || (t.changes.length === 0 && t.decision?.decision !== "adopted"));
}

/** The fewest double-coded responses over which the report gives an agreement figure. */
export const MIN_AGREEMENT_SAMPLE = 10;

/** "Clause 3.2.9 (now 3.2.10) in version 1.0", "New clause 1.1.3 in version 1.0" … */
export function changeTitle(c: Pick<ReportChange, "fromNumber" | "toNumber" | "version">): string {
  if (c.fromNumber === null) return `New clause ${c.toNumber} in version ${c.version}`;
  if (c.toNumber === null) return `Clause ${c.fromNumber}, removed in version ${c.version}`;
  if (c.fromNumber !== c.toNumber) return `Clause ${c.fromNumber} (now ${c.toNumber}) in version ${c.version}`;
  return `Clause ${c.toNumber} in version ${c.version}`;
}
