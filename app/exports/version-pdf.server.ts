// A published version as a tagged, accessible PDF: the title, the header table, then every
// section and clause numbered as on the version page.
import { openPdfWriter } from "./pdf-writer.server";
import { downloadName, headerRows, itemLabel, versionBlocks, type VersionDocumentInput } from "./version-facts";

export async function versionPdf(input: VersionDocumentInput): Promise<Uint8Array> {
  const name = `${input.title}, version ${input.number}`;
  const pdf = await openPdfWriter({ title: name, subject: input.reference ? `Service specification ${input.reference}` : "Service specification", footer: `${input.reference ? `${input.reference}, v` : "V"}ersion ${input.number}` });
  pdf.heading(1, input.title);
  pdf.table(headerRows(input), "About this version");
  for (const block of versionBlocks(input.doc)) {
    if (block.kind === "heading") pdf.heading(block.level + 1, `${block.number} ${block.text}`);
    else if (block.kind === "clause") pdf.clause(block.number, block.runs);
    else if (block.kind === "text") pdf.clauseText(block.runs);
    else pdf.item(block.list, block.level, itemLabel(block), block.runs);
  }
  return pdf.finish();
}

export const versionPdfName = (input: Pick<VersionDocumentInput, "slug" | "number">) => `${downloadName(input.slug, input.number)}.pdf`;
