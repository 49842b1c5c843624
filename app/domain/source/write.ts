// Writes a document in the canonical source format: LF endings, one blank line between blocks,
// one line per paragraph, ids on every heading and clause. parseSpec reads it back unchanged.
import { sectionChildren, type BlockJSON, type ClauseJSON, type ListJSON, type SectionJSON, type TextJSON } from "../schema";
import { writeInline } from "./inline";
import { isSpecialLineStart, type SpecSource } from "./parse";

export function writeSpec({ meta, doc }: SpecSource): string {
  const front: [string, string | null][] = [
    ["slug", meta.slug],
    ["title", doc.attrs.title],
    ["reference", doc.attrs.reference || null],
    ["version", meta.version],
    ["label", meta.label],
    ["date", meta.date],
    ["status", meta.status],
  ];
  const blocks: string[] = [];
  for (const section of doc.content ?? []) writeSection(section, 1, blocks);
  const head = ["---", ...front.filter(([, v]) => v).map(([k, v]) => `${k}: ${quoteValue(v!)}`), "---"].join("\n");
  return [head, ...blocks].join("\n\n") + "\n";
}

/** Plain where that reads back the same, otherwise double-quoted with JSON escapes. */
function quoteValue(value: string): string {
  return /^\s|\s$|^["']/.test(value) ? JSON.stringify(value) : value;
}

function writeSection(section: SectionJSON, level: number, blocks: string[]): void {
  const attrs = section.attrs.appendix ? `{#${section.attrs.id} .appendix}` : `{#${section.attrs.id}}`;
  const title = writeInline(section.content[0].content).replace(/^#/, "\\#");
  blocks.push(`${"#".repeat(level)} ${title} ${attrs}`);
  for (const child of sectionChildren(section)) {
    if (child.type === "section") writeSection(child, level + 1, blocks);
    else writeClause(child, blocks);
  }
}

function writeClause(clause: ClauseJSON, blocks: string[]): void {
  const [first, ...rest] = clause.content;
  const text = writeInline(first.content);
  blocks.push(text ? `{#${clause.attrs.id}} ${text}` : `{#${clause.attrs.id}}`);
  for (const block of rest) blocks.push(writeBlock(block));
}

function writeBlock(block: BlockJSON): string {
  if (block.type === "paragraph") return writeParagraph(block.content);
  const lines: string[] = [];
  writeList(block, 0, lines);
  return lines.join("\n");
}

function writeList(list: ListJSON, level: number, lines: string[]): void {
  const indent = "  ".repeat(level);
  list.content.forEach((item, index) => {
    // Only a list's first number is read back; the later ones stay within the nine digits a
    // list number may have.
    const marker = list.type === "bullet_list" ? "-" : `${Math.min(list.attrs.order + index, 999_999_999)}.`;
    const [paragraph, ...nested] = item.content;
    const text = writeInline(paragraph.content);
    lines.push(text ? `${indent}${marker} ${text}` : `${indent}${marker}`);
    for (const sublist of nested) writeList(sublist, level + 1, lines);
  });
}

/**
 * A paragraph on its own line. The reader drops white space at either end, so the writer does
 * too; a line the reader would take for anything but a paragraph (a heading, a list item, a
 * clause marker, a horizontal rule, `+ ` or `1) ` …) gets a backslash before its first mark.
 */
function writeParagraph(content: TextJSON[] | undefined): string {
  const line = writeInline(content).replace(/^[ \t]+|[ \t]+$/g, "");
  if (!isSpecialLineStart(line)) return line;
  const digits = /^\d+/.exec(line)?.[0] ?? "";
  return `${digits}\\${line.slice(digits.length)}`;
}
