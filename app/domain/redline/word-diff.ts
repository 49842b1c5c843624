// Word-level segments between two plain texts. Exact by construction: every token lands in one
// segment, so equal+insert gives the new text and equal+delete the old, whatever the input.
import { myersDiff } from "./myers";
import { tokenize, TokenInterner } from "./tokens";
import type { Segment } from "./types";

export interface WordDiffOptions {
  /** Milliseconds one comparison may take before it falls back to delete-all, insert-all. */
  budgetMs?: number;
}

export const DEFAULT_BUDGET_MS = 250;

export function wordSegments(
  from: string,
  to: string,
  options: WordDiffOptions = {},
  interner = new TokenInterner(),
): { segments: Segment[]; fallback: boolean } {
  if (from === to) return { segments: from ? [{ op: "equal", text: from }] : [], fallback: false };
  if (!from) return { segments: [{ op: "insert", text: to }], fallback: false };
  if (!to) return { segments: [{ op: "delete", text: from }], fallback: false };

  const fromTokens = tokenize(from);
  const toTokens = tokenize(to);
  const now = () => performance.now();
  const runs = myersDiff(interner.intern(fromTokens), interner.intern(toTokens), now() + (options.budgetMs ?? DEFAULT_BUDGET_MS), now);
  if (!runs) {
    return { segments: [{ op: "delete", text: from }, { op: "insert", text: to }], fallback: true };
  }

  const raw: Segment[] = [];
  let fromAt = 0;
  let toAt = 0;
  for (const { op, count } of runs) {
    if (op === "delete") {
      raw.push({ op, text: fromTokens.slice(fromAt, fromAt + count).join("") });
      fromAt += count;
    } else if (op === "insert") {
      raw.push({ op, text: toTokens.slice(toAt, toAt + count).join("") });
      toAt += count;
    } else {
      raw.push({ op, text: toTokens.slice(toAt, toAt + count).join("") });
      fromAt += count;
      toAt += count;
    }
  }
  return { segments: tidy(raw), fallback: false };
}

/**
 * Makes changes read as phrases: a change region absorbs the white space that separates two of
 * its edits, and each region is written as one deletion followed by one insertion.
 */
export function tidy(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  let deleted = "";
  let inserted = "";
  let inRegion = false;
  let carry = "";
  const pushEqual = (text: string) => {
    const last = out[out.length - 1];
    if (last?.op === "equal") last.text += text;
    else if (text) out.push({ op: "equal", text });
  };
  const flush = () => {
    // White space that both sides of a change share reads better outside the change.
    if (deleted && inserted) {
      const lead = sharedWhitespace(deleted, inserted, "start");
      if (lead) pushEqual(lead);
      deleted = deleted.slice(lead.length);
      inserted = inserted.slice(lead.length);
      carry = sharedWhitespace(deleted, inserted, "end");
      deleted = deleted.slice(0, deleted.length - carry.length);
      inserted = inserted.slice(0, inserted.length - carry.length);
    }
    if (deleted) out.push({ op: "delete", text: deleted });
    if (inserted) out.push({ op: "insert", text: inserted });
    pushEqual(carry);
    carry = "";
    deleted = "";
    inserted = "";
    inRegion = false;
  };
  segments.forEach((segment, index) => {
    if (!segment.text) return;
    if (segment.op === "delete") {
      deleted += segment.text;
      inRegion = true;
    } else if (segment.op === "insert") {
      inserted += segment.text;
      inRegion = true;
    } else {
      const next = segments[index + 1];
      const bridges = inRegion && next !== undefined && next.op !== "equal" && /^\s{1,3}$/.test(segment.text);
      if (bridges) {
        deleted += segment.text;
        inserted += segment.text;
        return;
      }
      flush();
      pushEqual(segment.text);
    }
  });
  flush();
  return out;
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
