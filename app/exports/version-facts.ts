// What a downloaded version says about itself: the rows of its header table, its file names,
// and the walk through its sections, clauses, paragraphs and lists that the Word and PDF
// writers share, so both number everything exactly as the version page does.
import { formatDate, STATUS_TEXT } from "~/components/format";
import { isAllowedHref } from "~/domain/ids";
import { outline } from "~/domain/numbering";
import { sectionChildren, type BlockJSON, type ClauseJSON, type DocJSON, type ListJSON, type MarkJSON, type SectionJSON, type TextJSON } from "~/domain/schema";
import type { VersionStatus } from "~/domain/workflow";

export interface VersionDocumentInput {
  slug: string;
  title: string;
  reference: string;
  number: string;
  label: string | null;
  /** The publication date, YYYY-MM-DD. */
  date: string | null;
  status: VersionStatus;
  doc: DocJSON;
  /** Identifies the content (for caching written files); never printed. */
  contentHash?: string;
}

/** The header table: the same facts the version page's table gives, in plain words. */
export function headerRows(input: VersionDocumentInput): [string, string][] {
  return [
    ["Title", input.title],
    ["Specification number", input.reference || "Not assigned"],
    ["Version", input.number],
    ["Version label", input.label || "None"],
    ["Publication date", input.date ? formatDate(input.date) : "Not dated"],
    ["Status", STATUS_TEXT[input.status]],
  ];
}

/** "adult-external-beam-radiotherapy-1.0.docx": only letters, digits, dots and dashes. */
export function downloadName(...parts: string[]): string {
  return parts.join("-").replace(/[^A-Za-z0-9._-]+/g, "_");
}

/** A run of text with its formatting; `href` only for http, https and mailto links. */
export interface Run {
  text: string;
  bold: boolean;
  italic: boolean;
  href: string | null;
}

export function runsOf(content: TextJSON[] | undefined): Run[] {
  return (content ?? [])
    .filter((t) => t.text)
    .map((t) => {
      const has = (type: MarkJSON["type"]) => (t.marks ?? []).some((m) => m.type === type);
      const link = (t.marks ?? []).find((m) => m.type === "link");
      const href = link?.type === "link" && isAllowedHref(link.attrs.href) ? link.attrs.href : null;
      return { text: t.text, bold: has("strong"), italic: has("em"), href };
    });
}

/** One block of a version, in reading order. */
export type VersionBlock =
  | { kind: "heading"; level: number; number: string; text: string; id: string }
  | { kind: "clause"; number: string; runs: Run[]; id: string }
  | { kind: "text"; runs: Run[] }
  /** `list` counts the lists of the document, so each one numbers from its own start. */
  | { kind: "item"; list: number; ordered: boolean; start: number; index: number; level: number; runs: Run[] };

/** A section's heading as the page shows it: "3.2 Care pathway", "Appendix A Glossary". */
export function sectionLabel(number: string, appendix: boolean, depth: number): string {
  return `${appendix && depth === 1 ? "Appendix " : ""}${number}`;
}

/** Every heading, clause paragraph and list item of a version, numbered as on the page. */
export function versionBlocks(doc: DocJSON): VersionBlock[] {
  const numbers = new Map(outline(doc).map((e) => [e.id, e]));
  const out: VersionBlock[] = [];
  let lists = 0;
  const list = (block: ListJSON, level: number) => {
    const id = lists++;
    const ordered = block.type === "ordered_list";
    const start = block.type === "ordered_list" ? block.attrs.order : 1;
    block.content.forEach((item, index) => {
      const [paragraph, ...nested] = item.content;
      out.push({ kind: "item", list: id, ordered, start, index, level, runs: runsOf(paragraph.content) });
      for (const sub of nested) list(sub, level + 1);
    });
  };
  const clause = (node: ClauseJSON) => {
    const entry = numbers.get(node.attrs.id)!;
    node.content.forEach((block: BlockJSON, i) => {
      if (block.type === "paragraph") out.push(i === 0 ? { kind: "clause", number: entry.number, runs: runsOf(block.content), id: node.attrs.id } : { kind: "text", runs: runsOf(block.content) });
      else list(block, 0);
    });
  };
  const section = (node: SectionJSON) => {
    const entry = numbers.get(node.attrs.id)!;
    out.push({ kind: "heading", level: entry.depth, number: sectionLabel(entry.number, entry.appendix, entry.depth), text: entry.title, id: node.attrs.id });
    for (const child of sectionChildren(node)) {
      if (child.type === "section") section(child);
      else clause(child);
    }
  };
  (doc.content ?? []).forEach(section);
  return out;
}

/** A list item's label: "3." or a bullet. */
export function itemLabel(block: Extract<VersionBlock, { kind: "item" }>): string {
  return block.ordered ? `${block.start + block.index}.` : ["•", "◦", "▪"][block.level % 3]!;
}
