import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { redline } from "~/domain/redline";
import type { DocJSON } from "~/domain/schema";
import { parseSpec } from "~/domain/source/parse";
import { redlineDocx } from "~/exports/redline-docx";
import { docxParts, documentXml, formattedLines, lines, readDocx, type JoinRule } from "./docx-text";
import { HAND_MADE, randomPair } from "./pairs";
import { pandocLines } from "./pandoc";
import { versionFormattedLines, versionLines, versionPandocLines } from "./readings";

const load = (version: string): DocJSON => {
  const result = parseSpec(new Uint8Array(readFileSync(`specs/adult-external-beam-radiotherapy/${version}.md`)));
  if (!result.ok) throw new Error("sample did not parse");
  return result.source.doc;
};

function make(from: DocJSON, to: DocJSON, labels: [string | null, string | null] = [null, null]): Promise<Uint8Array> {
  return redlineDocx({
    title: "Adult external beam radiotherapy",
    reference: "SAMPLE-RT-0001S",
    from: { version: "0.9", label: labels[0], doc: from },
    to: { version: "1.0", label: labels[1], doc: to },
    redline: redline({ version: "0.9", doc: from }, { version: "1.0", doc: to }),
    author: "Specwork",
    date: "2017-10-18T00:00:00Z",
  });
}

// The file opens with its title and a line saying what it compares, and ends with a closing line.
const body = (all: string[]) => all.slice(2, -1);
const wordReading = (docx: Uint8Array, mode: "accept" | "reject", join: JoinRule = "next") => body(lines(readDocx(docx, mode, join)));
const pandocReading = (docx: Uint8Array, mode: "accept" | "reject") => pandocLines(docx, mode).slice(1, -1);

function expectReadings(docx: Uint8Array, from: DocJSON, to: DocJSON): void {
  for (const join of ["next", "first-with-text"] as const) {
    expect(wordReading(docx, "accept", join), `accepted, joining into the ${join} paragraph`).toEqual(versionLines(to));
    expect(wordReading(docx, "reject", join), `rejected, joining into the ${join} paragraph`).toEqual(versionLines(from));
  }
  expect(body(formattedLines(readDocx(docx, "accept"))), "accepted, with formatting").toEqual(versionFormattedLines(to));
  expect(body(formattedLines(readDocx(docx, "reject"))), "rejected, with formatting").toEqual(versionFormattedLines(from));
}

