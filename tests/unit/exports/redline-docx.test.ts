import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { outline } from "~/domain/numbering";
import { clauseDisplayText } from "~/domain/plain-text";
import { redline, redlineRows } from "~/domain/redline";
import { inlineText, sectionChildren, type ClauseJSON, type DocJSON, type SectionJSON } from "~/domain/schema";
import { parseSpec } from "~/domain/source/parse";
import { redlineDocx } from "~/exports/redline-docx";
import { documentXml, paragraphs } from "./docx-text";

const load = (version: string): DocJSON => {
  const result = parseSpec(new Uint8Array(readFileSync(`specs/adult-external-beam-radiotherapy/${version}.md`)));
  if (!result.ok) throw new Error("sample did not parse");
  return result.source.doc;
};

/** A version as its own document reads: headings with numbers, clauses as number, tab, text. */
function readingOf(doc: DocJSON): string[] {
  const nodes = new Map<string, ClauseJSON | SectionJSON>();
  const visit = (s: SectionJSON) => {
    nodes.set(s.attrs.id, s);
    sectionChildren(s).forEach((c) => (c.type === "section" ? visit(c) : nodes.set(c.attrs.id, c)));
  };
  (doc.content ?? []).forEach(visit);
  return outline(doc).map((entry) => {
    const node = nodes.get(entry.id)!;
    if (node.type === "section") return `${entry.appendix && entry.depth === 1 ? "Appendix " : ""}${entry.number} ${inlineText(node.content[0].content)}`;
    return `${entry.number}\t${clauseDisplayText(node)}`;
  });
}

describe("the Word redline", () => {
  const from = load("0.9");
  const to = load("1.0");
  const rows = redlineRows(redline({ version: "0.9", doc: from }, { version: "1.0", doc: to }), from, to);
  const make = () =>
    redlineDocx({
      title: "Adult external beam radiotherapy",
      reference: "SAMPLE-RT-0001S",
      from: { version: "0.9", label: "Engagement draft" },
      to: { version: "1.0", label: "Consultation draft" },
      rows,
      author: "Specwork",
      date: "2017-10-18T00:00:00Z",
    });

  it("gives version 1.0 when every change is accepted", async () => {
    const body = paragraphs(documentXml(await make()), "accept").slice(2).filter(Boolean);
    expect(body).toEqual(readingOf(to));
  });

  it("gives version 0.9 when every change is rejected (moved clauses in their new place)", async () => {
    const body = paragraphs(documentXml(await make()), "reject").slice(2).filter(Boolean);
    expect([...body].sort()).toEqual([...readingOf(from)].sort());
  });

  it("uses Word's own tracked changes, with author and date, and turns change tracking on", async () => {
    const docx = await make();
    const xml = documentXml(docx);
    expect(xml).toMatch(/<w:ins w:id="\d+" w:author="Specwork" w:date="2017-10-18T00:00:00Z">/);
    expect(xml).toMatch(/<w:del w:id="\d+" w:author="Specwork" w:date="2017-10-18T00:00:00Z">/);
    expect(xml).toContain("<w:delText");
    const ids = [...xml.matchAll(/<w:(?:ins|del) w:id="(\d+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const { unzipSync } = await import("fflate");
    const settings = new TextDecoder().decode(unzipSync(docx)["word/settings.xml"]);
    expect(settings).toContain("<w:trackRevisions");
  });

  const soffice = ["soffice", "libreoffice"].find((bin) => spawnSync("which", [bin]).status === 0);
  it.skipIf(!soffice)("opens in LibreOffice with its changes as tracked changes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-docx-"));
    const file = path.join(dir, "redline.docx");
    writeFileSync(file, await make());
    execFileSync(soffice!, ["--headless", "--convert-to", "odt", "--outdir", dir, file], { timeout: 120_000 });
    expect(existsSync(path.join(dir, "redline.odt"))).toBe(true);
    const { unzipSync } = await import("fflate");
    const content = new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(path.join(dir, "redline.odt"))))["content.xml"]);
    const count = (tag: string) => (content.match(new RegExp(`<text:${tag}[ >]`, "g")) ?? []).length;
    expect(content).toContain("<text:tracked-changes");
    // Every changed clause, plus new and removed ones, carries at least one tracked change.
    const changedItems = rows.filter((row) => row.status !== "unchanged").length;
    expect(count("insertion")).toBeGreaterThanOrEqual(rows.filter((r) => r.status === "inserted").length);
    expect(count("deletion")).toBeGreaterThanOrEqual(rows.filter((r) => r.status === "deleted").length);
    expect(count("changed-region")).toBeGreaterThanOrEqual(changedItems);
  });
});
