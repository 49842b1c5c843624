import { describe, expect, it } from "vitest";
import { MAX_CLAUSES } from "~/domain/document";
import { checkDocument } from "~/domain/document-check";
import { mergeDocuments } from "~/domain/merge";
import type { DocJSON } from "~/domain/schema";
import { clause, doc, link, p, section } from "../builders";

const good = doc(section("s", "Scope", clause("a", "Alpha."), clause("b", "Bravo.")));

describe("checking a document the editor sends", () => {
  it("accepts a valid document as it is", () => {
    expect(checkDocument(good)).toEqual({ ok: true, doc: good, normalized: false });
  });

  it("gives the canonical form, and says so, when text needs tidying", () => {
    const untidy = doc(section("s", "Scope", clause("a", p("  Alpha.  "))));
    const result = checkDocument(untidy);
    expect(result).toMatchObject({ ok: true, normalized: true });
    expect(result.ok && result.doc.content![0]!.content[1]).toEqual(clause("a", "Alpha."));
  });

  const refusals: [string, unknown, string][] = [
    ["an unknown node", { ...good, content: [{ type: "table" }] }, 'unknown node type "table"'],
    ["an unknown mark", doc(section("s", "S", clause("a", { type: "text", text: "x", marks: [{ type: "underline" }] } as never))), 'unknown mark "underline"'],
    ["an unknown attribute", doc({ ...section("s", "S"), attrs: { id: "s", appendix: false, colour: "red" } as never }), 'node "section" has unknown attribute "colour"'],
    ["a javascript link", doc(section("s", "S", clause("a", p(link("x", "javascript:alert(1)"))))), "the document does not fit the schema: links may only use http, https or mailto"],
    ["a duplicate id", doc(section("s", "S", clause("a", "A"), clause("a", "B"))), 'the id "a" is used twice'],
    ["a malformed id", doc(section("s", "S", clause("Bad Id", "A"))), 'a clause has an invalid id "Bad Id": ids match [a-z0-9][a-z0-9-]*'],
    ["a line break in text", doc(section("s", "S", clause("a", "two\nlines"))), "text in clause “a” has a line break at character 4, which this field cannot hold"],
    ["a control character in text", doc(section("s", "S", clause("a", "bell\u0007"))), "text in clause “a” has a control character U+0007 (bell) at character 5"],
    ["a right-to-left override in a heading", doc(section("s", "S\u202eT", clause("a", "A"))), "text in section “s” has an invisible text-direction character U+202E"],
    ["a zero-width space in text", doc(section("s", "S", clause("a", "pay\u200bpal"))), "text in clause “a” has an invisible zero-width character U+200B"],
    ["a line separator in text", doc(section("s", "S", clause("a", "one\u2028two"))), "text in clause “a” has a line separator U+2028"],
    ["next line U+0085 in text", doc(section("s", "S", clause("a", "one\u0085two"))), "text in clause “a” has a control character U+0085"],
    ["a NUL in the title", { ...good, attrs: { title: "Scope\u0000", reference: "" } }, "the specification's title has a control character U+0000 (null)"],
    ["an isolate in the reference", { ...good, attrs: { title: "Scope", reference: "\u2066X" } }, "the specification's reference has an invisible text-direction character U+2066"],
    ["a zero-width character in a link address", doc(section("s", "S", clause("a", p(link("x", "https://www.england.nhs.uk/\u200b"))))), "a link address in clause “a” has an invisible zero-width character U+200B"],
    ["a nesting 10,000 deep", JSON.parse('{"type":"doc","content":['.repeat(10_000) + "]}".repeat(10_000)), "the document is nested too deeply"],
    ["an empty heading", doc({ type: "section", attrs: { id: "s", appendix: false }, content: [{ type: "heading" }] }), "every section needs a heading"],
    ["no title", { ...good, attrs: { title: " ", reference: "" } }, "the specification needs a title"],
    ["a clause outside a section", { type: "doc", attrs: good.attrs, content: [clause("a", "A")] }, "the document does not fit the schema"],
    ["a string", "hello", "every node must be an object"],
    ["a huge document", doc(section("s", "S", clause("a", "x".repeat(2_200_000)))), "the document is"],
    ["more clauses than a version may hold", doc(section("s", "S", ...Array.from({ length: MAX_CLAUSES + 1 }, (_, i) => clause(`c${i}`, "A.")))), `the document has ${MAX_CLAUSES + 1} clauses; the limit is ${MAX_CLAUSES}`],
  ];
  it("accepts a document at the limit", () => {
    expect(checkDocument(doc(section("s", "S", ...Array.from({ length: MAX_CLAUSES }, (_, i) => clause(`c${i}`, "A."))))).ok).toBe(true);
  });

  it.each(refusals)("refuses %s", (_name, value, message) => {
    const result = checkDocument(value);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
  });
});