describe("the Word redline of 0.9 to 1.0", () => {
  const from = load("0.9");
  const to = load("1.0");
  const sample = make(from, to, ["Engagement draft", "Consultation draft"]);

  it("gives version 1.0 paragraph by paragraph when every change is accepted, and 0.9 in its own order when every one is rejected", async () => {
    const docx = await sample;
    expectReadings(docx, from, to);
    // The moved clause stands where each version has it.
    const rejected = wordReading(docx, "reject");
    expect(rejected.findIndex((l) => l.startsWith("3.2.15\tProviders must make"))).toBeLessThan(rejected.findIndex((l) => l.startsWith("3.2.16\t")));
    expect(rejected.some((l) => l.startsWith("6.3\t"))).toBe(false);
  });

  it("reads the same in pandoc: accepting gives 1.0's clauses in order, rejecting 0.9's", { timeout: 60_000 }, async () => {
    const docx = await sample;
    expect(pandocReading(docx, "accept")).toEqual(versionPandocLines(to));
    expect(pandocReading(docx, "reject")).toEqual(versionPandocLines(from));
  });

  it("tracks the moved clause as a Word move, leaving where it stood and arriving where it stands", async () => {
    const xml = documentXml(await sample);
    const names = (kind: "moveFrom" | "moveTo") => [...xml.matchAll(new RegExp(`<w:${kind}RangeStart w:id="(\\d+)" w:name="([^"]+)"`, "g"))].map((m) => ({ id: m[1]!, name: m[2]! }));
    expect(names("moveFrom").map((r) => r.name)).toEqual(["move1"]);
    expect(names("moveTo").map((r) => r.name)).toEqual(["move1"]);
    for (const kind of ["moveFrom", "moveTo"] as const) {
      const { id } = names(kind)[0]!;
      const range = xml.slice(xml.indexOf(`<w:${kind}RangeStart w:id="${id}"`), xml.indexOf(`<w:${kind}RangeEnd w:id="${id}"/>`));
      expect(range, kind).toContain(`<w:${kind} w:id=`);
      expect(range, kind).toContain("Providers must make the");
    }
    // Where it stood, the old number goes with it; where it stands, the new number is new.
    const source = xml.slice(xml.indexOf("<w:moveFromRangeStart"), xml.indexOf("<w:moveFromRangeEnd"));
    expect(source).toMatch(/<w:del [^>]*><w:r><w:rPr><w:b\/><\/w:rPr><w:delText xml:space="preserve">3\.2\.15<\/w:delText>/);
    expect(xml.slice(xml.indexOf("<w:moveToRangeStart"), xml.indexOf("<w:moveToRangeEnd"))).toMatch(/<w:ins [^>]*><w:r><w:rPr><w:b\/><\/w:rPr><w:t xml:space="preserve">6\.3<\/w:t>/);
  });

  it("uses Word's own tracked changes, with author, date and unique ids, and turns change tracking on", async () => {
    const docx = await sample;
    const xml = documentXml(docx);
    expect(xml).toMatch(/<w:ins w:id="\d+" w:author="Specwork" w:date="2017-10-18T00:00:00Z">/);
    expect(xml).toMatch(/<w:del w:id="\d+" w:author="Specwork" w:date="2017-10-18T00:00:00Z">/);
    expect(xml).toContain("<w:delText");
    const ids = [...xml.matchAll(/<w:(?:ins|del|moveFrom|moveTo|pPrChange|rPrChange|moveFromRangeStart|moveToRangeStart) w:id="(\d+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(docxParts(docx)["word/settings.xml"]).toContain("<w:trackRevisions/>");
  });

  it("writes lists as Word lists with levels, so an inserted item renumbers the items after it", async () => {
    const docx = await sample;
    const xml = documentXml(docx);
    expect(xml).toContain('<w:numPr><w:ilvl w:val="1"/>');
    // No bullet or number is typed into the text.
    expect(xml).not.toMatch(/<w:(?:t|delText) xml:space="preserve">(?:•|\d+\. )/);
    const item = (mode: "accept" | "reject", text: string) => readDocx(docx, mode).find((p) => p.runs.map((r) => r.text).join("").startsWith(text));
    expect(item("accept", "to control cancer that has spread")?.label).toBe("3.");
    expect(item("accept", "to relieve pain")?.label).toBe("4.");
    expect(item("reject", "to relieve pain")?.label).toBe("3.");
    const nested = readDocx(docx, "accept").find((p) => p.runs.map((r) => r.text).join("").startsWith("membership of a radiotherapy network"));
    expect(nested).toMatchObject({ label: "•", level: 1, style: "ClauseListItem" });
  });

  it("gives the same bytes for the same versions", async () => {
    expect(Buffer.from(await make(from, to)).equals(Buffer.from(await make(from, to)))).toBe(true);
  });

  const soffice = ["soffice", "libreoffice"].find((bin) => spawnSync("which", [bin]).status === 0);
  it.skipIf(!soffice)("opens in LibreOffice with its changes as tracked changes", { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-docx-"));
    try {
      const file = path.join(dir, "redline.docx");
      writeFileSync(file, await sample);
      execFileSync(soffice!, ["--headless", `-env:UserInstallation=file://${dir}/profile`, "--convert-to", "odt", "--outdir", dir, file], { timeout: 170_000, stdio: "ignore" });
      expect(existsSync(path.join(dir, "redline.odt"))).toBe(true);
      const { unzipSync } = await import("fflate");
      const content = new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(path.join(dir, "redline.odt"))))["content.xml"]);
      const count = (tag: string) => (content.match(new RegExp(`<text:${tag}[ >]`, "g")) ?? []).length;
      expect(content).toContain("<text:tracked-changes");
      const rows = redline({ version: "0.9", doc: from }, { version: "1.0", doc: to }).items;
      expect(count("insertion")).toBeGreaterThanOrEqual(rows.filter((r) => r.status === "inserted").length);
      expect(count("deletion")).toBeGreaterThanOrEqual(rows.filter((r) => r.status === "deleted").length);
      expect(count("changed-region")).toBeGreaterThanOrEqual(rows.filter((r) => r.status !== "unchanged").length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the Word redline of each kind of change", () => {
  for (const pair of HAND_MADE) {
    it(`${pair.name}: accepting gives the newer version and rejecting the older, in Word's reading and in pandoc's`, { timeout: 30_000 }, async () => {
      const docx = await make(pair.from, pair.to);
      expectReadings(docx, pair.from, pair.to);
      expect(pandocReading(docx, "accept"), "pandoc, accepted").toEqual(versionPandocLines(pair.to));
      expect(pandocReading(docx, "reject"), "pandoc, rejected").toEqual(versionPandocLines(pair.from));
    });
  }

  it("records bold and italic changes as formatting revisions, and a link's new address as the linked words removed and added", async () => {
    const pair = HAND_MADE.find((p) => p.name.startsWith("formatting only"))!;
    const docx = await make(pair.from, pair.to);
    const xml = documentXml(docx);
    expect(xml).toMatch(/<w:r><w:rPr><w:i\/><w:rPrChange w:id="\d+" w:author="Specwork" w:date="2017-10-18T00:00:00Z"><w:rPr><w:b\/><\/w:rPr><\/w:rPrChange><\/w:rPr><w:t xml:space="preserve">must<\/w:t><\/w:r>/);
    const rels = docxParts(docx)["word/_rels/document.xml.rels"]!;
    const rel = (href: string) => new RegExp(`Id="(rIdL\\d+)" Type="[^"]+/hyperlink" Target="${href.replace(/[.?]/g, "\\$&")}" TargetMode="External"`).exec(rels)![1];
    expect(xml).toContain(`<w:hyperlink r:id="${rel("https://www.nice.org.uk/")}" w:history="1"><w:del `);
    expect(xml).toContain(`<w:hyperlink r:id="${rel("https://www.nice.org.uk/guidance")}" w:history="1"><w:ins `);
    expect(body(formattedLines(readDocx(docx, "reject")))[1]).toBe('<strong>1.1</strong>\tProviders <strong>must</strong> follow <a href="https://www.nice.org.uk/">NICE guidance</a> and the <em>national strategy</em>.');
  });
});

describe("the Word redline of random edit scripts (moves, sections, lists, formatting)", () => {
  it("reads back exactly, accepted and rejected, for 400 seeded pairs, each move's two ends named alike", { timeout: 120_000 }, async () => {
    for (let seed = 1; seed <= 400; seed++) {
      const { from, to } = randomPair(seed);
      const docx = await make(from, to);
      const xml = documentXml(docx);
      const starts = (kind: string) => [...xml.matchAll(new RegExp(`<w:${kind}RangeStart w:id="(\\d+)" w:name="([^"]+)"`, "g"))];
      const ends = (kind: string) => [...xml.matchAll(new RegExp(`<w:${kind}RangeEnd w:id="(\\d+)"/>`, "g"))].map((m) => m[1]);
      for (const kind of ["moveFrom", "moveTo"]) expect(ends(kind), `seed ${seed} ${kind} ranges`).toEqual(starts(kind).map((m) => m[1]));
      expect(starts("moveTo").map((m) => m[2]).sort(), `seed ${seed} move names`).toEqual(starts("moveFrom").map((m) => m[2]).sort());
      for (const join of ["next", "first-with-text"] as const) {
        expect(wordReading(docx, "accept", join), `seed ${seed} accepted (${join})`).toEqual(versionLines(to));
        expect(wordReading(docx, "reject", join), `seed ${seed} rejected (${join})`).toEqual(versionLines(from));
      }
      expect(body(formattedLines(readDocx(docx, "accept"))), `seed ${seed} accepted, formatted`).toEqual(versionFormattedLines(to));
      expect(body(formattedLines(readDocx(docx, "reject"))), `seed ${seed} rejected, formatted`).toEqual(versionFormattedLines(from));
    }
  });

  it("reads back exactly in pandoc for 25 of them", { timeout: 120_000 }, async () => {
    for (let seed = 1; seed <= 25; seed++) {
      const { from, to } = randomPair(seed);
      const docx = await make(from, to);
      expect(pandocReading(docx, "accept"), `seed ${seed} accepted`).toEqual(versionPandocLines(to));
      expect(pandocReading(docx, "reject"), `seed ${seed} rejected`).toEqual(versionPandocLines(from));
    }
  });
});

describe("the Word redline's authors and comments", () => {
  const from = load("0.9");
  const to = load("1.0");
  const result = redline({ version: "0.9", doc: from }, { version: "1.0", doc: to });
  // Changed in place, keeping their numbers, so each number stands once in the file.
  const changedClauses = result.items.filter((i) => i.kind === "clause" && i.status === "modified" && i.from!.number === i.to!.number);
  const [first, second] = changedClauses;
  const authors = new Map([
    [first!.id, { author: "Aisha Rahman", date: "2017-09-01T10:15:00Z" }],
    [second!.id, { author: "Seán Ó Briain", date: "2017-09-02T11:00:00Z" }],
  ]);
  const comments = new Map([
    [first!.id, [{ author: "Priya Shah", date: "2017-09-05T09:00:00Z", text: "Why this changed (version 1.0): Respondents asked for “plain” words – and got them." }]],
    [second!.id, [
      { author: "Priya Shah", date: "2017-09-05T09:30:00Z", text: "Why this changed (version 0.95): First reason." },
      { author: "Tom Jones", date: "2017-09-06T09:30:00Z", text: "Why this changed (version 1.0): Second reason." },
    ]],
  ]);
  const withNotes = () =>
    redlineDocx({
      title: "Adult external beam radiotherapy",
      reference: "SAMPLE-RT-0001S",
      from: { version: "0.9", label: null, doc: from },
      to: { version: "1.0", label: null, doc: to },
      redline: result,
      author: "NHS England",
      date: "2017-10-18T00:00:00Z",
      authors,
      comments,
    });

  it("stamps each clause's revisions with whoever wrote it and when, and the rest with the fallback", async () => {
    const xml = documentXml(await withNotes());
    const stamps = (id: string) => {
      // The paragraphs of one clause: from its number to the next clause's.
      const number = result.items.find((i) => i.id === id)!.to!.number;
      const start = xml.indexOf(`>${number}</w:t>`);
      expect(xml.indexOf(`>${number}</w:t>`, start + 1), `${number} stands once`).toBe(-1);
      const rest = xml.slice(start);
      const end = rest.search(/<w:pStyle w:val="(Clause|Heading\d)"\/>/);
      return new Set([...rest.slice(0, end).matchAll(/<w:(?:ins|del|moveFrom|moveTo|rPrChange|pPrChange) w:id="\d+" w:author="([^"]+)" w:date="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`));
    };
    expect(stamps(first!.id)).toEqual(new Set(["Aisha Rahman 2017-09-01T10:15:00Z"]));
    expect(stamps(second!.id)).toEqual(new Set(["Seán Ó Briain 2017-09-02T11:00:00Z"]));
    expect(xml).toMatch(/w:author="NHS England" w:date="2017-10-18T00:00:00Z"/);
  });

  it("anchors each reason as a Word comment on its change, by its writer, when it was written", async () => {
    const docx = await withNotes();
    const parts = docxParts(docx);
    expect(parts["[Content_Types].xml"]).toContain('PartName="/word/comments.xml"');
    expect(parts["word/_rels/document.xml.rels"]).toMatch(/Type="[^"]+\/comments" Target="comments.xml"/);
    const found = [...parts["word/comments.xml"]!.matchAll(/<w:comment w:id="(\d+)" w:author="([^"]+)" w:date="([^"]+)" w:initials="([^"]*)">(.*?)<\/w:comment>/g)];
    expect(found.map((m) => [m[2], m[3], m[4]])).toEqual([
      ["Priya Shah", "2017-09-05T09:00:00Z", "PS"],
      ["Priya Shah", "2017-09-05T09:30:00Z", "PS"],
      ["Tom Jones", "2017-09-06T09:30:00Z", "TJ"],
    ]);
    const xml = parts["word/document.xml"]!;
    for (const [, id] of found) {
      const start = xml.indexOf(`<w:commentRangeStart w:id="${id}"/>`);
      const end = xml.indexOf(`<w:commentRangeEnd w:id="${id}"/><w:r><w:commentReference w:id="${id}"/></w:r>`);
      expect(start, `comment ${id} starts`).toBeGreaterThan(0);
      expect(end, `comment ${id} ends after it starts`).toBeGreaterThan(start);
      // It spans a change.
      expect(xml.slice(start, end)).toMatch(/<w:(ins|del|moveFrom|moveTo) /);
    }
    // Ids are unique across revisions and comments.
    const ids = [...xml.matchAll(/<w:(?:ins|del|moveFrom|moveTo|pPrChange|rPrChange|moveFromRangeStart|moveToRangeStart|commentRangeStart) w:id="(\d+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);

    const all = execFileSync("pandoc", ["--track-changes=all", "--from=docx", "--to=markdown", "--wrap=none"], { input: docx, encoding: "utf8", timeout: 60_000 });
    expect(all).toContain('[Why this changed (version 1.0): Respondents asked for "plain" words -- and got them.]{.comment-start');
    expect(all).toMatch(/\{\.comment-start id="\d+" author="Tom Jones" date="2017-09-06T09:30:00Z"\}/);
    expect(all).toMatch(/\{\.insertion author="Aisha Rahman" date="2017-09-01T10:15:00Z"\}/);
  });

  it("still gives 1.0 when every change is accepted and 0.9 when every one is rejected, in both readers", { timeout: 60_000 }, async () => {
    const docx = await withNotes();
    expectReadings(docx, from, to);
    expect(pandocReading(docx, "accept")).toEqual(versionPandocLines(to));
    expect(pandocReading(docx, "reject")).toEqual(versionPandocLines(from));
  });
});
