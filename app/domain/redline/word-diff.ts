// Word-level segments between two plain texts. Exact by construction: every token lands in one
// segment, so equal+insert gives the new text and equal+delete the old, whatever the input.
import { myersDiff } from "./myers";
import { isTokenCut, TokenInterner } from "./tokens";
import type { Segment } from "./types";

export interface WordDiffOptions {
  /** Milliseconds one comparison may take before it falls back to delete-all, insert-all. */
  budgetMs?: number;
}

export const DEFAULT_BUDGET_MS = 250;

const now = () => performance.now();

/** Where the token before `at` ends: the scan began at `head`. */
const endOf = (ends: Int32Array, at: number, head: number) => (at === 0 ? head : ends[at - 1]!);

export function wordSegments(
  from: string,
  to: string,
  options: WordDiffOptions = {},
  interner = new TokenInterner(),
): { segments: Segment[]; fallback: boolean } {
  if (from === to) return { segments: from ? [{ op: "equal", text: from }] : [], fallback: false };
  if (!from) return { segments: [{ op: "insert", text: to }], fallback: false };
  if (!to) return { segments: [{ op: "delete", text: from }], fallback: false };

  // The common start and end need no diff: cut them off where cutting keeps every token whole
  // (isTokenCut), and tokenize and diff only the middle. The segments are those of diffing the
  // whole token lists: Myers takes the tokens both lists start with, then those they end with,
  // then searches between. No common token reaches past the characters both texts start with, so
  // while the end stays after those, cutting it off first changes nothing.
  const shortest = Math.min(from.length, to.length);
  let same = 0;
  while (same < shortest && from.charCodeAt(same) === to.charCodeAt(same)) same++;
  let head = same;
  while (head > 0 && !(isTokenCut(from, head) && isTokenCut(to, head))) head--;
  let tail = 0;
  while (tail < shortest - same && from.charCodeAt(from.length - 1 - tail) === to.charCodeAt(to.length - 1 - tail)) tail++;
  while (tail > 0 && !(isTokenCut(from, from.length - tail) && isTokenCut(to, to.length - tail))) tail--;

  const a = interner.scan(from, head, from.length - tail);
  const b = interner.scan(to, head, to.length - tail);
  const runs = myersDiff(a.ids, b.ids, now() + (options.budgetMs ?? DEFAULT_BUDGET_MS), now);
  if (!runs) {
    return { segments: [{ op: "delete", text: from }, { op: "insert", text: to }], fallback: true };
  }

  // Each run's text is a slice of its version, from the end of the token before it.
  const raw: Segment[] = [];
  if (head) raw.push({ op: "equal", text: to.slice(0, head) });
  let fromAt = 0;
  let toAt = 0;
  for (const { op, count } of runs) {
    if (op === "delete") {
      raw.push({ op, text: from.slice(endOf(a.ends, fromAt, head), endOf(a.ends, fromAt + count, head)) });
      fromAt += count;
    } else if (op === "insert") {
      raw.push({ op, text: to.slice(endOf(b.ends, toAt, head), endOf(b.ends, toAt + count, head)) });
      toAt += count;
    } else {
      raw.push({ op, text: to.slice(endOf(b.ends, toAt, head), endOf(b.ends, toAt + count, head)) });
      fromAt += count;
      toAt += count;
    }
  }
  if (tail) raw.push({ op: "equal", text: to.slice(to.length - tail) });
  return { segments: tidy(foldShortEqualities(raw)), fallback: false };
}

interface Region {
  deleted: string;
  inserted: string;
}

const regionSize = (r: Region) => Math.max(r.deleted.length, r.inserted.length);

/**
 * Folds an unchanged stretch into the changes around it when it is no longer than the change on
 * either side (the semantic clean-up of diff-match-patch): "the" between two rewritten phrases
 * reads better as part of one rewrite. The folded text goes to both sides, so nothing is lost.
 */
