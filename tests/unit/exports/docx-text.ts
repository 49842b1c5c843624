// Reads a .docx back as Word would show it after "Accept all" or "Reject all": paragraph marks
// that go join their paragraph to the next, moves and formatting revisions are applied, and
// list paragraphs get the numbers Word's numbering gives them.
import { unzipSync } from "fflate";

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: (XmlNode | string)[];
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decode = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_m, name: string) =>
    name.startsWith("#x") ? String.fromCodePoint(parseInt(name.slice(2), 16)) : name.startsWith("#") ? String.fromCodePoint(Number(name.slice(1))) : ENTITIES[name]!,
  );

/** A small XML reader, enough for the parts of a WordprocessingML package. */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: "#root", attrs: {}, children: [] };
  const stack = [root];
  const pattern = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  for (const match of xml.matchAll(pattern)) {
    const [, closing, name, attrText, selfClosing, text] = match;
    const top = stack[stack.length - 1]!;
    if (text !== undefined) {
      top.children.push(decode(text));
    } else if (name && closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else if (name) {
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? "").matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = decode(a[2] ?? a[3] ?? "");
      const node: XmlNode = { name, attrs, children: [] };
      top.children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  return root;
}

const elements = (node: XmlNode) => node.children.filter((c): c is XmlNode => typeof c !== "string");
const child = (node: XmlNode | undefined, name: string) => (node ? elements(node).find((c) => c.name === name) : undefined);
const textOf = (node: XmlNode): string => node.children.map((c) => (typeof c === "string" ? c : "")).join("");
const on = (node: XmlNode | undefined) => node !== undefined && !["false", "0", "off"].includes(node.attrs["w:val"] ?? "true");

export function docxParts(docx: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(docx)).map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]));
}

export function documentXml(docx: Uint8Array): string {
  const xml = docxParts(docx)["word/document.xml"];
  if (!xml) throw new Error("no word/document.xml in the file");
  return xml;
}

export interface ReadRun {
  text: string;
  bold: boolean;
  italic: boolean;
  link: string | null;
}

export interface ReadParagraph {
  style: string;
  /** The list label Word shows ("3.", "•"), or "" for a paragraph that is not a list item. */
  label: string;
  level: number;
  runs: ReadRun[];
}

interface Properties {
  style: string;
  numId: string | null;
  level: number;
}

function paragraphProperties(pPr: XmlNode | undefined): Properties {
  const numPr = child(pPr, "w:numPr");
  const numId = child(numPr, "w:numId")?.attrs["w:val"] ?? null;
  return { style: child(pPr, "w:pStyle")?.attrs["w:val"] ?? "Normal", numId: numId === "0" ? null : numId, level: Number(child(numPr, "w:ilvl")?.attrs["w:val"] ?? 0) };
}

const REMOVED = { accept: ["w:del", "w:moveFrom"], reject: ["w:ins", "w:moveTo"] };

/**
 * When a paragraph mark goes, its paragraph joins the next. Readers differ in which one's
 * properties the joined paragraph keeps: the next one's (pandoc, and Word by the format's
 * account), or the first one's that has text (LibreOffice). A file that reads the same either
 * way does not depend on the choice.
 */
export type JoinRule = "next" | "first-with-text";

/** The paragraphs Word shows once every change is accepted, or every one rejected. */
export function readDocx(docx: Uint8Array, mode: "accept" | "reject", join: JoinRule = "next"): ReadParagraph[] {
  const parts = docxParts(docx);
  const links = new Map<string, string>();
  for (const rel of elements(child(parseXml(parts["word/_rels/document.xml.rels"] ?? "<Relationships/>"), "Relationships")!)) links.set(rel.attrs.Id!, rel.attrs.Target!);
  const body = child(child(parseXml(parts["word/document.xml"]!), "w:document"), "w:body")!;
  const removed = REMOVED[mode];
  const out: { properties: Properties; runs: ReadRun[] }[] = [];
  let carried: ReadRun[] = [];
  let carriedProperties: Properties | null = null;
  for (const p of elements(body).filter((e) => e.name === "w:p")) {
    const pPr = child(p, "w:pPr");
    const runs: ReadRun[] = [...carried];
    const walk = (node: XmlNode, hidden: boolean, link: string | null) => {
      for (const c of elements(node)) {
        if (c.name === "w:pPr") continue;
        if (["w:ins", "w:del", "w:moveFrom", "w:moveTo"].includes(c.name)) walk(c, hidden || removed.includes(c.name), link);
        else if (c.name === "w:hyperlink") walk(c, hidden, links.get(c.attrs["r:id"] ?? "") ?? null);
        else if (c.name === "w:r" && !hidden) {
          const rPr = child(c, "w:rPr");
          const shown = mode === "reject" && child(rPr, "w:rPrChange") ? child(child(rPr, "w:rPrChange"), "w:rPr") : rPr;
          let text = "";
          for (const piece of elements(c)) {
            if (piece.name === "w:t" || piece.name === "w:delText") text += textOf(piece);
            else if (piece.name === "w:tab") text += "\t";
            else if (piece.name === "w:br") text += "\n";
          }
          if (text) runs.push({ text, bold: on(child(shown, "w:b")), italic: on(child(shown, "w:i")), link });
        }
      }
    };
    walk(p, false, null);
    const markRevisions = elements(child(pPr, "w:rPr") ?? { name: "", attrs: {}, children: [] }).map((e) => e.name);
    const change = child(child(pPr, "w:pPrChange"), "w:pPr");
    const properties = paragraphProperties(mode === "reject" && change ? change : pPr);
    const hasText = runs.length > carried.length;
    if (markRevisions.some((name) => removed.includes(name))) {
      // The paragraph mark goes: this text joins the next paragraph.
      if (join === "first-with-text" && !carriedProperties && hasText) carriedProperties = properties;
      carried = runs;
      continue;
    }
    out.push({ properties: join === "first-with-text" && carriedProperties ? carriedProperties : properties, runs });
    carried = [];
    carriedProperties = null;
  }
  return numberParagraphs(out, parts["word/numbering.xml"]);
}

