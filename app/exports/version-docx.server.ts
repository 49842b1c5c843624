// A published version as a clean Word document, written with the `docx` library: a header table
// (title, reference, version, label, date, status), then every section as a real Word heading
// (Heading 1–6, so the navigation pane and screen readers find them) and every clause with its
// number as the page shows it, lists as Word lists, and links kept.
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  Tab,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ILevelsOptions,
  type ParagraphChild,
} from "docx";
import { downloadName, headerRows, versionBlocks, type Run, type VersionDocumentInput } from "./version-facts";

/** Twentieths of a point: where a clause's text starts, right of its number (2 cm). */
const CLAUSE_INDENT = 1134;
const LIST_STEP = 425;
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6] as const;
const BULLETS = ["•", "◦", "▪"];

function levels(ordered: boolean, start: number): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: ordered ? LevelFormat.DECIMAL : LevelFormat.BULLET,
    // Each nested list counts on its own ("1.", not "2.1."), as the page numbers it.
    text: ordered ? `%${level + 1}.` : BULLETS[level % BULLETS.length]!,
    start: ordered ? start : 1,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: CLAUSE_INDENT + LIST_STEP * (level + 1), hanging: LIST_STEP } } },
  }));
}

const HEADING_SIZES = [32, 28, 26, 24, 22, 22];

/** Word's heading styles, each with its outline level, which the navigation pane reads. */
function headingStyles() {
  return Object.fromEntries(
    HEADING_SIZES.map((size, i) => [
      `heading${i + 1}`,
      { run: { font: "Arial", size, bold: true, italics: false, color: "000000" }, paragraph: { spacing: { before: i === 0 ? 360 : 240, after: 120 }, keepNext: true, outlineLevel: i } },
    ]),
  );
}

export function inlineRuns(runs: Run[], extra: { bold?: boolean } = {}): ParagraphChild[] {
  return runs.map((run) => {
    const text = new TextRun({ text: run.text, bold: run.bold || extra.bold || undefined, italics: run.italic || undefined, style: run.href ? "Hyperlink" : undefined });
    return run.href ? new ExternalHyperlink({ link: run.href, children: [text] }) : text;
  });
}

function headerTable(input: VersionDocumentInput): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: "AEB7BD" };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: [3000, 6638],
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: headerRows(input).map(
      ([label, value]) =>
        new TableRow({
          cantSplit: true,
          children: [
            new TableCell({ children: [new Paragraph({ spacing: { after: 0 }, children: [new TextRun({ text: label, bold: true })] })] }),
            new TableCell({ children: [new Paragraph({ spacing: { after: 0 }, children: [new TextRun(value)] })] }),
          ],
        }),
    ),
  });
}

export async function versionDocx(input: VersionDocumentInput): Promise<Uint8Array> {
  const blocks = versionBlocks(input.doc);
  // One numbering definition per kind of list and first number; one instance per list, so each
  // list numbers from its own start.
  const references = new Map<string, { ordered: boolean; start: number }>();
  const body: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(input.title)] }),
    headerTable(input),
    new Paragraph({ children: [] }),
  ];
  for (const block of blocks) {
    if (block.kind === "heading") {
      body.push(new Paragraph({ heading: HEADINGS[Math.min(block.level, 6) - 1], keepNext: true, children: [new TextRun(`${block.number} ${block.text}`)] }));
    } else if (block.kind === "clause") {
      body.push(
        new Paragraph({
          style: "Clause",
          children: [new TextRun({ text: block.number, bold: true }), new TextRun({ children: [new Tab()] }), ...inlineRuns(block.runs)],
        }),
      );
    } else if (block.kind === "text") {
      body.push(new Paragraph({ style: "ClauseText", children: inlineRuns(block.runs) }));
    } else {
      const reference = block.ordered ? `ordered-${block.start}` : "bullets";
      references.set(reference, { ordered: block.ordered, start: block.start });
      body.push(new Paragraph({ style: "ClauseListItem", numbering: { reference, level: Math.min(block.level, 8), instance: block.list }, children: inlineRuns(block.runs) }));
    }
  }
  const document = new Document({
    title: `${input.title}, version ${input.number}`,
    subject: input.reference ? `Service specification ${input.reference}` : "Service specification",
    creator: "NHS England",
    description: `Version ${input.number}${input.label ? ` (${input.label})` : ""} of the service specification.`,
    styles: {
      default: {
        document: { run: { font: "Arial", size: 22, language: { value: "en-GB" } }, paragraph: { spacing: { after: 120, line: 276 } } },
        title: { run: { font: "Arial", size: 40, bold: true, color: "000000" }, paragraph: { spacing: { after: 240 } } },
        ...headingStyles(),
        hyperlink: { run: { color: "005EB8", underline: {} } },
      },
      paragraphStyles: [
        { id: "Clause", name: "Clause", basedOn: "Normal", paragraph: { indent: { left: CLAUSE_INDENT, hanging: CLAUSE_INDENT } } },
        { id: "ClauseText", name: "Clause text", basedOn: "Normal", paragraph: { indent: { left: CLAUSE_INDENT } } },
        { id: "ClauseListItem", name: "Clause list item", basedOn: "Normal", paragraph: { spacing: { after: 60 } } },
      ],
    },
    numbering: { config: [...references].map(([reference, list]) => ({ reference, levels: levels(list.ordered, list.start) })) },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, right: 1134, bottom: 1134, left: 1134 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun(`${input.title}, version ${input.number}. Page `), new TextRun({ children: [PageNumber.CURRENT] }), new TextRun(" of "), new TextRun({ children: [PageNumber.TOTAL_PAGES] })],
              }),
            ],
          }),
        },
        children: body,
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

export const versionDocxName = (input: Pick<VersionDocumentInput, "slug" | "number">) => `${downloadName(input.slug, input.number)}.docx`;
