import { describe, expect, it } from "vitest";
import { appendixLetter, outline } from "~/domain/numbering";
import { appendix, clause, doc, section } from "../builders";

const numbers = (d: Parameters<typeof outline>[0]) => outline(d).map((e) => `${e.number} ${e.id}`);

describe("numbering", () => {
  it("numbers sections, subsections and clauses after their parent", () => {
    const d = doc(
      section("needs", "Population needs", section("national", "National", clause("a", "A"), clause("b", "B"))),
      section("scope", "Scope", section("aims", "Aims", clause("c", "C")), section("pathway", "Pathway", clause("d", "D"), clause("e", "E"))),
    );
    expect(numbers(d)).toEqual(["1 needs", "1.1 national", "1.1.1 a", "1.1.2 b", "2 scope", "2.1 aims", "2.1.1 c", "2.2 pathway", "2.2.1 d", "2.2.2 e"]);
  });

  it("numbers clauses held directly by a section as 4.1, 4.2", () => {
    const d = doc(section("s1", "One"), section("s2", "Two"), section("s3", "Three"), section("standards", "Standards", clause("x", "X"), clause("y", "Y")));
    expect(numbers(d).slice(-2)).toEqual(["4.1 x", "4.2 y"]);
  });

  it("numbers a section's clauses before its subsections", () => {
    const d = doc(section("s", "S", clause("a", "A"), clause("c", "C"), section("sub", "Sub", clause("b", "B"))));
    expect(numbers(d)).toEqual(["1 s", "1.1 a", "1.2 c", "1.3 sub", "1.3.1 b"]);
  });

  it("letters appendices separately from numbered sections", () => {
    const d = doc(section("s", "S", clause("a", "A")), appendix("glossary", "Glossary", clause("g", "G")), appendix("members", "Members", clause("m", "M")));
    expect(numbers(d)).toEqual(["1 s", "1.1 a", "A glossary", "A.1 g", "B members", "B.1 m"]);
  });

  it("shifts later numbers when a clause is inserted mid-list", () => {
    const before = doc(section("s", "S", clause("a", "A"), clause("b", "B"), clause("c", "C")));
    const after = doc(section("s", "S", clause("a", "A"), clause("new", "N"), clause("b", "B"), clause("c", "C")));
    expect(numbers(before)).toEqual(["1 s", "1.1 a", "1.2 b", "1.3 c"]);
    expect(numbers(after)).toEqual(["1 s", "1.1 a", "1.2 new", "1.3 b", "1.4 c"]);
  });

  it("records each item's parent, position and depth", () => {
    const d = doc(section("s", "S", section("t", "T", clause("a", "A"))));
    expect(outline(d).map((e) => [e.id, e.parentId, e.position, e.depth, e.kind])).toEqual([
      ["s", null, 0, 1, "section"],
      ["t", "s", 0, 2, "section"],
      ["a", "t", 0, 3, "clause"],
    ]);
  });

  it.each([
    [0, "A"],
    [1, "B"],
    [25, "Z"],
    [26, "AA"],
    [27, "AB"],
    [51, "AZ"],
    [52, "BA"],
  ])("letters appendix %i as %s", (index, letter) => {
    expect(appendixLetter(index)).toBe(letter);
  });
});
