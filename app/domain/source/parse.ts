// Reads a specification file (format §1) into a document tree, or says exactly what is wrong.
// A file imports whole or not at all: any problem means no document.
import { isValidId, isValidSlug, MAX_ID_LENGTH, newId } from "../ids";
import type {
  BlockJSON,
  ClauseJSON,
  DocJSON,
  HeadingJSON,
  ListItemJSON,
  ListJSON,
  ParagraphJSON,
  SectionJSON,
} from "../schema";
import { MAX_CLAUSES } from "../document";
import { clausePlainText } from "../plain-text";
import { isValidVersionNumber } from "../version-number";
import { refusedCharacters } from "../text-policy";
import { isVersionStatus, type VersionStatus } from "../workflow";
import { decodeUtf8, type SourceProblem } from "./errors";
import { parseInline } from "./inline";

export interface VersionMeta {
  slug: string;
  version: string;
  label: string | null;
  date: string | null;
  status: VersionStatus | null;
}

/** One version of one specification, as a file holds it. Title and reference live in the doc. */
export interface SpecSource {
  meta: VersionMeta;
  doc: DocJSON;
}

export type ParseResult = { ok: true; source: SpecSource } | { ok: false; problems: SourceProblem[] };

export const FRONT_MATTER_KEYS = ["slug", "title", "reference", "version", "label", "date", "status"] as const;
type FrontMatterKey = (typeof FRONT_MATTER_KEYS)[number];
const REQUIRED_KEYS: readonly FrontMatterKey[] = ["slug", "title", "version"];

/** Files above this size are refused before parsing. */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

interface LinePart {
  text: string;
  line: number;
  column: number;
}

interface OpenParagraph {
  node: ParagraphJSON | { content?: HeadingJSON["content"] };
  parts: LinePart[];
}

interface OpenList {
  node: ListJSON;
  /** Where a sibling list of another kind goes: the clause's or the parent item's content. */
  container: (BlockJSON | ListJSON)[];
}

export function parseSpec(input: string | Uint8Array, file = "<input>"): ParseResult {
  const problems: SourceProblem[] = [];
  const report = (line: number, column: number, message: string) => problems.push({ file, line, column, message });

  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    if (input.length > MAX_SOURCE_BYTES) {
      report(1, 1, `file is ${input.length} bytes; the limit is ${MAX_SOURCE_BYTES}`);
      return { ok: false, problems };
    }
    if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
      report(1, 1, "the file is UTF-16: save it as UTF-8");
      return { ok: false, problems };
    }
    const decoded = decodeUtf8(input);
    if (!decoded.ok) {
      report(decoded.line, decoded.column, `invalid UTF-8 at byte offset ${decoded.byte}: files must be UTF-8 text`);
      return { ok: false, problems };
    }
    text = decoded.text;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  checkCharacters(text, report);
  if (problems.length) return { ok: false, problems };

  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();

  const front = parseFrontMatter(lines, report);
  // Without front matter the body's line numbers mean little: report that one problem only.
  if (!front.found) return { ok: false, problems };
  const body = new BodyParser(lines, front.bodyStart, report);
  body.run();

  const clauses = body.clauseCount();
  if (clauses > MAX_CLAUSES) report(front.bodyStart + 1, 1, `the file has ${clauses} clauses; the limit is ${MAX_CLAUSES}`);
  if (problems.length || !front.values) return { ok: false, problems: sortProblems(problems) };
  const values = front.values;
  const doc: DocJSON = {
    type: "doc",
    attrs: { title: values.title ?? "", reference: values.reference ?? "" },
  };
  if (body.sections.length) doc.content = body.sections;
  return {
    ok: true,
    source: {
      meta: {
        slug: values.slug!,
        version: values.version!,
        label: values.label ?? null,
        date: values.date ?? null,
        status: (values.status as VersionStatus | undefined) ?? null,
      },
      doc,
    },
  };
}

function sortProblems(problems: SourceProblem[]): SourceProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
}

type Report = (line: number, column: number, message: string) => void;

