// Annotation anchors that survive revisions (format §4): a clause id, UTF-16 offsets into the
// clause's plain text, and the quote with up to 32 characters either side. Carried to another
// version, an anchor is exact, shifted, moved (only into clauses that took over its own clause's
// text) or orphaned; it is never attached to a lookalike passage when its own text is gone.
import { itemTexts } from "./document";
import type { DocJSON } from "./schema";
import { tokenize } from "./redline/tokens";
import { myersDiff } from "./redline/myers";

export const CONTEXT_LENGTH = 32;

export interface Anchor {
  id: string;
  clauseId: string;
  start?: number | null;
  end?: number | null;
  quote?: string | null;
  prefix?: string | null;
  suffix?: string | null;
}

export type AnchorStatus = "exact" | "shifted" | "moved" | "orphaned";

export interface PlacedAnchor {
  id: string;
  status: AnchorStatus;
  clauseId: string | null;
  start: number | null;
  end: number | null;
}

/** An anchor for the text between start and end of a clause's plain text. */
export function makeAnchor(id: string, clauseId: string, text: string, start: number, end: number): Required<Anchor> {
  return {
    id,
    clauseId,
    start,
    end,
    quote: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - CONTEXT_LENGTH), start),
    suffix: text.slice(end, end + CONTEXT_LENGTH),
  };
}

/** Levenshtein distance, with an early stop once it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      current.push(value);
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** How many edits a quote of this length may have and still count as "a small edit of it". */
export function allowedEdits(quote: string): number {
  return Math.floor(quote.length * 0.15);
}

/** The part of `context` that agrees with `actual`, 0 to 1 (1 when there is no context to compare). */
function contextAgreement(expected: string, actual: string, side: "before" | "after"): number {
  if (!expected) return 1;
  const a = side === "before" ? expected.slice(-actual.length || undefined) : expected.slice(0, actual.length || undefined);
  const b = side === "before" ? actual.slice(-expected.length) : actual.slice(0, expected.length);
  if (!a.length || !b.length) return 0;
  return 1 - editDistance(a, b) / Math.max(a.length, b.length);
}

interface Candidate {
  start: number;
  end: number;
  distance: number;
  context: number;
}

/**
 * Every place in `text` that matches `quote` with at most `limit` edits (approximate substring
 * search, Sellers' algorithm), best first: fewest edits, then best surrounding context.
 */
function findApproximate(text: string, quote: string, limit: number, prefix: string, suffix: string): Candidate[] {
  const m = quote.length;
  if (!m) return [];
  const found: Candidate[] = [];
  // Exact occurrences first: cheap and the common case.
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) {
    found.push({ start: at, end: at + m, distance: 0, context: 0 });
  }
  if (!found.length && limit > 0) {
    // cost[i] and origin[i]: best edits to match quote[0..i) ending at the current text position.
    let cost = Array.from({ length: m + 1 }, (_, i) => i);
    let origin = new Array<number>(m + 1).fill(0);
    for (let j = 1; j <= text.length; j++) {
      const nextCost = [0];
      const nextOrigin = [j];
      for (let i = 1; i <= m; i++) {
        const substitute = cost[i - 1]! + (quote[i - 1] === text[j - 1] ? 0 : 1);
        const skipText = cost[i]! + 1;
        const skipQuote = nextCost[i - 1]! + 1;
        if (substitute <= skipText && substitute <= skipQuote) {
          nextCost.push(substitute);
          nextOrigin.push(origin[i - 1]!);
        } else if (skipText <= skipQuote) {
          nextCost.push(skipText);
          nextOrigin.push(origin[i]!);
        } else {
          nextCost.push(skipQuote);
          nextOrigin.push(nextOrigin[i - 1]!);
        }
      }
      cost = nextCost;
      origin = nextOrigin;
      if (cost[m]! <= limit) found.push({ start: origin[m]!, end: j, distance: cost[m]!, context: 0 });
    }
  }
  // Of overlapping matches keep the best; then rank by edits and by agreement of the context.
  for (const candidate of found) {
    candidate.context =
      contextAgreement(prefix, text.slice(Math.max(0, candidate.start - prefix.length), candidate.start), "before") +
      contextAgreement(suffix, text.slice(candidate.end, candidate.end + suffix.length), "after");
  }
  found.sort((a, b) => a.distance - b.distance || b.context - a.context || a.start - b.start);
  const kept: Candidate[] = [];
  for (const candidate of found) {
    if (!kept.some((k) => candidate.start < k.end && k.start < candidate.end)) kept.push(candidate);
  }
  return kept;
}

