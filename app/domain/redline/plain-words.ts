// What the public is told about each change, in plain words: its name (number, section heading
// and first words), what happened to it ("Changed", "Moved from 3.2.15", "Number changed from
// 1.1.4"), and, when nobody needed to give a reason because only its number or place changed, why.
import { outline, type OutlineEntry } from "../numbering";
import type { DocJSON } from "../schema";
import type { RedlineItem } from "./types";
import { acceptAll, rejectAll } from "./view";

type Row = Pick<RedlineItem, "kind" | "id" | "status" | "from" | "to" | "segments" | "formatting">;

const STATUS_WORDS: Record<RedlineItem["status"], string> = {
  unchanged: "Not changed",
  modified: "Changed",
  inserted: "New",
  deleted: "Removed",
  moved: "Moved",
};

/** The first words of a text, at most `count`, with "…" when there were more. */
export function firstWords(text: string, count = 10): string {
  // List markers ("- ", "• ", "2. ") at the start of a line are not words.
  const words = text
    .replace(/(^|\n)[ \t]*(?:[-•]|\d+\.)[ \t]+/g, "$1")
    .split(/\s+/)
    .filter(Boolean);
  if (words.length <= count) return words.join(" ");
  const shown = words.slice(0, count).join(" ");
  return `${shown.replace(/[,;:.]+$/, "")}…`;
}

/** The words of the item as it stands (or stood, when removed). */
function wordsOf(row: Row): string {
  return row.status === "deleted" ? rejectAll(row.segments) : acceptAll(row.segments);
}

export interface ChangeName {
  /** "3.2.9" (or "Appendix B" for a top-level appendix section). */
  number: string;
  /** The heading of the section the clause sits in, or the section's own heading. */
  heading: string;
  /** A clause's first words; empty for a section. */
  words: string;
}

/**
 * A change named as a reader would find it: "3.2.9 Service description and care pathway:
 * Less common cancers will be planned…". `headings` maps section ids to their headings.
 */
export function changeName(row: Row, headings: ReadonlyMap<string, string>, appendix = false): ChangeName {
  const place = row.to ?? row.from!;
  if (row.kind === "section") {
    const prefix = appendix && !place.number.includes(".") ? "Appendix " : "";
    return {
      number: `${prefix}${place.number}`,
      heading: firstWords(wordsOf(row), 12),
      words: "",
    };
  }
  return {
    number: place.number,
    heading: (place.parent && headings.get(place.parent)) || "",
    words: firstWords(wordsOf(row)),
  };
}

/** The name as one line of text: "3.2.9 Section heading: First words…". */
export function changeNameText(name: ChangeName): string {
  if (!name.words) return `${name.number} ${name.heading}`.trim();
  return name.heading ? `${name.number} ${name.heading}: ${name.words}` : `${name.number} ${name.words}`;
}

/**
 * What happened to an item: its status in words, and where its number or place changed, how
 * ("Moved from 3.2.15", "Number changed from 1.1.4"). A changed section reads "Renamed".
 */
export function whatHappened(row: Row): {
  status: string;
  place: string | null;
} {
  const status = row.status === "unchanged" && row.formatting?.length ? "Formatting changed" : row.kind === "section" && row.status === "modified" ? "Renamed" : STATUS_WORDS[row.status];
  if (row.status === "moved") return { status: `Moved from ${row.from!.number}`, place: null };
  if (row.from && row.to && row.from.number !== row.to.number) return { status, place: `Number changed from ${row.from.number}` };
  return { status, place: null };
}

/** Whether the item's words are the same in both versions. */
export function sameWords(row: Pick<Row, "segments">): boolean {
  return row.segments.every((s) => s.op === "equal");
}

/**
 * Why an item changed without a recorded reason, when that needs none: only its number or its
 * place changed, and the change was made by others around it. Null when its words changed (that
 * needs a reason someone writes) or nothing about it changed.
 */
