// The tracked revision between two versions of one specification (format §2): sections and
// clauses aligned by id, each classified, with exact word-level segments.
import { itemTexts, type ItemText } from "../document";
import { contentHash } from "../hashing";
import type { DocJSON } from "../schema";
import { formattingChanges } from "./formatting";
import { hasMarks, itemNodes, markedText } from "./marked-text";
import { movedIds } from "./moves";
import { TokenInterner } from "./tokens";
import type { ItemPlace, Redline, RedlineItem, RedlineSummary } from "./types";
import { wordSegments, type WordDiffOptions } from "./word-diff";

export interface VersionInput {
  version: string;
  doc: DocJSON;
  /** The content hash, when already known; computed otherwise. */
  hash?: string;
  /** itemTexts(doc), when already known (a clause's history reads each version twice). */
  items?: ItemText[];
}

const key = (item: ItemText) => `${item.kind}:${item.id}`;
const place = (item: ItemText): ItemPlace => ({ number: item.number, parent: item.parentId });

export interface RedlineOptions extends WordDiffOptions {
  /**
   * The ids of the items whose words to compare. Every item is still aligned and classified
   * (status and places, so moves and renumbering read as in the whole redline), but the others
   * carry no segments or formatting: for a page that shows one clause (its history), where
   * comparing the words of every other clause would be wasted.
   */
  only?: ReadonlySet<string>;
}

export function redline(from: VersionInput, to: VersionInput, options: RedlineOptions = {}): Redline {
  const fromItems = from.items ?? itemTexts(from.doc);
  const toItems = to.items ?? itemTexts(to.doc);
  const fromByKey = new Map(fromItems.map((item) => [key(item), item]));
  const toKeys = new Set(toItems.map(key));
  const shared = new Set(fromItems.filter((item) => toKeys.has(key(item))).map((item) => item.id));
  // An id that changed kind (a clause became a section) is two unrelated items.
  for (const item of toItems) if (shared.has(item.id) && !fromByKey.has(key(item))) shared.delete(item.id);
  const moved = movedIds(fromItems, toItems, shared);
  const interner = new TokenInterner();
  const fromNodes = itemNodes(from.doc);
  const toNodes = itemNodes(to.doc);

  // Deleted items follow the nearest earlier item of `from` that stayed in place.
  const deletedAfter = new Map<string | null, ItemText[]>();
  let anchor: string | null = null;
  for (const item of fromItems) {
    if (shared.has(item.id) && fromByKey.get(key(item)) === item) {
      if (!moved.has(item.id)) anchor = item.id;
      continue;
    }
    const list = deletedAfter.get(anchor) ?? [];
    list.push(item);
    deletedAfter.set(anchor, list);
  }

  const items: RedlineItem[] = [];
  const summary: RedlineSummary = { inserted: 0, deleted: 0, modified: 0, moved: 0, renumbered: 0, unchanged: 0 };
  const emitDeleted = (after: string | null) => {
    for (const item of deletedAfter.get(after) ?? []) {
      const text = item.plainText && (!options.only || options.only.has(item.id)) ? item.plainText : "";
      items.push({ kind: item.kind, id: item.id, status: "deleted", from: place(item), to: null, segments: text ? [{ op: "delete", text }] : [] });
      summary.deleted++;
    }
  };

  emitDeleted(null);
  for (const item of toItems) {
    const old = shared.has(item.id) ? fromByKey.get(key(item)) : undefined;
    if (!old) {
      const text = item.plainText && (!options.only || options.only.has(item.id)) ? item.plainText : "";
      items.push({ kind: item.kind, id: item.id, status: "inserted", from: null, to: place(item), segments: text ? [{ op: "insert", text }] : [] });
      summary.inserted++;
    } else if (options.only && !options.only.has(item.id)) {
      const status = moved.has(item.id) ? "moved" : old.plainText !== item.plainText ? "modified" : "unchanged";
      items.push({ kind: item.kind, id: item.id, status, from: place(old), to: place(item), segments: [] });
      summary[status]++;
      if (old.number !== item.number) summary.renumbered++;
    } else {
      const { segments, fallback } = wordSegments(old.plainText, item.plainText, options, interner);
      const status = moved.has(item.id) ? "moved" : old.plainText !== item.plainText ? "modified" : "unchanged";
      const entry: RedlineItem = { kind: item.kind, id: item.id, status, from: place(old), to: place(item), segments };
      if (fallback) entry.fallback = true;
      // Formatting does not change the status: that stays the contract's (plain text and place).
      const fromNode = fromNodes.get(key(old))!;
      const toNode = toNodes.get(key(item))!;
      // Text with no marks on either side has no formatting to change: most items, so skip them.
      if (hasMarks(fromNode) || hasMarks(toNode)) {
        const formatting = formattingChanges(segments, markedText(fromNode), markedText(toNode));
        if (formatting.length) entry.formatting = formatting;
      }
      items.push(entry);
      summary[status]++;
      if (old.number !== item.number) summary.renumbered++;
    }
    if (!moved.has(item.id)) emitDeleted(item.id);
  }

  return {
    from: { version: from.version, hash: from.hash ?? contentHash(from.doc) },
    to: { version: to.version, hash: to.hash ?? contentHash(to.doc) },
    items,
    summary,
  };
}
