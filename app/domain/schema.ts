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
    },
    heading: { content: "text*", marks: "_", defining: true },
    clause: {
      content: "paragraph (paragraph | bullet_list | ordered_list)*",
      attrs: { id: idAttr },
      defining: true,
      isolating: true,
    },
    paragraph: { content: "text*", marks: "_" },
    bullet_list: { content: "list_item+" },
    ordered_list: {
      content: "list_item+",
      attrs: {
        order: {
          default: 1,
          validate(value: unknown) {
            if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
              throw new RangeError("list order must be a whole number");
            }
          },
        },
      },
    },
    list_item: { content: "paragraph (bullet_list | ordered_list)*", defining: true },
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
    },
    strong: {},
    em: {},
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
