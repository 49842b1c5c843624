// Reads a .docx back: each paragraph's text with all tracked changes accepted, or all rejected.
import { unzipSync } from "fflate";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_m, name: string) => ENTITIES[name]!);

export function documentXml(docx: Uint8Array): string {
  const files = unzipSync(docx);
  const xml = files["word/document.xml"];
  if (!xml) throw new Error("no word/document.xml in the file");
  return new TextDecoder().decode(xml);
}

export function paragraphs(xml: string, mode: "accept" | "reject"): string[] {
  const out: string[] = [];
  for (const whole of xml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? []) {
    // Paragraph properties (tab stops, indents) are not text.
    const paragraph = whole.replace(/<w:pPr>[\s\S]*?<\/w:pPr>/, "");
    let text = "";
    let inIns = 0;
    let inDel = 0;
    for (const match of paragraph.matchAll(/<(\/?)w:(ins|del|t|delText|br|tab)\b[^>]*?(\/?)>([^<]*)/g)) {
      const [, closing, tag, selfClosing, content] = match;
      if (tag === "ins") inIns += closing ? -1 : selfClosing ? 0 : 1;
      else if (tag === "del") inDel += closing ? -1 : selfClosing ? 0 : 1;
      const visible = mode === "accept" ? inDel === 0 : inIns === 0;
      if (closing || !visible) continue;
      if (tag === "t" || tag === "delText") text += decode(content ?? "");
      else if (tag === "br") text += "\n";
      else if (tag === "tab") text += "\t";
    }
    out.push(text);
  }
  return out;
}