describe("merging two saves from the same base", () => {
  const base = doc(section("s", "Scope", clause("a", "Alpha."), clause("b", "Bravo.")), section("t", "Other", clause("c", "Charlie.")));
  const edit = (d: DocJSON, id: string, text: string): DocJSON => JSON.parse(JSON.stringify(d).replace(new RegExp(`("id":"${id}"\\},"content":\\[\\{"type":"paragraph","content":\\[\\{"type":"text","text":)"[^"]*"`), `$1"${text}"`));

  it("keeps both sides' edits to different clauses", () => {
    const theirs = edit(base, "a", "Alpha two.");
    const ours = edit(base, "c", "Charlie two.");
    expect(mergeDocuments(base, theirs, ours)).toEqual({ ok: true, doc: edit(edit(base, "a", "Alpha two."), "c", "Charlie two.") });
  });

  it("keeps a clause added in one section and an edit in another", () => {
    const theirs = doc(section("s", "Scope", clause("a", "Alpha."), clause("new", "New."), clause("b", "Bravo.")), section("t", "Other", clause("c", "Charlie.")));
    const ours = edit(base, "c", "Charlie two.");
    const merged = mergeDocuments(base, theirs, ours);
    expect(merged.ok && merged.doc).toEqual(edit(theirs, "c", "Charlie two."));
  });

  it("accepts the same change made on both sides", () => {
    const both = edit(base, "b", "Same.");
    expect(mergeDocuments(base, both, both)).toEqual({ ok: true, doc: both });
  });

  it("refuses two different changes to one clause, naming it", () => {
    expect(mergeDocuments(base, edit(base, "b", "Theirs."), edit(base, "b", "Ours."))).toEqual({ ok: false, conflicts: [{ id: "b", what: "content" }] });
  });

  it("refuses two different reorderings of one section", () => {
    const theirs = doc(section("s", "Scope", clause("b", "Bravo."), clause("a", "Alpha.")), section("t", "Other", clause("c", "Charlie.")));
    const ours = doc(section("s", "Scope", clause("a", "Alpha."), clause("b", "Bravo."), clause("d", "Delta.")), section("t", "Other", clause("c", "Charlie.")));
    expect(mergeDocuments(base, theirs, ours)).toEqual({ ok: false, conflicts: [{ id: "s", what: "order" }] });
  });

  it("refuses a clause edited on one side and deleted on the other", () => {
    const theirs = doc(section("s", "Scope", clause("a", "Alpha.")), section("t", "Other", clause("c", "Charlie.")));
    const ours = edit(base, "b", "Bravo two.");
    expect(mergeDocuments(base, theirs, ours)).toEqual({ ok: false, conflicts: [{ id: "b", what: "content" }] });
  });

  it("refuses a clause added to a section the other side removed", () => {
    const theirs = doc(section("s", "Scope", clause("a", "Alpha."), clause("b", "Bravo.")));
    const ours = doc(section("s", "Scope", clause("a", "Alpha."), clause("b", "Bravo.")), section("t", "Other", clause("c", "Charlie."), clause("d", "Delta.")));
    const merged = mergeDocuments(base, theirs, ours);
    expect(merged.ok).toBe(false);
  });

  describe("when a person chooses a side for the overlap", () => {
    // Three sections; x and y in the first. They move x to the second and edit y; I move x to the
    // third and edit z. The move is the overlap; each side's other change must survive.
    const start = doc(section("s1", "One", clause("x", "Ex."), clause("y", "Why.")), section("s2", "Two", clause("w", "Double.")), section("s3", "Three", clause("z", "Zed.")));
    const theirs = doc(section("s1", "One", clause("y", "Why, theirs.")), section("s2", "Two", clause("w", "Double."), clause("x", "Ex.")), section("s3", "Three", clause("z", "Zed.")));
    const mine = doc(section("s1", "One", clause("y", "Why.")), section("s2", "Two", clause("w", "Double.")), section("s3", "Three", clause("z", "Zed, mine."), clause("x", "Ex.")));

    it("is a conflict when nobody has chosen", () => {
      expect(mergeDocuments(start, theirs, mine).ok).toBe(false);
    });

    it("puts the item where the chosen side has it, and keeps the other side's other changes", () => {
      expect(mergeDocuments(start, theirs, mine, "ours")).toEqual({
        ok: true,
        doc: doc(section("s1", "One", clause("y", "Why, theirs.")), section("s2", "Two", clause("w", "Double.")), section("s3", "Three", clause("z", "Zed, mine."), clause("x", "Ex."))),
      });
      expect(mergeDocuments(start, theirs, mine, "theirs")).toEqual({
        ok: true,
        doc: doc(section("s1", "One", clause("y", "Why, theirs.")), section("s2", "Two", clause("w", "Double."), clause("x", "Ex.")), section("s3", "Three", clause("z", "Zed, mine."))),
      });
    });

    it("keeps a clause one side edited and the other deleted, where the chosen side says", () => {
      const deleted = doc(section("s", "Scope", clause("a", "Alpha.")), section("t", "Other", clause("c", "Charlie.")));
      const edited = edit(base, "b", "Bravo two.");
      expect(mergeDocuments(base, deleted, edited, "ours")).toEqual({ ok: true, doc: edited });
      expect(mergeDocuments(base, deleted, edited, "theirs")).toEqual({ ok: true, doc: deleted });
    });
  });
});
