// Clause-level three-way merge of drafts: when two people save from the same base, changes to
// different clauses (or different sections' lists) both stand; a clause both changed differently
// is a conflict, and nothing is merged.
import { DOC_PART as DOC, documentParts, type DocumentParts } from "./document-parts";
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
 * that side's version instead of being a conflict (a person choosing for the overlap), and an
 * item the two sides put in different places goes where the preferred side put it; everyone's
 * other changes stay. Only a tree that still cannot be put together (two sections each moved
 * into the other) makes the preferred side be taken whole.
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
  if (prefer) settlePlaces(content, children, prefer === "ours" ? o : t, prefer === "ours" ? t : o);

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

/** The section (or DOC) whose children list `id` in a document's parts, if any. */
function parentIn(parts: DocumentParts, id: string): string | undefined {
  for (const [parent, kids] of parts.children) if (kids.includes(id)) return parent;
  return undefined;
}

/**
 * Puts each item in exactly one place, as the preferred side has it where it can: an item both
 * sides placed goes to the preferred side's parent, an item neither list holds goes back to the
 * parent a side gave it (clauses before subsections), and entries for items gone are dropped.
 */
function settlePlaces(content: Map<string, string>, children: Map<string, string[]>, preferred: DocumentParts, other: DocumentParts): void {
  for (const [parent, kids] of children) children.set(parent, kids.filter((id, i) => content.has(id) && kids.indexOf(id) === i));
  const holders = new Map<string, string[]>();
  for (const [parent, kids] of children) for (const id of kids) holders.set(id, [...(holders.get(id) ?? []), parent]);
  for (const [id, parents] of holders) {
    if (parents.length < 2) continue;
    const wanted = parentIn(preferred, id);
    const keep = wanted !== undefined && parents.includes(wanted) ? wanted : parents[0]!;
    for (const parent of parents) if (parent !== keep) children.set(parent, children.get(parent)!.filter((k) => k !== id));
  }
  const isSection = (id: string) => !(JSON.parse(content.get(id)!) as { type?: string }).type;
  for (const id of content.keys()) {
    if (id === DOC || [...children.values()].some((kids) => kids.includes(id))) continue;
    const parent = [parentIn(preferred, id), parentIn(other, id)].find((p) => p !== undefined && (p === DOC || content.has(p)));
    if (parent === undefined) continue;
    const kids = children.get(parent) ?? [];
    // A clause goes after the section's clauses, before its subsections; a section goes last.
    const at = isSection(id) ? kids.length : kids.findIndex((k) => isSection(k));
    kids.splice(at < 0 ? kids.length : at, 0, id);
    children.set(parent, kids);
  }
}