export function foldShortEqualities(segments: Segment[]): Segment[] {
  const parts: (Region | string)[] = [];
  for (const segment of segments) {
    const last = parts[parts.length - 1];
    if (segment.op === "equal") {
      if (typeof last === "string") parts[parts.length - 1] = last + segment.text;
      else parts.push(segment.text);
    } else {
      const region = last !== undefined && typeof last !== "string" ? last : { deleted: "", inserted: "" };
      if (region !== last) parts.push(region);
      if (segment.op === "delete") region.deleted += segment.text;
      else region.inserted += segment.text;
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 1; i + 1 < parts.length; i++) {
      const before = parts[i - 1];
      const equal = parts[i];
      const after = parts[i + 1];
      if (typeof equal !== "string" || typeof before === "string" || typeof after === "string") continue;
      if (equal.length > regionSize(before!) || equal.length > regionSize(after!)) continue;
      before!.deleted += equal + after!.deleted;
      before!.inserted += equal + after!.inserted;
      parts.splice(i, 2);
      changed = true;
    }
  }
  const out: Segment[] = [];
  for (const part of parts) {
    if (typeof part === "string") {
      if (part) out.push({ op: "equal", text: part });
    } else {
      if (part.deleted) out.push({ op: "delete", text: part.deleted });
      if (part.inserted) out.push({ op: "insert", text: part.inserted });
    }
  }
  return out;
}

/**
 * Makes changes read as phrases: a change region absorbs the white space that separates two of
 * its edits, and each region is written as one deletion followed by one insertion.
 */
export function tidy(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  const region: OpenRegion = { deleted: "", inserted: "", open: false };
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    if (!segment.text) continue;
    if (segment.op === "delete") {
      region.deleted += segment.text;
      region.open = true;
    } else if (segment.op === "insert") {
      region.inserted += segment.text;
      region.open = true;
    } else {
      const next = segments[index + 1];
      const bridges = region.open && next !== undefined && next.op !== "equal" && /^\s{1,3}$/.test(segment.text);
      if (bridges) {
        region.deleted += segment.text;
        region.inserted += segment.text;
        continue;
      }
      flush(out, region);
      pushEqual(out, segment.text);
    }
  }
  flush(out, region);
  return out;
}

// tidy's helpers are functions of their own, not closures made on every call.
interface OpenRegion {
  deleted: string;
  inserted: string;
  open: boolean;
}

function pushEqual(out: Segment[], text: string): void {
  const last = out[out.length - 1];
  if (last?.op === "equal") last.text += text;
  else if (text) out.push({ op: "equal", text });
}

function flush(out: Segment[], region: OpenRegion): void {
  let { deleted, inserted } = region;
  let carry = "";
  // White space that both sides of a change share reads better outside the change.
  if (deleted && inserted) {
    const lead = sharedWhitespace(deleted, inserted, "start");
    if (lead) pushEqual(out, lead);
    deleted = deleted.slice(lead.length);
    inserted = inserted.slice(lead.length);
    carry = sharedWhitespace(deleted, inserted, "end");
    deleted = deleted.slice(0, deleted.length - carry.length);
    inserted = inserted.slice(0, inserted.length - carry.length);
  }
  if (deleted) out.push({ op: "delete", text: deleted });
  if (inserted) out.push({ op: "insert", text: inserted });
  pushEqual(out, carry);
  region.deleted = "";
  region.inserted = "";
  region.open = false;
}

function sharedWhitespace(a: string, b: string, side: "start" | "end"): string {
  let n = 0;
  const max = Math.min(a.length, b.length);
  if (side === "start") {
    while (n < max && a[n] === b[n] && /\s/.test(a[n]!)) n++;
    // Keep at least one character on each side, so a change never becomes empty.
    n = Math.min(n, a.length - 1, b.length - 1);
    return a.slice(0, Math.max(n, 0));
  }
  while (n < max && a[a.length - 1 - n] === b[b.length - 1 - n] && /\s/.test(a[a.length - 1 - n]!)) n++;
  n = Math.min(n, a.length - 1, b.length - 1);
  return n > 0 ? a.slice(a.length - n) : "";
}
