// The draft editor: ProseMirror on the domain schema, with live numbers, tracked changes against
// the version the draft came from, annotation highlights, clause commands, undo and redo. Saving
// (explicit and automatic) follows the domain's save protocol; this component only runs its
// effects: requests, timers and replacing the document.
import { baseKeymap, toggleMark } from "prosemirror-commands";
import { history, redo, undo } from "prosemirror-history";
import { keymap } from "prosemirror-keymap";
import { liftListItem, sinkListItem, splitListItem, wrapInList } from "prosemirror-schema-list";
import { EditorState, Plugin, TextSelection, type Command } from "prosemirror-state";
import { Decoration, DecorationSet, EditorView } from "prosemirror-view";
import { useCallback, useEffect, useRef, useState } from "react";
import { addClause, addSection, deleteClause, moveClause, replaceDocument, shiftClause, uniqueIds } from "./commands";
import { goToNote, setShowChanges, trackedChanges, trackedKey, type EditorThread } from "./tracked-plugin";
import { ConflictPanel } from "~/components/conflict-panel";
import { canonicalJson } from "~/domain/hashing";
import { answerFrom, initialSaveState, stepSave, type SaveAnswer, type SaveBody, type SaveEffect, type SaveEvent, type SaveState } from "~/domain/save-protocol";
import { markType, nodeType, specSchema, type DocJSON } from "~/domain/schema";

const AUTOSAVE_MS = 3000;

interface Shortcut {
  keys: string;
  /** What the button says; the keys are shown beside it. */
  label: string;
  /** What it does, in full (the button's description). */
  title: string;
  command: Command;
}

const listItem = nodeType("list_item");

/** Scrolls to a clause's change note in "What changed and why" and puts focus on it. */
function showNote(clauseId: string): boolean {
  const target = document.getElementById(`note_${clauseId}`);
  if (!target) return false;
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  // The room kept for the editor's toolbar is not needed down among the notes.
  document.documentElement.style.scrollPaddingTop = "";
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "start" });
  return true;
}

/** Every command with its keys, in toolbar groups: the toolbar and the keymap come from here. */
function shortcutGroups(onNote: (clauseId: string) => void): { name: string; shortcuts: Shortcut[] }[] {
  return [
    {
      name: "Clauses",
      shortcuts: [
        { keys: "Mod-Enter", label: "Add clause after", title: "Add a clause after this one", command: addClause("after") },
        { keys: "Shift-Mod-Enter", label: "Add clause before", title: "Add a clause before this one", command: addClause("before") },
        { keys: "Alt-ArrowUp", label: "Move clause up", title: "Move the clause up", command: moveClause("up") },
        { keys: "Alt-ArrowDown", label: "Move clause down", title: "Move the clause down", command: moveClause("down") },
        { keys: "Mod-]", label: "Into subsection", title: "Move the clause into the first subsection", command: shiftClause("in") },
        { keys: "Mod-[", label: "Out a level", title: "Move the clause out to the section above", command: shiftClause("out") },
        { keys: "Shift-Mod-Backspace", label: "Delete clause", title: "Delete the clause", command: deleteClause },
        { keys: "Alt-Mod-Enter", label: "Add section", title: "Add a section after this one", command: addSection },
      ],
    },
    {
      name: "Text",
      shortcuts: [
        { keys: "Mod-b", label: "Bold", title: "Bold", command: toggleMark(markType("strong")) },
        { keys: "Mod-i", label: "Italic", title: "Italic", command: toggleMark(markType("em")) },
        { keys: "Shift-Mod-8", label: "Bullet list", title: "Bullet list", command: wrapInList(nodeType("bullet_list")) },
        { keys: "Shift-Mod-9", label: "Numbered list", title: "Numbered list", command: wrapInList(nodeType("ordered_list")) },
      ],
    },
    {
      name: "History",
      shortcuts: [
        { keys: "Mod-z", label: "Undo", title: "Undo", command: undo },
        { keys: "Shift-Mod-z", label: "Redo", title: "Redo", command: redo },
      ],
    },
    {
      name: "Review",
      shortcuts: [{ keys: "Alt-Mod-n", label: "Go to change note", title: "Go to the change note of the clause at the cursor", command: goToNote(onNote) }],
    },
  ];
}

function keyText(keys: string): string {
  const mac = typeof navigator !== "undefined" && /Mac/.test(navigator.platform);
  return keys
    .replace("Mod", mac ? "Cmd" : "Ctrl")
    .replace("ArrowUp", "Up")
    .replace("ArrowDown", "Down")
    .replace(/-([a-z])$/, (_, key: string) => `-${key.toUpperCase()}`)
    .replace(/-/g, "+");
}