export function whyNoReasonNeeded(row: Row, rows: readonly Row[], fromOutline: readonly OutlineEntry[], toOutline: readonly OutlineEntry[]): string | null {
  if (!sameWords(row) || !row.from || !row.to) return null;
  const kind = row.kind === "section" ? "section" : "clause";
  if (row.status === "moved") {
    return row.from.parent === row.to.parent
      ? `Only its place changed: it was moved within its section. Its words did not change.`
      : `Only its place changed: it was moved to another section. Its words did not change.`;
  }
  if (row.status !== "unchanged" || row.from.number === row.to.number) return null;
  const status = new Map(rows.map((r) => [r.id, r.status]));
  const from = fromOutline.find((e) => e.id === row.id);
  const to = toOutline.find((e) => e.id === row.id);
  if (!from || !to) return null;
  const parentNumber = (outline: readonly OutlineEntry[], id: string | null) => (id ? outline.find((e) => e.id === id)?.number : undefined);
  if (parentNumber(fromOutline, from.parentId) !== parentNumber(toOutline, to.parentId)) {
    return `Only its number changed, because the number of its section changed.`;
  }
  const before = (outline: readonly OutlineEntry[], entry: OutlineEntry) => outline.filter((e) => e.parentId === entry.parentId && e.position < entry.position).map((e) => e.id);
  const toIds = new Set(toOutline.map((e) => e.id));
  const fromIds = new Set(fromOutline.map((e) => e.id));
  const added = before(toOutline, to).filter((id) => !fromIds.has(id) || status.get(id) === "moved");
  const gone = before(fromOutline, from).filter((id) => !toIds.has(id) || status.get(id) === "moved");
  const count = (ids: string[]) => (ids.length === 1 ? `a ${kindOf(ids[0]!, toOutline, fromOutline)}` : `${ids.length} ${kindOf(ids[0]!, toOutline, fromOutline)}s`);
  const causes: string[] = [];
  if (added.length) causes.push(`${count(added)} ${added.length === 1 ? "was" : "were"} added before it`);
  if (gone.length) {
    const how = gone.some((id) => toIds.has(id)) ? (gone.every((id) => toIds.has(id)) ? "moved elsewhere" : "removed or moved elsewhere") : "removed";
    causes.push(`${count(gone)} before it ${gone.length === 1 ? "was" : "were"} ${how}`);
  }
  if (!causes.length) return `Only its number changed, because the ${kind}s around it were put in a new order.`;
  return `Only its number changed, because ${causes.join(" and ")}.`;
}

function kindOf(id: string, ...outlines: (readonly OutlineEntry[])[]): string {
  for (const outline of outlines) {
    const entry = outline.find((e) => e.id === id);
    if (entry) return entry.kind;
  }
  return "clause";
}

/** What the list of changes and each change say about an item, in plain words. */
export interface ChangeDescription {
  /** "3.2.9 Service description and care pathway: Less common cancers will be planned…". */
  name: string;
  /** "Changed", "New", "Removed", "Moved from 3.2.15", "Renamed", "Formatting changed". */
  status: string;
  /** "Number changed from 1.1.4", when it did. */
  place: string | null;
  /** Why no reason is needed, when only its number or place changed. */
  noReason: string | null;
}

/**
 * Describes every item of a redline (its rows must include the sections, for their headings),
 * by item id; or only the items `only` names (the others are still read for what moved).
 */
export function describeChanges(rows: readonly (Row & { appendix?: boolean })[], fromDoc: DocJSON, toDoc: DocJSON, only?: ReadonlySet<string>): Record<string, ChangeDescription> {
  const fromOutline = outline(fromDoc);
  const toOutline = outline(toDoc);
  const headings = new Map<string, string>();
  for (const entry of [...fromOutline, ...toOutline]) if (entry.kind === "section") headings.set(entry.id, entry.title);
  const out: Record<string, ChangeDescription> = {};
  for (const row of rows) {
    if (only && !only.has(row.id)) continue;
    const happened = whatHappened(row);
    out[row.id] = {
      name: changeNameText(changeName(row, headings, row.appendix)),
      status: happened.status,
      place: happened.place,
      noReason: whyNoReasonNeeded(row, rows, fromOutline, toOutline),
    };
  }
  return out;
}
