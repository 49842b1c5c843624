// pdf.js (Mozilla's PDF reader) as an independent reader of our PDFs: the text of every page,
// whether the file is tagged (MarkInfo /Marked and a structure tree), its language and title.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export interface StructNode {
  role?: string;
  children?: StructNode[];
  type?: string;
  lang?: string;
}

export interface PdfFacts {
  pages: number;
  /** Each page's text, pages joined by newlines. */
  text: string;
  pageTexts: string[];
  marked: boolean;
  /** The roles of the structure tree of each page, depth first ("H1", "P", "L", "LI" …). */
  roles: string[];
  hasStructTree: boolean;
  lang: string | null;
  title: string | null;
  displayTitle: boolean;
  /** The bookmarks, nested: "1 Scope" with ["1.3 Care pathway", …] under it. */
  outline: Bookmark[];
}

export interface Bookmark {
  title: string;
  items: Bookmark[];
}

const roles = (node: StructNode | null | undefined, out: string[]) => {
  if (!node) return out;
  if (node.role) out.push(node.role);
  for (const child of node.children ?? []) roles(child, out);
  return out;
};

export async function pdfFacts(bytes: Uint8Array): Promise<PdfFacts> {
  const raw = Buffer.from(bytes).toString("latin1");
  const pdf = await getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const pageTexts: string[] = [];
    const found: string[] = [];
    let hasStructTree = false;
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      pageTexts.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
      const tree = (await page.getStructTree()) as StructNode | null;
      if (tree) hasStructTree = true;
      roles(tree, found);
    }
    const markInfo = (await pdf.getMarkInfo()) as { Marked?: boolean } | null;
    const metadata = await pdf.getMetadata();
    const info = metadata.info as { Title?: string; Language?: string };
    const viewer = (await pdf.getViewerPreferences()) as { DisplayDocTitle?: boolean } | null;
    const bookmarks = (items: { title: string; items: unknown[] }[] | null): Bookmark[] => (items ?? []).map((i) => ({ title: i.title, items: bookmarks(i.items as { title: string; items: unknown[] }[]) }));
    const outline = bookmarks((await pdf.getOutline()) as { title: string; items: unknown[] }[] | null);
    return {
      pages: pdf.numPages,
      pageTexts,
      text: pageTexts.join("\n"),
      marked: markInfo?.Marked === true,
      roles: found,
      hasStructTree,
      // pdf.js reads the catalogue's /Lang into the document's info.
      lang: info.Language ?? /\/Lang \(([^)]*)\)/.exec(raw)?.[1] ?? null,
      title: info.Title ?? null,
      displayTitle: viewer?.DisplayDocTitle === true,
      outline,
    };
  } finally {
    await pdf.destroy();
  }
}
