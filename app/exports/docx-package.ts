// The parts of a Word (.docx) package around its document body: styles, list numbering,
// settings (change tracking on), properties and relationships, zipped as Office Open XML.
import { strToU8, zipSync } from "fflate";

export const W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
export const R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Characters XML 1.0 cannot hold (C0 controls other than tab and line ends, lone surrogates). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function xmlText(text: string): string {
  return text.replace(NOT_XML, "\ufffd").replace(/[&<>"]/g, (ch) => (ch === "&" ? "&amp;" : ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : "&quot;"));
}

/** Twentieths of a point: where a clause's text starts, right of its number. */
export const CLAUSE_INDENT = 1134;
/** Each list level indents this much more. */
export const LIST_STEP = 425;

export interface NumberingInstance {
  ordered: boolean;
  start: number;
  level: number;
}

export interface PackageInput {
  /** The inside of <w:body>. */
  body: string;
  title: string;
  author: string;
  /** ISO 8601; the package's properties carry it, so the same input gives the same file. */
  date: string;
  /** Link addresses; the document refers to the nth as relationship `rIdL{n + 1}`. */
  links: string[];
  lists: NumberingInstance[];
  /** Whether Word tracks edits made to the file (on for redlines; off for a report). */
  trackRevisions?: boolean;
  /** Comments the body anchors by id (w:commentRangeStart … w:commentReference). */
  comments?: DocxComment[];
}

export interface DocxComment {
  id: number;
  author: string;
  /** ISO 8601. */
  date: string;
  text: string;
}

const initials = (name: string) => name.split(/\s+/).filter(Boolean).map((w) => w[0]!.toUpperCase()).join("").slice(0, 4);

function commentsXml(comments: DocxComment[]): string {
  return (
    `${XML_HEAD}<w:comments xmlns:w="${W_NS}">` +
    comments
      .map(
        (c) =>
          `<w:comment w:id="${c.id}" w:author="${xmlText(c.author)}" w:date="${xmlText(c.date)}" w:initials="${xmlText(initials(c.author))}">` +
          c.text
            .split(/\n+/)
            .filter((line) => line.trim())
            .map((line, i) => `<w:p>${i === 0 ? "<w:r><w:annotationRef/></w:r>" : ""}<w:r><w:t xml:space="preserve">${xmlText(line)}</w:t></w:r></w:p>`)
            .join("") +
          "</w:comment>",
      )
      .join("") +
    "</w:comments>"
  );
}

export function docxPackage(input: PackageInput): Uint8Array {
  const comments = input.comments?.length ? input.comments : null;
  const files: Record<string, string> = {
    "[Content_Types].xml": contentTypes(comments !== null),
    "_rels/.rels": rels([
      ["rId1", `${REL}/officeDocument`, "word/document.xml"],
      ["rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"],
      ["rId3", `${REL}/extended-properties`, "docProps/app.xml"],
    ]),
    "word/_rels/document.xml.rels": rels(
      [
        ["rId1", `${REL}/styles`, "styles.xml"],
        ["rId2", `${REL}/numbering`, "numbering.xml"],
        ["rId3", `${REL}/settings`, "settings.xml"],
        ...(comments ? [["rId4", `${REL}/comments`, "comments.xml"]] : []),
      ],
      input.links.map((href, i) => [`rIdL${i + 1}`, `${REL}/hyperlink`, href]),
    ),
    "word/document.xml": `${XML_HEAD}<w:document xmlns:w="${W_NS}" xmlns:r="${R_NS}"><w:body>${input.body}${SECTION}</w:body></w:document>`,
    "word/styles.xml": STYLES,
    "word/numbering.xml": numbering(input.lists),
    "word/settings.xml": input.trackRevisions === false ? SETTINGS.replace("<w:trackRevisions/>", "") : SETTINGS,
    ...(comments ? { "word/comments.xml": commentsXml(comments) } : {}),
    "docProps/core.xml": core(input),
    "docProps/app.xml": `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Specwork</Application></Properties>`,
  };
  // A fixed time in every entry, so the same redline always gives the same bytes.
  const mtime = new Date(1980, 0, 1);
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, [strToU8(text), { mtime }]])));
}

function contentTypes(withComments: boolean): string {
  const part = (name: string, type: string) => `<Override PartName="/${name}" ContentType="${type}"/>`;
  const wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    part("word/document.xml", `${wml}.document.main+xml`) +
    part("word/styles.xml", `${wml}.styles+xml`) +
    part("word/numbering.xml", `${wml}.numbering+xml`) +
    part("word/settings.xml", `${wml}.settings+xml`) +
    (withComments ? part("word/comments.xml", `${wml}.comments+xml`) : "") +
    part("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml") +
    part("docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml") +
    "</Types>"
  );
}

