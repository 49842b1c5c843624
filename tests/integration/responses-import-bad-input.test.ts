// The bad-input corpus for imports: malformed CSV and XLSX each get a clear problem naming the
// row (and the column where there is one), and nothing is stored. Good XLSX is read as text:
// formulas are their formula text, never evaluated.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { zipSync } from "fflate";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMapping, type ResponseMapping } from "~/domain/response-mapping";
import { migrateToLatest, openDatabase, type Database } from "~/models/db.server";
import { seedIfEmpty } from "~/models/library.server";
import { formatOf, importResponsesFile, type ImportResult } from "~/models/response-import.server";

const CONSULTATION = "radiotherapy-consultation-2017";
const ACTOR = { id: null, email: "test" };
let db: Kysely<Database>;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "specwork-import-corpus-"));
  db = openDatabase(path.join(dir, "db.sqlite"));
  await migrateToLatest(db);
  await seedIfEmpty(db, path.resolve("specs"));
}, 180_000);
afterAll(() => db.destroy());

const MAPPING = (() => {
  const parsed = parseMapping({
    id: "ID",
    submitted: "Submitted",
    capacity: { column: "Capacity", values: { Individual: "individual", Organisation: "organisation" } },
    organisation: "Organisation",
    consent: { column: "Consent", values: { Full: "full", Anonymous: "anonymous", None: "none" } },
    answers: { Q1: "q1", "Q1 comment": "q1-comment", Q2: "q2" },
    clauses: { "Comment on travel": "travel-transport-accommodation" },
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.mapping;
})();
const HEADERS = ["ID", "Submitted", "Capacity", "Organisation", "Consent", "Q1", "Q1 comment", "Q2", "Comment on travel"];

let counter = 0;
function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, `${counter++}-${name}`);
  writeFileSync(file, content);
  return file;
}

async function stored() {
  const [responses, answers, comments] = await Promise.all(
    (["consultation_responses", "response_answers", "response_clause_comments"] as const).map(async (t) => (await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n),
  );
  return { responses: responses!, answers: answers!, comments: comments! };
}

/** Imports a file the way the command line and the upload page do: the format by its bytes. */
async function importFile(file: string, mapping: ResponseMapping = MAPPING): Promise<ImportResult> {
  const format = await formatOf(file, file);
  if (!format.ok) return { ok: false, problems: [format.problem] };
  return importResponsesFile(db, ACTOR, CONSULTATION, { file, format: format.format, mapping });
}

/** Expects the import to fail with problems matching `expected`, and nothing to be stored. */
async function refused(file: string, expected: { row: number; column: string | null; message: RegExp }[], mapping?: ResponseMapping) {
  const before = await stored();
  const result = await importFile(file, mapping);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.problems).toHaveLength(expected.length);
  result.problems.forEach((p, i) => {
    expect(p.row).toBe(expected[i]!.row);
    expect(p.column).toBe(expected[i]!.column);
    expect(p.message).toMatch(expected[i]!.message);
  });
  expect(await stored()).toEqual(before);
}

async function xlsx(rows: ExcelJS.CellValue[][], name = "export.xlsx"): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Responses");
  for (const row of rows) sheet.addRow(row);
  const file = path.join(dir, `${counter++}-${name}`);
  await workbook.xlsx.writeFile(file);
  return file;
}

const csvLine = (cells: string[]) => cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",");
const withCell = (row: string[], index: number, value: string) => row.map((c, i) => (i === index ? value : c));
const GOOD_ROW = ["R-1", "2017-11-03T14:05:00Z", "Individual", "", "Anonymous", "Agree", "Fine", "More buses", ""];

