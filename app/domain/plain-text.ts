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

/** Each plain-text line's prefix as the contract writes it, and as a reader sees it. */
export interface LineMarker {
  plain: string;
  display: string;
}

/**
 * One marker per line of clausePlainText: "" for a paragraph; for a list item its indentation
 * and "- " or "1. " (plain), shown as a bullet or the item's real number (display).
 */
export function clauseLineMarkers(clause: ClauseJSON): LineMarker[] {
  const markers: LineMarker[] = [];
  const visitList = (list: ListJSON, level: number) => {
    const indent = "  ".repeat(level);
    list.content.forEach((item, index) => {
      markers.push(
        list.type === "bullet_list"
          ? { plain: `${indent}- `, display: `${indent}• ` }
          : { plain: `${indent}1. `, display: `${indent}${list.attrs.order + index}. ` },
      );
      for (const sublist of item.content.slice(1) as ListJSON[]) visitList(sublist, level + 1);
    });
  };
  for (const block of clause.content) {
    if (block.type === "paragraph") markers.push({ plain: "", display: "" });
    else visitList(block, 0);
  }
  return markers;
}

/** A clause's text as a reader sees it: list items with bullets and their real numbers. */
export function clauseDisplayText(clause: ClauseJSON): string {
  const markers = clauseLineMarkers(clause);
  return clausePlainText(clause)
    .split("\n")
    .map((line, i) => (markers[i] ? markers[i]!.display + line.slice(markers[i]!.plain.length) : line))
    .join("\n");
}
