// A document as its parts, each compared on its own: the title and reference, each section's
// heading and class, each clause whole, and each section's order of children. Merging drafts
// and tracing who wrote what both work part by part.
import { canonicalJson } from "./hashing";
import { sectionChildren, type ClauseJSON, type DocJSON, type SectionJSON } from "./schema";

/** The part holding the document's title and reference. */
export const DOC_PART = "";

/** The part holding a section's (or, for "", the document's) order of children. */
export function orderPart(parentId: string): string {
  return `order:${parentId}`;
}

export interface DocumentParts {
  /** Each item's own content as canonical JSON; DOC_PART holds the document's attributes. */
  content: Map<string, string>;
  /** Child ids of each section; DOC_PART ("") holds the top-level sections. */
  children: Map<string, string[]>;
  nodes: Map<string, ClauseJSON | SectionJSON>;
}

export function documentParts(doc: DocJSON): DocumentParts {
  const parts: DocumentParts = { content: new Map(), children: new Map(), nodes: new Map() };
  parts.content.set(DOC_PART, canonicalJson(doc.attrs));
  parts.children.set(DOC_PART, (doc.content ?? []).map((s) => s.attrs.id));
  const visit = (section: SectionJSON) => {
    parts.nodes.set(section.attrs.id, section);
    parts.content.set(section.attrs.id, canonicalJson({ attrs: section.attrs, heading: section.content[0] }));
    const children = sectionChildren(section);
    parts.children.set(section.attrs.id, children.map((c) => c.attrs.id));
    for (const child of children) {
      if (child.type === "section") visit(child);
      else {
        parts.nodes.set(child.attrs.id, child);
        parts.content.set(child.attrs.id, canonicalJson(child));
      }
    }
  };
  (doc.content ?? []).forEach(visit);
  return parts;
}

/**
 * The parts that differ between two documents, sorted: items added, removed or changed (by id,
 * or DOC_PART), and sections whose children changed order or membership (by orderPart).
 */
export function changedParts(before: DocJSON, after: DocJSON): string[] {
  const a = documentParts(before);
  const b = documentParts(after);
  const changed = new Set<string>();
  for (const key of new Set([...a.content.keys(), ...b.content.keys()])) {
    if (a.content.get(key) !== b.content.get(key)) changed.add(key);
  }
  for (const key of new Set([...a.children.keys(), ...b.children.keys()])) {
    if (JSON.stringify(a.children.get(key) ?? []) !== JSON.stringify(b.children.get(key) ?? [])) changed.add(orderPart(key));
  }
  return [...changed].sort();
}
