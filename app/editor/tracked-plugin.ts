// Tracked changes, numbers and annotation highlights as ProseMirror decorations, kept up to date
// item by item: after a transaction only the sections and clauses whose nodes changed (or whose
// number or status did) are compared again; every other decoration is mapped through the change.
// While someone types in one clause, its marks are mapped and compared again a moment after the
// last key: redrawing the paragraph under the caret on every key makes the browser place the
// selection again, which costs milliseconds per key in a long document.
import type { Node as PMNode } from "prosemirror-model";
import { Plugin, PluginKey, type Command, type EditorState, type Transaction } from "prosemirror-state";
import { Mapping, ReplaceStep } from "prosemirror-transform";
import { Decoration, DecorationSet } from "prosemirror-view";
import { clauseAt } from "./commands";
import {
  currentItems,
  itemText,
  quoteRange,
  rangesOf,
  structureOf,
  textMarks,
  trackedBase,
  type CurrentItem,
  type DeletedItem,
  type ItemKey,
  type ItemPlace,
  type Structure,
  type TrackedBase,
} from "./tracked-changes";
import type { DocJSON } from "~/domain/schema";

/** An open annotation thread carried onto the draft, highlighted where its quoted words stand. */
export interface EditorThread {
  id: number;
  clauseId: string;
  start: number | null;
  quote: string;
  author: string;
  status: string;
  fromVersion: string;
}

export interface TrackedOptions {
  /** The version the draft came from; without one nothing is marked as changed. */
  base: DocJSON | null;
  threads?: EditorThread[];
  /** Called when a change's mark is clicked: go to the clause's change note. */
  onNote?: (clauseId: string) => void;
}

interface ItemMemo {
  /** The clause node, or a section's heading: a different node means different words. */
  content: PMNode;
  pos: number;
  place: string;
  /** The item differs from the earlier version: new, moved or reworded. */
  changed: boolean;
}

export interface TrackedState {
  show: boolean;
  signature: string;
  structure: Structure;
  memo: Map<ItemKey, ItemMemo>;
  /** Always shown: numbers and annotation highlights. */
  always: DecorationSet;
  /** Shown with "Show changes": inserted and deleted words, new and moved items, old numbers. */
  marks: DecorationSet;
  /** Items typed in whose marks were only mapped: compared again when typing pauses. */
  pending: Set<ItemKey>;
}

/** How long typing pauses before the clause typed in is compared again. */
export const REFRESH_MS = 150;

export const trackedKey = new PluginKey<TrackedState>("tracked");

const EMPTY_BASE: TrackedBase = { entries: [], texts: new Map(), numbers: new Map() };

