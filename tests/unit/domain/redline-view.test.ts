import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { clauseDisplayText } from "~/domain/plain-text";
import { acceptAll, redline, redlineRows, rejectAll } from "~/domain/redline";
import { sectionChildren, type ClauseJSON, type DocJSON, type SectionJSON } from "~/domain/schema";
import { parseSpec } from "~/domain/source/parse";
import { clause, doc, li, ol, p, section, ul } from "../builders";

function clauses(d: DocJSON): Map<string, ClauseJSON> {
  const out = new Map<string, ClauseJSON>();
  const visit = (s: SectionJSON) => sectionChildren(s).forEach((c) => (c.type === "section" ? visit(c) : out.set(c.attrs.id, c)));
  (d.content ?? []).forEach(visit);
  return out;
}

const load = (version: string): DocJSON => {
  const result = parseSpec(new Uint8Array(readFileSync(`specs/adult-external-beam-radiotherapy/${version}.md`)));
  if (!result.ok) throw new Error("sample did not parse");
  return result.source.doc;
};

describe("display segments", () => {
  it("show list items with real numbers, and a renumbered item as old and new numbers", () => {
    const from = doc(section("s", "S", clause("uses", p("Used:"), ol(li("to cure;"), li("to relieve.")))));
    const to = doc(section("s", "S", clause("uses", p("Used:"), ol(li("to cure;"), li("to control;"), li("to relieve.")))));
    const [, row] = redlineRows(redline({ version: "1", doc: from }, { version: "2", doc: to }), from, to);
    expect(acceptAll(row!.display)).toBe("Used:\n1. to cure;\n2. to control;\n3. to relieve.");
    expect(rejectAll(row!.display)).toBe("Used:\n1. to cure;\n2. to relieve.");
  });

  it("show bullets and nested items as a reader sees them", () => {
    const from = doc(section("s", "S", clause("c", p("Each must:"), ul(li("publish hours;", ol(li("weekdays")))))));
    const to = doc(section("s", "S", clause("c", p("Each must:"), ul(li("publish its hours;", ol(li("weekdays"), li("weekends")))))));
    const [, row] = redlineRows(redline({ version: "1", doc: from }, { version: "2", doc: to }), from, to);
    expect(acceptAll(row!.display)).toBe("Each must:\n• publish its hours;\n  1. weekdays\n  2. weekends");
  });

  it("accept all gives each clause of 1.0 and reject all each clause of 0.9, as readers see them", () => {
    const from = load("0.9");
    const to = load("1.0");
    const rows = redlineRows(redline({ version: "0.9", doc: from }, { version: "1.0", doc: to }), from, to);
    const fromClauses = clauses(from);
    const toClauses = clauses(to);
    let checked = 0;
    for (const row of rows.filter((r) => r.kind === "clause")) {
      if (row.status !== "deleted") expect(acceptAll(row.display), row.id).toBe(clauseDisplayText(toClauses.get(row.id)!));
      if (row.status !== "inserted") expect(rejectAll(row.display), row.id).toBe(clauseDisplayText(fromClauses.get(row.id)!));
      checked++;
    }
    expect(checked).toBe(76);
  });
});
