// pandoc as an independent reader of our Word files: `--track-changes=accept|reject` to its JSON
// document, turned into one line per paragraph (list items with their indent and number).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

type Inline = { t: string; c?: unknown };
type Block = { t: string; c?: unknown };

function inlineText(inlines: Inline[]): string {
  let out = "";
  for (const inline of inlines) {
    if (inline.t === "Str") out += inline.c as string;
    else if (inline.t === "Space" || inline.t === "SoftBreak") out += " ";
    else if (inline.t === "LineBreak") out += "\n";
    else if (["Strong", "Emph", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"].includes(inline.t)) out += inlineText(inline.c as Inline[]);
    else if (inline.t === "Link" || inline.t === "Span") out += inlineText((inline.c as [unknown, Inline[]])[1]);
    else if (inline.t === "Quoted") {
      const [kind, content] = inline.c as [{ t: string }, Inline[]];
      const quote = kind.t === "SingleQuote" ? "'" : '"';
      out += quote + inlineText(content) + quote;
    } else throw new Error(`pandoc gave an inline we do not read: ${inline.t}`);
  }
  return out;
}

/** Text as pandoc gives it: runs of spaces are one space, and none at either end. */
export const squeeze = (text: string) => text.replace(/[ \t\n]+/g, " ").trim();

function isEmpty(blocks: Block[]): boolean {
  return blocks.every((block) => {
    if (block.t === "BulletList") return (block.c as Block[][]).every(isEmpty);
    if (block.t === "OrderedList") return (block.c as [unknown, Block[][]])[1].every(isEmpty);
    if (block.t === "Div") return isEmpty((block.c as [unknown, Block[]])[1]);
    if (block.t === "Para" || block.t === "Plain") return squeeze(inlineText(block.c as Inline[])) === "";
    return false;
  });
}

function blockLines(blocks: Block[], level: number, out: string[]): void {
  for (const block of blocks) {
    if (block.t === "Para" || block.t === "Plain") {
      const text = squeeze(inlineText(block.c as Inline[]));
      if (text) out.push(text);
    }
    else if (block.t === "Header") {
      const text = squeeze(inlineText((block.c as [number, unknown, Inline[]])[2]));
      // pandoc keeps a heading whose text and paragraph mark were both removed, empty.
      if (text) out.push(text);
    } else if (block.t === "BulletList" || block.t === "OrderedList") {
      const ordered = block.t === "OrderedList";
      const [start, items] = ordered ? [(block.c as [[number]])[0][0], (block.c as [unknown, Block[][]])[1]] : [1, block.c as Block[][]];
      // pandoc keeps a list item whose paragraph went with its mark, empty, and nests the items
      // after it that are one level deeper inside it. Word removes the paragraph: the items after
      // it take its number, and the deeper ones belong to the item before.
      let n = start;
      for (const item of items.filter((blocks) => !isEmpty(blocks))) {
        const [first, ...rest] = item;
        if (first && (first.t === "Para" || first.t === "Plain") && !isEmpty([first])) {
          out.push(`${"  ".repeat(level)}${ordered ? `${n++}.` : "•"} ${squeeze(inlineText(first.c as Inline[]))}`);
          blockLines(rest, level + 1, out);
        } else {
          blockLines(item, level + 1, out);
        }
      }
    } else if (block.t === "Div" || block.t === "BlockQuote") {
      blockLines(block.t === "Div" ? (block.c as [unknown, Block[]])[1] : (block.c as Block[]), level, out);
    } else throw new Error(`pandoc gave a block we do not read: ${block.t}`);
  }
}

/** The document's paragraphs after pandoc accepts (or rejects) every tracked change. */
export function pandocLines(docx: Uint8Array, mode: "accept" | "reject"): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-pandoc-"));
  try {
    const file = path.join(dir, "redline.docx");
    writeFileSync(file, docx);
    const json = execFileSync("pandoc", [`--track-changes=${mode}`, "--from=docx", "--to=json", file], { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    const out: string[] = [];
    blockLines((JSON.parse(json) as { blocks: Block[] }).blocks, 0, out);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
