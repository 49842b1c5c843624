// Seeded random documents that exercise every feature of the format and the schema.
import type { BlockJSON, ClauseJSON, DocJSON, ListJSON, MarkJSON, SectionJSON, TextJSON } from "~/domain/schema";
import { sameMarks, sortMarks } from "~/domain/source/inline";
import { seededRandom } from "./random";

// Words chosen to stress the writer: delimiters, escapes, line-start markers and non-ASCII.
export const WORDS = ["radiotherapy", "network", "*", "**", "[", "]", "(", ")", "\\", "{#x}", "#", "-", "1.", "_", "£130m",
  "5–6", "10\u00a0years", "‘quoted’", "“double”", "Röntgen", "🙂", "a*b", "x]", "(y", "{", "}", "`code`", "<b>"];
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

