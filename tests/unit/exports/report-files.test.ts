import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { reportCsv, reportDocx } from "~/exports/report-files";
import { report, reportTheme } from "../report-builders";

function pandocPlain(docx: Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-report-"));
  try {
    writeFileSync(path.join(dir, "report.docx"), docx);
    return execFileSync("pandoc", ["--from=docx", "--to=plain", "--wrap=none", path.join(dir, "report.docx")], { encoding: "utf8", timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the report's CSV", () => {
  it("has one figure per row, and keeps cells that a spreadsheet would run as formulas as text", () => {
    const text = reportCsv(report([reportTheme({ title: '=HYPERLINK("http://x")', quotes: [{ text: "+1 more bus", attribution: "@Carers", context: null }] })]));
    const rows = text.split("\r\n");
    expect(rows[0]).toBe("section,theme,item,count,text");
    expect(rows).toContain("responses,,All responses,14,");
    expect(text).toContain(`theme,"'=HYPERLINK(""http://x"")",Responses,12,Longer journeys.`);
    expect(text).toContain(`theme: quote,"'=HYPERLINK(""http://x"")",'@Carers,,'+1 more bus`);
    expect(text).not.toMatch(/(^|,)[=+@]/m);
  });
});

describe("the report's Word document", () => {
  it("is a document pandoc reads, with the report's sections, tables and quotes, and no change tracking", () => {
    const docx = reportDocx(report([reportTheme({ quotes: [{ text: "Buses <and> trains & ferries", attribution: "Carers", context: null }] })]), "2017-01-05T10:00:00.000Z");
    const files = unzipSync(docx);
    expect(strFromU8(files["word/settings.xml"]!)).not.toContain("trackRevisions");
    const text = pandocPlain(docx);
    for (const expected of ["Engagement report", "A consultation", "Published on 5 January 2017", "Who responded", "We received 14 responses: 11 online and 3 in other formats", "Patients and the public", "“Buses <and> trains & ferries”", "Our decision: Adopted. Common cancers stay local.", "Clause 3.2.9 (now 3.2.10) in version 1.0: Travel help named.", "What did not change, and why", "a sample of 4 responses"]) {
      expect(text).toContain(expected);
    }
  });
});