describe("malformed CSV", () => {
  it("names a cell that is not UTF-8 (Latin-1 bytes), and stores nothing", async () => {
    const head = Buffer.from(csvLine(HEADERS) + "\n" + csvLine(GOOD_ROW) + "\n" + "R-2,2017-11-03T14:05:00Z,Individual,,Anonymous,Agree,Caf");
    const file = write("latin1.csv", Buffer.concat([head, Buffer.from([0xe9]), Buffer.from(" au lait,,\n")]));
    await refused(file, [{ row: 2, column: "Q1 comment", message: /is not UTF-8 text .*save the file as CSV UTF-8/ }]);
  });

  it("refuses UTF-16 text with a clear message", async () => {
    const text = csvLine(HEADERS) + "\n";
    const file = write("utf16.csv", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    await refused(file, [{ row: 0, column: null, message: /is UTF-16 text: save it as CSV UTF-8/ }]);
  });

  it("names the row of a quote that is never closed", async () => {
    const file = write("unclosed.csv", [csvLine(HEADERS), csvLine(GOOD_ROW), `R-2,2017-11-03T14:05:00Z,Individual,,Anonymous,Agree,"never closed,,`, csvLine(withCell(GOOD_ROW, 0, "R-3"))].join("\n"));
    await refused(file, [{ row: 2, column: null, message: /a quoted cell is never closed/ }]);
  });

  it("names a row with text after a closing quote", async () => {
    const file = write("stray-quote.csv", [csvLine(HEADERS), `R-1,2017-11-03T14:05:00Z,Individual,,Anonymous,Agree,"quoted"then text,,`].join("\n"));
    await refused(file, [{ row: 1, column: null, message: /text straight after its closing quote/ }]);
  });

  it("names rows with the wrong number of cells", async () => {
    const file = write("columns.csv", [csvLine(HEADERS), csvLine(GOOD_ROW), "R-2,2017-11-03T14:05:00Z,Individual", csvLine([...GOOD_ROW.slice(0, 8), "x", "extra"])].join("\n"));
    await refused(file, [
      { row: 2, column: null, message: /has 3 cells, but the header has 9 columns/ },
      { row: 3, column: null, message: /has 10 cells, but the header has 9 columns/ },
    ]);
  });

  it("names every mapped column the file lacks", async () => {
    const file = write("missing.csv", "ID,Submitted,Capacity\nR-1,2017-11-03T14:05:00Z,Individual\n");
    await refused(
      file,
      ["Organisation", "Consent", "Q1", "Q1 comment", "Q2", "Comment on travel"].map((column) => ({ row: 0, column, message: /the mapping names this column, but the file has no column with this header/ })),
    );
  });

  it("says when a file uses semicolons between its columns", async () => {
    const file = write("semicolons.csv", HEADERS.join(";") + "\n" + GOOD_ROW.join(";") + "\n");
    const before = await stored();
    const result = await importFile(file);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/the file seems to use semicolons between columns: save it as CSV with commas/);
    expect(await stored()).toEqual(before);
  });

  it("refuses an empty file and a file that is not a spreadsheet", async () => {
    await refused(write("empty.csv", ""), [{ row: 0, column: null, message: /is empty: it has no header row/ }]);
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    await refused(write("picture.xlsx", png), [{ row: 0, column: null, message: /is not an XLSX workbook \(it is not a zip file\)/ }]);
    await refused(write("old.xls", Buffer.from("d0cf11e0a1b11ae1", "hex")), [{ row: 0, column: null, message: /old Excel format/ }]);
  });

  it("refuses a row whose text holds control characters", async () => {
    const file = write("control.csv", [csvLine(HEADERS), csvLine(withCell(GOOD_ROW, 7, "bell\u0007"))].join("\n"));
    await refused(file, [{ row: 1, column: "Q2", message: /control character U\+0007 \(bell\)/ }]);
  });
});

describe("headers", () => {
  it("finds a mapped header written in another case or spacing, and its row's cells", async () => {
    const file = write("case.csv", [HEADERS.map((h) => (h === "Q2" ? " q2 " : h === "Q1 comment" ? "Q1  COMMENT" : h)).join(","), csvLine(withCell(GOOD_ROW, 0, "CASE-1"))].join("\n"));
    expect(await importFile(file)).toEqual({ ok: true, rows: 1, imported: 1, present: 0 });
    const row = await db.selectFrom("consultation_responses").select("id").where("external_key", "=", "id:CASE-1").executeTakeFirstOrThrow();
    const answers = await db.selectFrom("response_answers").select(["question_id", "text"]).where("response_id", "=", row.id).orderBy("question_id").execute();
    expect(answers).toEqual([
      { question_id: "q1", text: "Fine" },
      { question_id: "q2", text: "More buses" },
    ]);
  });

  it("refuses a mapped header given twice", async () => {
    const file = write("twice.csv", [[...HEADERS, "Q2"].join(","), csvLine([...GOOD_ROW, "x"])].join("\n"));
    await refused(file, [{ row: 0, column: "Q2", message: /the file has 2 columns with this header/ }]);
  });
});

