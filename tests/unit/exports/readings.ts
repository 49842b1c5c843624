// A version as its own Word document would read, paragraph by paragraph: what "Accept all"
// (for the newer version) or "Reject all" (for the older) must give back.
import { outline } from "~/domain/numbering";
import { clauseLineMarkers } from "~/domain/plain-text";
import { itemNodes, markedText } from "~/domain/redline/marked-text";
import type { DocJSON } from "~/domain/schema";
import { formatRuns, type ReadRun } from "./docx-text";
import { squeeze } from "./pandoc";

interface Line {
  /** What stands before the text: the number and a tab or space, or the list label. */
  lead: string;
  leadBold: boolean;
  runs: ReadRun[];
}

function versionParagraphs(doc: DocJSON): Line[] {
  const nodes = itemNodes(doc);
  const out: Line[] = [];
  for (const entry of outline(doc)) {
    const node = nodes.get(`${entry.kind}:${entry.id}`)!;
    const marked = markedText(node);
    const markers = node.type === "clause" ? clauseLineMarkers(node) : [{ plain: "", display: "" }];
    marked.lines.forEach((line, i) => {
      const end = marked.lines[i + 1] ? marked.lines[i + 1]!.start - 1 : marked.text.length;
      const runs: ReadRun[] = [];
      let at = line.textStart;
      for (const run of marked.runs.filter((r) => r.start >= line.textStart && r.end <= end)) {
        if (run.start > at) runs.push({ text: marked.text.slice(at, run.start), bold: false, italic: false, link: null });
        const link = run.marks.find((m) => m.type === "link");
        runs.push({ text: marked.text.slice(run.start, run.end), bold: run.marks.some((m) => m.type === "strong"), italic: run.marks.some((m) => m.type === "em"), link: link?.type === "link" ? link.attrs.href : null });
        at = run.end;
      }
      if (end > at) runs.push({ text: marked.text.slice(at, end), bold: false, italic: false, link: null });
      if (i > 0) {
        // Word's bullets and numbers: "•" and "3.", indented two spaces a level.
        out.push({ lead: markers[i]!.display, leadBold: false, runs });
      } else if (entry.kind === "section") {
        out.push({ lead: `${entry.appendix && entry.depth === 1 ? "Appendix " : ""}${entry.number} `, leadBold: false, runs });
      } else {
        out.push({ lead: `${entry.number}\t`, leadBold: true, runs });
      }
    });
  }
  return out;
}

/** Each paragraph's text, as lines() reads a Word file. */
export function versionLines(doc: DocJSON): string[] {
  return versionParagraphs(doc).map((line) => line.lead + line.runs.map((r) => r.text).join(""));
}

/** Each paragraph with its formatting, as formattedLines() reads a Word file. */
export function versionFormattedLines(doc: DocJSON): string[] {
  return versionParagraphs(doc).map((line) => {
    if (!line.leadBold) return line.lead + formatRuns(line.runs);
    const [number, separator] = line.lead.split(/(\t)/);
    return formatRuns([{ text: number!, bold: true, italic: false, link: null }, { text: separator!, bold: false, italic: false, link: null }, ...line.runs]);
  });
}

/** The same lines as pandocLines() gives them: tabs and runs of spaces as one space. */
export function versionPandocLines(doc: DocJSON): string[] {
  return versionLines(doc).map((line) => {
    const indent = /^ */.exec(line)![0];
    return indent + squeeze(line);
  });
}
