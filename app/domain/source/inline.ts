// Inline text of the source format: **strong**, *emphasis*, [text](url) and backslash escapes.
// Unmatched delimiters stay as literal text, so no character is ever dropped.
import { hrefProblem } from "../ids";
import { MARK_ORDER, type MarkJSON, type TextJSON } from "../schema";

export interface InlineProblem {
  /** Offset into the parsed string. */
  offset: number;
  message: string;
}

type Token =
  | { kind: "text"; value: string }
  | { kind: "stars"; count: number; canOpen: boolean; canClose: boolean }
  | { kind: "open"; used: boolean }
  | { kind: "close"; href: string; raw: string; offset: number; used: boolean };

type StarToken = Extract<Token, { kind: "stars" }>;

const ESCAPABLE = /[!-/:-@[-`{-~]/;
const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch);

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let text = "";
  const flush = () => {
    if (text) tokens.push({ kind: "text", value: text });
    text = "";
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === "\\" && i + 1 < src.length && ESCAPABLE.test(src[i + 1]!)) {
      text += src[i + 1];
      i += 2;
    } else if (ch === "*") {
      let end = i;
      while (src[end] === "*") end++;
      flush();
      tokens.push({ kind: "stars", count: end - i, canOpen: !isSpace(src[end]), canClose: !isSpace(src[i - 1]) });
      i = end;
    } else if (ch === "[") {
      flush();
      tokens.push({ kind: "open", used: false });
      i++;
    } else if (ch === "]" && src[i + 1] === "(") {
      const close = readLinkTarget(src, i + 2);
      if (close) {
        flush();
        tokens.push({ kind: "close", href: close.href, raw: src.slice(i, close.end), offset: i + 2, used: false });
        i = close.end;
      } else {
        text += ch;
        i++;
      }
    } else {
      text += ch;
      i++;
    }
  }
  flush();
  return tokens;
}

/** Reads `url)` starting at `start`: no white space; balanced parentheses may appear inside. */
function readLinkTarget(src: string, start: number): { href: string; end: number } | null {
  let href = "";
  let depth = 0;
  for (let i = start; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === "\\" && i + 1 < src.length && ESCAPABLE.test(src[i + 1]!)) {
      href += src[++i];
    } else if (ch === "(") {
      depth++;
      href += ch;
    } else if (ch === ")") {
      if (depth === 0) return href ? { href, end: i + 1 } : null;
      depth--;
      href += ch;
    } else if (/\s/.test(ch)) {
      return null;
    } else {
      href += ch;
    }
  }
  return null;
}

/**
 * Emphasis is a toggle: `*` switches emphasis, `**` strong, `***` both. A toggle that opens
 * must be followed by a non-space character and one that closes must follow one; a run that
 * cannot toggle, or that opens a mark never closed, stays literal text.
 */
function resolveStars(tokens: Token[]): Set<number> {
  const literal = new Set<number>();
  for (;;) {
    let strongAt: number | null = null;
    let emAt: number | null = null;
    tokens.forEach((token, index) => {
      if (token.kind !== "stars" || literal.has(index)) return;
      const toggles = token.count === 1 ? ["em"] : token.count === 2 ? ["strong"] : token.count === 3 ? ["strong", "em"] : [];
      const fits = toggles.length > 0 && toggles.every((mark) => {
        const closing = (mark === "strong" ? strongAt : emAt) !== null;
        return closing ? token.canClose : token.canOpen;
      });
      if (!fits) {
        literal.add(index);
        return;
      }
      for (const mark of toggles) {
        if (mark === "strong") strongAt = strongAt === null ? index : null;
        else emAt = emAt === null ? index : null;
      }
    });
    const unclosed = Math.max(strongAt ?? -1, emAt ?? -1);
    if (unclosed < 0) return literal;
    literal.add(unclosed);
  }
}

export function parseInline(src: string): { content: TextJSON[]; problems: InlineProblem[] } {
  const tokens = tokenize(src);
  const problems: InlineProblem[] = [];
  const literalStars = resolveStars(tokens);

  const openers: number[] = [];
  const links = new Map<number, string>();
  tokens.forEach((token, index) => {
    if (token.kind === "open") {
      openers.push(index);
    } else if (token.kind === "close") {
      const from = openers.pop();
      if (from === undefined) return;
      const opener = tokens[from] as Extract<Token, { kind: "open" }>;
      const problem = hrefProblem(token.href);
      if (problem) problems.push({ offset: token.offset, message: problem });
      const inner = tokens.slice(from + 1, index);
      if (!inner.some((t, k) => t.kind === "text" || t.kind === "open" || (t.kind === "stars" && literalStars.has(from + 1 + k)))) {
        problems.push({ offset: token.offset, message: "link has no text: expected [text](url)" });
      }
      opener.used = true;
      token.used = true;
      for (let k = from + 1; k < index; k++) links.set(k, token.href);
      // Links do not nest: brackets still open before this one become literal text.
      openers.length = 0;
    }
  });

  const out: TextJSON[] = [];
  let strong = false;
  let em = false;
  tokens.forEach((token, index) => {
    let text: string;
    if (token.kind === "stars" && !literalStars.has(index)) {
      if (token.count !== 1) strong = !strong;
      if (token.count !== 2) em = !em;
      return;
    }
    if (token.kind === "text") text = token.value;
    else if (token.kind === "stars") text = "*".repeat(token.count);
    else if (token.kind === "open") text = token.used ? "" : "[";
    else text = token.used ? "" : token.raw;
    if (!text) return;
    const marks: MarkJSON[] = [];
    const href = links.get(index);
    if (href !== undefined) marks.push({ type: "link", attrs: { href } });
    if (strong) marks.push({ type: "strong" });
    if (em) marks.push({ type: "em" });
    const last = out[out.length - 1];
    if (last && sameMarks(last.marks, marks)) last.text += text;
    else out.push(marks.length ? { type: "text", text, marks } : { type: "text", text });
  });
  return { content: out, problems };
}

export function sortMarks(marks: MarkJSON[]): MarkJSON[] {
  const unique = new Map<string, MarkJSON>();
  for (const mark of marks) if (!unique.has(mark.type)) unique.set(mark.type, mark);
  return [...unique.values()].sort((a, b) => MARK_ORDER.indexOf(a.type) - MARK_ORDER.indexOf(b.type));
}

export function sameMarks(a: MarkJSON[] | undefined, b: MarkJSON[] | undefined): boolean {
  const left = a ?? [];
  const right = b ?? [];
  return (
    left.length === right.length &&
    left.every((mark, i) => {
      const other = right[i]!;
      if (mark.type !== other.type) return false;
      return mark.type !== "link" || (other.type === "link" && mark.attrs.href === other.attrs.href);
    })
  );
}

/** Escapes text so that parseInline gives it back unchanged. */
export function escapeInline(text: string): string {
  return text.replace(/[\\*[\]]/g, (ch) => `\\${ch}`);
}

function escapeHref(href: string): string {
  return href.replace(/[\\()]/g, (ch) => `\\${ch}`);
}

/**
 * Emphasis that begins or ends with white space cannot be written (a `**` before a space opens
 * nothing), so the white space at the ends of each run of strong or emphasised text moves
 * outside it; a link keeps it. Nothing visible changes, and the result reads back exactly.
 */
export function flankEmphasis(content: TextJSON[]): TextJSON[] {
  let nodes = content.filter((n) => n.text).map((n) => ({ text: n.text, marks: n.marks ?? [] }));
  for (const type of ["strong", "em"] as const) {
    const has = (i: number) => nodes[i]!.marks.some((m) => m.type === type);
    const out: typeof nodes = [];
    for (let i = 0; i < nodes.length; ) {
      if (!has(i)) {
        out.push(nodes[i++]!);
        continue;
      }
      // One run of this mark over nodes i … j-1: its white space at either end loses the mark.
      let j = i;
      while (j < nodes.length && has(j)) j++;
      const run = nodes.slice(i, j);
      const text = run.map((n) => n.text).join("");
      const lead = /^\s*/.exec(text)![0].length;
      const trail = lead === text.length ? 0 : /\s*$/.exec(text)![0].length;
      let at = 0;
      for (const node of run) {
        const without = node.marks.filter((m) => m.type !== type);
        const cuts = [0, lead - at, text.length - trail - at, node.text.length].map((c) => Math.min(Math.max(c, 0), node.text.length));
        const pieces = [node.text.slice(cuts[0], cuts[1]), node.text.slice(cuts[1], cuts[2]), node.text.slice(cuts[2], cuts[3])];
        if (pieces[0]) out.push({ text: pieces[0], marks: without });
        if (pieces[1]) out.push({ text: pieces[1], marks: node.marks });
        if (pieces[2]) out.push({ text: pieces[2], marks: without });
        at += node.text.length;
      }
      i = j;
    }
    nodes = out;
  }
  const merged: TextJSON[] = [];
  for (const node of nodes) {
    const last = merged[merged.length - 1];
    if (last && sameMarks(last.marks, node.marks)) last.text += node.text;
    else merged.push(node.marks.length ? { type: "text", text: node.text, marks: node.marks } : { type: "text", text: node.text });
  }
  return merged;
}

/** Writes inline content in the source format; parseInline reads it back to the same content. */
export function writeInline(content: TextJSON[] | undefined): string {
  content = flankEmphasis(content ?? []);
  let out = "";
  let strong = false;
  let em = false;
  let href: string | null = null;
  const toggle = (wantStrong: boolean, wantEm: boolean) => {
    out += (strong !== wantStrong ? "**" : "") + (em !== wantEm ? "*" : "");
    strong = wantStrong;
    em = wantEm;
  };
  for (const node of content ?? []) {
    const marks = node.marks ?? [];
    const link = marks.find((m) => m.type === "link");
    const wantHref = link && link.type === "link" ? link.attrs.href : null;
    if (href !== null && href !== wantHref) {
      out += `](${escapeHref(href)})`;
      href = null;
    }
    toggle(marks.some((m) => m.type === "strong"), marks.some((m) => m.type === "em"));
    if (wantHref !== null && href === null) {
      out += "[";
      href = wantHref;
    }
    out += escapeInline(node.text);
  }
  if (href !== null) out += `](${escapeHref(href)})`;
  toggle(false, false);
  return out;
}
