// A tagged, accessible PDF written with pdfkit (no browser): PDF 1.7 with a structure tree
// (Document, H1–H6, P, L/LI/Lbl/LBody, Table/TR/TH/TD), its language (en-GB) and title shown in
// the window's title bar, A4 with 2 cm margins, page numbers marked as artifacts, and DejaVu
// Sans embedded (from the dejavu-fonts-ttf package), so curly quotes, dashes, ≥, → and
// accented names render and can be copied.
import { createRequire } from "node:module";
import path from "node:path";
import type PDFKitDocument from "pdfkit";
import type { Run } from "./version-facts";

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
const FONTS = { regular: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf", italic: "DejaVuSans-Oblique.ttf", boldItalic: "DejaVuSans-BoldOblique.ttf" } as const;

type Struct = PDFKit.PDFStructureElement;
export type FontStyle = keyof typeof FONTS;

/** A4 in points, and margins of 2 cm (57 pt) at the sides and a little more above and below. */
const MARGINS = { top: 62, bottom: 68, left: 57, right: 57 };
const BODY_SIZE = 10.5;
const HEADING_SIZES = [20, 16, 13.5, 12, 11, 11];
const CLAUSE_INDENT = 48;
const LIST_STEP = 18;

/** How a stretch of text is shown in a compare document. */
export interface StyledRun extends Run {
  underline?: boolean;
  strike?: boolean;
  color?: string;
  /** What assistive technology reads instead ("[added: …]"), for marks only the eye can see. */
  actual?: string;
}

export interface PdfMeta {
  title: string;
  subject: string;
  /** Repeated at the foot of every page, before the page number. */
  footer: string;
}

/**
 * A writer for one PDF. pdfkit (with its fonts and line-breaking tables) is loaded on the first
 * PDF asked for rather than as the server starts: it is a sixth of a later start's time, and
 * most servers are never asked for a PDF.
 */
export async function openPdfWriter(meta: PdfMeta): Promise<PdfWriter> {
  const { default: PDFDocument } = await import("pdfkit");
  return new PdfWriter(meta, PDFDocument);
}

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly root: Struct;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Uint8Array>;
  /** Open lists, one per level: the L element, its latest LI, and which list it is. */
  private lists: { list: Struct; item: Struct | null; id: number }[] = [];
  /** The latest bookmark at each heading level, so that deeper headings nest under it. */
  private bookmarks: PDFKit.PDFOutline[] = [];

  constructor(
    private readonly meta: PdfMeta,
    PDFDocument: typeof PDFKitDocument,
  ) {
    this.doc = new PDFDocument({
      size: "A4",
      margins: MARGINS,
      pdfVersion: "1.7",
      tagged: true,
      lang: "en-GB",
      displayTitle: true,
      bufferPages: true,
      info: { Title: meta.title, Subject: meta.subject, Author: "NHS England", Creator: "Specwork", Producer: "Specwork (pdfkit)", CreationDate: new Date(0), ModDate: new Date(0) },
    });
    for (const [name, file] of Object.entries(FONTS)) this.doc.registerFont(name, path.join(FONT_DIR, file));
    this.doc.font("regular").fontSize(BODY_SIZE);
    this.doc.on("data", (chunk: Buffer) => this.chunks.push(chunk));
    this.done = new Promise((resolve, reject) => {
      this.doc.on("end", () => resolve(new Uint8Array(Buffer.concat(this.chunks))));
      this.doc.on("error", reject);
    });
    this.root = this.doc.struct("Document");
    this.doc.addStructure(this.root);
  }

  private get left() {
    return this.doc.page.margins.left;
  }
  private get width() {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  private get bottom() {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page when less than `height` points are left on this one. */
  private keepRoom(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  private add(element: Struct, parent: Struct = this.root): Struct {
    parent.add(element);
    return element;
  }

  /** Writes one run of a paragraph; the first starts at `x`, the others carry on after it. */
  private write(run: StyledRun, index: number, count: number, x: number, width: number, base: { bold?: boolean; size?: number }): void {
    const doc = this.doc;
    const bold = run.bold || base.bold;
    doc.fontSize(base.size ?? BODY_SIZE);
    doc.font(bold && run.italic ? "boldItalic" : bold ? "bold" : run.italic ? "italic" : "regular");
    doc.fillColor(run.color ?? (run.href ? "#005EB8" : "#212B32"));
    const options: PDFKit.Mixins.TextOptions = { width, continued: index < count - 1, underline: Boolean(run.underline || run.href), strike: Boolean(run.strike), link: run.href ?? undefined, lineGap: 2 };
    if (index === 0) doc.text(run.text, x, doc.y, options);
    else doc.text(run.text, options);
    if (index === count - 1) doc.fillColor("#212B32").font("regular").fontSize(BODY_SIZE);
  }

  /**
   * Writes runs into `parent` (attached already), wrapping within `width` from `x`: a link as a
   * Link element (with its annotation), a run that says what it is (an addition or removal) as
   * a Span whose ActualText says so, other runs as the parent's own content.
   */
  private inline(parent: Struct, runs: StyledRun[], x: number, width: number, base: { bold?: boolean; size?: number } = {}): void {
    const shown = runs.length ? runs : [{ text: " ", bold: false, italic: false, href: null }];
    for (let i = 0; i < shown.length; ) {
      const run = shown[i]!;
      const start = i;
      if (run.href || run.actual) {
        parent.add(this.doc.struct(run.href ? "Link" : "Span", run.actual && !run.href ? { actual: run.actual } : {}, () => this.write(run, start, shown.length, x, width, base)));
        i++;
        continue;
      }
      let end = i;
      while (end < shown.length && !shown[end]!.href && !shown[end]!.actual) end++;
      parent.add(() => {
        for (let k = start; k < end; k++) this.write(shown[k]!, k, shown.length, x, width, base);
      });
      i = end;
    }
  }

  /** An element of `tag` under `parent`, holding `runs`. */
  private block(tag: string, runs: StyledRun[], x: number, width: number, base: { bold?: boolean; size?: number } = {}, parent: Struct = this.root): Struct {
    const element = this.add(this.doc.struct(tag), parent);
    this.inline(element, runs, x, width, base);
    element.end();
    return element;
  }

  private closeLists(level = 0): void {
    while (this.lists.length > level) this.lists.pop()!.list.end();
  }

  heading(level: number, text: string): void {
    this.closeLists();
    const size = HEADING_SIZES[Math.min(level, 6) - 1]!;
    this.doc.moveDown(level === 1 ? 0 : 0.6);
    this.keepRoom(size * 4);
    // Bookmarks for every heading below the title, nested as the headings are.
    if (level > 1) {
      const parent = this.bookmarks.slice(0, level - 2).reverse().find(Boolean) ?? this.doc.outline;
      this.bookmarks.length = level - 1;
      this.bookmarks[level - 2] = parent.addItem(text);
    }
    this.block(`H${Math.min(level, 6)}`, [{ text, bold: true, italic: false, href: null }], this.left, this.width, { size });
    this.doc.moveDown(0.3);
  }

  paragraph(runs: StyledRun[], options: { indent?: number; size?: number } = {}): void {
    this.closeLists();
    this.keepRoom(BODY_SIZE * 2.5);
    const indent = options.indent ?? 0;
    this.block("P", runs, this.left + indent, this.width - indent, { size: options.size });
    this.doc.moveDown(0.4);
  }

  /** A clause: its number at the margin and its first paragraph beside it, both one P. */
  clause(number: string, runs: StyledRun[]): void {
    this.closeLists();
    this.keepRoom(BODY_SIZE * 3);
    const paragraph = this.add(this.doc.struct("P"));
    const top = this.doc.y;
    paragraph.add(() => {
      this.doc.font("bold").fontSize(BODY_SIZE).fillColor("#212B32").text(`${number} `, this.left, top, { width: CLAUSE_INDENT - 4, lineBreak: false });
    });
    this.doc.y = top;
    this.inline(paragraph, runs, this.left + CLAUSE_INDENT, this.width - CLAUSE_INDENT);
    paragraph.end();
    this.doc.moveDown(0.4);
  }

  clauseText(runs: StyledRun[]): void {
    this.paragraph(runs, { indent: CLAUSE_INDENT });
  }

  /** A list item; `list` tells lists apart, so a new list at the same level starts a new L. */
  item(list: number, level: number, label: string, runs: StyledRun[]): void {
    this.closeLists(level + 1);
    if (this.lists[level] && this.lists[level]!.id !== list) this.closeLists(level);
    if (!this.lists[level]) {
      const parent = level === 0 ? this.root : (this.lists[level - 1]?.item ?? this.root);
      this.lists[level] = { list: this.add(this.doc.struct("L"), parent), item: null, id: list };
    }
    const open = this.lists[level]!;
    open.item?.end();
    const item = this.add(this.doc.struct("LI"), open.list);
    open.item = item;
    this.keepRoom(BODY_SIZE * 2.5);
    const x = this.left + CLAUSE_INDENT + LIST_STEP * level;
    const top = this.doc.y;
    this.add(
      this.doc.struct("Lbl", {}, () => {
        this.doc.font("regular").fontSize(BODY_SIZE).fillColor("#212B32").text(label, x, top, { width: LIST_STEP + 6, lineBreak: false });
      }),
      item,
    );
    this.doc.y = top;
    this.block("LBody", runs, x + LIST_STEP + 6, this.width - (x - this.left) - LIST_STEP - 6, {}, item);
    this.doc.moveDown(0.25);
  }

  /** A two-column table whose first column heads each row. */
  table(rows: [string, string][], caption?: string): void {
    this.closeLists();
    const doc = this.doc;
    const labelWidth = 140;
    const pad = 5;
    const table = this.add(doc.struct("Table"));
    if (caption) this.block("Caption", [{ text: caption, bold: true, italic: false, href: null }], this.left, this.width, {}, table);
    for (const [label, value] of rows) {
      doc.font("regular").fontSize(BODY_SIZE);
      const height = Math.max(doc.heightOfString(label, { width: labelWidth - 2 * pad }), doc.heightOfString(value, { width: this.width - labelWidth - 2 * pad })) + 2 * pad;
      this.keepRoom(height);
      const top = doc.y;
      const row = this.add(doc.struct("TR"), table);
      this.add(doc.struct("TH", { scope: "Row" } as PDFKit.Mixins.StructureElementOptions, () => {
        doc.font("bold").fillColor("#212B32").text(label, this.left + pad, top + pad, { width: labelWidth - 2 * pad });
      }), row);
      this.add(doc.struct("TD", {}, () => {
        doc.font("regular").fillColor("#212B32").text(value, this.left + labelWidth + pad, top + pad, { width: this.width - labelWidth - 2 * pad });
      }), row);
      row.end();
      // The borders are decoration, not content.
      doc.markContent("Artifact", { type: "Layout" });
      doc.lineWidth(0.5).strokeColor("#AEB7BD").rect(this.left, top, this.width, height).stroke().moveTo(this.left + labelWidth, top).lineTo(this.left + labelWidth, top + height).stroke();
      doc.endMarkedContent();
      doc.y = top + height;
    }
    table.end();
    doc.x = this.left;
    doc.moveDown(1);
  }

  /** Page numbers on every page, and the file's bytes. */
  async finish(): Promise<Uint8Array> {
    this.closeLists();
    this.root.end();
    const doc = this.doc;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const margin = doc.page.margins.bottom;
      // Writing below the bottom margin would start a new page; the footer may stand there.
      doc.page.margins.bottom = 0;
      doc.markContent("Artifact", { type: "Pagination" });
      doc.font("regular").fontSize(8.5).fillColor("#4C6272").text(`${this.meta.footer} – page ${i + 1} of ${range.count}`, doc.page.margins.left, doc.page.height - margin + 24, { width: this.width, align: "center", lineBreak: false });
      doc.endMarkedContent();
      doc.page.margins.bottom = margin;
    }
    doc.end();
    return this.done;
  }
}
