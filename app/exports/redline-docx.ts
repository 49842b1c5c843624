// The tracked revision as a Word document whose changes are Word's own (w:ins / w:del with an
// author and date): "Accept all" gives the newer version, "Reject all" the older one.
import {
  AlignmentType,
  DeletedTextRun,
  Document,
  HeadingLevel,
  InsertedTextRun,
  Packer,
  Paragraph,
  TextRun,
  type ParagraphChild,
} from "docx";
import type { RedlineRow, Segment } from "~/domain/redline";

export interface RedlineDocxInput {
  title: string;
  reference: string;
  from: { version: string; label: string | null };
  to: { version: string; label: string | null };
  rows: RedlineRow[];
  /** Who the changes are attributed to, and when (ISO 8601). */
  author: string;
  date: string;
}

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

class RunWriter {
  private nextId = 1;
  constructor(
    private readonly author: string,
    private readonly date: string,
  ) {}

  /** Runs for segments; a line break inside a segment becomes a break in a run of the same kind. */
  runs(segments: Segment[], style: { bold?: boolean } = {}): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    for (const segment of segments) {
      segment.text.split("\n").forEach((text, index) => {
        const options = { text, bold: style.bold, ...(index > 0 ? { break: 1 } : {}) };
        if (!text && index === 0) return;
        if (segment.op === "equal") out.push(new TextRun(options));
        else if (segment.op === "insert") out.push(new InsertedTextRun({ ...options, id: this.nextId++, author: this.author, date: this.date }));
        else out.push(new DeletedTextRun({ ...options, id: this.nextId++, author: this.author, date: this.date }));
      });
    }
    return out;
  }
}

/** Number segments: unchanged, or the old number deleted and the new one inserted. */
function numberSegments(row: RedlineRow): Segment[] {
  const prefix = row.kind === "section" && row.appendix && row.depth === 1 ? "Appendix " : "";
  if (!row.from) return [{ op: "insert", text: prefix + row.to!.number }];
  if (!row.to) return [{ op: "delete", text: prefix + row.from.number }];
  if (row.from.number === row.to.number) return [{ op: "equal", text: prefix + row.to.number }];
  return [
    { op: "delete", text: prefix + row.from.number },
    { op: "insert", text: prefix + row.to.number },
  ];
}

export async function redlineDocx(input: RedlineDocxInput): Promise<Uint8Array> {
  const writer = new RunWriter(input.author, input.date);
  const describe = (v: { version: string; label: string | null }) => `version ${v.version}${v.label ? ` (${v.label})` : ""}`;
  const body: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(input.title)] }),
    new Paragraph({
      children: [new TextRun(`${input.reference ? `${input.reference}. ` : ""}Tracked changes from ${describe(input.from)} to ${describe(input.to)}.`)],
    }),
  ];
  for (const row of input.rows) {
    const separator: Segment = { op: row.status === "deleted" ? "delete" : row.status === "inserted" ? "insert" : "equal", text: row.kind === "section" ? " " : "\t" };
    const children = [...writer.runs([...numberSegments(row), separator], { bold: row.kind === "clause" }), ...writer.runs(row.display)];
    if (row.kind === "section") {
      body.push(new Paragraph({ heading: HEADINGS[Math.min(row.depth - 1, 5)], children }));
    } else {
      body.push(new Paragraph({ alignment: AlignmentType.LEFT, indent: { left: 1000, hanging: 1000 }, tabStops: [{ type: "left", position: 1000 }], children }));
    }
  }
  const document = new Document({
    creator: "Specwork",
    title: `${input.title}: tracked changes ${input.from.version} to ${input.to.version}`,
    features: { trackRevisions: true },
    sections: [{ children: body }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
