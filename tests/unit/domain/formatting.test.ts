import { describe, expect, it } from "vitest";
import { clausePlainText } from "~/domain/plain-text";
import { redline } from "~/domain/redline";
import { markedText } from "~/domain/redline/marked-text";
import { sectionChildren, type ClauseJSON, type DocJSON, type SectionJSON } from "~/domain/schema";
import { clause, doc, em, li, link, p, section, strong, ul } from "../builders";
import { randomDoc } from "../random-doc";

const compare = (from: DocJSON, to: DocJSON) => redline({ version: "1", doc: from }, { version: "2", doc: to });
const one = (first: Parameters<typeof clause>[1], ...rest: Parameters<typeof clause>[2][]) => doc(section("s", "S", clause("c", first, ...rest)));

describe("formatting-only changes in the redline", () => {
  it("lists text that became bold, with its place in both versions, and leaves the status unchanged", () => {
    const result = compare(one(p("Providers must follow the guidance.")), one(p("Providers ", strong("must"), " follow the guidance.")));
    const item = result.items.find((i) => i.id === "c")!;
    expect(item.status).toBe("unchanged");
    expect(item.segments).toEqual([{ op: "equal", text: "Providers must follow the guidance." }]);
    expect(item.formatting).toEqual([{ text: "must", from: { start: 10, end: 14, marks: [] }, to: { start: 10, end: 14, marks: [{ type: "strong" }] } }]);
    expect(result.summary.unchanged).toBe(2);
  });

  it("tells bold from italic, and a link's old address from its new one", () => {
    const from = one(p(strong("must"), " follow ", link("NICE", "https://www.nice.org.uk/"), " now"));
    const to = one(p(em("must"), " follow ", link("NICE", "https://www.nice.org.uk/guidance"), " now"));
    expect(compare(from, to).items[1]!.formatting).toEqual([
      { text: "must", from: { start: 0, end: 4, marks: [{ type: "strong" }] }, to: { start: 0, end: 4, marks: [{ type: "em" }] } },
      { text: "NICE", from: { start: 12, end: 16, marks: [{ type: "link", attrs: { href: "https://www.nice.org.uk/" } }] }, to: { start: 12, end: 16, marks: [{ type: "link", attrs: { href: "https://www.nice.org.uk/guidance" } }] } },
    ]);
  });

  it("places a change after edited words by each version's own offsets", () => {
    const from = one(p("The old host chairs the ", em("group"), "."));
    const to = one(p("The new host provider chairs the ", strong("group"), "."));
    const item = compare(from, to).items[1]!;
    expect(item.status).toBe("modified");
    expect(item.formatting).toEqual([{ text: "group", from: { start: 24, end: 29, marks: [{ type: "em" }] }, to: { start: 33, end: 38, marks: [{ type: "strong" }] } }]);
  });

  it("finds changes inside list items and headings, but never in words that were added or removed", () => {
    const from = doc(section("s", "Scope", clause("c", p("Uses:"), ul(li("to cure;"), li("to relieve.")))));
    const to = doc({ type: "section", attrs: { id: "s", appendix: false }, content: [{ type: "heading", content: [strong("Scope")] }, clause("c", p("Uses:"), ul(li(em("to cure;")), li(strong("to ease."))))] });
    const result = compare(from, to);
    expect(result.items[0]!.formatting).toEqual([{ text: "Scope", from: { start: 0, end: 5, marks: [] }, to: { start: 0, end: 5, marks: [{ type: "strong" }] } }]);
    const changes = result.items[1]!.formatting!;
    // "to cure;" keeps its place; of "to relieve." → "to ease." only the shared words count.
    expect(changes.map((c) => c.text)).toEqual(["to cure;", "to ", "."]);
    expect(changes[0]!.to).toEqual({ start: 8, end: 16, marks: [{ type: "em" }] });
  });

  it("ignores a change that covers white space alone, and marks nothing when formatting is the same", () => {
    const from = one(p(strong("a"), " ", strong("b")));
    const to = one(p(strong("a b")));
    expect(compare(from, to).items[1]!.formatting).toBeUndefined();
    expect(compare(one(p("x ", em("y"))), one(p("x ", em("y")))).items[1]).not.toHaveProperty("formatting");
  });

  it("is absent from inserted and deleted items, and present on a moved one", () => {
    const from = doc(section("a", "A", clause("x", p("Keep ", em("this"))), clause("y", "Gone.")), section("b", "B"));
    const to = doc(section("a", "A", clause("z", p(strong("New")))), section("b", "B", clause("x", p("Keep ", strong("this")))));
    const items = compare(from, to).items;
    expect(items.find((i) => i.id === "x")).toMatchObject({ status: "moved", formatting: [{ text: "this" }] });
    expect(items.filter((i) => i.formatting).map((i) => i.id)).toEqual(["x"]);
  });
});

describe("marked text", () => {
  const clausesOf = (d: DocJSON): ClauseJSON[] => {
    const out: ClauseJSON[] = [];
    const visit = (s: SectionJSON) => sectionChildren(s).forEach((c) => (c.type === "section" ? visit(c) : out.push(c)));
    (d.content ?? []).forEach(visit);
    return out;
  };

  it("has the contract's plain text, with each marked stretch where its text node stands, for 300 random documents", () => {
    let runs = 0;
    for (let seed = 1; seed <= 300; seed++) {
      for (const c of clausesOf(randomDoc(seed))) {
        const marked = markedText(c);
        expect(marked.text, `seed ${seed}`).toBe(clausePlainText(c));
        const markedNodes: string[] = [];
        const visit = (node: { type: string; text?: string; marks?: unknown[]; content?: unknown[] }) => {
          if (node.type === "text" && node.marks?.length) markedNodes.push(node.text!);
          for (const child of (node.content ?? []) as (typeof node)[]) visit(child);
        };
        c.content.forEach((b) => visit(b as never));
        expect(marked.runs.map((r) => marked.text.slice(r.start, r.end)), `seed ${seed}`).toEqual(markedNodes);
        runs += marked.runs.length;
      }
    }
    expect(runs).toBeGreaterThan(500);
  });

  it("knows each line's list, level and first number", () => {
    const marked = markedText(clause("c", p("Then:"), { type: "ordered_list", attrs: { order: 3 }, content: [li("plan", ul(li("check")))] }, p("After.")));
    expect(marked.lines.map((l) => [marked.text.slice(l.start, l.textStart), l.block])).toEqual([
      ["", { kind: "paragraph", first: true }],
      ["1. ", { kind: "item", list: { key: "1", ordered: true, start: 3, level: 0 } }],
      ["  - ", { kind: "item", list: { key: "1.0.0", ordered: false, start: 1, level: 1 } }],
      ["", { kind: "paragraph", first: false }],
    ]);
  });
});
