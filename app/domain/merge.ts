// Clause-level three-way merge of drafts: when two people save from the same base, changes to
// different clauses (or different sections' lists) both stand; a clause both changed differently
// is a conflict, and nothing is merged.
import { DOC_PART as DOC, documentParts } from "./document-parts";
import type { ClauseJSON, DocJSON, SectionJSON } from "./schema";

export interface MergeConflict {
  /** The clause or section both sides changed, or "" for the document's title and reference. */
  id: string;
  what: "content" | "order";
}

export type MergeResult = { ok: true; doc: DocJSON } | { ok: false; conflicts: MergeConflict[] };

/** Takes the one side that changed; undefined means "both changed it, differently". */
function pick<T>(base: T, theirs: T, ours: T, same: (a: T, b: T) => boolean): { value: T } | undefined {
  if (same(theirs, ours)) return { value: theirs };
  if (same(theirs, base)) return { value: ours };
  if (same(ours, base)) return { value: theirs };
  return undefined;
}

function preferred<T>(prefer: "theirs" | "ours" | undefined, theirs: T, ours: T): { value: T } | undefined {
  if (!prefer) return undefined;
  return { value: prefer === "ours" ? ours : theirs };
}

const sameText = (a: string | undefined, b: string | undefined) => a === b;
const sameList = (a: string[] | undefined, b: string[] | undefined) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Merges `theirs` and `ours`, both made from `base`. With `prefer`, a part both changed takes
 * that side's version instead of being a conflict (a person choosing for the overlap); if the
 * tree still cannot be put together, the preferred side is taken whole.
 */
export function mergeDocuments(base: DocJSON, theirs: DocJSON, ours: DocJSON, prefer?: "theirs" | "ours"): MergeResult {
  const result = merge(base, theirs, ours, prefer);
  if (result.ok || !prefer) return result;
  return { ok: true, doc: prefer === "ours" ? ours : theirs };
}

function merge(base: DocJSON, theirs: DocJSON, ours: DocJSON, prefer: "theirs" | "ours" | undefined): MergeResult {
  const [b, t, o] = [documentParts(base), documentParts(theirs), documentParts(ours)];
  const conflicts: MergeConflict[] = [];
  const content = new Map<string, string>();
  const ids = new Set([...b.content.keys(), ...t.content.keys(), ...o.content.keys()]);
  for (const id of ids) {
    const chosen = pick(b.content.get(id), t.content.get(id), o.content.get(id), sameText) ?? preferred(prefer, t.content.get(id), o.content.get(id));
    if (!chosen) conflicts.push({ id, what: "content" });
    else if (chosen.value !== undefined) content.set(id, chosen.value);
  }
  const children = new Map<string, string[]>();
  const parents = new Set([...b.children.keys(), ...t.children.keys(), ...o.children.keys()]);
  for (const parent of parents) {
    const chosen = pick(b.children.get(parent), t.children.get(parent), o.children.get(parent), sameList) ?? preferred(prefer, t.children.get(parent), o.children.get(parent));
    if (!chosen) conflicts.push({ id: parent, what: "order" });
    else if (chosen.value !== undefined) children.set(parent, chosen.value);
  }
  if (conflicts.length) return { ok: false, conflicts };

  // Rebuild the tree; an item left with no place, or placed twice, means the changes collide.
  const placed = new Set<string>();
  const problems = new Set<string>();
  const build = (id: string): ClauseJSON | SectionJSON | null => {
    if (placed.has(id) || !content.has(id)) {
      problems.add(id);
      return null;
    }
    placed.add(id);
    const raw = JSON.parse(content.get(id)!) as ClauseJSON | { attrs: SectionJSON["attrs"]; heading: SectionJSON["content"][0] };
    if ("type" in raw && raw.type === "clause") return raw;
    const section = raw as { attrs: SectionJSON["attrs"]; heading: SectionJSON["content"][0] };
    const kids = (children.get(id) ?? []).map(build).filter((c): c is ClauseJSON | SectionJSON => c !== null);
    return { type: "section", attrs: section.attrs, content: [section.heading, ...kids] };
  };
  const top = (children.get(DOC) ?? []).map(build).filter((s): s is SectionJSON => s !== null && s.type === "section");
  for (const id of content.keys()) if (id !== DOC && !placed.has(id)) problems.add(id);
  if (problems.size) return { ok: false, conflicts: [...problems].map((id) => ({ id, what: "order" as const })) };

  const doc: DocJSON = { type: "doc", attrs: JSON.parse(content.get(DOC)!) as DocJSON["attrs"] };
  if (top.length) doc.content = top;
  return { ok: true, doc };
}
