// A seeded corpus of annotation cases across edits, with the expected outcome of each, and the
// scoring the anchoring issue asks for. Used by a unit test (targets) and npm run bench (figures).
import { readFileSync } from "node:fs";
import { makeAnchor, reanchor, type Anchor, type PlacedAnchor } from "~/domain/anchoring";
import { itemTexts } from "~/domain/document";
import type { ClauseJSON, DocJSON } from "~/domain/schema";
import { parseSpec } from "~/domain/source/parse";
import { seededRandom } from "../unit/random";

type Random = ReturnType<typeof seededRandom>;

export type CaseKind =
  | "unchanged"
  | "clause moved"
  | "edits outside the quote"
  | "small edit inside the quote"
  | "moved within the clause"
  | "clause split"
  | "quote deleted, lookalike in another clause"
  | "quote deleted, lookalike in the same clause"
  | "clause deleted"
  | "quote rewritten";

export interface AnchorCase {
  kind: CaseKind;
  from: DocJSON;
  to: DocJSON;
  anchor: Anchor;
  /** Where the annotation belongs in `to`, or null when its text is gone (must be orphaned). */
  expected: { clauseId: string; start: number; end: number } | null;
  /** Share of the quote's characters that changed. */
  changed: number;
}

function sampleTexts(): string[] {
  const result = parseSpec(new Uint8Array(readFileSync("specs/adult-external-beam-radiotherapy/0.9.md")));
  if (!result.ok) throw new Error("the sample specification does not parse");
  return itemTexts(result.source.doc)
    .filter((i) => i.kind === "clause" && !i.plainText.includes("\n") && i.plainText.length > 120)
    .map((i) => i.plainText);
}

const clause = (id: string, text: string): ClauseJSON => ({ type: "clause", attrs: { id }, content: [{ type: "paragraph", content: [{ type: "text", text }] }] });

function doc(sections: { id: string; clauses: ClauseJSON[] }[]): DocJSON {
  return {
    type: "doc",
    attrs: { title: "Corpus", reference: "" },
    content: sections.map((s) => ({ type: "section", attrs: { id: s.id, appendix: false }, content: [{ type: "heading", content: [{ type: "text", text: s.id }] }, ...s.clauses] })),
  };
}

