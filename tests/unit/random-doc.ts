// Seeded random documents that exercise every feature of the format and the schema.
import type { BlockJSON, ClauseJSON, DocJSON, ListJSON, MarkJSON, ParagraphJSON, SectionJSON, TextJSON } from "~/domain/schema";
import { sameMarks, sortMarks } from "~/domain/source/inline";
import { seededRandom } from "./random";

// Words chosen to stress the writer: delimiters, escapes, non-ASCII, and every line start the
// parser treats specially (headings, list markers, clause markers, rules, refused habits).
export const WORDS = ["radiotherapy", "network", "*", "**", "[", "]", "(", ")", "\\", "{#x}", "#", "-", "1.", "_", "£130m",
  "5–6", "10\u00a0years", "‘quoted’", "“double”", "Röntgen", "🙂", "a*b", "x]", "(y", "{", "}", "`code`", "<b>",
  "+", "1)", "2.", "12)", "---", "===", "___", "***", "* *", "{}", "{ #x}", "######", "#######", "- -", "--"];
const HREFS = ["https://www.england.nhs.uk/", "http://example.org/a_(b)", "mailto:team@example.nhs.uk", "https://x.org/q?a=1&b=\\"];

export function randomDoc(seed: number, idPrefix = "n"): DocJSON {
  const r = seededRandom(seed);
  let nextId = 0;
  const id = () => `${idPrefix}${nextId++}`;
  const phrase = () => {
    const words = Array.from({ length: 1 + r.int(5) }, () => r.pick(WORDS));
    return words.join(" ");
  };
  const inline = (): TextJSON[] => {
    const out: TextJSON[] = [];
    for (let i = 0, n = 1 + r.int(4); i < n; i++) {
      const marks: MarkJSON[] = [];
      if (r.chance(0.3)) marks.push({ type: "strong" });
      if (r.chance(0.3)) marks.push({ type: "em" });
      if (r.chance(0.2)) marks.push({ type: "link", attrs: { href: r.pick(HREFS) } });
      // Marked text never starts or ends with white space (the parser cannot produce that).
      const text = marks.length ? phrase().trim() || "x" : ` ${phrase()} `;
      const sorted = sortMarks(marks);
      const last = out[out.length - 1];
      if (last && sameMarks(last.marks, sorted)) last.text += text;
      else out.push(sorted.length ? { type: "text", text, marks: sorted } : { type: "text", text });
    }
    // Paragraph text is trimmed by the format.
    out[0]!.text = out[0]!.text.replace(/^\s+/, "");
    out[out.length - 1]!.text = out[out.length - 1]!.text.replace(/\s+$/, "");
    return out.filter((t) => t.text);
  };
  const paragraph = () => {
    const content = inline();
    return content.length ? { type: "paragraph" as const, content } : { type: "paragraph" as const };
  };
  const list = (depth: number): ListJSON => {
    const items = Array.from({ length: 1 + r.int(3) }, () => {
      const nested = depth < 2 && r.chance(0.3) ? [list(depth + 1)] : [];
      return { type: "list_item" as const, content: [paragraph(), ...nested] as [ReturnType<typeof paragraph>, ...ListJSON[]] };
    });
    return r.chance(0.5) ? { type: "bullet_list", content: items } : { type: "ordered_list", attrs: { order: 1 + r.int(3) }, content: items };
  };
  const clause = (): ClauseJSON => {
    const rest: BlockJSON[] = [];
    let previous: string = "paragraph";
    for (let i = r.int(3); i > 0; i--) {
      // Two lists of one kind in a row would read back as one list, so a paragraph separates them.
      const block: BlockJSON = previous !== "paragraph" || r.chance(0.5) ? paragraph() : list(0);
      rest.push(block);
      previous = block.type;
    }
    return { type: "clause", attrs: { id: id() }, content: [paragraph(), ...rest] };
  };
  const section = (depth: number, appendix: boolean): SectionJSON => {
    const children: (ClauseJSON | SectionJSON)[] = [];
    for (let i = r.int(3); i > 0; i--) children.push(clause());
    if (depth < 3) for (let i = r.int(3); i > 0 && r.chance(0.5); i--) children.push(section(depth + 1, false));
    const title = inline();
    return { type: "section", attrs: { id: id(), appendix }, content: [{ type: "heading", content: title.length ? title : [{ type: "text", text: "T" }] }, ...children] };
  };
  const sections = Array.from({ length: 1 + r.int(3) }, (_, i) => section(1, i > 0 && r.chance(0.3)));
  return { type: "doc", attrs: { title: "Random", reference: "" }, content: sections };
}

const SPACES = [" ", "  ", "\t", "\u00a0", ""];

/**
 * A document as an editor can make it: white space at the ends of paragraphs and of emphasis,
 * any line start, empty paragraphs; not in canonical form.
 */
export function editorDoc(seed: number): DocJSON {
  const r = seededRandom(seed);
  let next = 0;
  const id = () => `e${next++}`;
  const words = () => Array.from({ length: 1 + r.int(4) }, () => r.pick(WORDS)).join(r.pick([" ", "  ", " \t "]));
  const inline = (): TextJSON[] => {
    const out: TextJSON[] = [];
    for (let i = 0, n = 1 + r.int(3); i < n; i++) {
      const marks: MarkJSON[] = [];
      if (r.chance(0.3)) marks.push({ type: "link", attrs: { href: "https://www.england.nhs.uk/" } });
      if (r.chance(0.35)) marks.push({ type: "strong" });
      if (r.chance(0.35)) marks.push({ type: "em" });
      // Selections in an editor often take the space before or after a word.
      // Some runs are white space alone, between others with the same emphasis.
      const text = r.chance(0.15) ? r.pick([" ", "  ", "\u00a0"]) : r.pick(SPACES) + words() + r.pick(SPACES);
      out.push(marks.length ? { type: "text", text, marks } : { type: "text", text });
    }
    return out;
  };
  const paragraph = (): ParagraphJSON => ({ type: "paragraph", content: inline() });
  const list = (depth: number): ListJSON => {
    const items = Array.from({ length: 1 + r.int(2) }, () => ({
      type: "list_item" as const,
      content: [paragraph(), ...(depth < 1 && r.chance(0.3) ? [list(depth + 1)] : [])] as [ParagraphJSON, ...ListJSON[]],
    }));
    return r.chance(0.5) ? { type: "bullet_list", content: items } : { type: "ordered_list", attrs: { order: 1 + r.int(3) }, content: items };
  };
  const clause = (): ClauseJSON => {
    const rest: BlockJSON[] = [];
    for (let i = r.int(4); i > 0; i--) rest.push(r.chance(0.7) ? paragraph() : list(0));
    return { type: "clause", attrs: { id: id() }, content: [paragraph(), ...rest] };
  };
  const section = (depth: number): SectionJSON => {
    const children: (ClauseJSON | SectionJSON)[] = [];
    for (let i = 1 + r.int(2); i > 0; i--) children.push(clause());
    if (depth < 2 && r.chance(0.4)) children.push(section(depth + 1));
    return { type: "section", attrs: { id: id(), appendix: false }, content: [{ type: "heading", content: [{ type: "text", text: `Heading ${words()}` }] }, ...children] };
  };
  return { type: "doc", attrs: { title: "Editor", reference: "" }, content: Array.from({ length: 1 + r.int(2) }, () => section(1)) };
}
