// The document model of a specification: doc → sections → clauses holding paragraphs and lists.
// One ProseMirror schema, shared by the server, the command line and the browser editor.
import { Schema, type AttributeSpec } from "prosemirror-model";
import { isAllowedHref, isValidId } from "./ids";

const idAttr: AttributeSpec = {
  validate(value: unknown) {
    if (typeof value !== "string" || !isValidId(value)) {
      throw new RangeError(`invalid id ${JSON.stringify(value)}`);
    }
  },
};

export const specSchema = new Schema({
  nodes: {
    // toDOM/parseDOM serve the browser editor; the server renders with React components.
    doc: {
      content: "section*",
      attrs: {
        title: { default: "", validate: "string" },
        reference: { default: "", validate: "string" },
      },
    },
    // A section's heading level is its depth; it is never stored.
    // Clauses come before subsections: in the source format a clause written after a
    // subsection's heading belongs to that subsection.
    section: {
      content: "heading clause* section*",
      attrs: { id: idAttr, appendix: { default: false, validate: "boolean" } },
      defining: true,
      isolating: true,
      toDOM: (node) => ["section", { class: "sw-ed-section", "data-section-id": node.attrs.id }, 0],
    },
    heading: {
      content: "text*",
      marks: "_",
      defining: true,
      toDOM: () => ["p", { class: "sw-ed-heading" }, 0],
    },
    clause: {
      content: "paragraph (paragraph | bullet_list | ordered_list)*",
      attrs: { id: idAttr },
      defining: true,
      isolating: true,
      toDOM: (node) => ["div", { class: "sw-ed-clause", "data-clause-id": node.attrs.id }, 0],
    },
    paragraph: { content: "text*", marks: "_", parseDOM: [{ tag: "p" }], toDOM: () => ["p", 0] },
    bullet_list: { content: "list_item+", parseDOM: [{ tag: "ul" }], toDOM: () => ["ul", 0] },
    ordered_list: {
      content: "list_item+",
      attrs: {
        order: {
          default: 1,
          validate(value: unknown) {
            // The source format writes up to nine digits ("123456789.").
            if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 999_999_999) {
              throw new RangeError("a numbered list starts at a whole number from 0 to 999999999");
            }
          },
        },
      },
      parseDOM: [{ tag: "ol", getAttrs: (dom: HTMLElement) => ({ order: Number(dom.getAttribute("start") ?? 1) || 1 }) }],
      toDOM: (node) => ["ol", node.attrs.order === 1 ? {} : { start: node.attrs.order }, 0],
    },
    list_item: { content: "paragraph (bullet_list | ordered_list)*", defining: true, parseDOM: [{ tag: "li" }], toDOM: () => ["li", 0] },
    text: {},
  },
  // Rank order matters: ProseMirror keeps a text node's marks sorted by it.
  marks: {
    link: {
      attrs: {
        href: {
          validate(value: unknown) {
            if (typeof value !== "string" || !isAllowedHref(value)) {
              throw new RangeError("links may only use http, https or mailto");
            }
          },
        },
      },
      inclusive: false,
      parseDOM: [
        {
          tag: "a[href]",
          getAttrs: (dom: HTMLElement) => {
            const href = dom.getAttribute("href") ?? "";
            return isAllowedHref(href) ? { href } : false;
          },
        },
      ],
      toDOM: (mark) => ["a", { href: mark.attrs.href, rel: "noopener noreferrer nofollow" }, 0],
    },
    strong: { parseDOM: [{ tag: "strong" }, { tag: "b" }], toDOM: () => ["strong", 0] },
    em: { parseDOM: [{ tag: "em" }, { tag: "i" }], toDOM: () => ["em", 0] },
  },
});

export type MarkName = "link" | "strong" | "em";
export const MARK_ORDER: readonly MarkName[] = ["link", "strong", "em"];

export type MarkJSON = { type: "strong" } | { type: "em" } | { type: "link"; attrs: { href: string } };
export interface TextJSON {
  type: "text";
  text: string;
  marks?: MarkJSON[];
}
export interface ParagraphJSON {
  type: "paragraph";
  content?: TextJSON[];
}
export interface ListItemJSON {
  type: "list_item";
  content: [ParagraphJSON, ...ListJSON[]];
}
export interface BulletListJSON {
  type: "bullet_list";
  content: ListItemJSON[];
}
export interface OrderedListJSON {
  type: "ordered_list";
  attrs: { order: number };
  content: ListItemJSON[];
}
export type ListJSON = BulletListJSON | OrderedListJSON;
export type BlockJSON = ParagraphJSON | ListJSON;
export interface ClauseJSON {
  type: "clause";
  attrs: { id: string };
  content: [ParagraphJSON, ...BlockJSON[]];
}
export interface HeadingJSON {
  type: "heading";
  content?: TextJSON[];
}
export interface SectionJSON {
  type: "section";
  attrs: { id: string; appendix: boolean };
  content: [HeadingJSON, ...(ClauseJSON | SectionJSON)[]];
}
export interface DocJSON {
  type: "doc";
  attrs: { title: string; reference: string };
  content?: SectionJSON[];
}

export function sectionChildren(section: SectionJSON): (ClauseJSON | SectionJSON)[] {
  return section.content.slice(1) as (ClauseJSON | SectionJSON)[];
}

export function inlineText(content: TextJSON[] | undefined): string {
  return content ? content.map((t) => t.text).join("") : "";
}

/** Checks a document against the schema; returns the reason it is refused, or null. */
export function schemaProblem(json: unknown): string | null {
  try {
    const node = specSchema.nodeFromJSON(json);
    node.check();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A node type of the specification schema by name; a typo fails at once instead of later. */
export function nodeType(name: "doc" | "section" | "heading" | "clause" | "paragraph" | "bullet_list" | "ordered_list" | "list_item" | "text") {
  const type = specSchema.nodes[name];
  if (!type) throw new Error(`no node type ${name}`);
  return type;
}

export function markType(name: MarkName) {
  const type = specSchema.marks[name];
  if (!type) throw new Error(`no mark type ${name}`);
  return type;
}
