// Coding responses to themes: stances, decisions, the agreement between two coders (Cohen's
// kappa), and the terms that suggestions and groupings compare.

export const STANCES = ["supports", "opposes", "mixed", "unclear"] as const;
export type Stance = (typeof STANCES)[number];
export const STANCE_TEXT: Record<Stance, string> = { supports: "Supports", opposes: "Opposes", mixed: "Mixed", unclear: "Unclear" };

/** Whether the coder took the project's suggestion or chose the theme themselves. */
export const CODING_ORIGINS = ["suggestion", "coder"] as const;
export type CodingOrigin = (typeof CODING_ORIGINS)[number];

/** 1: the coding; 2: an independent second coding of a sample, to measure agreement. */
export const CODING_PASSES = [1, 2] as const;
export type CodingPass = (typeof CODING_PASSES)[number];

export const DECISIONS = ["adopted", "partly-adopted", "not-adopted"] as const;
export type Decision = (typeof DECISIONS)[number];
export const DECISION_TEXT: Record<Decision, string> = { adopted: "Adopted", "partly-adopted": "Partly adopted", "not-adopted": "Not adopted" };

export interface Agreement {
  /** Responses both coders coded. */
  responses: number;
  /** Responses where both, or neither, gave the theme. */
  agreed: number;
  /** Cohen's kappa, or null when it is undefined (both coders gave the same answer for every response). */
  kappa: number | null;
}

/**
 * Cohen's kappa for one theme over responses both coders coded: each response is "has the
 * theme" or not for each coder. kappa = (po − pe) / (1 − pe).
 */
export function cohensKappa(pairs: readonly (readonly [boolean, boolean])[]): Agreement {
  const n = pairs.length;
  if (n === 0) return { responses: 0, agreed: 0, kappa: null };
  let both = 0;
  let neither = 0;
  let first = 0;
  let second = 0;
  for (const [a, b] of pairs) {
    if (a) first++;
    if (b) second++;
    if (a && b) both++;
    if (!a && !b) neither++;
  }
  const po = (both + neither) / n;
  const pe = (first / n) * (second / n) + (1 - first / n) * (1 - second / n);
  return { responses: n, agreed: both + neither, kappa: pe === 1 ? null : (po - pe) / (1 - pe) };
}

/** How an agreement figure reads (Landis and Koch's bands). */
export function kappaText(kappa: number | null): string {
  if (kappa === null) return "not measurable yet";
  if (kappa < 0) return "worse than chance";
  if (kappa <= 0.2) return "slight";
  if (kappa <= 0.4) return "fair";
  if (kappa <= 0.6) return "moderate";
  if (kappa <= 0.8) return "substantial";
  return "almost perfect";
}

// Words too common to say anything about what a response is about.
const STOP_WORDS = new Set(
  ("a about above after again against all also am an and any are as at be because been before being below between both but by can cannot could did do does doing down during each even every few for from further get got had has have having he her here hers him his how i if in into is it its itself just let me more most much must my no nor not now of off on once only or other ought our ours out over own per please really said same say says she should so some such than that the their them then there these they this those through to too under until up upon us very was we were what when where which while who whom why will with within without would you your yours " +
    "think feel believe people need needs make made way ways one two well may might many lot lots like yes being get still able want wants").split(" "),
);

/** A word reduced to a stem, so that "journeys" and "journey", "travelling" and "travel" meet. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 5 && w.endsWith("ies")) return w.slice(0, -3) + "y";
  if (w.length > 6 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 5 && w.endsWith("ed")) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith("es") && /(ss|sh|ch|x)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
  if (w.length > 4 && /(ll|tt|nn|pp|gg|mm|rr|dd)$/.test(w)) w = w.slice(0, -1);
  return w;
}

export interface Term {
  stem: string;
  /** The word as it first appeared, for showing why a theme was suggested. */
  word: string;
}

/** The distinct meaningful terms of a text, in the order they first appear. */
export function termsOf(text: string): Term[] {
  const seen = new Map<string, string>();
  for (const match of text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    if (word.length < 3 || STOP_WORDS.has(word) || /^\d+$/.test(word)) continue;
    const s = stem(word);
    if (!seen.has(s)) seen.set(s, word);
  }
  return [...seen].map(([s, word]) => ({ stem: s, word }));
}

/** A text as the stems the full-text index holds, joined by spaces (repeats kept, for BM25). */
export function indexText(text: string): string {
  const out: string[] = [];
  for (const match of text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    if (word.length < 3 || STOP_WORDS.has(word) || /^\d+$/.test(word)) continue;
    out.push(stem(word));
  }
  return out.join(" ");
}

export interface TermGroup {
  /** The terms the responses share, most telling first. */
  terms: Term[];
  responseIds: number[];
}

/**
 * Groups responses by the terms they share, to propose a new theme: the terms that the most
 * responses hold (at least `minSize`), each with the responses holding it and the terms those
 * responses most often hold besides. Terms that nearly every response holds say nothing and
 * are left out. Deterministic: ties go to the alphabetically first term.
 */
export function groupBySharedTerms(responses: readonly { id: number; text: string }[], { minSize = 3, maxGroups = 8 } = {}): TermGroup[] {
  const byStem = new Map<string, { word: string; ids: number[] }>();
  const termsById = new Map<number, Set<string>>();
  for (const response of responses) {
    const terms = termsOf(response.text);
    termsById.set(response.id, new Set(terms.map((t) => t.stem)));
    for (const term of terms) {
      const entry = byStem.get(term.stem) ?? { word: term.word, ids: [] };
      entry.ids.push(response.id);
      byStem.set(term.stem, entry);
    }
  }
  const ceiling = Math.max(minSize, Math.floor(responses.length * 0.6));
  const candidates = [...byStem]
    .filter(([, e]) => e.ids.length >= minSize && e.ids.length <= ceiling)
    .sort((a, b) => b[1].ids.length - a[1].ids.length || a[0].localeCompare(b[0]));
  const groups: TermGroup[] = [];
  const used = new Set<string>();
  for (const [lead, entry] of candidates) {
    if (groups.length >= maxGroups) break;
    if (used.has(lead)) continue;
    const companions = new Map<string, number>();
    for (const id of entry.ids) for (const s of termsById.get(id)!) if (s !== lead) companions.set(s, (companions.get(s) ?? 0) + 1);
    const shared = [...companions]
      .filter(([s, count]) => count >= Math.max(2, Math.ceil(entry.ids.length / 2)) && byStem.get(s)!.ids.length <= ceiling)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 4)
      .map(([s]) => s);
    used.add(lead);
    for (const s of shared) used.add(s);
    groups.push({ terms: [lead, ...shared].map((s) => ({ stem: s, word: byStem.get(s)!.word })), responseIds: entry.ids });
  }
  return groups;
}
