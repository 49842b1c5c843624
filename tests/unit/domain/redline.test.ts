import { describe, expect, it } from "vitest";
import { redline, wordSegments } from "~/domain/redline";
import type { DocJSON } from "~/domain/schema";
import { clause, doc, li, ol, p, section } from "../builders";

const compare = (from: DocJSON, to: DocJSON) => redline({ version: "0.9", doc: from }, { version: "1.0", doc: to });
const rows = (from: DocJSON, to: DocJSON) =>
  compare(from, to).items.map((i) => `${i.status} ${i.id} ${i.from?.number ?? "-"}→${i.to?.number ?? "-"}`);

describe("redline classification", () => {
  const base = doc(section("s", "Scope", clause("a", "Alpha."), clause("b", "Bravo."), clause("c", "Charlie.")), section("t", "Other", clause("d", "Delta.")));

  it("shows a clause inserted mid-list, with later numbers shifted but unchanged", () => {
    const to = doc(section("s", "Scope", clause("a", "Alpha."), clause("new", "New."), clause("b", "Bravo."), clause("c", "Charlie.")), section("t", "Other", clause("d", "Delta.")));
    expect(rows(base, to)).toEqual(["unchanged s 1→1", "unchanged a 1.1→1.1", "inserted new -→1.2", "unchanged b 1.2→1.3", "unchanged c 1.3→1.4", "unchanged t 2→2", "unchanged d 2.1→2.1"]);
    expect(compare(base, to).summary).toEqual({ inserted: 1, deleted: 0, modified: 0, moved: 0, renumbered: 2, unchanged: 6 });
  });

  it("shows a clause moved to another section, and places it in the new order", () => {
    const to = doc(section("s", "Scope", clause("a", "Alpha."), clause("c", "Charlie.")), section("t", "Other", clause("d", "Delta."), clause("b", "Bravo.")));
    expect(rows(base, to)).toEqual(["unchanged s 1→1", "unchanged a 1.1→1.1", "unchanged c 1.3→1.2", "unchanged t 2→2", "unchanged d 2.1→2.1", "moved b 1.2→2.2"]);
  });

  it("shows the fewest moves when siblings are reordered", () => {
    const to = doc(section("s", "Scope", clause("c", "Charlie."), clause("a", "Alpha."), clause("b", "Bravo.")), section("t", "Other", clause("d", "Delta.")));
    expect(compare(base, to).items.filter((i) => i.status === "moved").map((i) => i.id)).toEqual(["c"]);
  });

  it("shows a moved clause's edits in its segments", () => {
    const to = doc(section("s", "Scope", clause("a", "Alpha."), clause("c", "Charlie.")), section("t", "Other", clause("d", "Delta."), clause("b", "Bravo two.")));
    const moved = compare(base, to).items.find((i) => i.id === "b")!;
    expect(moved.status).toBe("moved");
    expect(moved.segments).toEqual([{ op: "equal", text: "Bravo" }, { op: "insert", text: " two" }, { op: "equal", text: "." }]);
  });

  it("keeps a deleted clause where it stood, and counts a similar clause added elsewhere as inserted", () => {
    const to = doc(section("s", "Scope", clause("a", "Alpha."), clause("c", "Charlie.")), section("t", "Other", clause("d", "Delta."), clause("b2", "Bravo.")));
    expect(rows(base, to)).toEqual(["unchanged s 1→1", "unchanged a 1.1→1.1", "deleted b 1.2→-", "unchanged c 1.3→1.2", "unchanged t 2→2", "unchanged d 2.1→2.1", "inserted b2 -→2.2"]);
    expect(compare(base, to).items[2]!.segments).toEqual([{ op: "delete", text: "Bravo." }]);
  });

  it("shows a renamed section as a modified section with its heading's words", () => {
    const to = doc(section("s", "Scope of the service", clause("a", "Alpha."), clause("b", "Bravo."), clause("c", "Charlie.")), section("t", "Other", clause("d", "Delta.")));
    const renamed = compare(base, to).items[0]!;
    expect(renamed).toEqual({ kind: "section", id: "s", status: "modified", from: { number: "1", parent: null }, to: { number: "1", parent: null }, segments: [{ op: "equal", text: "Scope" }, { op: "insert", text: " of the service" }] });
  });

  it("shows a split clause as a modified clause and an inserted one", () => {
    const from = doc(section("s", "S", clause("travel", "Networks assess journeys. Patients get help with costs.")));
    const to = doc(section("s", "S", clause("travel", "Networks assess journeys."), clause("costs", "Patients get help with costs.")));
    const result = compare(from, to);
    expect(result.items.map((i) => `${i.status} ${i.id}`)).toEqual(["unchanged s", "modified travel", "inserted costs"]);
    expect(result.items[1]!.segments).toEqual([{ op: "equal", text: "Networks assess journeys." }, { op: "delete", text: " Patients get help with costs." }]);
  });

  it("puts a deleted section's clauses after it, and a removed first clause straight after its heading", () => {
    const to = doc(section("s", "Scope", clause("b", "Bravo."), clause("c", "Charlie.")));
    expect(rows(base, to)).toEqual(["unchanged s 1→1", "deleted a 1.1→-", "unchanged b 1.2→1.1", "unchanged c 1.3→1.2", "deleted t 2→-", "deleted d 2.1→-"]);
  });

  it("treats an id that changed from clause to section as two items", () => {
    const from = doc(section("s", "S", clause("x", "Text.")));
    const to = doc(section("s", "S"), section("x", "Now a section"));
    expect(rows(from, to)).toEqual(["unchanged s 1→1", "deleted x 1.1→-", "inserted x -→2"]);
  });

  it("compares two unrelated versions: everything deleted and inserted", () => {
    const other = doc(section("z", "Z", clause("y", "Yankee.")));
    expect(compare(base, other).summary).toEqual({ inserted: 2, deleted: 6, modified: 0, moved: 0, renumbered: 0, unchanged: 0 });
  });

  it("produces the contract's JSON shape, with hashes and versions", () => {
    const from = doc(section("national-context", "National", clause("c-x", "X."), clause("c-provision", "Treatment is delivered at fixed centres.")));
    const to = doc(section("national-context", "National", clause("c-x", "X."), clause("c-new", "New."), clause("c-provision", "Treatment is delivered at network centres.")));
    const result = compare(from, to);
    expect(result.from.version).toBe("0.9");
    expect(result.to.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(result.items[3])).toBe(
      JSON.stringify({
        kind: "clause",
        id: "c-provision",
        status: "modified",
        from: { number: "1.2", parent: "national-context" },
        to: { number: "1.3", parent: "national-context" },
        segments: [
          { op: "equal", text: "Treatment is delivered at " },
          { op: "delete", text: "fixed" },
          { op: "insert", text: "network" },
          { op: "equal", text: " centres." },
        ],
      }),
    );
  });

  it("includes list items in the compared text, so an item inserted mid-list is shown", () => {
    const from = doc(section("s", "S", clause("uses", p("Radiotherapy is used:"), ol(li("to cure;"), li("to relieve symptoms.")))));
    const to = doc(section("s", "S", clause("uses", p("Radiotherapy is used:"), ol(li("to cure;"), li("to control spread;"), li("to relieve symptoms.")))));
    const item = compare(from, to).items[1]!;
    expect(item.segments).toEqual([{ op: "equal", text: "Radiotherapy is used:\n1. to cure;\n1. to " }, { op: "insert", text: "control spread;\n1. to " }, { op: "equal", text: "relieve symptoms." }]);
  });
});

