// The version's Word document and PDF read back by independent readers: pandoc for Word,
// pdf.js for PDF. Headings, numbering, lists, links, the header table, tagging and language.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { outline } from "~/domain/numbering";
import type { DocJSON } from "~/domain/schema";
import { parseSpec } from "~/domain/source/parse";
import { versionDocx } from "~/exports/version-docx.server";
import type { VersionDocumentInput } from "~/exports/version-facts";
import { versionPdf } from "~/exports/version-pdf.server";
import { ensureDebianTools } from "../../support/debian";
import { appendix, clause, doc, em, li, link, ol, p, section, strong, ul } from "../builders";
import { docxParts } from "./docx-text";
import { pdfFacts } from "./pdf-reading";

beforeAll(() => ensureDebianTools([{ command: "pandoc", pkg: "pandoc" }]));

type Inline = { t: string; c?: unknown };
type Block = { t: string; c?: unknown };

function pandocJson(docx: Uint8Array): { blocks: Block[]; meta: Record<string, unknown> } {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-version-"));
  try {
    writeFileSync(path.join(dir, "v.docx"), docx);
    return JSON.parse(execFileSync("pandoc", ["--from=docx", "--to=json", path.join(dir, "v.docx")], { encoding: "utf8", timeout: 60_000, maxBuffer: 64 << 20 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const text = (inlines: Inline[]): string =>
  inlines
    .map((i) => (i.t === "Str" ? (i.c as string) : i.t === "Space" || i.t === "SoftBreak" ? " " : ["Strong", "Emph", "Underline"].includes(i.t) ? text(i.c as Inline[]) : i.t === "Link" || i.t === "Span" ? text((i.c as [unknown, Inline[]])[1]) : i.t === "Quoted" ? `"${text((i.c as [unknown, Inline[]])[1])}"` : ""))
    .join("");

/** Every inline anywhere in the blocks, depth first. */
function inlinesOf(value: unknown, out: Inline[] = []): Inline[] {
  if (Array.isArray(value)) value.forEach((v) => inlinesOf(v, out));
  else if (value && typeof value === "object" && "t" in value) {
    out.push(value as Inline);
    inlinesOf((value as Inline).c, out);
  }
  return out;
}

const sample: DocJSON = {
  ...doc(
    section(
      "scope",
      "Scope — what’s covered",
      clause("aims", p("Providers ", strong("must"), " treat people ", em("close to home"), " and follow ", link("NICE guidance", "https://www.nice.org.uk/guidance"), "."), p("Waiting times ≥ 85% → “on time”; Zoë’s café.")),
      clause(
        "uses",
        "Radiotherapy is used:",
        { type: "ordered_list", attrs: { order: 3 }, content: [li("to cure"), li("to relieve symptoms", ul(li("pain"), li("bleeding")))] },
      ),
      section("pathway", "Care pathway", clause("referral", "Referral is by a clinician."), section("deep", "Urgent treatment", clause("urgent", "Urgent treatment starts within 24 hours."))),
    ),
    appendix("glossary", "Glossary", clause("terms", "Terms used:", ol(li("IMRT"), li("SABR")))),
  ),
  attrs: { title: "Sample radiotherapy service", reference: "SAMPLE-RT-0001S" },
};

const input = (d: DocJSON, over: Partial<VersionDocumentInput> = {}): VersionDocumentInput => ({
  slug: "sample",
  title: d.attrs.title,
  reference: d.attrs.reference,
  number: "1.0",
  label: "Consultation draft",
  date: "2017-10-18",
  status: "published",
  doc: d,
  ...over,
});

describe("a version as a Word document", () => {
  it("opens with a header table of its title, reference, version, label, date and status", async () => {
    const { blocks, meta } = pandocJson(await versionDocx(input(sample)));
    // pandoc takes the paragraph in Word's Title style for the document's title.
    expect(text((meta as { title: { c: Inline[] } }).title.c)).toBe("Sample radiotherapy service");
    expect(blocks[0]!.t).toBe("Table");
    const table = blocks.find((b) => b.t === "Table")!;
    const cells = inlinesOf(table.c).filter((i) => i.t === "Plain" || i.t === "Para");
    const rows: string[] = [];
    for (const cell of cells) rows.push(text(cell.c as Inline[]));
    expect(rows).toEqual([
      "Title", "Sample radiotherapy service",
      "Specification number", "SAMPLE-RT-0001S",
      "Version", "1.0",
      "Version label", "Consultation draft",
      "Publication date", "18 October 2017",
      "Status", "Published",
    ]);
  });

  it("makes every section a real Word heading at its depth, numbered as on the page", async () => {
    const docx = await versionDocx(input(sample));
    const { blocks } = pandocJson(docx);
    const headers = blocks.filter((b) => b.t === "Header").map((b) => {
      const [level, , inlines] = b.c as [number, unknown, Inline[]];
      return `${level} ${text(inlines)}`;
    });
    expect(headers).toEqual(["1 1 Scope — what’s covered", "2 1.3 Care pathway", "3 1.3.2 Urgent treatment", "1 Appendix A Glossary"]);
    const xml = docxParts(docx)["word/document.xml"]!;
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(xml).toContain('<w:pStyle w:val="Heading3"/>');
    // Word's own heading styles, so the navigation pane lists them.
    expect(docxParts(docx)["word/styles.xml"]).toMatch(/<w:style [^>]*w:styleId="Heading2"[^>]*>.*?<w:outlineLvl w:val="1"\/>/s);
  });

  it("numbers every clause as the page does, keeps bold, italic and links, and writes lists as Word lists", async () => {
    const docx = await versionDocx(input(sample));
    const { blocks } = pandocJson(docx);
    const paragraphs = blocks.filter((b) => b.t === "Para").map((b) => text(b.c as Inline[]));
    for (const entry of outline(sample).filter((e) => e.kind === "clause")) {
      expect(paragraphs.some((line) => line.startsWith(`${entry.number} `)), entry.number).toBe(true);
    }
    const aims = blocks.find((b) => b.t === "Para" && text(b.c as Inline[]).startsWith("1.1 "))!;
    const inlines = inlinesOf(aims.c);
    expect(inlines.filter((i) => i.t === "Strong").map((i) => text(i.c as Inline[]))).toEqual(["1.1", "must"]);
    expect(inlines.filter((i) => i.t === "Emph").map((i) => text(i.c as Inline[]))).toEqual(["close to home"]);
    const links = inlines.filter((i) => i.t === "Link").map((i) => (i.c as [unknown, Inline[], [string, string]])[2][0]);
    expect(links).toEqual(["https://www.nice.org.uk/guidance"]);
    expect(paragraphs).toContain("Waiting times ≥ 85% → “on time”; Zoë’s café.");

    const lists = blocks.filter((b) => b.t === "OrderedList" || b.t === "BulletList");
    const first = lists[0]!;
    expect(first.t).toBe("OrderedList");
    const [[start], items] = first.c as [[number], Block[][]];
    expect(start).toBe(3);
    expect(items.map((item) => text(item[0]!.c as Inline[]))).toEqual(["to cure", "to relieve symptoms"]);
    const nested = items[1]!.find((b) => b.t === "BulletList")!;
    expect((nested.c as Block[][]).map((item) => text(item[0]!.c as Inline[]))).toEqual(["pain", "bleeding"]);
    // The glossary's list is a list of its own, counting from 1 again.
    const glossary = lists.find((b) => b.t === "OrderedList" && (b.c as [[number]])[0][0] === 1)!;
    expect(((glossary.c as [unknown, Block[][]])[1]).map((item) => text(item[0]!.c as Inline[]))).toEqual(["IMRT", "SABR"]);
    expect(documentHasNoTypedNumbers(docx)).toBe(true);
    // The number in bold, then a real tab to the clause's text (its hanging indent).
    expect(docxParts(docx)["word/document.xml"]).toContain('<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">1.1</w:t></w:r><w:r><w:tab/></w:r>');
  });

  it("has no tracked changes, and is marked as British English", async () => {
    const docx = await versionDocx(input(sample));
    const parts = docxParts(docx);
    expect(parts["word/document.xml"]).not.toMatch(/<w:(ins|del|moveFrom|moveTo) /);
    expect(parts["word/styles.xml"]).toContain('w:val="en-GB"');
    expect(parts["docProps/core.xml"]).toContain("<dc:title>Sample radiotherapy service, version 1.0</dc:title>");
  });

  it("reads the sample version 1.0 back clause for clause", async () => {
    const parsed = parseSpec(new Uint8Array(readFileSync("specs/adult-external-beam-radiotherapy/1.0.md")));
    if (!parsed.ok) throw new Error("the sample did not parse");
    const d = parsed.source.doc;
    const { blocks } = pandocJson(await versionDocx(input(d, { slug: "adult-external-beam-radiotherapy" })));
    const numbers = blocks.filter((b) => b.t === "Para").map((b) => /^([A-Z0-9]+(?:\.\d+)+) /.exec(text(b.c as Inline[]))?.[1]).filter(Boolean);
    expect(numbers).toEqual(outline(d).filter((e) => e.kind === "clause").map((e) => e.number));
  });
});

/** List numbers and bullets come from Word's numbering, never typed into the text. */
function documentHasNoTypedNumbers(docx: Uint8Array): boolean {
  return !/<w:t[^>]*>(?:•|\d+\. )/.test(docxParts(docx)["word/document.xml"]!);
}

describe("a version as a PDF", () => {
  it("is tagged, in British English, with its title shown, and a structure of headings, paragraphs, lists and a table", async () => {
    const facts = await pdfFacts(await versionPdf(input(sample)));
    expect(facts.marked).toBe(true);
    expect(facts.hasStructTree).toBe(true);
    expect(facts.lang).toBe("en-GB");
    expect(facts.title).toBe("Sample radiotherapy service, version 1.0");
    expect(facts.displayTitle).toBe(true);
    for (const role of ["H1", "H2", "H3", "H4", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Link"]) expect(facts.roles, role).toContain(role);
    // One H1: the title. Sections are H2 and below.
    expect(facts.roles.filter((r) => r === "H1")).toHaveLength(1);
    // Bookmarks for every section, nested as the sections are.
    expect(facts.outline).toEqual([
      { title: "1 Scope — what’s covered", items: [{ title: "1.3 Care pathway", items: [{ title: "1.3.2 Urgent treatment", items: [] }] }] },
      { title: "Appendix A Glossary", items: [] },
    ]);
  });

  it("keeps links as link annotations that belong to the structure", async () => {
    const raw = Buffer.from(await versionPdf(input(sample))).toString("latin1");
    expect(raw).toMatch(/\/URI \(https:\/\/www\.nice\.org\.uk\/guidance\)/);
    expect(raw).toMatch(/\/Subtype \/Link[^>]*\/StructParent \d+/);
  });

  it("has the header table, every number as on the page, and the characters a font without them would lose", async () => {
    const facts = await pdfFacts(await versionPdf(input(sample)));
    const flat = facts.text.replace(/\s+/g, " ");
    for (const fact of ["Specification number", "SAMPLE-RT-0001S", "Version label", "Consultation draft", "Publication date", "18 October 2017", "Published"]) expect(flat).toContain(fact);
    for (const heading of ["1 Scope — what’s covered", "1.3 Care pathway", "1.3.2 Urgent treatment", "Appendix A Glossary"]) expect(flat).toContain(heading);
    for (const entry of outline(sample).filter((e) => e.kind === "clause")) expect(flat).toContain(entry.number);
    expect(flat).toContain("Waiting times ≥ 85% → “on time”; Zoë’s café.");
    expect(flat).toMatch(/3\. ?to cure/);
    expect(flat).toContain("page 1 of 1");
  });

  it("lays the sample version 1.0 out on numbered A4 pages", async () => {
    const parsed = parseSpec(new Uint8Array(readFileSync("specs/adult-external-beam-radiotherapy/1.0.md")));
    if (!parsed.ok) throw new Error("the sample did not parse");
    const pdf = await versionPdf(input(parsed.source.doc, { slug: "adult-external-beam-radiotherapy" }));
    const facts = await pdfFacts(pdf);
    expect(facts.pages).toBeGreaterThan(3);
    facts.pageTexts.forEach((page, i) => expect(page.replace(/\s+/g, " ")).toContain(`page ${i + 1} of ${facts.pages}`));
    expect(Buffer.from(pdf).toString("latin1")).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    const flat = facts.text.replace(/\s+/g, " ");
    for (const entry of outline(parsed.source.doc).filter((e) => e.kind === "clause")) expect(flat, entry.number).toContain(`${entry.number} `);
  });
});
