// Computed numbering: numbers are never stored in a source file, only derived from the tree.
import { inlineText, sectionChildren, type DocJSON, type SectionJSON } from "./schema";

export interface OutlineEntry {
  kind: "section" | "clause";
  id: string;
  /** "3.2.4" for a clause, "B" for an appendix, "B.1" inside it. */
  number: string;
  /** The enclosing section's id; null for a top-level section. */
  parentId: string | null;
  /** Index among its parent's children (0-based). */
  position: number;
  /** 1 for a top-level section; a clause sits one below its section. */
  depth: number;
  /** Heading text of a section; empty for a clause. */
  title: string;
  appendix: boolean;
}

/** Appendix letters: A … Z, then AA, AB … as spreadsheets do. */
export function appendixLetter(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Every section and clause in document order, with its computed number. */
export function outline(doc: DocJSON): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  let chapter = 0;
  let appendix = 0;
  (doc.content ?? []).forEach((section, position) => {
    const number = section.attrs.appendix ? appendixLetter(appendix++) : String(++chapter);
    visitSection(section, number, null, position, 1, section.attrs.appendix, entries);
  });
  return entries;
}

function visitSection(
  section: SectionJSON,
  number: string,
  parentId: string | null,
  position: number,
  depth: number,
  appendix: boolean,
  entries: OutlineEntry[],
): void {
  entries.push({
    kind: "section",
    id: section.attrs.id,
    number,
    parentId,
    position,
    depth,
    title: inlineText(section.content[0].content),
    appendix,
  });
  sectionChildren(section).forEach((child, index) => {
    const childNumber = `${number}.${index + 1}`;
    if (child.type === "section") {
      visitSection(child, childNumber, section.attrs.id, index, depth + 1, appendix, entries);
    } else {
      entries.push({
        kind: "clause",
        id: child.attrs.id,
        number: childNumber,
        parentId: section.attrs.id,
        position: index,
        depth: depth + 1,
        title: "",
        appendix,
      });
    }
  });
}

export function numberById(doc: DocJSON): Map<string, string> {
  return new Map(outline(doc).map((entry) => [entry.id, entry.number]));
}