function rels(internal: string[][], external: string[][] = []): string {
  const entry = ([id, type, target]: string[], externalMode: boolean) =>
    `<Relationship Id="${id}" Type="${type}" Target="${xmlText(target!)}"${externalMode ? ' TargetMode="External"' : ""}/>`;
  return `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${internal.map((r) => entry(r, false)).join("")}${external.map((r) => entry(r, true)).join("")}</Relationships>`;
}

function core(input: PackageInput): string {
  const date = xmlText(input.date);
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${xmlText(input.title)}</dc:title><dc:creator>${xmlText(input.author)}</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${date}</dcterms:modified>` +
    "</cp:coreProperties>"
  );
}

// A4 with 2 cm margins.
const SECTION = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>';

// Change tracking stays on, so edits made in Word to the redline are tracked too.
const SETTINGS =
  `${XML_HEAD}<w:settings xmlns:w="${W_NS}"><w:trackRevisions/><w:defaultTabStop w:val="720"/>` +
  '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>';

const heading = (level: number) => {
  const size = [32, 28, 26, 24, 24, 24][level - 1]!;
  return (
    `<w:style w:type="paragraph" w:styleId="Heading${level}"><w:name w:val="heading ${level}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
    `<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="${level - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="${size}"/></w:rPr></w:style>`
  );
};

// Indents live in the styles and the numbering, not on each paragraph, so readers that treat
// an indented paragraph as a quotation (pandoc does) read plain paragraphs.
const STYLES =
  `${XML_HEAD}<w:styles xmlns:w="${W_NS}">` +
  '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>' +
  '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>' +
  '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="40"/></w:rPr></w:style>' +
  [1, 2, 3, 4, 5, 6].map(heading).join("") +
  `<w:style w:type="paragraph" w:styleId="Clause"><w:name w:val="Clause"/><w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="left" w:pos="${CLAUSE_INDENT}"/></w:tabs><w:ind w:left="${CLAUSE_INDENT}" w:hanging="${CLAUSE_INDENT}"/></w:pPr></w:style>` +
  `<w:style w:type="paragraph" w:styleId="ClauseText"><w:name w:val="Clause text"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="${CLAUSE_INDENT}"/></w:pPr></w:style>` +
  '<w:style w:type="paragraph" w:styleId="ClauseListItem"><w:name w:val="Clause list item"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="60"/></w:pPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="567"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>' +
  '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="005EB8"/><w:u w:val="single"/></w:rPr></w:style>' +
  "</w:styles>";

const BULLETS = ["•", "◦", "▪"];

function levels(ordered: boolean): string {
  let out = "";
  for (let level = 0; level < 9; level++) {
    const left = CLAUSE_INDENT + LIST_STEP * (level + 1);
    out +=
      `<w:lvl w:ilvl="${level}"><w:start w:val="1"/><w:numFmt w:val="${ordered ? "decimal" : "bullet"}"/>` +
      // Each nested list counts on its own, as the source format numbers it ("1.", not "2.1.").
      `<w:lvlText w:val="${ordered ? `%${level + 1}.` : BULLETS[level % BULLETS.length]}"/><w:lvlJc w:val="left"/>` +
      `<w:pPr><w:tabs><w:tab w:val="num" w:pos="${left}"/></w:tabs><w:ind w:left="${left}" w:hanging="${LIST_STEP}"/></w:pPr></w:lvl>`;
  }
  return out;
}

/**
 * One numbering instance per list, each restarting at its own first number: numbering shared
 * by two lists would count on from one to the other.
 */
function numbering(lists: NumberingInstance[]): string {
  const abstract = (id: number, ordered: boolean) => `<w:abstractNum w:abstractNumId="${id}"><w:multiLevelType w:val="multilevel"/>${levels(ordered)}</w:abstractNum>`;
  const instances = lists
    .map(
      (list, i) =>
        `<w:num w:numId="${i + 1}"><w:abstractNumId w:val="${list.ordered ? 1 : 0}"/><w:lvlOverride w:ilvl="${list.level}"><w:startOverride w:val="${list.start}"/></w:lvlOverride></w:num>`,
    )
    .join("");
  return `${XML_HEAD}<w:numbering xmlns:w="${W_NS}">${abstract(0, false)}${abstract(1, true)}${instances}</w:numbering>`;
}