/** An annotation carried onto the draft, as the draft page lists it. */
export interface CarriedThread {
  id: number;
  clauseId: string;
  start: number | null;
  quote: string | null;
  author: string;
  status: string;
  fromVersion: string;
  placement: string;
}

interface DraftEditorProps {
  /** When set, only these clauses stand out; the rest are dimmed (the page's theme filter). */
  highlight?: string[] | null;
  draftId: number;
  initialDoc: DocJSON;
  initialRevision: number;
  /** The version the draft came from: the editor marks the changes against it. */
  baseDoc?: DocJSON | null;
  baseNumber?: string | null;
  /** Annotations carried onto the draft: the open threads' quoted words are highlighted. */
  annotations?: CarriedThread[];
  /** Called after each successful save, so the page can refresh what depends on the draft. */
  onSaved?: () => void;
}

/** Dims the clauses a theme filter leaves out; drawn once, then mapped, redrawn when clauses come or go. */
function highlightPlugin(ids: Set<string>) {
  const draw = (state: EditorState) => {
    const decorations: Decoration[] = [];
    state.doc.descendants((node, pos) => {
      if (node.type.name !== "clause") return true;
      if (!ids.has(node.attrs.id as string)) decorations.push(Decoration.node(pos, pos + node.nodeSize, { class: "sw-ed-dimmed" }));
      return false;
    });
    return DecorationSet.create(state.doc, decorations);
  };
  return new Plugin<DecorationSet>({
    state: {
      init: (_, state) => draw(state),
      apply(tr, set, old, state) {
        if (!tr.docChanged) return set;
        return trackedKey.getState(old)?.signature === trackedKey.getState(state)?.signature ? set.map(tr.mapping, tr.doc) : draw(state);
      },
    },
    props: {
      decorations(state) {
        return this.getState(state);
      },
    },
  });
}

const ANDROID = typeof navigator !== "undefined" && /Android/i.test(navigator.userAgent);

/**
 * Typed characters go straight into the document as a transaction, instead of letting the
 * browser's own editing insert them first: in a long document that native step costs several
 * milliseconds a key. Composition (accents, CJK, phone keyboards), autocorrect and Android
 * (whose keyboards expect their own input to go through) keep the browser's way, which
 * ProseMirror reads back as usual.
 */
const directTyping = new Plugin({
  props: {
    handleDOMEvents: {
      beforeinput(view, event) {
        const input = event as InputEvent;
        if (input.inputType !== "insertText" || !input.data || input.isComposing || view.composing || ANDROID) return false;
        // Where the browser would put the text: its selection, which the editor may not have read yet
        // (it reads selection changes a moment later, and a key like End may just have moved it).
        const dom = view.dom.ownerDocument.getSelection();
        if (!dom?.anchorNode || !dom.focusNode || !view.dom.contains(dom.anchorNode) || !view.dom.contains(dom.focusNode)) return false;
        let anchor: number;
        let head: number;
        try {
          anchor = view.posAtDOM(dom.anchorNode, dom.anchorOffset);
          head = view.posAtDOM(dom.focusNode, dom.focusOffset);
        } catch {
          return false;
        }
        const [from, to] = anchor <= head ? [anchor, head] : [head, anchor];
        const $from = view.state.doc.resolve(from);
        if (!$from.parent.isTextblock || !$from.sameParent(view.state.doc.resolve(to))) return false;
        event.preventDefault();
        const tr = view.state.tr;
        // Marks waiting to be typed (after Ctrl+B with nothing selected) apply only where the editor's caret is.
        if (from !== view.state.selection.from || to !== view.state.selection.to) tr.setStoredMarks(null);
        tr.insertText(input.data, from, to);
        view.dispatch(tr.setSelection(TextSelection.create(tr.doc, from + input.data.length)).scrollIntoView());
        return true;
      },
    },
  },
});

const openThreads = (annotations: CarriedThread[]): EditorThread[] =>
  annotations.filter((a): a is CarriedThread & { quote: string } => a.placement !== "orphaned" && a.status === "open" && Boolean(a.quote));

