import { describe, expect, it } from "vitest";
import { myersDiff } from "~/domain/redline/myers";
import { isTokenCut, tokenize, TokenInterner } from "~/domain/redline/tokens";
import type { Segment } from "~/domain/redline/types";
import { foldShortEqualities, tidy, wordSegments } from "~/domain/redline/word-diff";
import { seededRandom } from "../random";

const ALPHABET = ["a", "Z", "9", " ", " ", "the", "ab", "\t", "\n", "\u00a0", "'", "’", "-", ".", "é", "\u0301", "中", "🙂", "👩", "\u200d", "\ufe0f", "⚕", "\ud800", "\udc00", "𝐀", "\u3000"];

/** wordSegments as it was before it cut off the common start and end: whole token lists diffed. */
function wholeListSegments(from: string, to: string): Segment[] {
  const a = tokenize(from);
  const b = tokenize(to);
  const interner = new TokenInterner();
  const runs = myersDiff(interner.intern(a), interner.intern(b), Infinity, () => 0)!;
  const raw: Segment[] = [];
  let i = 0;
  let j = 0;
  for (const { op, count } of runs) {
    if (op === "delete") raw.push({ op, text: a.slice(i, (i += count)).join("") });
    else if (op === "insert") raw.push({ op, text: b.slice(j, (j += count)).join("") });
    else {
      raw.push({ op, text: b.slice(j, (j += count)).join("") });
      i += count;
    }
  }
  return tidy(foldShortEqualities(raw));
}

describe("cutting texts where tokens meet", () => {
  it("keeps every token whole at each place isTokenCut allows, on 3000 random strings", () => {
    const r = seededRandom(13);
    for (let n = 0; n < 3000; n++) {
      const text = Array.from({ length: r.int(25) }, () => r.pick(ALPHABET)).join("");
      for (let at = 0; at <= text.length; at++) {
        if (!isTokenCut(text, at)) continue;
        expect([...tokenize(text.slice(0, at)), ...tokenize(text.slice(at))], `${JSON.stringify(text)} at ${at}`).toEqual(tokenize(text));
      }
    }
  });

  it("gives the same segments as diffing the whole token lists, on 3000 random edits", () => {
    const r = seededRandom(1301);
    for (let n = 0; n < 3000; n++) {
      const base = Array.from({ length: r.int(n % 10 === 0 ? 120 : 30) }, () => r.pick(ALPHABET));
      const edited = [...base];
      for (let e = 0, k = r.int(4); e < k; e++) {
        const at = r.int(edited.length + 1);
        const choice = r.int(3);
        if (choice === 0) edited.splice(at, 1);
        else if (choice === 1) edited.splice(at, 0, r.pick(ALPHABET));
        else edited[at] = r.pick(ALPHABET);
      }
      const from = base.join("");
      const to = edited.join("");
      if (!from || !to || from === to) continue;
      expect(wordSegments(from, to).segments, `${JSON.stringify(from)} → ${JSON.stringify(to)}`).toEqual(wholeListSegments(from, to));
      expect(wordSegments(to, from).segments, `${JSON.stringify(to)} → ${JSON.stringify(from)}`).toEqual(wholeListSegments(to, from));
    }
  });
});