describe("XLSX", () => {
  it("reads formulas as their text, rich text, hyperlinks and dates, and stores cells starting with = + - @ as text", async () => {
    const file = await xlsx([
      HEADERS,
      ["X-1", new Date(Date.UTC(2017, 10, 3, 14, 4, 59, 999)), "Individual", "", "Full", "Strongly agree", { richText: [{ text: "Bold ", font: { bold: true } }, { text: "words" }] }, { formula: 'HYPERLINK("http://evil.example","click")', result: "click" }, "@SUM(A1:A9)"],
      ["X-2", "20/10/2017 09:00", "Organisation", { text: "Carers Trust", hyperlink: "https://example.org" }, "None", "", "+44 1234", "-1 from me", "=1+2"],
    ]);
    const before = await stored();
    const result = await importFile(file);
    expect(result).toEqual({ ok: true, rows: 2, imported: 2, present: 0 });
    expect((await stored()).responses).toBe(before.responses + 2);
    const rows = await db
      .selectFrom("consultation_responses as r")
      .select(["r.external_key", "r.submitted_at", "r.organisation", "r.capacity", "r.consent", "r.id"])
      .where("r.external_key", "in", ["id:X-1", "id:X-2"])
      .orderBy("r.external_key")
      .execute();
    expect(rows.map(({ id: _id, ...r }) => r)).toEqual([
      // 14:04:59.999 (a fraction of a day) is 14:05 to the second, GMT in November; 09:00 in October is BST.
      { external_key: "id:X-1", submitted_at: "2017-11-03T14:05:00.000Z", organisation: null, capacity: "individual", consent: "full" },
      { external_key: "id:X-2", submitted_at: "2017-10-20T08:00:00.000Z", organisation: "Carers Trust", capacity: "organisation", consent: "none" },
    ]);
    const texts = async (id: number) => (await db.selectFrom("response_answers").select(["question_id", "scale", "text"]).where("response_id", "=", id).orderBy("question_id").execute()).map((a) => [a.question_id, a.scale, a.text]);
    expect(await texts(rows[0]!.id)).toEqual([
      ["q1", "strongly-agree", "Bold words"],
      ["q2", null, '=HYPERLINK("http://evil.example","click")'],
    ]);
    expect(await texts(rows[1]!.id)).toEqual([
      ["q1", null, "+44 1234"],
      ["q2", null, "-1 from me"],
    ]);
    const comments = await db.selectFrom("response_clause_comments").select(["response_id", "body"]).where("response_id", "in", [rows[0]!.id, rows[1]!.id]).orderBy("response_id").execute();
    expect(comments.map((c) => c.body)).toEqual(["@SUM(A1:A9)", "=1+2"]);
    expect(await importFile(file)).toEqual({ ok: true, rows: 2, imported: 0, present: 2 });
  });

  it("names a bad row in a workbook by its row after the header", async () => {
    const file = await xlsx([[], HEADERS, ["Y-1", "2017-11-03T14:05:00Z", "Individual", "", "Full", "", "", "", ""], ["Y-2", "not a date", "Individual", "", "Full", "", "", "", ""]]);
    await refused(file, [{ row: 2, column: "Submitted", message: /"not a date" is not a date and time/ }]);
  });

  it("refuses a truncated workbook", async () => {
    const good = readFileSync(await xlsx([HEADERS, GOOD_ROW]));
    await refused(write("truncated.xlsx", good.subarray(0, Math.floor(good.length * 0.6))), [{ row: 0, column: null, message: /is cut short|damaged/ }]);
  });

  it("refuses a zip that is not a workbook", async () => {
    const zip = zipSync({ "notes.txt": new TextEncoder().encode("hello") });
    await refused(write("notes.xlsx", zip), [{ row: 0, column: null, message: /has no worksheet|not a spreadsheet/ }]);
  });

  it("refuses a zip bomb by counting what it really inflates to, whatever its headers claim", async () => {
    const zip = zipSync({ "xl/worksheets/sheet1.xml": new Uint8Array(64 * 1024 * 1024) }, { level: 9 });
    // Make the local header claim a small size: only the real inflated bytes count.
    const view = new DataView(zip.buffer, zip.byteOffset);
    view.setUint32(22, 1000, true);
    expect(zip.length).toBeLessThan(200_000);
    await refused(write("bomb.xlsx", zip), [{ row: 0, column: null, message: /unpacks to more than .* MB from a file of .*zip bomb/ }]);
  });

  it("refuses a zip whose header claims a part of 1 GB", async () => {
    const zip = zipSync({ "xl/worksheets/sheet1.xml": new TextEncoder().encode("<worksheet/>") });
    new DataView(zip.buffer, zip.byteOffset).setUint32(22, 1024 * 1024 * 1024, true);
    await refused(write("claims-1gb.xlsx", zip), [{ row: 0, column: null, message: /claims to hold a part of 1,024 MB when unpacked/ }]);
  });
});

describe("many problems", () => {
  it("lists the first 100 problems and stops reading there, storing nothing", async () => {
    const lines = [csvLine(HEADERS)];
    for (let i = 1; i <= 5000; i++) lines.push(csvLine(withCell(withCell(GOOD_ROW, 0, `MANY-${i}`), 2, "Robot")));
    lines.push("  ,  ,,,,,,,");
    const before = await stored();
    const result = await importFile(write("many.csv", lines.join("\n")));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toHaveLength(100);
      expect(result.problems.map((p) => p.row)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    }
    expect(await stored()).toEqual(before);
  });

  it("skips rows whose cells are all blank", async () => {
    const file = write("blank-rows.csv", [csvLine(HEADERS), " , ,,,,,,,", csvLine(withCell(GOOD_ROW, 0, "BLANK-1")), ",,,,,,,,"].join("\r\n") + "\r\n\r\n");
    expect(await importFile(file)).toEqual({ ok: true, rows: 2, imported: 1, present: 0 });
  });
});