/** The text policy, line by line, so that each refused character is reported where it stands. */
function checkCharacters(text: string, report: Report): void {
  text.split("\n").forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    for (const refused of refusedCharacters(line)) {
      // Within a line, the only line break left is a carriage return of its own.
      const message = refused.kind === "line break" ? "carriage return not followed by a line feed: use LF or CRLF line endings" : `${refused.description} is not allowed`;
      report(i + 1, refused.index + 1, message);
    }
  });
}

function parseFrontMatter(
  lines: string[],
  report: Report,
): { values: Partial<Record<FrontMatterKey, string>> | null; bodyStart: number; found: boolean } {
  if (lines[0]?.trimEnd() !== "---") {
    report(1, 1, 'expected front matter: the file must start with a line "---", then key: value lines, then "---"');
    return { values: null, bodyStart: 0, found: false };
  }
  const end = lines.findIndex((line, i) => i > 0 && line.trimEnd() === "---");
  if (end < 0) {
    report(1, 1, 'front matter is not closed: expected a second line "---"');
    return { values: null, bodyStart: lines.length, found: false };
  }
  const values: Partial<Record<FrontMatterKey, string>> = {};
  const seenAt: Partial<Record<string, number>> = {};
  let ok = true;
  for (let i = 1; i < end; i++) {
    const raw = lines[i]!;
    if (!raw.trim()) continue;
    const match = /^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:(.*)$/.exec(raw);
    if (!match) {
      report(i + 1, 1, 'expected "key: value" in the front matter');
      ok = false;
      continue;
    }
    const key = match[1]!;
    const unquoted = unquote(match[2]!.trim());
    if (unquoted === null) {
      report(i + 1, raw.indexOf(":") + 2, `the value of "${key}" starts with a quote mark that is not closed properly`);
      ok = false;
      continue;
    }
    const value = unquoted;
    const afterColon = raw.indexOf(":") + 1;
    const valueColumn = afterColon + (raw.slice(afterColon).length - raw.slice(afterColon).trimStart().length) + 1;
    if (!(FRONT_MATTER_KEYS as readonly string[]).includes(key)) {
      report(i + 1, 1, `unknown front-matter key "${key}": expected one of ${FRONT_MATTER_KEYS.join(", ")}`);
      ok = false;
      continue;
    }
    if (seenAt[key] !== undefined) {
      report(i + 1, 1, `front-matter key "${key}" appears twice (first on line ${seenAt[key]})`);
      ok = false;
      continue;
    }
    seenAt[key] = i + 1;
    const problem = frontMatterValueProblem(key as FrontMatterKey, value);
    if (problem) {
      report(i + 1, valueColumn, problem);
      ok = false;
      continue;
    }
    if (value) values[key as FrontMatterKey] = value;
  }
  for (const key of REQUIRED_KEYS) {
    if (seenAt[key] === undefined) {
      report(end + 1, 1, `missing required front-matter key "${key}" (required: ${REQUIRED_KEYS.join(", ")})`);
      ok = false;
    }
  }
  return { values: ok ? values : null, bodyStart: end + 1, found: true };
}

/**
 * A front-matter value as YAML reads a one-line scalar: "double quoted" with backslash escapes,
 * 'single quoted' with '' for a quote mark, or plain. Null when a quoted value is malformed.
 */
export function unquote(value: string): string | null {
  if (value.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === "string" ? parsed : null;
    } catch {
      return null;
    }
  }
  if (value.startsWith("'")) {
    return /^'(?:[^']|'')*'$/.test(value) ? value.slice(1, -1).replace(/''/g, "'") : null;
  }
  return value;
}

function frontMatterValueProblem(key: FrontMatterKey, value: string): string | null {
  const required = REQUIRED_KEYS.includes(key);
  if (!value) return required ? `front-matter key "${key}" needs a value` : null;
  switch (key) {
    case "slug":
      return isValidSlug(value) ? null : `slug "${value}" must match [a-z0-9][a-z0-9-]* (at most ${MAX_ID_LENGTH} characters)`;
    case "version":
      return isValidVersionNumber(value) ? null : `version "${value}" must be a number such as 0.9, 1.0 or 1.0.1`;
    case "date":
      return isIsoDate(value) ? null : `date "${value}" must be an ISO 8601 date such as 2016-10-28`;
    case "status":
      return isVersionStatus(value) ? null : `status "${value}" must be one of draft, submitted, approved, published, superseded`;
    default:
      return value.length > 500 ? `front-matter key "${key}" is longer than 500 characters` : null;
  }
}

