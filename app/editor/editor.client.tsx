// The draft editor: ProseMirror on the domain schema, with live numbers, clause commands, undo
// and redo. Saving (explicit and automatic) follows the domain's save protocol; this component
// only runs its effects: requests, timers and replacing the document.
import { baseKeymap, toggleMark } from "prosemirror-commands";
import { history, redo, undo } from "prosemirror-history";
import { keymap } from "prosemirror-keymap";
import { liftListItem, sinkListItem, splitListItem, wrapInList } from "prosemirror-schema-list";
import { EditorState, Plugin, type Command } from "prosemirror-state";
import { Decoration, DecorationSet, EditorView } from "prosemirror-view";
import { useCallback, useEffect, useRef, useState } from "react";
import { addClause, addSection, deleteClause, editorNumbers, moveClause, replaceDocument, shiftClause, uniqueIds } from "./commands";
import { ConflictPanel } from "~/components/conflict-panel";
import { canonicalJson } from "~/domain/hashing";
import { answerFrom, initialSaveState, stepSave, type SaveAnswer, type SaveBody, type SaveEffect, type SaveEvent, type SaveState } from "~/domain/save-protocol";
import { markType, nodeType, specSchema, type DocJSON } from "~/domain/schema";

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
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The save protocol's state lives in a ref (effects read it at once) and is mirrored for rendering.
  const protocol = useRef<SaveState>(initialSaveState({ revision: initialRevision, doc: initialDoc }));
  const [shown, setShown] = useState<SaveState>(protocol.current);

  const currentDoc = useCallback(() => view.current!.state.doc.toJSON() as DocJSON, []);

  const dispatch = useCallback(
    (event: SaveEvent) => {
      const step = stepSave(protocol.current, event);
      protocol.current = step.state;
      setShown(step.state);
      for (const effect of step.effects) runEffect(effect);
    },
    // Made once: runEffect (below) works only through refs.
    [],
  );
  const dispatchRef = useRef(dispatch);
  dispatchRef.current = dispatch;

  const saveNow = useCallback(() => {
    if (!view.current) return;
    if (timer.current) clearTimeout(timer.current);
    dispatchRef.current({ type: "save", doc: currentDoc(), requestId: crypto.randomUUID() });
  }, [currentDoc]);

  function runEffect(effect: SaveEffect) {
    switch (effect.type) {
      case "autosave":
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(saveNow, AUTOSAVE_MS);
        return;
      case "saveNow":
        setTimeout(saveNow, 0);
        return;
      case "show": {
        const editor = view.current;
        if (!editor) return;
        editor.dispatch(replaceDocument(editor.state, effect.doc));
        return;
      }
      case "send":
        void send(effect.body);
        return;
    }
  }

  async function send(body: SaveBody) {
    let answer: SaveAnswer;
    try {
      const response = await fetch(`/api/drafts/${draftId}`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      answer = answerFrom(response.status, await response.json().catch(() => ({})));
    } catch {
      answer = { kind: "unreachable" };
    }
    if (!view.current) return;
    dispatchRef.current({ type: "answered", answer, doc: currentDoc() });
    if (answer.kind === "saved") onSavedRef.current?.();
  }
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;

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
          keymap({ ...keys, "Mod-y": redo, "Mod-s": () => (saveNow(), true), Enter: splitListItem(listItem), Tab: sinkListItem(listItem), "Shift-Tab": liftListItem(listItem) }),
          keymap(baseKeymap),
          uniqueIds,
          numbersPlugin,
          ...(highlight ? [highlightPlugin(new Set(highlight))] : []),
        ],
      }),
      attributes: { class: "sw-editor", role: "textbox", "aria-multiline": "true", "aria-label": "Draft text", "aria-describedby": "sw_editor-help", spellcheck: "true" },
      dispatchTransaction(tr) {
        editor.updateState(editor.state.apply(tr));
        if (tr.docChanged && !tr.getMeta("fromServer")) dispatchRef.current({ type: "edited" });
      },
    });
    view.current = editor;
    const warn = (event: BeforeUnloadEvent) => {
      if (canonicalJson(editor.state.doc.toJSON()) !== canonicalJson(protocol.current.base.doc)) event.preventDefault();
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
  const resolve = (keep: "mine" | "theirs") => dispatch({ type: "resolve", keep, doc: currentDoc(), requestId: crypto.randomUUID() });

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
        <button type="button" className="nhsuk-button sw-toolbar__save" onClick={saveNow}>
          Save
        </button>
      </div>
      <p className={`sw-save-state sw-save-state--${shown.phase === "conflict" ? "error" : shown.phase === "failed" ? "error" : shown.phase}`} role="status" aria-live="polite">
        {shown.message}
      </p>
      <p id="sw_editor-help" className="nhsuk-hint">
        Numbers update as you edit. Changes save by themselves a few seconds after you stop typing. Tab leaves the editor except in a list.
      </p>
      <div ref={mount} className="sw-editor-mount" />
      {shown.overlap && view.current ? <ConflictPanel overlap={shown.overlap} mine={currentDoc()} onKeepMine={() => resolve("mine")} onTakeTheirs={() => resolve("theirs")} /> : null}
      <ShortcutList />
    </section>
  );
}

function ShortcutList() {
  return (
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
  );
}