interface EqualPiece {
  fromStart: number;
  fromEnd: number;
  toStart: number;
}

/** The stretches of text the two versions share, from their word diff. */
function equalPieces(from: string, to: string): EqualPiece[] {
  const fromTokens = tokenize(from);
  const toTokens = tokenize(to);
  const ids = new Map<string, number>();
  const intern = (tokens: string[]) => Int32Array.from(tokens, (t) => ids.get(t) ?? (ids.set(t, ids.size), ids.size - 1));
  const runs = myersDiff(intern(fromTokens), intern(toTokens), Infinity, () => 0) ?? [];
  const pieces: EqualPiece[] = [];
  let fromAt = 0;
  let toAt = 0;
  let fi = 0;
  let ti = 0;
  const length = (tokens: string[], start: number, count: number) => tokens.slice(start, start + count).reduce((n, t) => n + t.length, 0);
  for (const run of runs) {
    if (run.op === "equal") {
      const size = length(fromTokens, fi, run.count);
      pieces.push({ fromStart: fromAt, fromEnd: fromAt + size, toStart: toAt });
      fromAt += size;
      toAt += size;
      fi += run.count;
      ti += run.count;
    } else if (run.op === "delete") {
      fromAt += length(fromTokens, fi, run.count);
      fi += run.count;
    } else {
      toAt += length(toTokens, ti, run.count);
      ti += run.count;
    }
  }
  return pieces;
}

/** Maps an offset in `from` into `to`; null when the text there was deleted. */
function mapOffset(pieces: EqualPiece[], offset: number, edge: "start" | "end"): number | null {
  for (const piece of pieces) {
    if (offset > piece.fromStart && offset < piece.fromEnd) return piece.toStart + offset - piece.fromStart;
    if (offset === piece.fromStart && edge === "start") return piece.toStart;
    if (offset === piece.fromEnd && edge === "end") return piece.toStart + offset - piece.fromStart;
  }
  return null;
}

/** Where the quote's own surviving characters went in `to`. */
function survivingRanges(pieces: EqualPiece[], start: number, end: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (const piece of pieces) {
    const from = Math.max(start, piece.fromStart);
    const to = Math.min(end, piece.fromEnd);
    if (from < to) ranges.push([piece.toStart + from - piece.fromStart, piece.toStart + to - piece.fromStart]);
  }
  return ranges;
}

/** How much of to[start, end) is new text (not shared with the older version), 0 to 1. */
function newShare(pieces: EqualPiece[], start: number, end: number): number {
  let shared = 0;
  for (const piece of pieces) {
    const pieceEnd = piece.toStart + (piece.fromEnd - piece.fromStart);
    shared += Math.max(0, Math.min(end, pieceEnd) - Math.max(start, piece.toStart));
  }
  return end > start ? 1 - shared / (end - start) : 0;
}

interface ClauseText {
  id: string;
  text: string;
}

