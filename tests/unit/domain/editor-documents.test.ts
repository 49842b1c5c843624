// Documents as the editor can make them (white space at the ends of paragraphs, emphasis over
// spaces, any line start) must always save: the document check takes each one, keeps every
// section, clause and word, and gives a canonical form that checks unchanged.
import { describe, expect, it } from "vitest";
import { checkDocument } from "~/domain/document-check";
import { itemTexts } from "~/domain/document";
import { inlineText, sectionChildren, type BlockJSON, type ClauseJSON, type DocJSON, type ListJSON, type MarkJSON, type ParagraphJSON, type SectionJSON, type TextJSON } from "~/domain/schema";
import { clause, doc, li, ol, p, section, strong } from "../builders";
import { editorDoc } from "../random-doc";

/**
 * What each item says once the format's white-space rules apply: each paragraph and list item
 * trimmed at both ends, and paragraphs (other than a clause's first) left empty gone.
 */
function texts(doc: DocJSON) {
  const trim = (content: TextJSON[] | undefined) => inlineText(content).replace(/^[ \t]+|[ \t]+$/g, "");
  const listLines = (list: ListJSON, depth: number, out: string[]) => {
    for (const item of list.content) {
      out.push(`${"  ".repeat(depth)}${list.type === "bullet_list" ? "-" : "1."} ${trim(item.content[0].content)}`);
      for (const nested of item.content.slice(1) as ListJSON[]) listLines(nested, depth + 1, out);
    }
  };
  const items: { id: string; lines: string[] }[] = [];
  const visit = (section: SectionJSON) => {
    items.push({ id: section.attrs.id, lines: [trim(section.content[0].content)] });
    for (const child of sectionChildren(section)) {
      if (child.type === "section") {
        visit(child);
        continue;
      }
      const lines: string[] = [];
      child.content.forEach((block, index) => {
        if (block.type !== "paragraph") listLines(block, 0, lines);
        else if (index === 0 || trim(block.content)) lines.push(trim(block.content));
      });
      items.push({ id: child.attrs.id, lines });
    }
  };
  (doc.content ?? []).forEach(visit);
  return items;
}

describe("documents as the editor makes them", () => {
  it("always pass the document check, keep every item and word, and check unchanged once canonical (1000 seeds)", () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const doc = editorDoc(seed);
      const checked = checkDocument(doc);
      if (!checked.ok) throw new Error(`seed ${seed}: refused: ${checked.error}\n${JSON.stringify(doc)}`);
      expect(texts(checked.doc), `seed ${seed}`).toEqual(texts(doc));
      const again = checkDocument(checked.doc);
      expect(again.ok && !again.normalized, `seed ${seed}: the canonical form changed when checked again`).toBe(true);
    }
  }, 120_000);

  it("keeps emphasis that a selection took with its spaces, moving only the spaces out", () => {
    const checked = checkDocument(doc(section("s", "H", clause("c", p("a", strong(" bold "), "b")))));
    expect(checked.ok && checked.doc.content![0]!.content[1]).toEqual(clause("c", p("a ", strong("bold"), " b")));
  });

  it("saves a paragraph that starts like a heading, a list, a rule or a refused habit, as text", () => {
    for (const start of ["+ one", "1) one", "---", "===", "___", "* one", "*** x", "# h", "  # h", "\tone", " - x", "{ #a}", "{#x} y", "2. c", "####### seven"]) {
      const checked = checkDocument(doc(section("s", "H", clause("c", "first", p(start)))));
      if (!checked.ok) throw new Error(`${JSON.stringify(start)}: ${checked.error}`);
      expect(checked.doc.content, JSON.stringify(start)).toHaveLength(1);
      expect(itemTexts(checked.doc).find((i) => i.id === "c")?.plainText, JSON.stringify(start)).toBe(`first\n${start.trim()}`);
    }
  });

  it("keeps every item of a numbered list that starts near the largest number a list may have", () => {
    const list = { ...ol(li("a"), li("b")), attrs: { order: 999_999_999 } };
    const checked = checkDocument(doc(section("s", "H", clause("c", "first", list))));
    expect(checked.ok && checked.normalized).toBe(false);
  });
});
