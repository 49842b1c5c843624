// Small builders for document trees, so tests read as the document they describe.
import type {
  BlockJSON,
  ClauseJSON,
  DocJSON,
  ListItemJSON,
  ListJSON,
  MarkJSON,
  ParagraphJSON,
  SectionJSON,
  TextJSON,
} from "~/domain/schema";

type Inline = string | TextJSON;

const toText = (part: Inline): TextJSON => (typeof part === "string" ? { type: "text", text: part } : part);

export const strong = (text: string): TextJSON => ({ type: "text", text, marks: [{ type: "strong" }] });
export const em = (text: string): TextJSON => ({ type: "text", text, marks: [{ type: "em" }] });
export const marked = (text: string, ...marks: MarkJSON[]): TextJSON => ({ type: "text", text, marks });
export const link = (text: string, href: string): TextJSON => marked(text, { type: "link", attrs: { href } });

export function p(...parts: Inline[]): ParagraphJSON {
  const content = parts.map(toText).filter((t) => t.text);
  return content.length ? { type: "paragraph", content } : { type: "paragraph" };
}

export function li(text: Inline, ...nested: ListJSON[]): ListItemJSON {
  return { type: "list_item", content: [p(text), ...nested] };
}

export const ul = (...items: ListItemJSON[]): ListJSON => ({ type: "bullet_list", content: items });
export const ol = (...items: ListItemJSON[]): ListJSON => ({ type: "ordered_list", attrs: { order: 1 }, content: items });

export function clause(id: string, first: Inline | ParagraphJSON, ...rest: BlockJSON[]): ClauseJSON {
  const paragraph = typeof first === "object" && first.type === "paragraph" ? first : p(first as Inline);
  return { type: "clause", attrs: { id }, content: [paragraph, ...rest] };
}

export function section(id: string, title: string, ...children: (ClauseJSON | SectionJSON)[]): SectionJSON {
  return { type: "section", attrs: { id, appendix: false }, content: [{ type: "heading", content: [toText(title)] }, ...children] };
}

export function appendix(id: string, title: string, ...children: (ClauseJSON | SectionJSON)[]): SectionJSON {
  return { ...section(id, title, ...children), attrs: { id, appendix: true } };
}

export function doc(...sections: SectionJSON[]): DocJSON {
  return { type: "doc", attrs: { title: "Sample", reference: "SAMPLE-RT-0001S" }, content: sections };
}

export const FRONT = "---\nslug: sample\ntitle: Sample\nreference: SAMPLE-RT-0001S\nversion: 1.0\n---\n";
