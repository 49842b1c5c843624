import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_CLAUSES } from "~/domain/document";
import { contentHash } from "~/domain/hashing";
import { outline } from "~/domain/numbering";
import { schemaProblem } from "~/domain/schema";
import { formatProblem } from "~/domain/source/errors";
import { parseSpec, type ParseResult } from "~/domain/source/parse";
import { writeSpec } from "~/domain/source/write";
import { FRONT } from "../builders";

const specsDir = path.resolve("specs");
const specFiles = readdirSync(specsDir, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".md"))
  .map((f) => path.join(specsDir, f));

function parsed(text: string | Uint8Array) {
  const result = parseSpec(text, "t.md");
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  return result.source;
}

function problems(text: string | Uint8Array): string[] {
  const result: ParseResult = parseSpec(text, "t.md");
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe("the specification files in specs/", () => {
  it("are present", () => {
    expect(specFiles.length).toBeGreaterThanOrEqual(2);
  });

  it.each(specFiles)("%s parses, fits the schema and round-trips exactly", (file) => {
    const bytes = readFileSync(file);
    const source = parsed(bytes);
    expect(schemaProblem(source.doc)).toBeNull();
    const written = writeSpec(source);
    expect(written).toBe(bytes.toString("utf8"));
    const again = parsed(written);
    expect(contentHash(again.doc)).toBe(contentHash(source.doc));
    expect(again.meta).toEqual(source.meta);
  });
});

describe("parsing", () => {
  it("reads front matter, sections, clauses, lists and marks", () => {
    const source = parsed(FRONT.replace("version: 1.0\n", "version: 1.0\nlabel: Engagement draft\ndate: 2016-10-28\nstatus: published\n"));
    expect(source.meta).toEqual({ slug: "sample", version: "1.0", label: "Engagement draft", date: "2016-10-28", status: "published" });
    const body = parsed(
      `${FRONT}\n# Needs {#needs}\n\n{#c-one} Treatment is **delivered** at *fixed* [centres](https://example.org/a_(b)). Each must:\n\n- publish hours;\n  1. weekdays\n  2. weekends\n- offer advice.\n\nA second paragraph.\n`,
    );
    expect(body.doc.content![0]).toEqual({
      type: "section",
      attrs: { id: "needs", appendix: false },
      content: [
        { type: "heading", content: [{ type: "text", text: "Needs" }] },
        {
          type: "clause",
          attrs: { id: "c-one" },
          content: [
            {
              type: "paragraph",
              content: [
                { type: "text", text: "Treatment is " },
                { type: "text", text: "delivered", marks: [{ type: "strong" }] },
                { type: "text", text: " at " },
                { type: "text", text: "fixed", marks: [{ type: "em" }] },
                { type: "text", text: " " },
                { type: "text", text: "centres", marks: [{ type: "link", attrs: { href: "https://example.org/a_(b)" } }] },
                { type: "text", text: ". Each must:" },
              ],
            },
            {
              type: "bullet_list",
              content: [
                {
                  type: "list_item",
                  content: [
                    { type: "paragraph", content: [{ type: "text", text: "publish hours;" }] },
                    {
                      type: "ordered_list",
                      attrs: { order: 1 },
                      content: [
                        { type: "list_item", content: [{ type: "paragraph", content: [{ type: "text", text: "weekdays" }] }] },
                        { type: "list_item", content: [{ type: "paragraph", content: [{ type: "text", text: "weekends" }] }] },
                      ],
                    },
                  ],
                },
                { type: "list_item", content: [{ type: "paragraph", content: [{ type: "text", text: "offer advice." }] }] },
              ],
            },
            { type: "paragraph", content: [{ type: "text", text: "A second paragraph." }] },
          ],
        },
      ],
    });
  });

  it("accepts CRLF line endings and a byte-order mark, and writes LF", () => {
    const lf = `${FRONT}\n# S {#s}\n\n{#a} Text.\n`;
    const crlf = "\ufeff" + lf.replace(/\n/g, "\r\n");
    const source = parsed(new TextEncoder().encode(crlf));
    expect(contentHash(source.doc)).toBe(contentHash(parsed(lf).doc));
    expect(writeSpec(source)).toBe(lf);
  });

  it("joins a paragraph written over several lines with single spaces", () => {
    const source = parsed(`${FRONT}\n# S {#s}\n\n{#a} First line\nsecond line\n  third.\n`);
    expect(writeSpec(source)).toContain("{#a} First line second line third.\n");
  });

  it("reads text straight after a heading as a clause without an id, up to the next marker", () => {
    const source = parsed(`${FRONT}\n# Scope {#scope}\n\nThe service covers adults.\n\nA second paragraph.\n\n{#next} Next clause.\n\n## Lists {#lists}\n\n- first item\n- second\n`);
    expect(outline(source.doc).map((e) => `${e.number} ${e.id}`)).toEqual([
      "1 scope",
      "1.1 c-the-service-covers-adults",
      "1.2 next",
      "1.3 lists",
      "1.3.1 c-first-item",
    ]);
    const written = writeSpec(source);
    expect(written).toContain("{#c-the-service-covers-adults} The service covers adults.\n\nA second paragraph.\n\n{#next} Next clause.");
    expect(written).toContain("## Lists {#lists}\n\n{#c-first-item}\n\n- first item\n- second\n");
    expect(contentHash(parsed(written).doc)).toBe(contentHash(source.doc));
  });

  it("gives headings and clauses without ids new, stable ids that the exporter writes back", () => {
    const text = `${FRONT}\n# Population needs\n\n{} Radiotherapy cures cancer.\n\n{#} Radiotherapy cures cancer.\n\n# Population needs {#population-needs-2}\n`;
    const first = parsed(text);
    const entries = outline(first.doc).map((e) => e.id);
    expect(entries).toEqual(["population-needs", "c-radiotherapy-cures-cancer", "c-radiotherapy-cures-cancer-2", "population-needs-2"]);
    expect(contentHash(parsed(text).doc)).toBe(contentHash(first.doc));
    expect(writeSpec(first)).toContain("# Population needs {#population-needs}\n\n{#c-radiotherapy-cures-cancer} Radiotherapy");
  });

  it("keeps non-ASCII text exactly: en dash, no-break space, curly quotes, accents, emoji", () => {
    const sentence = "Linacs – replaced at 10\u00a0years – ‘soon’ “now”; Röntgen, Zoë 🙂.";
    const source = parsed(`${FRONT}\n# S {#s}\n\n{#a} ${sentence}\n`);
    expect(source.doc.content![0]!.content[1]).toMatchObject({ content: [{ content: [{ text: sentence }] }] });
  });

  it("keeps unmatched delimiters as literal text instead of dropping them", () => {
    const source = parsed(`${FRONT}\n# S {#s}\n\n{#a} 5 * 3 and **open and [bracket and a_b\n`);
    expect(writeSpec(source)).toContain("{#a} 5 \\* 3 and \\*\\*open and \\[bracket and a_b\n");
  });

  it("reads YAML-style quoted front-matter values, and writes back what reads the same", () => {
    const source = parsed(FRONT.replace("title: Sample", `title: "A \\"quoted\\" word"`).replace("version: 1.0\n", "version: 1.0\nlabel: 'It''s fine'\n"));
    expect(source.doc.attrs.title).toBe('A "quoted" word');
    expect(source.meta.label).toBe("It's fine");
    expect(parsed(writeSpec(source)).meta.label).toBe("It's fine");
    const spaced = parsed(FRONT.replace("title: Sample", 'title: " padded "'));
    expect(writeSpec(spaced)).toContain('title: " padded "');
  });

  it("accepts headings indented by up to three spaces, and links with balanced parentheses", () => {
    const source = parsed(`${FRONT}\n# S {#s}\n\n   ## Sub {#sub}\n\n{#a} See [wiki](https://en.wikipedia.org/wiki/Radiation_therapy_(disambiguation)) here.\n`);
    expect(outline(source.doc).map((e) => e.number + " " + e.id)).toEqual(["1 s", "1.1 sub", "1.1.1 a"]);
    expect(writeSpec(source)).toContain("[wiki](https://en.wikipedia.org/wiki/Radiation_therapy_\\(disambiguation\\)) here.");
  });

  it("reads a wrapped line that starts with a number and a full stop as text, not a new list", () => {
    const source = parsed(`${FRONT}\n# S {#s}\n\n{#a} Linac numbers peaked in\n2016. They then fell.\n\n- but this is a list\n`);
    expect(writeSpec(source)).toContain("{#a} Linac numbers peaked in 2016. They then fell.\n\n- but this is a list\n");
  });

  it("keeps the start number of an ordered list", () => {
    const source = parsed(`${FRONT}\n# S {#s}\n\n{#a} Steps:\n\n3. three\n4. four\n`);
    expect(writeSpec(source)).toContain("3. three\n4. four\n");
  });
});

describe("parse errors name the file, line and column and say what was expected", () => {
  const body = "\n# S {#s}\n\n{#a} Text.\n";

  it("rejects a duplicate id", () => {
    expect(problems(`${FRONT}\n# S {#s}\n\n{#a} One.\n\n{#a} Two.\n`)).toEqual(['t.md:12:3: duplicate id "a" (first used on line 10)']);
  });

  it("rejects a section id reused by a clause", () => {
    expect(problems(`${FRONT}\n# S {#s}\n\n{#s} One.\n`)[0]).toMatch(/^t\.md:10:3: duplicate id "s"/);
  });

  it("rejects a skipped heading level", () => {
    expect(problems(`${FRONT}\n# S {#s}\n\n### T {#t}\n`)).toEqual(["t.md:10:1: heading level skipped: found ### where the deepest allowed is ##"]);
  });

  it("rejects a first heading deeper than #", () => {
    expect(problems(`${FRONT}\n## S {#s}\n`)[0]).toMatch(/^t\.md:8:1: heading level skipped/);
  });

  it("rejects an unknown front-matter key", () => {
    expect(problems(FRONT.replace("version: 1.0", "version: 1.0\nauthor: Someone") + body)).toEqual([
      't.md:6:1: unknown front-matter key "author": expected one of slug, title, reference, version, label, date, status',
    ]);
  });

  it.each(["slug", "title", "version"])("rejects a file missing the required key %s", (key) => {
    const text = FRONT.replace(new RegExp(`^${key}: .*\\n`, "m"), "") + body;
    expect(problems(text)).toEqual([`t.md:5:1: missing required front-matter key "${key}" (required: slug, title, version)`]);
  });

  it("rejects a file with no front matter", () => {
    expect(problems("# S {#s}\n")).toEqual(['t.md:1:1: expected front matter: the file must start with a line "---", then key: value lines, then "---"']);
  });

  it("rejects bad front-matter values", () => {
    const text = FRONT.replace("version: 1.0", "version: one\ndate: 2016-02-30\nstatus: final").replace("slug: sample", "slug: Sample_1") + body;
    expect(problems(text)).toEqual([
      't.md:2:7: slug "Sample_1" must match [a-z0-9][a-z0-9-]* (at most 100 characters)',
      't.md:5:10: version "one" must be a number such as 0.9, 1.0 or 1.0.1',
      't.md:6:7: date "2016-02-30" must be an ISO 8601 date such as 2016-10-28',
      't.md:7:9: status "final" must be one of draft, submitted, approved, published, superseded',
    ]);
  });

  it("rejects text outside any section or clause (before the first heading)", () => {
    expect(problems(`${FRONT}\nPreamble.\n\n# S {#s}\n`)).toEqual([
      "t.md:8:1: text outside any section or clause: expected a heading (# Title {#id}) before any text",
    ]);
    expect(problems(`${FRONT}\n- a list\n\n# S {#s}\n`)[0]).toMatch(/^t\.md:8:1: text outside any section or clause/);
  });

  it("rejects a clause before the first heading", () => {
    expect(problems(`${FRONT}\n{#a} Early.\n`)).toEqual(["t.md:8:1: clause outside any section: expected a heading (# Title {#id}) before the first clause"]);
  });

  it.each([
    ["{#Bad_Id} Text.", 'invalid id "Bad_Id"'],
    ["{#-lead} Text.", 'invalid id "-lead"'],
    ["{#has space} Text.", 'invalid id "has space"'],
  ])("rejects a bad clause id: %s", (line, message) => {
    expect(problems(`${FRONT}\n# S {#s}\n\n${line}\n`)[0]).toContain(`t.md:10:3: ${message}`);
  });

  it("rejects a bad section id", () => {
    expect(problems(`${FRONT}\n# S {#Sec}\n`)[0]).toMatch(/^t\.md:8:7: invalid id "Sec"/);
  });

  it.each(["javascript:alert(1)", "data:text/html,x", "ftp://example.org/f", "/relative/path", "file:///etc/passwd"])(
    "rejects a link to %s",
    (href) => {
      const [problem] = problems(`${FRONT}\n# S {#s}\n\n{#a} See [this](${href}).\n`);
      expect(problem).toMatch(/^t\.md:10:17: link /);
      expect(problem).toContain("only http, https and mailto");
    },
  );

  it("accepts http, https and mailto links", () => {
    expect(parseSpec(`${FRONT}\n# S {#s}\n\n{#a} [a](http://x.org) [b](https://x.org) [c](mailto:team@example.nhs.uk)\n`).ok).toBe(true);
  });

  it("rejects invalid UTF-8 and says where", () => {
    const head = new TextEncoder().encode(`${FRONT}\n# S {#s}\n\n{#a} Caf`);
    const bytes = new Uint8Array([...head, 0xe9, 0x20, 0x6f, 0x6b, 0x0a]);
    expect(problems(bytes)).toEqual([`t.md:10:9: invalid UTF-8 at byte offset ${head.length}: files must be UTF-8 text`]);
  });

  it.each([
    ["an overlong encoding", [0xc0, 0xaf]],
    ["a truncated sequence", [0xe2, 0x82]],
    ["an encoded surrogate", [0xed, 0xa0, 0x80]],
  ])("rejects %s", (_name, tail) => {
    const bytes = new Uint8Array([...new TextEncoder().encode(FRONT), ...tail]);
    expect(problems(bytes)[0]).toMatch(/^t\.md:7:1: invalid UTF-8/);
  });

  it("rejects control characters and stray carriage returns", () => {
    expect(problems(`${FRONT}\n# S {#s}\n\n{#a} Bell\u0007 here.\rx\n`)).toEqual([
      "t.md:10:10: control character U+0007 (bell) is not allowed",
      "t.md:10:17: carriage return not followed by a line feed: use LF or CRLF line endings",
    ]);
  });

  it("rejects .appendix below the top level and unknown heading attributes", () => {
    expect(problems(`${FRONT}\n# S {#s}\n\n## T {#t .appendix}\n\n## U {#u .annex}\n`)).toEqual([
      "t.md:10:1: .appendix is only allowed on a top-level (#) heading",
      't.md:12:10: unexpected ".annex" in heading attributes: expected {#id} or {#id .appendix}',
    ]);
  });

  it("rejects list indentation that is odd or too deep, and tabs", () => {
    expect(problems(`${FRONT}\n# S {#s}\n\n{#a} List:\n\n   - odd\n`)).toEqual(["t.md:12:1: list indentation must be two spaces per level"]);
    expect(problems(`${FRONT}\n# S {#s}\n\n{#a} List:\n\n    - deep\n`)).toEqual(["t.md:12:1: list item indented too far: expected at most 0 spaces"]);
    expect(problems(`${FRONT}\n# S {#s}\n\n{#a} List:\n\n-\tx\n\t- y\n`)).toEqual(["t.md:13:1: tab in indentation: indent with spaces (two per list level)"]);
  });

  it("says a UTF-16 file must be saved as UTF-8", () => {
    expect(problems(new Uint8Array([0xff, 0xfe, 0x2d, 0x00]))).toEqual(["t.md:1:1: the file is UTF-16: save it as UTF-8"]);
  });

  it.each([
    ["* one", 'bullet list items start with "- "'],
    ["+ one", 'bullet list items start with "- "'],
    ["1) one", 'ordered list items are written "1. ", with a full stop'],
    ["####### seven {#s}", "headings have at most six levels (######)"],
    ["-----------", "underlined headings and horizontal rules are not part of the format: write headings as # Title {#id}"],
    ["***", "underlined headings and horizontal rules are not part of the format: write headings as # Title {#id}"],
    ["{ #c1 } Text.", "a clause marker is written {#id} with no spaces inside the braces"],
  ])("refuses the Markdown habit %j instead of reading it as text", (line, message) => {
    expect(problems(`${FRONT}\n# S {#s}\n\n{#a} Text.\n${line}\n`)).toEqual([`t.md:11:1: ${message}`]);
  });

  it.each([
    ['title: "Stage 1" versus "Stage 2"', 'the value of "title" starts with a quote mark that is not closed properly'],
    ["label: 'unclosed", 'the value of "label" starts with a quote mark that is not closed properly'],
    ["date: 2016-10-28T99:99", 'date "2016-10-28T99:99" must be an ISO 8601 date such as 2016-10-28'],
    ["version: 1.00", 'version "1.00" must be a number such as 0.9, 1.0 or 1.0.1'],
    ["version: 01.0", 'version "01.0" must be a number such as 0.9, 1.0 or 1.0.1'],
  ])("refuses the front-matter line %j", (line, message) => {
    const key = line.split(":")[0]!;
    const text = FRONT.replace(new RegExp(`^${key}: .*\\n`, "m"), "").replace("---\n\n", "").replace(/---\n$/, `${line}\n---\n`);
    expect(problems(text + "\n# S {#s}\n")[0]).toContain(message);
  });

  it.each([
    ["https:", 'link "https:" needs a host after https://'],
    ["mailto:", 'link "mailto:" needs an email address after mailto:'],
    ['https://x.org/a"b', 'link "https://x.org/a"b" contains a space, quote mark or angle bracket: encode it (for example %20)'],
  ])("refuses the link %j with a reason that fits", (href, message) => {
    expect(problems(`${FRONT}\n# S {#s}\n\n{#a} See [this](${href}).\n`)[0]).toBe(`t.md:10:17: ${message}`);
  });

  it("reports every problem, not only the first", () => {
    expect(problems(`${FRONT}\n# S {#s}\n\n{#a} One.\n\n{#a} Two.\n\n### Deep {#d}\n`)).toHaveLength(2);
  });
});

describe("the size of a version", () => {
  it("refuses a file with more clauses than a version may hold, saying how many", () => {
    const clauses = Array.from({ length: MAX_CLAUSES + 1 }, (_, i) => `{#c${i}} Clause ${i}.`).join("\n\n");
    const result = parseSpec(`${FRONT}\n# Scope {#scope}\n\n${clauses}\n`, "big.md");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.message)).toContain(`the file has ${MAX_CLAUSES + 1} clauses; the limit is ${MAX_CLAUSES}`);
  });
});
