// The draft editor: ProseMirror on the domain schema, with live numbers, clause commands,
// undo and redo, and saving (explicit and automatic) through the JSON API without losing work.
import { baseKeymap, toggleMark } from "prosemirror-commands";
import { history, redo, undo } from "prosemirror-history";
import { keymap } from "prosemirror-keymap";
import type { Node as PMNode } from "prosemirror-model";
import { liftListItem, sinkListItem, splitListItem, wrapInList } from "prosemirror-schema-list";
import { EditorState, Plugin, type Command } from "prosemirror-state";
import { Decoration, DecorationSet, EditorView } from "prosemirror-view";
import { useCallback, useEffect, useRef, useState } from "react";
import { addClause, addSection, deleteClause, editorNumbers, moveClause, shiftClause, uniqueIds } from "./commands";
import { SpecDocument } from "~/components/spec-document";
import { canonicalJson } from "~/domain/hashing";
import { mergeDocuments, type MergeConflict } from "~/domain/merge";
import { markType, nodeType, specSchema, type ClauseJSON, type DocJSON, type SectionJSON } from "~/domain/schema";

const AUTOSAVE_MS = 3000;

const numbersPlugin = new Plugin({
  props: {
    decorations(state) {
      const decorations: Decoration[] = [];
      for (const [pos, number] of editorNumbers(state.doc)) {
        const node = state.doc.nodeAt(pos);
        const section = node?.type === specSchema.nodes.section;
        const label = section && node!.attrs.appendix && !number.includes(".") ? `Appendix ${number}` : number;
        decorations.push(
          Decoration.widget(
            // A section's number goes inside its heading line; a clause's before its first paragraph.
            section ? pos + 2 : pos + 1,
            () => {
              const span = document.createElement("span");
              span.className = section ? "sw-ed-number sw-ed-number--section" : "sw-ed-number";
              span.textContent = label;
              return span;
            },
            // Keyed by the item's id and number: a moved clause keeps its own widget, a renumbered one redraws.
            { side: -1, key: `${String(node?.attrs.id)}:${label}`, ignoreSelection: true },
          ),
        );
      }
      return DecorationSet.create(state.doc, decorations);
    },
  },
});

interface Shortcut {
  keys: string;
  label: string;
  command: Command;
}

const listItem = nodeType("list_item");

/** Every command with its keys: the toolbar, the keymap and the list on the page come from here. */
const SHORTCUTS: Shortcut[] = [
  { keys: "Mod-Enter", label: "Add a clause after this one", command: addClause("after") },
  { keys: "Shift-Mod-Enter", label: "Add a clause before this one", command: addClause("before") },
  { keys: "Alt-ArrowUp", label: "Move the clause up", command: moveClause("up") },
  { keys: "Alt-ArrowDown", label: "Move the clause down", command: moveClause("down") },
  { keys: "Mod-]", label: "Move the clause into the first subsection", command: shiftClause("in") },
  { keys: "Mod-[", label: "Move the clause out to the section above", command: shiftClause("out") },
  { keys: "Shift-Mod-Backspace", label: "Delete the clause", command: deleteClause },
  { keys: "Alt-Mod-Enter", label: "Add a section after this one", command: addSection },
  { keys: "Mod-b", label: "Bold", command: toggleMark(markType("strong")) },
  { keys: "Mod-i", label: "Italic", command: toggleMark(markType("em")) },
  { keys: "Shift-Mod-8", label: "Bullet list", command: wrapInList(nodeType("bullet_list")) },
  { keys: "Shift-Mod-9", label: "Numbered list", command: wrapInList(nodeType("ordered_list")) },
  { keys: "Mod-z", label: "Undo", command: undo },
  { keys: "Shift-Mod-z", label: "Redo", command: redo },
];

function keyText(keys: string): string {
  const mac = typeof navigator !== "undefined" && /Mac/.test(navigator.platform);
  return keys.replace("Mod", mac ? "Cmd" : "Ctrl").replace("ArrowUp", "Up").replace("ArrowDown", "Down").replace(/-/g, " + ");
}

type SaveState =
  | { kind: "saved"; text: string }
  | { kind: "dirty"; text: string }
  | { kind: "saving"; text: string }
  | { kind: "error"; text: string };

interface Conflict {
  error: string;
  items: MergeConflict[];
  theirs: DocJSON;
  revision: number;
  mine: DocJSON;
}

interface DraftEditorProps {
  /** When set, only these clauses stand out; the rest are dimmed (the page's theme filter). */
  highlight?: string[] | null;
  draftId: number;
  initialDoc: DocJSON;
  initialRevision: number;
  /** Called after each successful save, so the page can refresh what depends on the draft. */
  onSaved?: () => void;
}

function highlightPlugin(ids: Set<string>) {
  return new Plugin({
    props: {
      decorations(state) {
        const decorations: Decoration[] = [];
        state.doc.descendants((node, pos) => {
          if (node.type.name !== "clause") return true;
          if (!ids.has(node.attrs.id as string)) decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: "sw-ed-dimmed" }));
          return false;
        });
        return DecorationSet.create(state.doc, decorations);
      },
    },
  });
}