function element(tag: string, className: string, text?: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** What the margin says about an item, if anything. */
function placeNote(place: ItemPlace, changed: boolean): string | null {
  if (place.status === "inserted") return "New";
  if (place.status === "moved") return `Moved from ${place.oldNumber}`;
  if (place.oldNumber !== place.number) return changed ? `Changed, was ${place.oldNumber}` : `Was ${place.oldNumber}`;
  return changed ? "Changed" : null;
}

class Builder {
  readonly threads = new Map<string, EditorThread[]>();

  constructor(
    readonly base: TrackedBase,
    readonly hasBase: boolean,
    readonly onNote: ((clauseId: string) => void) | undefined,
    threads: EditorThread[],
  ) {
    for (const t of threads) this.threads.set(t.clauseId, [...(this.threads.get(t.clauseId) ?? []), t]);
  }

  private noteLink(clauseId: string, text: string, className: string): HTMLElement {
    const link = element("a", className, text) as HTMLAnchorElement;
    link.href = `#note_${clauseId}`;
    // The margin marks are for the mouse; the keyboard has the toolbar's "Go to the change note".
    link.tabIndex = -1;
    link.addEventListener("click", (event) => {
      if (!this.onNote) return;
      event.preventDefault();
      this.onNote(clauseId);
    });
    return link;
  }

  /** The decorations of one item, and whether it differs from the earlier version. */
  item(item: CurrentItem, place: ItemPlace): { always: Decoration[]; marks: Decoration[]; changed: boolean } {
    const always: Decoration[] = [];
    const marks: Decoration[] = [];
    const spec = { item: item.key };
    const section = item.kind === "section";
    const label = section && item.node.attrs.appendix && !place.number.includes(".") ? `Appendix ${place.number}` : place.number;
    // A section's number goes inside its heading line; a clause's before its first paragraph.
    const numberAt = section ? item.pos + 2 : item.pos + 1;
    always.push(
      Decoration.widget(numberAt, () => element("span", section ? "sw-ed-number sw-ed-number--section" : "sw-ed-number", label), {
        ...spec,
        side: -2,
        key: `n:${item.id}:${label}`,
        ignoreSelection: true,
      }),
    );
    const needsText = this.hasBase || this.threads.has(item.id);
    const text = needsText ? itemText(item.node) : null;
    let changed = false;
    if (this.hasBase && text) {
      const found = place.status === "inserted" ? { marks: [], changed: true } : textMarks(text, this.base.texts.get(item.key));
      changed = found.changed || place.status !== "kept";
      for (const mark of found.marks) {
        if (mark.type === "insert") {
          marks.push(Decoration.inline(item.pos + mark.from, item.pos + mark.to, { nodeName: "ins", class: "sw-ed-ins" }, { ...spec, inclusiveEnd: true }));
        } else {
          const clauseId = section ? null : item.id;
          marks.push(
            Decoration.widget(
              item.pos + mark.at,
              () => {
                const del = element("del", "sw-ed-del", mark.text);
                del.contentEditable = "false";
                if (clauseId && this.onNote) del.addEventListener("click", () => this.onNote!(clauseId));
                return del;
              },
              { ...spec, side: -1, marks: [], key: `d:${mark.text}`, stopEvent: () => true },
            ),
          );
        }
      }
      const note = placeNote(place, found.changed);
      if (note) {
        marks.push(
          Decoration.widget(
            numberAt,
            () => {
              const box = element("span", section ? "sw-ed-change sw-ed-change--section" : "sw-ed-change");
              box.contentEditable = "false";
              box.append(section || note.startsWith("Was") ? element("span", "sw-ed-change__text", note) : this.noteLink(item.id, note, "sw-ed-change__link"));
              return box;
            },
            { ...spec, side: -1, key: `g:${item.id}:${note}`, ignoreSelection: true, stopEvent: () => true },
          ),
        );
      }
      if (place.status !== "kept") {
        const [from, to] = section ? [item.pos + 1, item.pos + 1 + item.node.child(0).nodeSize] : [item.pos, item.pos + item.node.nodeSize];
        marks.push(Decoration.node(from, to, { class: place.status === "inserted" ? "sw-ed-new" : "sw-ed-moved" }, { ...spec, node: true }));
      }
    }
    if (!section && text) {
      for (const thread of this.threads.get(item.id) ?? []) {
        const range = quoteRange(text.text, thread.quote, thread.start);
        if (!range) continue;
        const title = `Annotation by ${thread.author} on version ${thread.fromVersion} (${thread.status})`;
        for (const [from, to] of rangesOf(text, range[0], range[1])) {
          always.push(Decoration.inline(item.pos + from, item.pos + to, { class: "sw-ed-annotation", title, "data-thread": String(thread.id) }, spec));
        }
      }
    }
    return { always, marks, changed };
  }

  /** Whole items of the earlier version that are gone, shown struck through where they stood. */
  deleted(structure: Structure, items: CurrentItem[]): Decoration[] {
    if (!this.hasBase) return [];
    const after = new Map(items.map((item) => [item.key, item]));
    const out: Decoration[] = [];
    for (const [anchorKey, gone] of structure.deleted) {
      const anchor = anchorKey === null ? null : after.get(anchorKey);
      if (anchorKey !== null && !anchor) continue;
      const at = !anchor ? 0 : anchor.kind === "clause" ? anchor.pos + anchor.node.nodeSize : anchor.pos + 1 + anchor.node.child(0).nodeSize;
      gone.forEach((item, index) => {
        out.push(
          Decoration.widget(at, () => this.deletedItem(item), {
            deleted: true,
            side: 1 + index,
            key: `x:${item.key}:${item.number}`,
            ignoreSelection: true,
            stopEvent: () => true,
          }),
        );
      });
    }
    return out;
  }

  private deletedItem(item: DeletedItem): HTMLElement {
    const box = element("div", "sw-ed-deleted-item");
    box.contentEditable = "false";
    box.append(element("span", "sw-ed-number", item.number));
    const what = item.kind === "clause" ? "Deleted clause" : "Deleted section";
    box.append(item.kind === "clause" ? this.noteLink(item.id, what, "sw-ed-change__link") : element("span", "sw-ed-change__text", what));
    box.append(" ");
    box.append(element("del", "sw-ed-del", item.text.replace(/\n/g, " ¶ ")));
    return box;
  }
}

/** Typing or deleting text inside a text block, not a paste, a drop or a change of structure. */
function isTyping(tr: Transaction): boolean {
  if (tr.getMeta("paste") || tr.getMeta("uiEvent") === "drop") return false;
  return tr.steps.every((step) => {
    if (!(step instanceof ReplaceStep)) return false;
    const { slice } = step;
    return slice.openStart === 0 && slice.openEnd === 0 && (slice.size === 0 || slice.content.content.every((node) => node.isText));
  });
}

/**
 * The state after a change: `mapping` maps the previous decorations (an empty mapping when the
 * document did not change); `defer` lets a single item typed in keep its mapped marks for now.
 */
function update(prev: TrackedState | null, builder: Builder, doc: PMNode, mapping: Mapping, defer: boolean): TrackedState {
  const { items, signature } = currentItems(doc);
  const outlineChanged = !prev || signature !== prev.signature;
  const structure = outlineChanged ? structureOf(builder.base, items) : prev.structure;
  let always = prev ? prev.always.map(mapping, doc) : DecorationSet.empty;
  let marks = prev ? prev.marks.map(mapping, doc) : DecorationSet.empty;
  const memo = new Map<ItemKey, ItemMemo>();
  const pending = new Set<ItemKey>();
  const addAlways: Decoration[] = [];
  const addMarks: Decoration[] = [];
  const stale: Decoration[] = [];
  const staleMarks: Decoration[] = [];
  const contentOf = (item: CurrentItem) => (item.kind === "section" ? item.node.child(0) : item.node);
  // Marks wait only while one item alone is being typed in.
  const changed = prev ? items.filter((item) => prev.memo.get(item.key)?.content !== contentOf(item)).length : items.length;
  const waiting = defer && changed === 1;
  for (const item of items) {
    const place = structure.places.get(item.key)!;
    const placeKey = `${place.status}|${place.number}|${place.oldNumber}`;
    const content = contentOf(item);
    const old = prev?.memo.get(item.key);
    if (old && old.place === placeKey) {
      const mapped = mapping.mapResult(old.pos, 1);
      const inPlace = !mapped.deleted && mapped.pos === item.pos;
      if (inPlace && old.content === content) {
        memo.set(item.key, { ...old, pos: item.pos });
        continue;
      }
      if (inPlace && waiting) {
        // The old node stays in the memo, so the item is compared again when typing pauses.
        memo.set(item.key, { ...old, pos: item.pos });
        pending.add(item.key);
        continue;
      }
    }
    if (prev) {
      // Whatever was drawn in the item before (its own marks, or a copy's) is redrawn.
      const [from, to] = item.kind === "section" ? [item.pos + 1, item.pos + 1 + content.nodeSize] : [item.pos, item.pos + item.node.nodeSize];
      const inside = (d: Decoration) => d.from >= from && d.to <= to && !d.spec.deleted && (!d.spec.node || d.from === from);
      stale.push(...always.find(from, to).filter(inside));
      staleMarks.push(...marks.find(from, to).filter(inside));
    }
    const made = builder.item(item, place);
    addAlways.push(...made.always);
    addMarks.push(...made.marks);
    memo.set(item.key, { content, pos: item.pos, place: placeKey, changed: made.changed });
  }
  if (outlineChanged) {
    staleMarks.push(...marks.find(undefined, undefined, (spec) => Boolean(spec.deleted)));
    addMarks.push(...builder.deleted(structure, items));
  }
  if (stale.length) always = always.remove(stale);
  if (staleMarks.length) marks = marks.remove(staleMarks);
  if (addAlways.length) always = always.add(doc, addAlways);
  if (addMarks.length) marks = marks.add(doc, addMarks);
  return { show: prev?.show ?? true, signature, structure, memo, always, marks, pending };
}

/**
 * The plugin, and a second one that draws its numbers and highlights (a plugin draws one set
 * of decorations; these two must show whatever the markup view).
 */
export function trackedChanges(options: TrackedOptions): Plugin[] {
  const builder = new Builder(options.base ? trackedBase(options.base) : EMPTY_BASE, Boolean(options.base), options.onNote, options.threads ?? []);
  const tracked = new Plugin<TrackedState>({
    key: trackedKey,
    state: {
      init: (_, state) => update(null, builder, state.doc, new Mapping(), false),
      apply(tr, prev, _old, state) {
        const meta = tr.getMeta(trackedKey) as { show?: boolean; refresh?: boolean } | undefined;
        let next = tr.docChanged ? update(prev, builder, state.doc, tr.mapping, isTyping(tr)) : meta?.refresh && prev.pending.size ? update(prev, builder, state.doc, new Mapping(), false) : prev;
        if (meta?.show !== undefined && meta.show !== next.show) next = { ...next, show: meta.show };
        return next;
      },
    },
    view() {
      let timer: ReturnType<typeof setTimeout> | null = null;
      return {
        update(view) {
          if (timer) clearTimeout(timer);
          timer = null;
          if (!trackedKey.getState(view.state)!.pending.size) return;
          timer = setTimeout(() => {
            timer = null;
            if (!view.isDestroyed) view.dispatch(refreshTracked(view.state));
          }, REFRESH_MS);
        },
        destroy() {
          if (timer) clearTimeout(timer);
        },
      };
    },
    props: {
      decorations: (state) => {
        const s = trackedKey.getState(state)!;
        return s.show ? s.marks : DecorationSet.empty;
      },
    },
  });
  const always = new Plugin({ props: { decorations: (state) => trackedKey.getState(state)!.always } });
  return [tracked, always];
}

/** Compares again the items typed in since the last time (what the plugin does when typing pauses). */
export function refreshTracked(state: EditorState): Transaction {
  return state.tr.setMeta(trackedKey, { refresh: true }).setMeta("addToHistory", false);
}

/** Shows or hides the marks ("Show changes" or "Final"). */
export function setShowChanges(state: EditorState, show: boolean): Transaction {
  return state.tr.setMeta(trackedKey, { show }).setMeta("addToHistory", false);
}

/** The clause at the caret, when it differs from the earlier version. */
export function changedClauseAt(state: EditorState): string | null {
  const tracked = trackedKey.getState(state);
  const clause = clauseAt(state.selection.$from);
  if (!tracked || !clause) return null;
  const id = clause.node.attrs.id as string;
  return tracked.memo.get(`clause:${id}`)?.changed ? id : null;
}

/** Goes to the change note of the clause at the caret; applies only where that clause changed. */
export function goToNote(onNote: (clauseId: string) => void): Command {
  return (state, dispatch) => {
    const id = changedClauseAt(state);
    if (!id) return false;
    if (dispatch) onNote(id);
    return true;
  };
}
