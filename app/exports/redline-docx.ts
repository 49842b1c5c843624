// The tracked revision as a Word document whose changes are Word's own: insertions and deletions
// (w:ins, w:del), moves (w:moveFrom, w:moveTo), formatting changes (w:rPrChange) and real
// numbered and bulleted lists, so "Accept all" gives the newer version and "Reject all" the older.
import type { DocJSON, MarkJSON } from "~/domain/schema";
import type { Redline } from "~/domain/redline";
import { trackedRevision, type ParagraphStyle, type Revision, type TrackedParagraph, type TrackedRun } from "~/domain/redline/tracked";
import { docxPackage, xmlText, type DocxComment } from "./docx-package";

/** Who made a change and when (ISO 8601). */
export interface ChangeAuthor {
  author: string;
  date: string;
}

/** A change's reason, shown as a Word comment on the change: by whoever wrote the note, when. */
export interface ChangeComment extends ChangeAuthor {
  text: string;
}

export interface RedlineDocxInput {
  title: string;
  reference: string;
  from: { version: string; label: string | null; doc: DocJSON };
  to: { version: string; label: string | null; doc: DocJSON };
  redline: Redline;
  /** Who the changes are attributed to, and when (ISO 8601), unless `authors` knows better. */
  author: string;
  date: string;
  /** Who wrote each item's changes, by item id (a clause's or section's). */
  authors?: Map<string, ChangeAuthor>;
  /** The reasons for each clause's change, by clause id, anchored on the change as comments. */
  comments?: Map<string, ChangeComment[]>;
}

const ELEMENT: Record<Revision, string> = { insert: "w:ins", delete: "w:del", moveFrom: "w:moveFrom", moveTo: "w:moveTo" };

/** Writes WordprocessingML; every revision gets its own id, as the format requires. */
class BodyWriter {
  private nextId = 1;
  readonly links: string[] = [];
  private readonly linkIds = new Map<string, string>();
  /** The id of each move range still open, by side and name: its end repeats it. */
  private readonly openRanges = new Map<string, number>();
  readonly comments: DocxComment[] = [];
  private readonly commented = new Set<string>();
  /** Who the paragraph being written is by. */
  private author: string;
  private date: string;

  constructor(
    private readonly fallback: ChangeAuthor,
    private readonly authors: Map<string, ChangeAuthor> = new Map(),
    private readonly notes: Map<string, ChangeComment[]> = new Map(),
  ) {
    this.author = fallback.author;
    this.date = fallback.date;
  }

  private stamp(): string {
    return `w:id="${this.nextId++}" w:author="${xmlText(this.author)}" w:date="${xmlText(this.date)}"`;
  }

  /** The reasons for the paragraph's clause or section (a renamed heading), on its first paragraph that changes. */
  private commentsFor(paragraph: TrackedParagraph): number[] {
    const [kind, id] = paragraph.item ? [paragraph.item.slice(0, paragraph.item.indexOf(":")), paragraph.item.slice(paragraph.item.indexOf(":") + 1)] : ["", ""];
    if ((kind !== "clause" && kind !== "section") || this.commented.has(id)) return [];
    const changes = paragraph.mark !== null || paragraph.oldStyle !== undefined || paragraph.runs.some((run) => run.revision !== null && !run.number && run.text !== "\t" && run.text !== " ") || paragraph.runs.some((run) => run.oldMarks);
    const notes = this.notes.get(id);
    if (!changes || !notes?.length) return [];
    this.commented.add(id);
    return notes.map((note) => {
      const commentId = this.nextId++;
      this.comments.push({ id: commentId, author: note.author, date: note.date, text: note.text });
      return commentId;
    });
  }

  plain(style: string, text: string): string {
    return `<w:p><w:pPr><w:pStyle w:val="${style}"/></w:pPr><w:r><w:t xml:space="preserve">${xmlText(text)}</w:t></w:r></w:p>`;
  }

  paragraph(paragraph: TrackedParagraph): string {
    const itemId = paragraph.item?.slice(paragraph.item.indexOf(":") + 1);
    const by = (itemId !== undefined && this.authors.get(itemId)) || this.fallback;
    this.author = by.author;
    this.date = by.date;
    const comments = this.commentsFor(paragraph);
    const mark = paragraph.mark ? `<w:rPr><${ELEMENT[paragraph.mark]} ${this.stamp()}/></w:rPr>` : "";
    const change = paragraph.oldStyle ? `<w:pPrChange ${this.stamp()}><w:pPr>${styleXml(paragraph.oldStyle)}</w:pPr></w:pPrChange>` : "";
    let xml = `<w:p><w:pPr>${styleXml(paragraph.style)}${mark}${change}</w:pPr>`;
    if (paragraph.moveStart) {
      const id = this.nextId++;
      this.openRanges.set(`${paragraph.moveStart.side} ${paragraph.moveStart.name}`, id);
      xml += `<w:${paragraph.moveStart.side === "from" ? "moveFrom" : "moveTo"}RangeStart w:id="${id}" w:name="${xmlText(paragraph.moveStart.name)}" w:author="${xmlText(this.author)}" w:date="${xmlText(this.date)}"/>`;
    }
    xml += comments.map((id) => `<w:commentRangeStart w:id="${id}"/>`).join("");
    xml += this.runs(paragraph.runs, paragraph.style.kind === "clause");
    xml += comments.map((id) => `<w:commentRangeEnd w:id="${id}"/><w:r><w:commentReference w:id="${id}"/></w:r>`).join("");
    if (paragraph.moveEnd) {
      const key = `${paragraph.moveEnd.side} ${paragraph.moveEnd.name}`;
      xml += `<w:${paragraph.moveEnd.side === "from" ? "moveFrom" : "moveTo"}RangeEnd w:id="${this.openRanges.get(key)!}"/>`;
      this.openRanges.delete(key);
    }
    return `${xml}</w:p>`;
  }