describe("word segments", () => {
  const seg = (from: string, to: string) => wordSegments(from, to).segments;

  it.each([
    ["a whitespace-only edit", "ten years", "ten\u00a0years", [{ op: "equal", text: "ten" }, { op: "delete", text: " " }, { op: "insert", text: "\u00a0" }, { op: "equal", text: "years" }]],
    ["a punctuation-only edit", "reviewed at least weekly during", "reviewed, at least weekly, during", [{ op: "equal", text: "reviewed" }, { op: "insert", text: "," }, { op: "equal", text: " at least weekly" }, { op: "insert", text: "," }, { op: "equal", text: " during" }]],
    ["curly quotes and dashes", "the ‘hub’ – centre", "the “hub” — centre", [{ op: "equal", text: "the " }, { op: "delete", text: "‘" }, { op: "insert", text: "“" }, { op: "equal", text: "hub" }, { op: "delete", text: "’ –" }, { op: "insert", text: "” —" }, { op: "equal", text: " centre" }]],
    ["accented names and emoji kept whole", "Zoë 👩‍⚕️ said", "Chloé 👩‍⚕️ said", [{ op: "delete", text: "Zoë" }, { op: "insert", text: "Chloé" }, { op: "equal", text: " 👩‍⚕️ said" }]],
    ["words with apostrophes kept whole", "England’s centres", "Scotland’s centres", [{ op: "delete", text: "England’s" }, { op: "insert", text: "Scotland’s" }, { op: "equal", text: " centres" }]],
  ])("shows %s exactly", (_name, from, to, expected) => {
    expect(seg(from, to)).toEqual(expected);
  });

  it("joins edits separated only by a space into one phrase", () => {
    expect(seg("should work towards shared systems", "must use shared systems")).toEqual([
      { op: "delete", text: "should work towards" },
      { op: "insert", text: "must use" },
      { op: "equal", text: " shared systems" },
    ]);
  });

  it("marks many small edits in a long clause separately", () => {
    const from = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    const to = from.replace("word10", "WORD10").replace("word30", "WORD30").replace("word50", "WORD50");
    const changes = seg(from, to).filter((s) => s.op !== "equal");
    expect(changes.map((s) => s.text)).toEqual(["word10", "WORD10", "word30", "WORD30", "word50", "WORD50"]);
  });

  it("falls back to delete-all, insert-all, and says so, when the budget runs out", () => {
    const from = Array.from({ length: 4000 }, (_, i) => `a${i % 97}`).join(" ");
    const to = Array.from({ length: 4000 }, (_, i) => `b${(i * 31) % 89} a${i % 89}`).join(" ");
    const result = wordSegments(from, to, { budgetMs: 0 });
    expect(result).toEqual({ segments: [{ op: "delete", text: from }, { op: "insert", text: to }], fallback: true });
    const within = wordSegments("one two", "one three", { budgetMs: 0 });
    expect(within.fallback).toBe(false);
  });

  it("gives empty texts no segments, and a new text one insertion", () => {
    expect(seg("", "")).toEqual([]);
    expect(seg("", "New.")).toEqual([{ op: "insert", text: "New." }]);
    expect(seg("Old.", "")).toEqual([{ op: "delete", text: "Old." }]);
  });
});
