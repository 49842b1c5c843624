// The items of a version (its sections and clauses) with their numbers and plain text.
import { sha256Of } from "./hashing";
import { outline, type OutlineEntry } from "./numbering";
import { clausePlainText, sectionPlainText } from "./plain-text";
import { sectionChildren, type ClauseJSON, type DocJSON, type SectionJSON } from "./schema";

/**
 * The most clauses one version may hold. A national specification has about a hundred; the
 * limit keeps every page, redline and save of a version proportionate (README: "Limits").
 */
export const MAX_CLAUSES = 2000;

export interface ItemText extends OutlineEntry {
  plainText: string;
}

export interface DocumentItem extends ItemText {
  textHash: string;
}

/** Every section and clause in document order, with its number and plain text. */
export function itemTexts(doc: DocJSON): ItemText[] {
  const nodes = new Map<string, ClauseJSON | SectionJSON>();
  const collect = (section: SectionJSON) => {
    nodes.set(section.attrs.id, section);
    for (const child of sectionChildren(section)) {
      if (child.type === "section") collect(child);
      else nodes.set(child.attrs.id, child);
    }
  };
  (doc.content ?? []).forEach(collect);
  return outline(doc).map((entry) => {
    const node = nodes.get(entry.id)!;
    return { ...entry, plainText: node.type === "section" ? sectionPlainText(node) : clausePlainText(node) };
  });
}

/** Every section and clause in document order, with number, plain text and text hash. */
export function documentItems(doc: DocJSON): DocumentItem[] {
  return itemTexts(doc).map((item) => ({ ...item, textHash: sha256Of(item.plainText) }));
}

export function clauseCount(doc: DocJSON): number {
  return outline(doc).filter((entry) => entry.kind === "clause").length;
}
