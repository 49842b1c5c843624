// Plain text of a section or clause, as the redline contract defines it (format §2):
// blocks joined with "\n"; list items prefixed "- " or "1. " and two spaces per nesting level.
import { inlineText, type BlockJSON, type ClauseJSON, type ListJSON, type SectionJSON } from "./schema";

export function clausePlainText(clause: ClauseJSON): string {
  const lines: string[] = [];
  for (const block of clause.content) blockLines(block, 0, lines);
  return lines.join("\n");
}

export function sectionPlainText(section: SectionJSON): string {
  return inlineText(section.content[0].content);
}

function blockLines(block: BlockJSON, level: number, lines: string[]): void {
  if (block.type === "paragraph") {
    lines.push(inlineText(block.content));
    return;
  }
  listLines(block, level, lines);
}

function listLines(list: ListJSON, level: number, lines: string[]): void {
  const marker = list.type === "bullet_list" ? "- " : "1. ";
  const indent = "  ".repeat(level);
  for (const item of list.content) {
    const [paragraph, ...nested] = item.content;
    lines.push(indent + marker + inlineText(paragraph.content));
    for (const sublist of nested) listLines(sublist, level + 1, lines);
  }
}