export function DraftEditor({ draftId, initialDoc, initialRevision, onSaved, highlight, baseDoc = null, baseNumber = null, annotations = [] }: DraftEditorProps) {
  const mount = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const toolbar = useRef<HTMLDivElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The save protocol's state lives in a ref (effects read it at once) and is mirrored for rendering.
  const protocol = useRef<SaveState>(initialSaveState({ revision: initialRevision, doc: initialDoc }));
  const [shown, setShown] = useState<SaveState>(protocol.current);
  const [showChanges, setShowChangesState] = useState(true);
  // Which toolbar commands can apply where the cursor is, as a string of 0s and 1s (redrawn only when it changes).
  const [enabled, setEnabled] = useState("");
  const [notice, setNotice] = useState("");

  const currentDoc = useCallback(() => view.current!.state.doc.toJSON() as DocJSON, []);

  const dispatch = useCallback(
    (event: SaveEvent) => {
      const step = stepSave(protocol.current, event);
      protocol.current = step.state;
      // Drawn again only when what it shows changed: a render while typing would cost React a
      // walk over the whole editable text (it saves and restores the selection around a commit).
      setShown((old) => (old.phase === step.state.phase && old.message === step.state.message && old.overlap === step.state.overlap ? old : step.state));
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

  // A change's note is in "What changed and why" once the draft is saved with the change: an
  // unsaved change is saved first, and the page goes to its note when the list shows it.
  const onNote = useCallback((clauseId: string) => {
    if (showNote(clauseId)) {
      setNotice("");
      return;
    }
    const missing = "This change’s note is not on this page: it may be on another page of “What changed and why”.";
    if (protocol.current.phase === "saved") {
      setNotice(missing);
      return;
    }
    setNotice("Saving the draft, then going to the change’s note…");
    saveNowRef.current();
    const until = Date.now() + 10_000;
    const look = () => {
      if (showNote(clauseId)) setNotice("");
      else if (Date.now() < until) setTimeout(look, 200);
      else setNotice(missing);
    };
    setTimeout(look, 200);
  }, []);
  const saveNowRef = useRef(saveNow);
  saveNowRef.current = saveNow;
  const groups = useRef(shortcutGroups(onNote)).current;
  const shortcuts = groups.flatMap((g) => g.shortcuts);

  // The editor is built once; later props (after the page refreshes its data) never rebuild it.
  const initial = useRef({ doc: initialDoc, baseDoc, annotations });
  useEffect(() => {
    if (!mount.current) return;
    const keys: Record<string, Command> = Object.fromEntries(shortcuts.map((s) => [s.keys, s.command]));
    const enabledOf = (state: EditorState) => shortcuts.map((s) => (s.command(state) ? "1" : "0")).join("");
    const editor = new EditorView(mount.current, {
      state: EditorState.create({
        doc: specSchema.nodeFromJSON(initial.current.doc),
        plugins: [
          history(),
          keymap({ ...keys, "Mod-y": redo, "Mod-s": () => (saveNow(), true), Enter: splitListItem(listItem), Tab: sinkListItem(listItem), "Shift-Tab": liftListItem(listItem) }),
          keymap(baseKeymap),
          directTyping,
          uniqueIds,
          ...trackedChanges({ base: initial.current.baseDoc, threads: openThreads(initial.current.annotations), onNote }),
          ...(highlight ? [highlightPlugin(new Set(highlight))] : []),
        ],
      }),
      attributes: { class: "sw-editor", role: "textbox", "aria-multiline": "true", "aria-label": "Draft text", "aria-describedby": "sw_editor-help", spellcheck: "true" },
      dispatchTransaction(tr) {
        editor.updateState(editor.state.apply(tr));
        if (tr.docChanged && !tr.getMeta("fromServer")) dispatchRef.current({ type: "edited" });
        // Every transaction: a clause's tracked changes (and so "Go to change note") settle after typing pauses.
        setEnabled(enabledOf(editor.state));
      },
    });
    view.current = editor;
    setEnabled(enabledOf(editor.state));
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

  // The sticky toolbar must never hide the line being edited: the editor's own scrolling (as
  // you type) and the browser's (arrow keys, Page Up and Down) both keep clear of its height.
  // Only while the editor has the focus: elsewhere (a change note, say) the toolbar is not in the way.
  useEffect(() => {
    const bar = toolbar.current;
    const area = mount.current;
    if (!bar || !area) return;
    const root = document.documentElement;
    const clear = () => {
      const top = Math.ceil(bar.getBoundingClientRect().height) + 16;
      root.style.scrollPaddingTop = area.contains(document.activeElement) ? `${top}px` : "";
      view.current?.setProps({ scrollMargin: { top, bottom: 16, left: 5, right: 5 } });
    };
    const leave = () => (root.style.scrollPaddingTop = "");
    clear();
    const observer = new ResizeObserver(clear);
    observer.observe(bar);
    area.addEventListener("focusin", clear);
    area.addEventListener("focusout", leave);
    return () => {
      observer.disconnect();
      area.removeEventListener("focusin", clear);
      area.removeEventListener("focusout", leave);
      leave();
    };
  }, []);

  const run = (command: Command) => {
    const editor = view.current;
    if (!editor) return;
    command(editor.state, editor.dispatch, editor);
    editor.focus();
  };
  const markup = (show: boolean) => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch(setShowChanges(editor.state, show));
    setShowChangesState(show);
  };
  const resolve = (keep: "mine" | "theirs") => dispatch({ type: "resolve", keep, doc: currentDoc(), requestId: crypto.randomUUID() });

  let index = 0;
  return (
    <section className="sw-editor-panel" aria-labelledby="sw_editor-heading">
      <h2 id="sw_editor-heading" className="nhsuk-heading-m">
        Edit the draft
      </h2>
      <p id="sw_editor-help" className="nhsuk-hint">
        Numbers update as you edit. Changes save by themselves a few seconds after you stop typing. Tab leaves the editor except in a list.
      </p>
      {baseDoc ? <ChangesLegend baseNumber={baseNumber} annotations={openThreads(annotations).length > 0} /> : null}
      <div className="sw-toolbar" role="toolbar" aria-label="Editing" ref={toolbar}>
        {groups.map((group) => (
          <div className="sw-toolbar__group" role="group" aria-label={group.name} key={group.name}>
            {group.shortcuts.map((s) => {
              const on = enabled === "" || enabled[index++] === "1";
              return (
                <button
                  key={s.keys}
                  type="button"
                  className="sw-toolbar__button"
                  title={s.title}
                  disabled={!on}
                  aria-keyshortcuts={s.keys.replace("Mod", "Control").replace(/-/g, "+")}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => run(s.command)}
                >
                  {s.label} <kbd className="sw-toolbar__keys">{keyText(s.keys)}</kbd>
                </button>
              );
            })}
          </div>
        ))}
        {baseDoc ? (
          <div className="sw-toolbar__group" role="group" aria-label="Markup">
            <button type="button" className="sw-toolbar__button" aria-pressed={showChanges} onMouseDown={(e) => e.preventDefault()} onClick={() => markup(true)}>
              Show changes
            </button>
            <button type="button" className="sw-toolbar__button" aria-pressed={!showChanges} onMouseDown={(e) => e.preventDefault()} onClick={() => markup(false)}>
              Final
            </button>
          </div>
        ) : null}
        <button type="button" className="sw-toolbar__button sw-toolbar__save" onClick={saveNow}>
          Save <kbd className="sw-toolbar__keys">{keyText("Mod-s")}</kbd>
        </button>
        <p className={`sw-save-state sw-save-state--${shown.phase === "conflict" ? "error" : shown.phase === "failed" ? "error" : shown.phase}`} role="status" aria-live="polite">
          {shown.message}
        </p>
      </div>
      {notice ? (
        <p className="sw-editor-notice" role="status">
          {notice}
        </p>
      ) : null}
      <div ref={mount} className="sw-editor-mount" />
      {shown.overlap && view.current ? <ConflictPanel overlap={shown.overlap} mine={currentDoc()} onKeepMine={() => resolve("mine")} onTakeTheirs={() => resolve("theirs")} /> : null}
    </section>
  );
}

/** What the marks in the editor mean, in words: they are never told by colour alone. */
function ChangesLegend({ baseNumber, annotations }: { baseNumber: string | null; annotations: boolean }) {
  return (
    <div className="sw-editor-legend" id="sw_editor-legend">
      <p className="nhsuk-body-s">
        With <strong>Show changes</strong> on, the editor marks what changed from version {baseNumber ?? "it came from"}:
      </p>
      <ul className="nhsuk-body-s">
        <li>
          <ins className="sw-ed-ins">inserted words</ins> are underlined
        </li>
        <li>
          <del className="sw-ed-del">deleted words</del> are struck through (they are not part of the draft)
        </li>
        <li>beside each clause, the margin says “New”, “Moved from” or “Changed”, and “was” with its old number when it was renumbered: choose it to go to the clause’s change note</li>
        {annotations ? (
          <li>
            <span className="sw-ed-annotation">words with a dotted underline</span> have an open annotation: point at them to see who wrote it
          </li>
        ) : null}
      </ul>
      <p className="nhsuk-body-s">Choose Final to see the text as it will read.</p>
    </div>
  );
}
