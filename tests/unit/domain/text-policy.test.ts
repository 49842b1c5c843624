import { describe, expect, it } from "vitest";
import { parseSpec } from "~/domain/source/parse";
import { refusedCharacters, textProblem, type RefusalKind } from "~/domain/text-policy";

const kinds = (text: string, lines = false) => refusedCharacters(text, { lines }).map((r) => r.kind);

describe("the text policy", () => {
  it.each([
    ["an en dash, a non-breaking space and curly quotes", "5–6 years, 10\u00a0linacs, ‘quoted’ and “double”"],
    ["accented names", "Röntgen, Łukasz, Siân, Zoë"],
    ["combining accents", "Sian\u0302"],
    ["plain emoji and an emoji with a variation selector", "🙂 ❤️ ☢️"],
    ["emoji joined by a zero-width joiner", "👩🏽‍⚕️ 🏳️‍🌈 🧑‍🤝‍🧑 👩‍❤️‍💋‍👨 ❤️‍🔥"],
    ["the flag of England, a black flag with tag characters", "🏴󠁧󠁢󠁥󠁮󠁧󠁿"],
    ["Persian with a zero-width non-joiner", "می‌خواهم"],
    ["Hindi with a zero-width joiner after a virama", "क्‍ष"],
    ["right-to-left text with direction marks", "שלום\u200f (Hebrew) and \u200eA-1"],
    ["a tab", "a\tb"],
  ])("allows %s", (_name, text) => {
    expect(refusedCharacters(text)).toEqual([]);
    expect(textProblem(text)).toBeNull();
  });

  const refusals: [string, string, RefusalKind][] = [
    ["NUL", "a\u0000b", "control"],
    ["an escape", "a\u001b[31mb", "control"],
    ["DEL", "a\u007fb", "control"],
    ["next line U+0085", "a\u0085b", "control"],
    ["another C1 control", "a\u009bb", "control"],
    ["a line separator", "a\u2028b", "separator"],
    ["a paragraph separator", "a\u2029b", "separator"],
    ["a right-to-left override", "a\u202eb", "direction"],
    ["a left-to-right embedding", "a\u202ab", "direction"],
    ["a pop directional formatting", "a\u202cb", "direction"],
    ["a right-to-left isolate", "a\u2067b", "direction"],
    ["a pop directional isolate", "a\u2069b", "direction"],
    ["a zero-width space", "pay\u200bpal", "zero-width"],
    ["a zero-width joiner between Latin letters", "pay\u200dpal", "zero-width"],
    ["a zero-width non-joiner between Latin letters", "pay\u200cpal", "zero-width"],
    ["a zero-width joiner after an emoji with nothing to join", "🙂\u200d", "zero-width"],
    ["a zero-width joiner before an emoji with nothing before it", "\u200d🙂", "zero-width"],
    ["a word joiner", "a\u2060b", "zero-width"],
    ["a byte-order mark inside text", "a\ufeffb", "zero-width"],
    ["an invisible operator", "a\u2062b", "zero-width"],
    ["tag characters outside a flag", "hi\u{e0041}\u{e0042}", "tag"],
    ["a lone surrogate", "a\ud800b", "surrogate"],
    ["a non-character", "a\uffffb", "non-character"],
  ];

  it.each(refusals)("refuses %s, saying which character and where", (_name, text, kind) => {
    expect(kinds(text)[0]).toBe(kind);
    const codePoint = text.match(/[^a-z🙂]/u)![0].codePointAt(0)!;
    const problem = textProblem(text)!;
    expect(problem).toContain(`U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`);
    expect(problem).toMatch(/ at character \d+/);
    expect(problem).toMatch(/; remove it$/);
  });

  it("names the character and counts positions in characters, an emoji being one", () => {
    expect(textProblem("🙂🙂 a\u202eb")).toBe("has an invisible text-direction character U+202E (right-to-left override) at character 5; remove it");
    expect(textProblem("x\u0000")).toBe("has a control character U+0000 (null) at character 2; remove it");
    expect(refusedCharacters("🙂\u0000")[0]).toMatchObject({ index: 2, position: 2 });
  });

  it("finds every refused character, not only the first", () => {
    expect(kinds("\u0000a\u202eb\u200bc")).toEqual(["control", "direction", "zero-width"]);
  });

  it("allows line breaks (LF and CRLF) only in fields with lines, and never a carriage return alone", () => {
    expect(kinds("one\ntwo\r\nthree", true)).toEqual([]);
    expect(kinds("one\ntwo", false)).toEqual(["line break"]);
    expect(textProblem("one\ntwo")).toBe("has a line break at character 4, which this field cannot hold; remove it");
    expect(kinds("one\rtwo", true)).toEqual(["control"]);
    expect(textProblem("one\rtwo", { lines: true })).toBe("has a carriage return without a line feed at character 4; remove it");
    // A line separator is not a line break, even where lines are allowed.
    expect(kinds("one\u2028two", true)).toEqual(["separator"]);
  });

  it("lets tags through only inside a flag emoji, which a cancel tag ends", () => {
    expect(kinds("🏴\u{e0067}\u{e0062}\u{e007f}")).toEqual([]);
    expect(kinds("🏴\u{e0067}\u{e007f}\u{e0062}")).toEqual(["tag"]);
    expect(kinds("🏴 \u{e0067}")).toEqual(["tag"]);
  });
});

describe("the text policy in source files", () => {
  const FRONT = "---\nslug: x\ntitle: X\nversion: 1.0\n---\n";
  const problems = (text: string) => {
    const result = parseSpec(text, "t.md");
    return result.ok ? [] : result.problems.map((p) => `${p.line}:${p.column}: ${p.message}`);
  };

  it.each([
    ["a right-to-left override in clause text", `${FRONT}\n# S {#s}\n\n{#a} Pay \u202eto\n`, "9:10: invisible text-direction character U+202E (right-to-left override) is not allowed"],
    ["a zero-width space in a link address", `${FRONT}\n# S {#s}\n\n{#a} [x](https://evil\u200b.example/)\n`, "9:22: invisible zero-width character U+200B (zero-width space) is not allowed"],
    ["next line U+0085 in the front matter", FRONT.replace("title: X", "title: X\u0085Y"), "3:9: control character U+0085 (next line) is not allowed"],
    ["a line separator in a heading", `${FRONT}\n# S\u2028T {#s}\n`, "7:4: line separator U+2028 is not allowed"],
    ["a NUL", `${FRONT}\n# S {#s}\n\n{#a} A\u0000B\n`, "9:7: control character U+0000 (null) is not allowed"],
  ])("refuses %s, saying where", (_name, text, expected) => {
    expect(problems(text)).toEqual([expected]);
  });

  it("reads emoji sequences, the flag of England and Persian text as ordinary text", () => {
    expect(problems(`${FRONT}\n# S {#s}\n\n{#a} 👩🏽‍⚕️ 🏴󠁧󠁢󠁥󠁮󠁧󠁿 می‌خواهم\n`)).toEqual([]);
  });
});
