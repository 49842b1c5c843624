import { describe, expect, it } from "vitest";
import { highlightPieces, quotedRange } from "~/domain/highlights";
import { clausePlainText } from "~/domain/plain-text";
import type { ClauseJSON, ListJSON, ParagraphJSON } from "~/domain/schema";
import { clause, li, ol, p, strong, ul } from "../builders";

/** The pieces of a clause as [text, annotation ids] in order, to read at a glance. */
function shown(c: ClauseJSON, ranges: { id: number; start: number; end: number }[]) {
  const pieces = highlightPieces(c, ranges);
  const out: [string, number[]][] = [];
  const walk = (content: { text: string; type: "text" }[] | undefined) => {
    for (const node of content ?? []) for (const piece of pieces.get(node as never)!) out.push([piece.text, piece.annotations]);
  };
  const list = (block: ListJSON) => {
    for (const [paragraph, ...nested] of block.content.map((item) => item.content)) {
      walk(paragraph.content);
      nested.forEach(list);
    }
  };
  for (const block of c.content) {
    if (block.type === "paragraph") walk(block.content);
    else list(block);
  }
  return out;
}

/** A range for the first occurrence of `words` in the clause's plain text. */
const rangeOf = (c: ClauseJSON, words: string, id = 1) => {
  const start = clausePlainText(c).indexOf(words);
  if (start < 0) throw new Error(`"${words}" is not in the clause`);
  return { id, start, end: start + words.length };
};

describe("highlighting quoted words in a clause", () => {
  it("cuts one text node around the quote", () => {
    const c = clause("c1", "Each network will have a host provider.");
    expect(shown(c, [rangeOf(c, "host provider")])).toEqual([
      ["Each network will have a ", []],
      ["host provider", [1]],
      [".", []],
    ]);
  });

  it("follows a quote across differently marked text and keeps the marks", () => {
    const c = clause("c1", p("Treat ", strong("common cancers"), " close to home."));
    const pieces = highlightPieces(c, [rangeOf(c, "common cancers close")]);
    const bold = (c.content[0] as ParagraphJSON).content![1]!;
    expect(pieces.get(bold)).toEqual([{ text: "common cancers", marks: [{ type: "strong" }], annotations: [1] }]);
    expect(shown(c, [rangeOf(c, "common cancers close")])).toEqual([
      ["Treat ", []],
      ["common cancers", [1]],
      [" close", [1]],
      [" to home.", []],
    ]);
  });

  it("counts list markers and line breaks as the plain text does, so a quote in a later item lands on its words", () => {
    const c = clause("c1", "Networks will:", ol(li("agree protocols"), li("share images", ul(li("within a day")))), p("Then review."));
    expect(clausePlainText(c)).toBe("Networks will:\n1. agree protocols\n1. share images\n  - within a day\nThen review.");
    expect(shown(c, [rangeOf(c, "images", 1), rangeOf(c, "within", 2), rangeOf(c, "review", 3)])).toEqual([
      ["Networks will:", []],
      ["agree protocols", []],
      ["share ", []],
      ["images", [1]],
      ["within", [2]],
      [" a day", []],
      ["Then ", []],
      ["review", [3]],
      [".", []],
    ]);
  });

  it("gives overlapping quotes each their share", () => {
    const c = clause("c1", "one two three four");
    expect(shown(c, [rangeOf(c, "one two three", 1), rangeOf(c, "two three four", 2)])).toEqual([
      ["one ", [1]],
      ["two three", [1, 2]],
      [" four", [2]],
    ]);
  });

  it("leaves a clause with no ranges whole", () => {
    const c = clause("c1", "Nothing quoted here.");
    expect(shown(c, [])).toEqual([["Nothing quoted here.", []]]);
  });

  it("handles non-ASCII text by UTF-16 offsets, as anchors count", () => {
    const c = clause("c1", "Patients – and carers 👩‍⚕️ – said “yes”.");
    expect(shown(c, [rangeOf(c, "carers 👩‍⚕️")])).toEqual([
      ["Patients – and ", []],
      ["carers 👩‍⚕️", [1]],
      [" – said “yes”.", []],
    ]);
  });
});

describe("where a quote stands now", () => {
  const text = "Each network will have a host provider.";
  it("is the stored range when the words there are still the quote", () => {
    expect(quotedRange(text, { id: 7, start: 25, end: 38, quote: "host provider" })).toEqual({ id: 7, start: 25, end: 38 });
  });
  it("is nothing when the words there are not the quote, or there is no quote", () => {
    expect(quotedRange(text, { id: 7, start: 25, end: 38, quote: "lead provider" })).toBeNull();
    expect(quotedRange(text, { id: 7, start: null, end: null, quote: null })).toBeNull();
    expect(quotedRange(text, { id: 7, start: 30, end: 99, quote: "host provider" })).toBeNull();
  });
  it("trusts the range anchoring placed a carried quote at, small edits and all", () => {
    expect(quotedRange(text, { id: 7, start: 25, end: 38, quote: "host providers" }, { placed: true })).toEqual({ id: 7, start: 25, end: 38 });
  });
});