export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))?)?$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const dayOk = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  const within = (part: string | undefined, limit: number) => part === undefined || Number(part) < limit;
  return dayOk && within(match[4], 24) && within(match[5], 60) && within(match[6], 60) && within(match[7], 24) && within(match[8], 60);
}

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
// Markdown habits the format does not have; each is refused rather than read as text.
const MISREAD: [RegExp, string][] = [
  [/^ *[*+][ \t]/, 'bullet list items start with "- "'],
  [/^ *\d{1,9}\)[ \t]/, 'ordered list items are written "1. ", with a full stop'],
  [/^ {0,3}#{7,}(\s|$)/, "headings have at most six levels (######)"],
  [/^ {0,3}(?:-{3,}|={3,}|\*{3,}|_{3,})[ \t]*$/, "underlined headings and horizontal rules are not part of the format: write headings as # Title {#id}"],
  [/^ *\{\s+#/, "a clause marker is written {#id} with no spaces inside the braces"],
];
const LIST_ITEM = /^( *)(-|(\d{1,9})\.)(?:[ \t]+(.*?))?[ \t]*$/;

/**
 * Whether a line standing on its own (a paragraph after a blank line) would be read as anything
 * but the start of a paragraph: a heading, a list item, a clause marker, or a refused habit.
 * The writer escapes every such paragraph.
 */
export function isSpecialLineStart(line: string): boolean {
  return (
    HEADING.test(line) ||
    LIST_ITEM.test(line) ||
    MISREAD.some(([pattern]) => pattern.test(line)) ||
    /^[ \t]*\{[#}]/.test(line) ||
    /^[ \t]/.test(line)
  );
}

const CLAUSE_MARKER = /^\{(#[^{}]*)?\}/;
const HEADING_ATTRS = /(^|[^\\])\{([^{}]*)\}$/;

class BodyParser {
  readonly sections: SectionJSON[] = [];
  private readonly stack: SectionJSON[] = [];
  private clause: ClauseJSON | null = null;
  private paragraph: OpenParagraph | null = null;
  private lists: OpenList[] = [];
  private afterBlank = true;
  private reportedOutside = false;
  private readonly explicitIds = new Map<string, number>();
  private readonly pendingIds: { attrs: { id: string }; text: () => string; prefix: string }[] = [];

  constructor(
    private readonly lines: string[],
    private readonly start: number,
    private readonly report: Report,
  ) {}

  clauseCount(): number {
    let count = 0;
    const visit = (section: SectionJSON) => section.content.forEach((child) => (child.type === "clause" ? count++ : child.type === "section" ? visit(child) : undefined));
    this.sections.forEach(visit);
    return count;
  }

  run(): void {
    for (let i = this.start; i < this.lines.length; i++) this.line(this.lines[i]!, i + 1);
    this.closeParagraph();
    this.assignNewIds();
  }

  private line(raw: string, lineNo: number): void {
    const line = raw.replace(/[ \t]+$/, "");
    if (!line) {
      this.closeParagraph();
      this.afterBlank = true;
      return;
    }
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.includes("\t")) {
      this.report(lineNo, indent.indexOf("\t") + 1, "tab in indentation: indent with spaces (two per list level)");
      this.afterBlank = false;
      return;
    }
    const heading = HEADING.exec(line);
    const item = LIST_ITEM.exec(line);
    const misread = MISREAD.find(([pattern]) => pattern.test(line));
    // An ordered list interrupts a paragraph only when it starts at 1 ("2016. It fell." wraps).
    const continues = item && item[3] !== undefined && item[3] !== "1" && this.paragraph && !this.afterBlank && !this.lists.length;
    if (misread) {
      this.report(lineNo, indent.length + 1, misread[1]);
    } else if (heading) {
      this.heading(heading[1]!.length, heading[2] ?? "", lineNo, indent.length);
    } else if (/^[ \t]*\{[#}]/.test(line)) {
      // Only spaces and tabs indent; a line starting with another space character is text.
      if (indent) {
        this.report(lineNo, indent.length + 1, "a clause marker {#id} must start at the beginning of the line");
      } else {
        this.clauseStart(line, lineNo);
      }
    } else if (item && !continues) {
      this.listItem(item, lineNo);
    } else {
      this.text(line, indent.length, lineNo);
    }
    this.afterBlank = false;
  }

  private heading(level: number, content: string, lineNo: number, indent = 0): void {
    this.closeBlock();
    this.clause = null;
    const column = indent + level + 2;
    let title = content;
    let id: string | null = null;
    let appendix = false;
    const attrs = HEADING_ATTRS.exec(content);
    if (attrs) {
      title = content.slice(0, attrs.index + attrs[1]!.length).trimEnd();
      const insideColumn = column + attrs.index + attrs[1]!.length + 1;
      for (const match of attrs[2]!.matchAll(/\S+/g)) {
        const token = match[0];
        const tokenColumn = insideColumn + match.index;
        if (token.startsWith("#") && id === null) {
          id = this.claimId(token.slice(1), lineNo, tokenColumn + 1);
        } else if (token === ".appendix") {
          appendix = true;
        } else {
          this.report(lineNo, tokenColumn, `unexpected "${token}" in heading attributes: expected {#id} or {#id .appendix}`);
        }
      }
    }
    if (!title) this.report(lineNo, 1, "heading has no text: expected # Title {#id}");
    if (level > this.stack.length + 1) {
      const expected = "#".repeat(this.stack.length + 1);
      this.report(
        lineNo,
        1,
        `heading level skipped: found ${"#".repeat(level)} where the deepest allowed is ${expected}`,
      );
      level = this.stack.length + 1;
    }
    if (appendix && level !== 1) {
      this.report(lineNo, 1, ".appendix is only allowed on a top-level (#) heading");
      appendix = false;
    }
    const heading: HeadingJSON = { type: "heading" };
    this.setInline(heading, [{ text: title, line: lineNo, column }]);
    const section: SectionJSON = {
      type: "section",
      attrs: { id: id ?? "", appendix },
      content: [heading],
    };
    if (id === null) this.pendingIds.push({ attrs: section.attrs, text: () => title, prefix: "" });
    this.stack.length = level - 1;
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.content.push(section);
    else this.sections.push(section);
    this.stack.push(section);
    this.reportedOutside = false;
  }

  private clauseStart(line: string, lineNo: number): void {
    this.closeBlock();
    const marker = CLAUSE_MARKER.exec(line);
    if (!marker) {
      this.report(lineNo, 1, "malformed clause marker: expected {#id} followed by a space and the clause text");
      this.clause = null;
      return;
    }
    const rest = line.slice(marker[0].length);
    if (rest && !/^[ \t]/.test(rest)) {
      this.report(lineNo, marker[0].length + 1, `expected a space after the clause marker ${marker[0]}`);
    }
    if (!this.stack.length) {
      this.report(lineNo, 1, "clause outside any section: expected a heading (# Title {#id}) before the first clause");
      this.clause = null;
      this.reportedOutside = true;
      return;
    }
    const rawId = (marker[1] ?? "#").slice(1).trim();
    const clause = this.openClause(rawId ? (this.claimId(rawId, lineNo, 3) ?? "") : null);
    const text = rest.replace(/^[ \t]+/, "");
    this.paragraph = { node: clause.content[0], parts: text ? [{ text, line: lineNo, column: line.length - text.length + 1 }] : [] };
  }

  /** A new clause in the current section; without an id, it is given one from its text. */
  private openClause(id: string | null): ClauseJSON {
    const clause: ClauseJSON = { type: "clause", attrs: { id: id ?? "" }, content: [{ type: "paragraph" }] };
    if (id === null) this.pendingIds.push({ attrs: clause.attrs, text: () => clausePlainText(clause).split("\n").find((line) => line.trim()) ?? "", prefix: "c-" });
    this.stack[this.stack.length - 1]!.content.push(clause);
    this.clause = clause;
    return clause;
  }

  private listItem(match: RegExpExecArray, lineNo: number): void {
    this.closeParagraph();
    if (!this.clause) {
      if (!this.stack.length) {
        this.outside(lineNo);
        return;
      }
      // A list straight after a heading is a clause without an id, whose first paragraph is empty.
      this.openClause(null);
    }
    const clause = this.clause!;
    const indent = match[1]!.length;
    const ordered = match[3] !== undefined;
    if (indent % 2 !== 0) {
      this.report(lineNo, 1, "list indentation must be two spaces per level");
      return;
    }
    let level = indent / 2;
    if (level > this.lists.length) {
      this.report(lineNo, 1, `list item indented too far: expected at most ${this.lists.length * 2} spaces`);
      level = this.lists.length;
    }
    this.lists.length = Math.min(this.lists.length, level + 1);
    const paragraph: ParagraphJSON = { type: "paragraph" };
    const item: ListItemJSON = { type: "list_item", content: [paragraph] };
    const kind = ordered ? "ordered_list" : "bullet_list";
    const current = this.lists[level];
    if (current && current.node.type === kind) {
      current.node.content.push(item);
    } else {
      const container: (BlockJSON | ListJSON)[] =
        level === 0 ? clause.content : lastItem(this.lists[level - 1]!.node).content;
      const list: ListJSON = ordered
        ? { type: "ordered_list", attrs: { order: Number(match[3]) }, content: [item] }
        : { type: "bullet_list", content: [item] };
      container.push(list);
      this.lists[level] = { node: list, container };
      this.lists.length = level + 1;
    }
    const text = match[4] ?? "";
    this.paragraph = { node: paragraph, parts: text ? [{ text, line: lineNo, column: match[0].indexOf(text, indent) + 1 }] : [] };
  }

  private text(line: string, indent: number, lineNo: number): void {
    const part = { text: line.slice(indent), line: lineNo, column: indent + 1 };
    if (this.paragraph && !this.afterBlank) {
      this.paragraph.parts.push(part);
      return;
    }
    this.closeBlock();
    if (!this.clause) {
      if (!this.stack.length) {
        this.outside(lineNo);
        return;
      }
      // Text straight after a heading is a clause without an id (format §1): it is given one.
      this.paragraph = { node: this.openClause(null).content[0], parts: [part] };
      return;
    }
    const paragraph: ParagraphJSON = { type: "paragraph" };
    this.clause.content.push(paragraph);
    this.paragraph = { node: paragraph, parts: [part] };
  }

  /** Text before the first heading belongs to no section and no clause. */
  private outside(lineNo: number): void {
    if (this.reportedOutside) return;
    this.reportedOutside = true;
    this.report(lineNo, 1, "text outside any section or clause: expected a heading (# Title {#id}) before any text");
  }

  private closeBlock(): void {
    this.closeParagraph();
    this.lists = [];
  }

  private closeParagraph(): void {
    if (!this.paragraph) return;
    this.setInline(this.paragraph.node, this.paragraph.parts);
    this.paragraph = null;
  }

  /** Parses the joined lines of a paragraph or heading and reports inline problems in place. */
  private setInline(node: { content?: ParagraphJSON["content"] }, parts: LinePart[]): void {
    const joined = parts.map((p) => p.text).join(" ");
    const { content, problems } = parseInline(joined);
    for (const problem of problems) {
      let offset = problem.offset;
      let part = parts[0]!;
      for (const candidate of parts) {
        part = candidate;
        if (offset <= candidate.text.length) break;
        offset -= candidate.text.length + 1;
      }
      this.report(part.line, part.column + offset, problem.message);
    }
    if (content.length) node.content = content;
    else delete node.content;
  }

  private claimId(id: string, lineNo: number, column: number): string | null {
    if (!isValidId(id)) {
      this.report(lineNo, column, `invalid id "${id}": ids match [a-z0-9][a-z0-9-]* (lower case, at most ${MAX_ID_LENGTH} characters)`);
      return null;
    }
    const first = this.explicitIds.get(id);
    if (first !== undefined) {
      this.report(lineNo, column, `duplicate id "${id}" (first used on line ${first})`);
      return null;
    }
    this.explicitIds.set(id, lineNo);
    return id;
  }

  /** Ids for headings and clauses written without one: readable and deterministic. */
  private assignNewIds(): void {
    const taken = new Set(this.explicitIds.keys());
    for (const pending of this.pendingIds) pending.attrs.id = newId(pending.text(), pending.prefix, taken);
  }
}

function lastItem(list: ListJSON): ListItemJSON {
  return list.content[list.content.length - 1]!;
}

