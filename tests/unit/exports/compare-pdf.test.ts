// The changes between two versions as a PDF, read back by pdf.js: tagged, the versions and their
// dates, a legend in words, each change under a heading with its reasons beneath, no internal ids.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isChange, redline, redlineRows } from "~/domain/redline";
import type { DocJSON } from "~/domain/schema";
import { parseSpec } from "~/domain/source/parse";
import { comparePdf } from "~/exports/compare-pdf.server";
import { pdfFacts } from "./pdf-reading";

const load = (version: string): DocJSON => {
  const result = parseSpec(new Uint8Array(readFileSync(`specs/adult-external-beam-radiotherapy/${version}.md`)));
  if (!result.ok) throw new Error("sample did not parse");
  return result.source.doc;
};

describe("the changes from 0.9 to 1.0 as a PDF", async () => {
  const from = load("0.9");
  const to = load("1.0");
  const result = redline({ version: "0.9", doc: from, hash: "sha256:aaaa1111" }, { version: "1.0", doc: to, hash: "sha256:bbbb2222" });
  const rows = redlineRows(result, from, to);
  const changes = rows.filter(isChange);
  const reasoned = changes.find((r) => r.id === "less-common-cancers")!;
  const reasons = new Map([[reasoned.id, [{ version: "0.95", rationale: "An earlier reason." }, { version: "1.0", rationale: "Collaboration replaces centralisation ≥ 3 networks → “local” care." }]]]);
  const pdf = await comparePdf({
    slug: "adult-external-beam-radiotherapy",
    title: "Adult external beam radiotherapy",
    reference: "SAMPLE-RT-0001S",
    from: { number: "0.9", label: "Engagement draft", date: "2016-10-28" },
    to: { number: "1.0", label: "Consultation draft", date: "2017-10-18" },
    summary: result.summary,
    rows,
    reasons,
  });
  const facts = await pdfFacts(pdf);
  const flat = facts.text.replace(/\s+/g, " ");

  it("is tagged, in British English, with a title, headings and paragraphs", () => {
    expect(facts.marked).toBe(true);
    expect(facts.hasStructTree).toBe(true);
    expect(facts.lang).toBe("en-GB");
    expect(facts.title).toBe("Adult external beam radiotherapy: Changes from version 0.9 to 1.0");
    expect(facts.roles.filter((r) => r === "H1")).toHaveLength(1);
    // One heading per change, under "Each change".
    expect(facts.roles.filter((r) => r === "H3")).toHaveLength(changes.length);
    for (const role of ["Table", "TH", "TD", "P", "H2"]) expect(facts.roles).toContain(role);
    // Bookmarks: the three parts, and every change under "Each change".
    expect(facts.outline.map((b) => b.title)).toEqual(["How to read this document", "Summary", "Each change"]);
    expect(facts.outline[2]!.items.map((b) => b.title)[2]).toBe("Clause 1.1.5 (was 1.1.4), changed: Demand for radiotherapy will continue to grow as …");
    expect(facts.outline[2]!.items).toHaveLength(changes.length);
  });

  it("tells added and removed words apart in words for screen readers, not by their look alone", () => {
    expect(facts.roles).toContain("Span");
    const raw = Buffer.from(pdf).toString("latin1");
    const actual = [...raw.matchAll(/\/ActualText \((\[(?:added|removed|formatting changed): [^)]*\])\)/g)].map((m) => m[1]!);
    expect(actual.some((a) => a.startsWith("[added: "))).toBe(true);
    expect(actual.some((a) => a.startsWith("[removed: "))).toBe(true);
    expect(actual).toContain("[removed: 4. ]");
  });

  it("names both versions with their labels and dates, and explains the marks in words", () => {
    expect(flat).toContain("From Version 0.9 – Engagement draft, published 28 October 2016");
    expect(flat).toContain("To Version 1.0 – Consultation draft, published 18 October 2017");
    expect(flat).toContain("Added words are underlined (and green). Removed words are struck through (and red).");
    expect(flat).toContain("Sections and clauses: 25 changed, 4 added, 1 removed, 1 moved.");
  });

  it("puts each change's reasons beneath it, oldest first, and says when none was recorded", () => {
    const heading = flat.indexOf("Clause 3.2.9, changed:");
    expect(heading).toBeGreaterThan(0);
    const next = flat.indexOf("Clause ", heading + 10);
    const section = flat.slice(heading, next);
    expect(section.indexOf("Why (version 0.95): An earlier reason.")).toBeGreaterThan(0);
    expect(section.indexOf("Why (version 1.0): Collaboration replaces centralisation ≥ 3 networks → “local” care.")).toBeGreaterThan(section.indexOf("Why (version 0.95)"));
    expect(flat.split("Why: no reason was recorded for this change.").length - 1).toBe(changes.filter((r) => r.kind === "clause").length - 1);
  });

  it("shows the words of each change, old and new, with no internal ids or hashes", () => {
    expect(flat).toContain("Clause 1.1.5 (was 1.1.4), changed");
    expect(flat).toContain("Section 2.2, renamed: Local outcome measures");
    expect(flat).not.toMatch(/sha256|aaaa1111|less-common-cancers|network-it-support/);
    expect(facts.pages).toBeGreaterThan(2);
    expect(flat).toContain(`page ${facts.pages} of ${facts.pages}`);
  });
});

describe("a change of formatting alone, as a PDF", async () => {
  const { HAND_MADE } = await import("./pairs");
  const pair = HAND_MADE.find((p) => p.name.startsWith("formatting only"))!;
  const result = redline({ version: "1.0", doc: pair.from }, { version: "1.1", doc: pair.to });
  const pdf = await comparePdf({
    slug: "sample",
    title: "Sample",
    reference: "",
    from: { number: "1.0", label: null, date: null },
    to: { number: "1.1", label: null, date: "2018-01-24" },
    summary: result.summary,
    summaryText: "We made the guidance easier to follow.\n\nLinks now go to the current pages.",
    rows: redlineRows(result, pair.from, pair.to),
    reasons: new Map(),
  });
  const flat = (await pdfFacts(pdf)).text.replace(/\s+/g, " ");

  it("says in words what changed, since the marks show it only to the eye", () => {
    expect(flat).toContain("Formatting changed: “must”: no longer bold, now in italics;");
    expect(flat).toContain("“NICE guidance”: now links to https://www.nice.org.uk/guidance instead of https://www.nice.org.uk/");
    expect(flat).toContain("From Version 1.0 To Version 1.1, published 24 January 2018");
    expect(flat).toContain("Specification number Not assigned");
  });

  it("opens with the editors' summary of the revision, when there is one", async () => {
    expect(flat).toContain("About this revision We made the guidance easier to follow. Links now go to the current pages. How to read this document");
    expect((await pdfFacts(pdf)).outline.map((b) => b.title)).toEqual(["About this revision", "How to read this document", "Summary", "Each change"]);
  });
});