/** Word's list numbers: each list instance counts its paragraphs level by level from its start. */
function numberParagraphs(paragraphs: { properties: Properties; runs: ReadRun[] }[], numberingXml: string | undefined): ReadParagraph[] {
  const numbering = numberingXml ? child(parseXml(numberingXml), "w:numbering")! : undefined;
  const abstract = new Map<string, XmlNode>();
  const instances = new Map<string, XmlNode>();
  for (const e of numbering ? elements(numbering) : []) {
    if (e.name === "w:abstractNum") abstract.set(e.attrs["w:abstractNumId"]!, e);
    if (e.name === "w:num") instances.set(e.attrs["w:numId"]!, e);
  }
  const counters = new Map<string, number[]>();
  return paragraphs.map(({ properties, runs }) => {
    const { numId, level } = properties;
    const instance = numId ? instances.get(numId) : undefined;
    if (!instance) return { style: properties.style, label: "", level: 0, runs };
    const definition = abstract.get(child(instance, "w:abstractNumId")!.attrs["w:val"]!)!;
    const levelOf = (l: number) => elements(definition).find((e) => e.name === "w:lvl" && e.attrs["w:ilvl"] === String(l))!;
    const startOf = (l: number) => {
      const override = elements(instance).find((e) => e.name === "w:lvlOverride" && e.attrs["w:ilvl"] === String(l));
      return Number(child(override, "w:startOverride")?.attrs["w:val"] ?? child(levelOf(l), "w:start")?.attrs["w:val"] ?? 1);
    };
    const count = counters.get(numId!) ?? [];
    count[level] = count[level] === undefined ? startOf(level) : count[level]! + 1;
    count.length = level + 1;
    counters.set(numId!, count);
    const lvl = levelOf(level);
    const bullet = child(lvl, "w:numFmt")?.attrs["w:val"] === "bullet";
    const label = bullet ? "•" : child(lvl, "w:lvlText")!.attrs["w:val"]!.replace(/%(\d)/g, (_m, n: string) => String(count[Number(n) - 1] ?? startOf(Number(n) - 1)));
    return { style: properties.style, label, level, runs };
  });
}

/** Each paragraph as a line of text: a list item with its indent and label. */
export function lines(paragraphs: ReadParagraph[]): string[] {
  return paragraphs.map((p) => (p.label ? `${"  ".repeat(p.level)}${p.label} ` : "") + p.runs.map((r) => r.text).join(""));
}

/** Each paragraph with its formatting written out: <a href>, <strong>, <em>. */
export function formattedLines(paragraphs: ReadParagraph[]): string[] {
  return paragraphs.map((p) => (p.label ? `${"  ".repeat(p.level)}${p.label} ` : "") + formatRuns(p.runs));
}

export function formatRuns(runs: ReadRun[]): string {
  const merged: ReadRun[] = [];
  for (const run of runs) {
    const last = merged[merged.length - 1];
    if (last && last.bold === run.bold && last.italic === run.italic && last.link === run.link) last.text += run.text;
    else merged.push({ ...run });
  }
  return merged
    .map((r) => {
      let text = r.text;
      if (r.italic) text = `<em>${text}</em>`;
      if (r.bold) text = `<strong>${text}</strong>`;
      if (r.link) text = `<a href="${r.link}">${text}</a>`;
      return text;
    })
    .join("");
}