export function DraftEditor({ draftId, initialDoc, initialRevision, onSaved, highlight }: DraftEditorProps) {
  const mount = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const base = useRef({ revision: initialRevision, doc: initialDoc });
  const saving = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [state, setState] = useState<SaveState>({ kind: "saved", text: `All changes saved (revision ${initialRevision})` });
  const [conflict, setConflict] = useState<Conflict | null>(null);

  const replaceDoc = useCallback((doc: DocJSON) => {
    const editor = view.current;
    if (!editor) return;
    const node = specSchema.nodeFromJSON(doc);
    const tr = editor.state.tr.replaceWith(0, editor.state.doc.content.size, node.content).setMeta("addToHistory", false).setMeta("fromServer", true);
    editor.dispatch(tr);
  }, []);

  const save = useCallback(async () => {
    const editor = view.current;
    if (!editor) return;
    if (timer.current) clearTimeout(timer.current);
    if (saving.current) {
      // One save at a time; try again when this one is likely done.
      timer.current = setTimeout(() => void saveRef.current(), 1000);
      return;
    }
    saving.current = true;
    const sent = editor.state.doc.toJSON() as DocJSON;
    setState({ kind: "saving", text: "Saving…" });
    try {
      const response = await fetch(`/api/drafts/${draftId}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ baseRevision: base.current.revision, doc: sent, requestId: crypto.randomUUID() }),
      });
      const body = (await response.json()) as { revision?: number; doc?: DocJSON; error?: string; conflict?: { items: MergeConflict[]; revision: number; doc: DocJSON } };
      if (response.status === 409 && body.conflict) {
        setConflict({ error: body.error ?? "Someone else changed the same clauses.", items: body.conflict.items, theirs: body.conflict.doc, revision: body.conflict.revision, mine: sent });
        setState({ kind: "error", text: "Not saved: someone else changed the same clauses. Compare the two versions below." });
        return;
      }
      if (!response.ok || body.revision === undefined) {
        setState({ kind: "error", text: `Not saved: ${body.error ?? `the server answered ${response.status}`}` });
        return;
      }
      const stored = body.doc ?? sent;
      const current = editor.state.doc.toJSON() as DocJSON;
      const typedMeanwhile = canonicalJson(current) !== canonicalJson(sent);
      if (body.doc) {
        // The server merged others' work (or tidied the text): bring it in, keeping any typing since.
        const merged = typedMeanwhile ? mergeDocuments(sent, stored, current) : { ok: true as const, doc: stored };
        if (merged.ok) replaceDoc(merged.doc);
      }
      base.current = { revision: body.revision, doc: stored };
      const still = canonicalJson(editor.state.doc.toJSON()) !== canonicalJson(stored);
      setState(still ? { kind: "dirty", text: "Unsaved changes" } : { kind: "saved", text: `All changes saved (revision ${body.revision})` });
      setConflict(null);
      onSaved?.();
      // Typing that went on during the save is saved next.
      if (still) timer.current = setTimeout(() => void saveRef.current(), AUTOSAVE_MS);
    } catch {
      setState({ kind: "error", text: "Not saved: the server could not be reached. Your changes are still here; try Save again." });
    } finally {
      saving.current = false;
    }
  }, [draftId, replaceDoc, onSaved]);
  const saveRef = useRef(save);
  saveRef.current = save;

  // The editor is built once; later props (after the page refreshes its data) never rebuild it.
  const initial = useRef(initialDoc);
  useEffect(() => {
    if (!mount.current) return;
    const keys: Record<string, Command> = Object.fromEntries(SHORTCUTS.map((s) => [s.keys, s.command]));
    const editor = new EditorView(mount.current, {
      state: EditorState.create({
        doc: specSchema.nodeFromJSON(initial.current),
        plugins: [
          history(),
          keymap({ ...keys, "Mod-y": redo, "Mod-s": () => (void saveRef.current(), true), Enter: splitListItem(listItem), Tab: sinkListItem(listItem), "Shift-Tab": liftListItem(listItem) }),
          keymap(baseKeymap),
          uniqueIds,
          numbersPlugin,
          ...(highlight ? [highlightPlugin(new Set(highlight))] : []),
        ],
      }),
      attributes: { class: "sw-editor", role: "textbox", "aria-multiline": "true", "aria-label": "Draft text", "aria-describedby": "sw_editor-help", spellcheck: "true" },
      dispatchTransaction(tr) {
        editor.updateState(editor.state.apply(tr));
        if (tr.docChanged && !tr.getMeta("fromServer")) {
          setState({ kind: "dirty", text: "Unsaved changes" });
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => void saveRef.current(), AUTOSAVE_MS);
        }
      },
    });
    view.current = editor;
    const warn = (event: BeforeUnloadEvent) => {
      if (canonicalJson(editor.state.doc.toJSON()) !== canonicalJson(base.current.doc)) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => {
      window.removeEventListener("beforeunload", warn);
      if (timer.current) clearTimeout(timer.current);
      editor.destroy();
      view.current = null;
    };
  }, []);

  const run = (command: Command) => {
    const editor = view.current;
    if (!editor) return;
    command(editor.state, editor.dispatch, editor);
    editor.focus();
  };

  const takeTheirs = () => {
    if (!conflict) return;
    replaceDoc(conflict.theirs);
    base.current = { revision: conflict.revision, doc: conflict.theirs };
    setConflict(null);
    setState({ kind: "saved", text: `Showing the saved version (revision ${conflict.revision}); your version is no longer in the editor` });
  };

  const keepMine = () => {
    if (!conflict) return;
    // Saving on top of their revision keeps theirs in the draft's history and makes ours current.
    base.current = { revision: conflict.revision, doc: conflict.theirs };
    replaceDoc(conflict.mine);
    setConflict(null);
    void save();
  };

  return (
    <section className="sw-editor-panel" aria-labelledby="sw_editor-heading">
      <h2 id="sw_editor-heading" className="nhsuk-heading-m">
        Edit the draft
      </h2>
      <div className="sw-toolbar" role="toolbar" aria-label="Editing">
        {SHORTCUTS.map((s) => (
          <button key={s.keys} type="button" className="sw-toolbar__button" aria-keyshortcuts={s.keys.replace("Mod", "Control")} onMouseDown={(e) => e.preventDefault()} onClick={() => run(s.command)}>
            {s.label}
          </button>
        ))}
        <button type="button" className="nhsuk-button sw-toolbar__save" onClick={() => void save()}>
          Save
        </button>
      </div>
      <p className={`sw-save-state sw-save-state--${state.kind}`} role="status" aria-live="polite">
        {state.text}
      </p>
      <p id="sw_editor-help" className="nhsuk-hint">
        Numbers update as you edit. Changes save by themselves a few seconds after you stop typing. Tab leaves the editor except in a list.
      </p>
      <div ref={mount} className="sw-editor-mount" />
      {conflict ? <ConflictPanel conflict={conflict} onTakeTheirs={takeTheirs} onKeepMine={keepMine} /> : null}
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">Keyboard shortcuts</span>
        </summary>
        <div className="nhsuk-details__text">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Keyboard shortcuts in the editor</caption>
            <tbody className="nhsuk-table__body">
              {[...SHORTCUTS, { keys: "Mod-s", label: "Save" }, { keys: "Tab", label: "Indent a list item (outside lists, leave the editor)" }].map((s) => (
                <tr className="nhsuk-table__row" key={s.keys}>
                  <th className="nhsuk-table__header" scope="row">
                    <kbd>{keyText(s.keys)}</kbd>
                  </th>
                  <td className="nhsuk-table__cell">{s.label}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

/** Only the given clauses and sections of a document (with the sections that hold them). */
function pickItems(doc: DocJSON, ids: Set<string>): DocJSON {
  const filterSection = (section: SectionJSON): SectionJSON | null => {
    const children: (ClauseJSON | SectionJSON)[] = [];
    for (const child of section.content.slice(1) as (ClauseJSON | SectionJSON)[]) {
      if (child.type === "section") {
        const inner = filterSection(child);
        if (inner) children.push(inner);
      } else if (ids.has(child.attrs.id)) {
        children.push(child);
      }
    }
    return ids.has(section.attrs.id) || children.length ? { ...section, content: [section.content[0], ...children] } : null;
  };
  const content = (doc.content ?? []).map(filterSection).filter((s): s is SectionJSON => s !== null);
  return { ...doc, content };
}

function ConflictPanel({ conflict, onTakeTheirs, onKeepMine }: { conflict: Conflict; onTakeTheirs: () => void; onKeepMine: () => void }) {
  const ids = new Set(conflict.items.map((item) => item.id));
  const theirs = pickItems(conflict.theirs, ids);
  const mine = pickItems(conflict.mine, ids);
  return (
    <div className="nhsuk-warning-callout sw-conflict" role="alert">
      <h3 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>Your changes overlap someone else&apos;s
        </span>
      </h3>
      <p>{conflict.error}. Neither version is lost: compare them, then choose one. You can copy text from either side.</p>
      <div className="sw-conflict__sides">
        <div>
          <h4>Saved by someone else (revision {conflict.revision})</h4>
          <SpecDocument doc={theirs} />
        </div>
        <div>
          <h4>Yours (not saved yet)</h4>
          <SpecDocument doc={mine} />
        </div>
      </div>
      <button type="button" className="nhsuk-button" onClick={onKeepMine}>
        Keep mine and save
      </button>{" "}
      <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={onTakeTheirs}>
        Use theirs
      </button>
    </div>
  );
}

export type { PMNode };