/** Places one anchor made on `fromClauses` onto `toClauses`. */
function place(anchor: Anchor, fromClauses: Map<string, ClauseText>, toClauses: Map<string, ClauseText>, newClauses: ClauseText[]): PlacedAnchor {
  const orphaned: PlacedAnchor = { id: anchor.id, status: "orphaned", clauseId: null, start: null, end: null };
  const own = toClauses.get(anchor.clauseId);
  const before = fromClauses.get(anchor.clauseId);
  const hasRange = typeof anchor.start === "number" && typeof anchor.end === "number";

  // A whole-clause annotation follows its clause while the clause exists.
  if (!hasRange) {
    return own ? { id: anchor.id, status: "exact", clauseId: own.id, start: null, end: null } : orphaned;
  }
  const start = anchor.start!;
  const end = anchor.end!;
  const quote = anchor.quote ?? before?.text.slice(start, end) ?? "";
  const prefix = anchor.prefix ?? before?.text.slice(Math.max(0, start - CONTEXT_LENGTH), start) ?? "";
  const suffix = anchor.suffix ?? before?.text.slice(end, end + CONTEXT_LENGTH) ?? "";
  if (!quote) return own ? { id: anchor.id, status: start === end ? "exact" : "shifted", clauseId: own.id, start: Math.min(start, own.text.length), end: Math.min(end, own.text.length) } : orphaned;
  const limit = allowedEdits(quote);

  if (own) {
    // 1. Unchanged where it was.
    if (own.text.slice(start, end) === quote && (!before || before.text === own.text || own.text.slice(Math.max(0, start - prefix.length), start) === prefix)) {
      return { id: anchor.id, status: "exact", clauseId: own.id, start, end };
    }
    // 2. Through the clause's own redline: where its text went, if it is still (nearly) the quote.
    const pieces = before ? equalPieces(before.text, own.text) : [];
    if (before) {
      const newStart = mapOffset(pieces, start, "start");
      const newEnd = mapOffset(pieces, end, "end");
      if (newStart !== null && newEnd !== null && newEnd >= newStart) {
        const there = own.text.slice(newStart, newEnd);
        if (there === quote || editDistance(there, quote, limit) <= limit) {
          return { id: anchor.id, status: newStart === start && newEnd === end && there === quote ? "exact" : "shifted", clauseId: own.id, start: newStart, end: newEnd };
        }
      }
    }
    // 3. Moved within its own clause: a match in text that is new there. A match in text the
    //    clause already had is another passage that looks the same, not this one.
    const candidates = findApproximate(own.text, quote, limit, prefix, suffix);
    const surviving = survivingRanges(pieces, start, end);
    const ownPassage = (c: Candidate) => surviving.some(([a, b]) => c.start < b && a < c.end) || newShare(pieces, c.start, c.end) >= 0.5;
    const best = before ? candidates.find(ownPassage) : candidates[0];
    if (best) return { id: anchor.id, status: "shifted", clauseId: own.id, start: best.start, end: best.end };
  }

  // 4. Its text left its clause (deleted or split): look only in clauses that are new in `to`.
  const strict = Math.floor(quote.length * 0.1);
  let moved: { clause: ClauseText; candidate: Candidate } | null = null;
  for (const clause of newClauses) {
    const [candidate] = findApproximate(clause.text, quote, strict, prefix, suffix);
    if (!candidate) continue;
    // A short quote needs its surroundings to agree too, so a common phrase is not a match.
    const needsContext = quote.length < 40;
    if (needsContext && candidate.context < 1) continue;
    if (!moved || candidate.distance < moved.candidate.distance || (candidate.distance === moved.candidate.distance && candidate.context > moved.candidate.context)) {
      moved = { clause, candidate };
    }
  }
  if (moved) return { id: anchor.id, status: "moved", clauseId: moved.clause.id, start: moved.candidate.start, end: moved.candidate.end };
  return orphaned;
}

/** Places annotations made on one version onto another. */
export function reanchor(anchors: Anchor[], from: DocJSON, to: DocJSON): PlacedAnchor[] {
  return reanchorOnTexts(anchors, clausePlainTexts(from), clausePlainTexts(to));
}

/** Each clause's plain text by id, in document order: what reanchorOnTexts reads of a version. */
export function clausePlainTexts(doc: DocJSON): Map<string, string> {
  return new Map(itemTexts(doc).filter((i) => i.kind === "clause").map((i) => [i.id, i.plainText]));
}

/**
 * reanchor, given each version's clause texts (id to plain text, in document order) rather than
 * the documents: a page that carries annotations from many versions reads those texts from the
 * stored items instead of taking every document apart.
 */
export function reanchorOnTexts(anchors: Anchor[], from: ReadonlyMap<string, string>, to: ReadonlyMap<string, string>): PlacedAnchor[] {
  const asClauses = (texts: ReadonlyMap<string, string>) => new Map([...texts].map(([id, text]) => [id, { id, text }]));
  const fromClauses = asClauses(from);
  const toClauses = asClauses(to);
  const newClauses = [...toClauses.values()].filter((clause) => !fromClauses.has(clause.id));
  return anchors.map((anchor) => place(anchor, fromClauses, toClauses, newClauses));
}