/** A word-aligned range of 2 to 8 words in `text`, away from its ends. */
function pickQuote(text: string, r: Random): { start: number; end: number } {
  const words = [...text.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const count = 2 + r.int(7);
  const first = 2 + r.int(Math.max(1, words.length - count - 4));
  return { start: words[first]!.start, end: words[Math.min(first + count - 1, words.length - 1)]!.end };
}

/** Replaces about `share` of the quote's characters, a whole word at a time, never the whole quote. */
function editInside(quote: string, r: Random, share: number): string {
  const chars = [...quote];
  const changes = Math.max(1, Math.floor(quote.length * share));
  for (let i = 0; i < changes; i++) {
    const at = 1 + r.int(Math.max(1, chars.length - 2));
    if (/\s/.test(chars[at]!)) continue;
    chars[at] = r.pick(["a", "e", "o", "s", "t"]);
  }
  return chars.join("");
}

export function buildCorpus(size: number, seed = 2017): AnchorCase[] {
  const texts = sampleTexts();
  const r = seededRandom(seed);
  const kinds: CaseKind[] = [
    "unchanged",
    "clause moved",
    "edits outside the quote",
    "small edit inside the quote",
    "moved within the clause",
    "clause split",
    "quote deleted, lookalike in another clause",
    "quote deleted, lookalike in the same clause",
    "clause deleted",
    "quote rewritten",
  ];
  const cases: AnchorCase[] = [];
  for (let n = 0; n < size; n++) {
    const kind = kinds[n % kinds.length]!;
    const text = texts[r.int(texts.length)]!;
    const other = texts[r.int(texts.length)]!;
    const { start, end } = pickQuote(text, r);
    const quote = text.slice(start, end);
    const anchor = makeAnchor(`a${n}`, "target", text, start, end);
    const from = doc([{ id: "s1", clauses: [clause("before", other), clause("target", text)] }, { id: "s2", clauses: [clause("after", texts[(n * 7) % texts.length]!)] }]);
    const keep = (target: ClauseJSON, extra: ClauseJSON[] = [], moveTarget = false) =>
      moveTarget
        ? doc([{ id: "s1", clauses: [clause("before", other)] }, { id: "s2", clauses: [clause("after", texts[(n * 7) % texts.length]!), target, ...extra] }])
        : doc([{ id: "s1", clauses: [clause("before", other), target, ...extra] }, { id: "s2", clauses: [clause("after", texts[(n * 7) % texts.length]!)] }]);
    let to: DocJSON;
    let expected: AnchorCase["expected"];
    let changed = 0;
    switch (kind) {
      case "unchanged":
        to = keep(clause("target", text));
        expected = { clauseId: "target", start, end };
        break;
      case "clause moved":
        to = keep(clause("target", text), [], true);
        expected = { clauseId: "target", start, end };
        break;
      case "edits outside the quote": {
        const head = `${r.pick(["Each", "Every", "In future, each", "Where possible,"])} `;
        const tail = ` ${r.pick(["This applies to every site.", "Networks will report on this.", ""])}`;
        const cut = r.int(Math.max(1, Math.min(start, 20)));
        const edited = head + text.slice(cut, start) + quote + text.slice(end) + tail;
        const newStart = head.length + start - cut;
        to = keep(clause("target", edited));
        expected = { clauseId: "target", start: newStart, end: newStart + quote.length };
        break;
      }
      case "small edit inside the quote": {
        const share = 0.02 + r.next() * 0.08;
        const editedQuote = editInside(quote, r, share);
        changed = [...quote].filter((ch, i) => ch !== [...editedQuote][i]).length / quote.length;
        to = keep(clause("target", text.slice(0, start) + editedQuote + text.slice(end)));
        expected = { clauseId: "target", start, end: start + editedQuote.length };
        break;
      }
      case "moved within the clause": {
        const rest = text.slice(0, start) + text.slice(end);
        const edited = `${quote} — ${rest}`;
        to = keep(clause("target", edited));
        expected = { clauseId: "target", start: 0, end: quote.length };
        break;
      }
      case "clause split": {
        const splitAt = Math.max(1, text.lastIndexOf(" ", start));
        const second = text.slice(splitAt + 1);
        to = keep(clause("target", text.slice(0, splitAt)), [clause("target-part-2", second)]);
        expected = { clauseId: "target-part-2", start: start - splitAt - 1, end: end - splitAt - 1 };
        break;
      }
      case "quote deleted, lookalike in another clause":
        to = doc([{ id: "s1", clauses: [clause("before", `${other} ${quote}.`), clause("target", text.slice(0, start) + text.slice(end))] }, { id: "s2", clauses: [clause("after", texts[(n * 7) % texts.length]!)] }]);
        // The lookalike clause existed before, so the annotation must not jump to it.
        expected = null;
        from.content![0]!.content[1] = clause("before", `${other} ${quote}.`);
        break;
      case "quote deleted, lookalike in the same clause": {
        const withTwin = `${text} Note: ${quote}.`;
        anchor.suffix = withTwin.slice(end, end + 32);
        from.content![0]!.content[2] = clause("target", withTwin);
        to = keep(clause("target", `${text.slice(0, start)}${text.slice(end)} Note: ${quote}.`));
        expected = null;
        break;
      }
      case "clause deleted":
        to = doc([{ id: "s1", clauses: [clause("before", other)] }, { id: "s2", clauses: [clause("after", texts[(n * 7) % texts.length]!)] }]);
        expected = null;
        break;
      case "quote rewritten": {
        const replacement = quote
          .split(" ")
          .map((w) => w.split("").reverse().join(""))
          .join(" ");
        to = keep(clause("target", text.slice(0, start) + replacement + text.slice(end)));
        changed = 1;
        expected = null;
        break;
      }
    }
    cases.push({ kind, from, to, anchor, expected, changed });
  }
  return cases;
}

export interface CorpusScore {
  cases: number;
  byKind: Record<string, { total: number; correct: number; wrong: number; orphaned: number }>;
  unchangedSurvival: number;
  smallEditPlacement: number;
  wrongPlacements: number;
  misses: { kind: CaseKind; anchor: Anchor; placed: PlacedAnchor; expected: AnchorCase["expected"] }[];
}

export function scoreCorpus(cases: AnchorCase[]): CorpusScore {
  const byKind: CorpusScore["byKind"] = {};
  const misses: CorpusScore["misses"] = [];
  let unchanged = 0;
  let unchangedOk = 0;
  let small = 0;
  let smallOk = 0;
  let wrong = 0;
  for (const c of cases) {
    const [placed] = reanchor([c.anchor], c.from, c.to) as [PlacedAnchor];
    const stats = (byKind[c.kind] ??= { total: 0, correct: 0, wrong: 0, orphaned: 0 });
    stats.total++;
    const correct = c.expected
      ? placed.clauseId === c.expected.clauseId && placed.start === c.expected.start && placed.end === c.expected.end
      : placed.status === "orphaned";
    const isWrong = placed.status !== "orphaned" && !correct;
    if (correct) stats.correct++;
    if (isWrong) stats.wrong++;
    if (placed.status === "orphaned") stats.orphaned++;
    if (isWrong) wrong++;
    if (!correct) misses.push({ kind: c.kind, anchor: c.anchor, placed, expected: c.expected });
    if (c.kind === "unchanged" || c.kind === "clause moved") {
      unchanged++;
      if (correct && placed.status === "exact") unchangedOk++;
    } else if (c.expected && c.changed <= 0.1) {
      small++;
      if (correct) smallOk++;
    }
  }
  return { cases: cases.length, byKind, unchangedSurvival: unchangedOk / unchanged, smallEditPlacement: smallOk / small, wrongPlacements: wrong, misses };
}