  /** Runs grouped into links, and within a link into one revision element per stretch. */
  private runs(runs: TrackedRun[], boldNumber: boolean): string {
    let xml = "";
    for (let i = 0; i < runs.length; ) {
      const href = linkOf(runs[i]!.marks);
      let end = i + 1;
      while (end < runs.length && linkOf(runs[end]!.marks) === href) end++;
      let inner = "";
      for (let j = i; j < end; ) {
        const revision = runs[j]!.revision;
        let stop = j + 1;
        while (stop < end && runs[stop]!.revision === revision) stop++;
        const content = runs.slice(j, stop).map((run) => runXml(run, boldNumber, this.stamp.bind(this))).join("");
        inner += revision ? `<${ELEMENT[revision]} ${this.stamp()}>${content}</${ELEMENT[revision]}>` : content;
        j = stop;
      }
      xml += href ? `<w:hyperlink r:id="${this.linkId(href)}" w:history="1">${inner}</w:hyperlink>` : inner;
      i = end;
    }
    return xml;
  }

  private linkId(href: string): string {
    let id = this.linkIds.get(href);
    if (!id) {
      this.links.push(href);
      id = `rIdL${this.links.length}`;
      this.linkIds.set(href, id);
    }
    return id;
  }
}

function styleXml(style: ParagraphStyle): string {
  if (style.kind === "heading") return `<w:pStyle w:val="Heading${style.level}"/>`;
  if (style.kind === "clause") return '<w:pStyle w:val="Clause"/>';
  if (style.kind === "text") return '<w:pStyle w:val="ClauseText"/>';
  return `<w:pStyle w:val="ClauseListItem"/><w:numPr><w:ilvl w:val="${Math.min(style.level, 8)}"/><w:numId w:val="${style.list + 1}"/></w:numPr>`;
}

function marksXml(marks: MarkJSON[], bold: boolean): string {
  const has = (type: MarkJSON["type"]) => marks.some((m) => m.type === type);
  return `${has("link") ? '<w:rStyle w:val="Hyperlink"/>' : ""}${bold || has("strong") ? "<w:b/>" : ""}${has("em") ? "<w:i/>" : ""}`;
}

function runXml(run: TrackedRun, boldNumber: boolean, stamp: () => string): string {
  const bold = boldNumber && run.number === true;
  const change = run.oldMarks ? `<w:rPrChange ${stamp()}><w:rPr>${marksXml(run.oldMarks, bold)}</w:rPr></w:rPrChange>` : "";
  const properties = marksXml(run.marks, bold) + change;
  // Deleted text is w:delText; moved-away text stays w:t, as Word writes it.
  const tag = run.revision === "delete" ? "w:delText" : "w:t";
  const content = run.text
    .split("\t")
    .map((text) => (text ? `<${tag} xml:space="preserve">${xmlText(text)}</${tag}>` : ""))
    .join("<w:tab/>");
  return `<w:r>${properties ? `<w:rPr>${properties}</w:rPr>` : ""}${content}</w:r>`;
}

const linkOf = (marks: MarkJSON[]) => marks.find((m) => m.type === "link")?.attrs.href ?? null;

export async function redlineDocx(input: RedlineDocxInput): Promise<Uint8Array> {
  const tracked = trackedRevision(input.redline, input.from.doc, input.to.doc);
  const writer = new BodyWriter({ author: input.author, date: input.date }, input.authors, input.comments);
  const describe = (v: { version: string; label: string | null }) => `version ${v.version}${v.label ? ` (${v.label})` : ""}`;
  let body = writer.plain("Title", input.title);
  body += writer.plain("Normal", `${input.reference ? `${input.reference}. ` : ""}Tracked changes from ${describe(input.from)} to ${describe(input.to)}.`);
  for (const paragraph of tracked.paragraphs) body += writer.paragraph(paragraph);
  // A document always ends with a paragraph no revision can remove. This one has text, because
  // LibreOffice gives an empty last paragraph the list or heading style of whatever joins it.
  body += writer.plain("Normal", "End of the tracked changes.");
  return docxPackage({
    body,
    title: `${input.title}: tracked changes ${input.from.version} to ${input.to.version}`,
    author: input.author,
    date: input.date,
    links: writer.links,
    lists: tracked.lists,
    comments: writer.comments,
  });
}
