// Importing an export of responses (CSV or XLSX) from another tool, format §5: the file is read as
// a stream twice — first every row is checked, then, only if none has a problem, every row is
// stored in one transaction — so memory stays flat in the file's size and a bad row stores nothing.
import { isUtf8 } from "node:buffer";
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { parse as parseCsv, CsvError } from "csv-parse";
import type ExcelJS from "exceljs";
import { Unzip, UnzipInflate } from "fflate";
import { notFound } from "~/domain/errors";
import type { QuestionKind, ResponseInput } from "~/domain/consultations";
import { mappedHeaders, mappingProblems, readRow, type MappingContext, type ResponseMapping, type RowProblem } from "~/domain/response-mapping";
import type { Db } from "./db.server";
import { inTransaction, now } from "./db.server";
import { recordAudit } from "./audit.server";
import { storeResponses } from "./consultation-responses.server";

export type ImportFormat = "csv" | "xlsx";

/** The largest file read at all. */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;
/** The largest file the upload page takes (the server lets this one route send this much). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
/** The most an XLSX may inflate to, counted as it inflates (never trusting the zip's headers). */
export const MAX_INFLATED_BYTES = 200 * 1024 * 1024;
/** Past this size, inflating more than this many times the file's size is a zip bomb. */
const MAX_INFLATION_RATIO = 200;
const RATIO_FLOOR_BYTES = 16 * 1024 * 1024;
/** Problems reported at most: past this the file is clearly not what the mapping expects. */
export const MAX_PROBLEMS = 100;
const BATCH = 500;

/** A problem that stops the file being read any further (not a spreadsheet, a bomb, a broken quote). */
class FileProblem extends Error {
  constructor(readonly problem: RowProblem) {
    super(problem.message);
  }
}
const fileProblem = (message: string, row = 0, column: string | null = null) => new FileProblem({ row, column, message });

/** A cell that is not valid UTF-8: reported, not guessed at. */
const NOT_UTF8 = Symbol("not UTF-8");
type Cell = string | typeof NOT_UTF8;
interface TableRow {
  /** 0 = the header; 1 = the first row after it. */
  number: number;
  cells: Cell[];
}

export async function detectFormat(file: string, name = file): Promise<ImportFormat> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return "xlsx";
    if (/\.xlsx$/i.test(name)) throw fileProblem("is not an XLSX workbook (it is not a zip file): save it from the spreadsheet as .xlsx or as CSV UTF-8");
    if (/\.xls$/i.test(name) || (head[0] === 0xd0 && head[1] === 0xcf)) throw fileProblem("is in the old Excel format (.xls): save it as .xlsx or as CSV UTF-8");
    return "csv";
  } finally {
    await handle.close();
  }
}

/** Drops a UTF-8 byte-order mark at the very start; refuses UTF-16, which a CSV export sometimes is. */
function withoutBom(): Transform {
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (first) {
        first = false;
        if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) return done(fileProblem("is UTF-16 text: save it as CSV UTF-8 and try again"));
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      done(null, chunk);
    },
  });
}

async function* csvRows(file: string): AsyncGenerator<TableRow> {
  const source = createReadStream(file, { highWaterMark: 256 * 1024 });
  // Fields come as bytes (encoding null) so that each is checked as UTF-8 and a bad one named.
  const parser = parseCsv({ encoding: null, record_delimiter: ["\r\n", "\n"], relax_column_count: true, skip_empty_lines: false, max_record_size: 1_000_000 });
  const bytes = source.pipe(withoutBom());
  bytes.on("error", (error) => parser.destroy(error));
  bytes.pipe(parser);
  let number = 0;
  try {
    for await (const record of parser as AsyncIterable<Buffer[]>) {
      yield { number: number++, cells: record.map((b) => (isUtf8(b) ? b.toString("utf8") : NOT_UTF8)) };
    }
  } catch (error) {
    if (error instanceof FileProblem) throw error;
    // records: how many the parser had completed (the header among them), so the next is the bad one.
    if (error instanceof CsvError) throw fileProblem(csvMessage(error), typeof error.records === "number" ? error.records : number);
    throw error;
  } finally {
    source.destroy();
  }
}

function csvMessage(error: CsvError): string {
  switch (error.code as string) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted cell is never closed: a \" opens a cell that runs to the end of the file";
    case "CSV_INVALID_CLOSING_QUOTE":
      return 'a quoted cell has text straight after its closing quote: inside quotes, write a " as ""';
    case "INVALID_OPENING_QUOTE":
      return 'a cell has a " in the middle of unquoted text: quote the whole cell and write the " as ""';
    case "CSV_MAX_RECORD_SIZE":
      return "the row is over a million characters long, which no response is: is a quote left open?";
    default:
      return `the file is not valid CSV (${error.message.replace(/\s+/g, " ").slice(0, 200)})`;
  }
}

/**
 * Streams every entry of a zip through the inflater, counting the bytes it really gives, and
 * refuses the file past a fixed size or ratio, or when it ends part-way through an entry.
 */
export async function checkZip(file: string, size: number): Promise<void> {
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  let inflated = 0;
  let started = 0;
  let finished = 0;
  let refusal: FileProblem | null = null;
  unzip.onfile = (entry) => {
    started++;
    if (entry.originalSize !== undefined && entry.originalSize > MAX_INFLATED_BYTES) {
      refusal ??= fileProblem(`claims to hold a part of ${mib(entry.originalSize)} when unpacked, over the limit of ${mib(MAX_INFLATED_BYTES)}: it is not an ordinary spreadsheet`);
      return;
    }
    entry.ondata = (error, chunk, final) => {
      if (error) {
        refusal ??= fileProblem("is damaged: a part of the workbook cannot be unpacked");
        return;
      }
      inflated += chunk.length;
      if (final) finished++;
      if (inflated > MAX_INFLATED_BYTES || (inflated > RATIO_FLOOR_BYTES && inflated > size * MAX_INFLATION_RATIO)) {
        refusal ??= fileProblem(`unpacks to more than ${mib(inflated)} from a file of ${mib(size)}: it is not an ordinary spreadsheet (a "zip bomb"), so it was not read`);
        entry.terminate();
      }
    };
    entry.start();
  };
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      try {
        unzip.push(chunk, false);
      } catch {
        throw fileProblem("is not a readable XLSX workbook: it is damaged or not a spreadsheet");
      }
      if (refusal) throw refusal;
    }
    try {
      unzip.push(new Uint8Array(0), true);
    } catch {
      throw fileProblem("is not a readable XLSX workbook: it is damaged or not a spreadsheet");
    }
  } finally {
    stream.destroy();
  }
  if (refusal) throw refusal;
  if (started === 0) throw fileProblem("is not an XLSX workbook: the zip holds nothing");
  if (finished < started) throw fileProblem("is cut short: the workbook ends part-way through, so it may not have finished downloading");
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString("en-GB", { maximumFractionDigits: 1 })} MB`;
const pad = (n: number) => String(n).padStart(2, "0");

/** An XLSX cell as text. Formulas are their formula text, never evaluated; dates their clock reading. */
function xlsxCell(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  // A spreadsheet date has no time zone: exceljs gives it as UTC; it is read as London time.
  // Spreadsheet times are fractions of a day, so 14:05 can come back as 14:04:59.999: round to the second.
  if (value instanceof Date) value = new Date(Math.round(value.getTime() / 1000) * 1000);
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}T${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
  if ("formula" in value && typeof value.formula === "string") return `=${value.formula}`;
  if ("sharedFormula" in value) return value.result === undefined || value.result === null ? "" : xlsxCell(value.result as ExcelJS.CellValue);
  if ("richText" in value) return value.richText.map((part) => part.text).join("");
  if ("text" in value && typeof value.text === "string") return value.text;
  if ("error" in value) return String(value.error);
  return "";
}

async function* xlsxRows(file: string): AsyncGenerator<TableRow> {
  // exceljs is loaded on the first spreadsheet read, not as the server starts: it is a quarter of
  // a later start's time, and only imports of .xlsx files need it.
  const { default: Excel } = await import("exceljs");
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  const reader = new Excel.stream.xlsx.WorkbookReader(stream as unknown as Readable, { worksheets: "emit", sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", entries: "ignore" });
  let headerAt: number | null = null;
  let sheets = 0;
  let last = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as ExcelJS.CellValue[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
        if (headerAt === null) {
          if (cells.every((c) => c === "" || (typeof c === "string" && !c.trim()))) continue;
          headerAt = row.number;
        }
        last = row.number - headerAt;
        yield { number: last, cells };
      }
      break; // only the first worksheet
    }
  } catch (error) {
    if (error instanceof FileProblem) throw error;
    throw fileProblem(`cannot be read as an XLSX workbook${last ? ` after row ${last}` : ""}: it is damaged or not a spreadsheet`, last);
  } finally {
    stream.destroy();
  }
  if (sheets === 0) throw fileProblem("has no worksheet");
}

async function* tableRows(file: string, format: ImportFormat): AsyncGenerator<TableRow> {
  const { size } = await stat(file);
  if (size > MAX_IMPORT_BYTES) throw fileProblem(`is ${mib(size)}, over the limit of ${mib(MAX_IMPORT_BYTES)}: split it into smaller files`);
  if (format === "xlsx") {
    await checkZip(file, size);
    yield* xlsxRows(file);
  } else {
    yield* csvRows(file);
  }
}

/** What a row is read against, from the database. */
export async function mappingContext(db: Db, consultationId: string): Promise<MappingContext> {
  const consultation = await db.selectFrom("consultations").select(["id", "version_id"]).where("id", "=", consultationId).executeTakeFirst();
  if (!consultation) throw notFound(`there is no consultation "${consultationId}"`);
  const [questions, clauses, audiences] = await Promise.all([
    db.selectFrom("consultation_questions").select(["id", "kind"]).where("consultation_id", "=", consultationId).execute(),
    db.selectFrom("version_items").select("item_id").where("version_id", "=", consultation.version_id).where("kind", "=", "clause").execute(),
    db.selectFrom("audiences").select(["code", "name"]).execute(),
  ]);
  return { questions: new Map(questions.map((q) => [q.id, q.kind as QuestionKind])), clauseIds: new Set(clauses.map((c) => c.item_id)), audiences };
}

export type ImportPhase = "checking" | "importing";
export type Progress = (phase: ImportPhase, rowsRead: number) => void;

export type ImportResult = { ok: true; rows: number; imported: number; present: number } | { ok: false; problems: RowProblem[] };

interface ReadOptions {
  file: string;
  format: ImportFormat;
  mapping: ResponseMapping;
  onProgress?: Progress;
}

/**
 * Reads the file once, handing each good row to `take` (which may be nothing, when checking).
 * Problems are collected up to MAX_PROBLEMS; reading stops at a problem with the file itself.
 */
async function readTable(context: MappingContext, { file, format, mapping, onProgress }: ReadOptions, phase: ImportPhase, take: (input: ResponseInput, key: string) => Promise<void> | void): Promise<{ rows: number; problems: RowProblem[] }> {
  const problems: RowProblem[] = [];
  const add = (p: RowProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  for (const p of mappingProblems(mapping, context)) add({ row: 0, ...p });
  const wanted = mappedHeaders(mapping);
  let columns: [string, number][] | null = null;
  let width = 0;
  let rows = 0;
  const at = now();
  try {
    for await (const { number, cells } of tableRows(file, format)) {
      if (columns === null) {
        const headers = cells.map((c) => (c === NOT_UTF8 ? null : c.trim()));
        cells.forEach((c, i) => c === NOT_UTF8 && add({ row: 0, column: `column ${i + 1}`, message: "the header is not UTF-8 text: save the file as CSV UTF-8 and try again" }));
        width = cells.length;
        columns = [];
        for (const header of wanted) {
          // The header as the mapping spells it; failing that, the same words in another case or spacing.
          const loose = (h: string) => h.toLowerCase().replace(/\s+/g, " ");
          let found = headers.flatMap((h, i) => (h === header ? [i] : []));
          if (found.length === 0) found = headers.flatMap((h, i) => (h !== null && loose(h) === loose(header) ? [i] : []));
          if (found.length === 0) add({ row: 0, column: header, message: `the mapping names this column, but the file has no column with this header${separatorHint(headers)}` });
          else if (found.length > 1) add({ row: 0, column: header, message: `the file has ${found.length} columns with this header, so which one is meant is unclear` });
          else columns.push([header, found[0]!]);
        }
        // Without every mapped column no row can be read as the mapping means it.
        if (problems.length) return { rows, problems };
        continue;
      }
      if (cells.every((c) => c !== NOT_UTF8 && !c.trim())) continue; // a blank row
      // Past the most problems shown, reading on would only find more of the same.
      if (problems.length >= MAX_PROBLEMS) return { rows, problems };
      rows = number;
      if (format === "csv" && cells.length !== width) {
        add({ row: number, column: null, message: `has ${cells.length} ${cells.length === 1 ? "cell" : "cells"}, but the header has ${width} columns: is a comma or quote missing?` });
        continue;
      }
      const row = new Map<string, string>();
      let readable = true;
      for (const [header, index] of columns) {
        const cell = cells[index] ?? "";
        if (cell === NOT_UTF8) {
          add({ row: number, column: header, message: "is not UTF-8 text (it may be in another encoding, such as Windows Latin-1): save the file as CSV UTF-8 and try again" });
          readable = false;
        } else row.set(header, cell);
      }
      if (!readable) continue;
      const result = readRow(mapping, context, row, number, at);
      if (!result.ok) result.problems.forEach(add);
      else if (!problems.length) await take(result.input, result.key);
      if (rows % 1000 === 0) onProgress?.(phase, rows);
    }
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
    add(error.problem);
    return { rows, problems };
  }
  if (columns === null) add({ row: 0, column: null, message: "is empty: it has no header row" });
  onProgress?.(phase, rows);
  return { rows, problems };
}

/** A header row read as one cell holding semicolons or tabs was saved with another separator. */
function separatorHint(headers: (string | null)[]): string {
  if (headers.length !== 1 || !headers[0]) return "";
  if (headers[0].includes(";")) return " (the file seems to use semicolons between columns: save it as CSV with commas)";
  if (headers[0].includes("\t")) return " (the file seems to use tabs between columns: save it as CSV with commas)";
  return "";
}

/** Checks every row of a file against a mapping, storing nothing. */
export async function checkResponsesFile(db: Db, consultationId: string, options: ReadOptions): Promise<{ rows: number; problems: RowProblem[] }> {
  const context = await mappingContext(db, consultationId);
  return readTable(context, options, "checking", () => {});
}

class ChangedWhileReading extends Error {
  constructor(readonly problems: RowProblem[]) {
    super("the file changed while it was imported");
  }
}

/**
 * Imports a file of responses: checks every row, then stores them all in one transaction with one
 * audit entry (counts only). A row already stored (by id, or by a hash of its mapped cells) is
 * counted as already present. On any problem nothing is stored.
 */
export async function importResponsesFile(db: Db, actor: { id: number | null; email: string }, consultationId: string, options: ReadOptions & { importId?: number | null }): Promise<ImportResult> {
  const context = await mappingContext(db, consultationId);
  const checked = await readTable(context, options, "checking", () => {});
  if (checked.problems.length) return { ok: false, problems: checked.problems };
  try {
    return await inTransaction(db, async (trx) => {
      const seen = new Set<string>();
      let inputs: ResponseInput[] = [];
      let keys: string[] = [];
      let imported = 0;
      let present = 0;
      const flush = async () => {
        if (!inputs.length) return;
        const stored = await storeResponses(trx, consultationId, inputs, { keys, importId: options.importId ?? null }, seen);
        imported += stored.imported;
        present += stored.present;
        inputs = [];
        keys = [];
      };
      const { rows, problems } = await readTable(context, options, "importing", async (input, key) => {
        inputs.push(input);
        keys.push(key);
        if (inputs.length >= BATCH) await flush();
      });
      if (problems.length) throw new ChangedWhileReading(problems);
      await flush();
      if (options.importId) await trx.updateTable("response_imports").set({ status: "done", rows_read: rows, imported, present, finished_at: now() }).where("id", "=", options.importId).execute();
      await recordAudit(trx, { actor, action: "responses.import", objectType: "consultation", objectId: consultationId, details: { rows, imported, present, channel: options.mapping.channel, format: options.format } });
      return { ok: true as const, rows, imported, present };
    }, { snapshot: true });
  } catch (error) {
    if (error instanceof ChangedWhileReading) return { ok: false, problems: error.problems };
    throw error;
  }
}

/** The header and the first rows of a file, for the mapping page. */
export async function previewResponsesFile(file: string, format: ImportFormat, limit = 5): Promise<{ ok: true; headers: string[]; rows: string[][] } | { ok: false; problem: RowProblem }> {
  let headers: string[] | null = null;
  const rows: string[][] = [];
  const generator = tableRows(file, format);
  try {
    for await (const { cells } of generator) {
      const text = cells.map((c) => (c === NOT_UTF8 ? "\uFFFD" : c));
      if (headers === null) headers = text.map((h) => h.trim());
      else if (text.some((c) => c !== "")) rows.push(text);
      if (rows.length >= limit) break;
    }
  } catch (error) {
    if (error instanceof FileProblem) return { ok: false, problem: error.problem };
    throw error;
  } finally {
    await generator.return(undefined);
  }
  if (headers === null) return { ok: false, problem: { row: 0, column: null, message: "is empty: it has no header row" } };
  return { ok: true, headers, rows };
}

/** A file-level refusal before reading (an unknown format), as a problem. */
export async function formatOf(file: string, name: string): Promise<{ ok: true; format: ImportFormat } | { ok: false; problem: RowProblem }> {
  try {
    return { ok: true, format: await detectFormat(file, name) };
  } catch (error) {
    if (error instanceof FileProblem) return { ok: false, problem: error.problem };
    throw error;
  }
}

// ——— Imports from the staff pages: an uploaded file waits in a folder of its own until it is
// mapped; the import then runs in the background, its progress kept in memory (the storing pass
// holds the database's one connection, so progress cannot be written there as it goes).

export function uploadsDirectory(): string {
  return process.env.SPECWORK_UPLOADS || path.join(tmpdir(), "specwork-uploads");
}

/**
 * The uploads folder, made if need be, readable by this service alone: the files in it hold
 * people's responses, and the default folder is in the machine's shared temporary folder.
 */
export async function privateUploadsDirectory(): Promise<string> {
  const dir = uploadsDirectory();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  return dir;
}

const TOKEN = /^[0-9a-f]{32}$/;

export interface Upload {
  token: string;
  consultationId: string;
  userId: number;
  fileName: string;
  format: ImportFormat;
  file: string;
  /** Set once its import has started, so that sending the form again shows that import. */
  importId?: number;
}

/** Uploads nobody mapped are removed after a day. */
const UPLOAD_LIFETIME_MS = 24 * 3_600_000;

async function removeStaleUploads(dir: string): Promise<void> {
  const cutoff = Date.now() - UPLOAD_LIFETIME_MS;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{32}\.(json|csv|xlsx)$/.test(name)) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && info.mtimeMs < cutoff) await rm(file, { force: true });
  }
}

/**
 * Keeps an uploaded file for the mapping step, under a random token, for the person who sent it;
 * or a problem when it is not a spreadsheet at all.
 */
export async function keepUpload(user: { id: number }, consultationId: string, uploaded: string, fileName: string): Promise<{ ok: true; token: string } | { ok: false; problem: RowProblem }> {
  const format = await formatOf(uploaded, fileName);
  if (!format.ok) {
    await rm(uploaded, { force: true });
    return format;
  }
  const token = randomBytes(16).toString("hex");
  const dir = await privateUploadsDirectory();
  await removeStaleUploads(dir);
  const file = path.join(dir, `${token}.${format.format}`);
  await rename(uploaded, file);
  const upload: Upload = { token, consultationId, userId: user.id, fileName: path.basename(fileName).slice(0, 200), format: format.format, file };
  await writeFile(path.join(dir, `${token}.json`), JSON.stringify(upload));
  return { ok: true, token };
}

/** An upload kept for this person and this consultation, or null. */
export async function findUpload(user: { id: number }, consultationId: string, token: string): Promise<Upload | null> {
  if (!TOKEN.test(token)) return null;
  try {
    const upload = JSON.parse(await readFile(path.join(uploadsDirectory(), `${token}.json`), "utf8")) as Upload;
    return upload.userId === user.id && upload.consultationId === consultationId ? upload : null;
  } catch {
    return null;
  }
}

async function forgetUpload(upload: Upload): Promise<void> {
  await rm(upload.file, { force: true });
  await rm(path.join(uploadsDirectory(), `${upload.token}.json`), { force: true });
}

/** The distinct values of each column (up to `max` each) over the first rows, for values maps. */
export async function columnValues(upload: Upload, { rows: limit = 5000, max = 12 } = {}): Promise<Map<number, string[]>> {
  const values = new Map<number, Set<string>>();
  let seen = 0;
  const generator = tableRows(upload.file, upload.format);
  try {
    for await (const { number, cells } of generator) {
      if (number === 0) continue;
      cells.forEach((c, i) => {
        if (c === NOT_UTF8) return;
        const set = values.get(i) ?? new Set<string>();
        values.set(i, set);
        if (set.size < max) set.add(c.trim());
      });
      if (++seen >= limit) break;
    }
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error;
  } finally {
    await generator.return(undefined);
  }
  return new Map([...values].map(([i, set]) => [i, [...set].sort()]));
}

interface LiveProgress {
  phase: ImportPhase;
  rowsRead: number;
}
const running = new Map<number, LiveProgress>();

/**
 * How often the server running an import writes down how far it has got, for the other servers
 * (response_import_progress); and how long without a word before they count it as stopped.
 */
const PROGRESS_EVERY_MS = 1_000;
const STOPPED_AFTER_MS = 30_000;

async function saveProgress(db: Db, importId: number, progress: LiveProgress): Promise<void> {
  const row = { phase: progress.phase, rows_read: progress.rowsRead, at: now() };
  await db
    .insertInto("response_import_progress")
    .values({ import_id: importId, ...row })
    .onConflict((oc) => oc.column("import_id").doUpdateSet(row))
    .execute();
}

/** What the server running an import (this one or another) last said of it, unless it has gone quiet. */
async function heardProgress(db: Db, importId: number): Promise<LiveProgress | undefined> {
  const local = running.get(importId);
  if (local) return local;
  const row = await db.selectFrom("response_import_progress").selectAll().where("import_id", "=", importId).executeTakeFirst();
  if (!row || Date.now() - Date.parse(row.at) > STOPPED_AFTER_MS) return undefined;
  return { phase: row.phase, rowsRead: row.rows_read };
}

/**
 * Starts importing an upload in the background and returns the import's id at once; the
 * progress page follows it. The upload is removed when the import ends, whatever the outcome.
 */
export async function startImport(db: Db, user: { id: number; email: string }, upload: Upload, mapping: ResponseMapping): Promise<number> {
  const row = await db
    .insertInto("response_imports")
    .values({ consultation_id: upload.consultationId, file_name: upload.fileName, status: "checking", channel: mapping.channel, mapping: JSON.stringify(mapping), created_by: user.id, created_at: now(), finished_at: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  const id = row.id;
  running.set(id, { phase: "checking", rowsRead: 0 });
  await saveProgress(db, id, { phase: "checking", rowsRead: 0 });
  let saved = Date.now();
  const onProgress = (phase: ImportPhase, rowsRead: number) => {
    running.set(id, { phase, rowsRead });
    if (Date.now() - saved < PROGRESS_EVERY_MS) return;
    saved = Date.now();
    // Outside the import's transaction, so other servers see it; a lost write only delays the news.
    void saveProgress(db, id, { phase, rowsRead }).catch(() => {});
  };
  await writeFile(path.join(uploadsDirectory(), `${upload.token}.json`), JSON.stringify({ ...upload, importId: id }));
  void (async () => {
    try {
      const result = await importResponsesFile(db, { id: user.id, email: user.email }, upload.consultationId, {
        file: upload.file,
        format: upload.format,
        mapping,
        importId: id,
        onProgress,
      });
      const live = running.get(id);
      if (result.ok) {
        await db.updateTable("response_imports").set({ status: "done", rows_read: result.rows, imported: result.imported, present: result.present, finished_at: now() }).where("id", "=", id).execute();
      } else {
        await db.updateTable("response_imports").set({ status: "failed", rows_read: live?.rowsRead ?? 0, problems: JSON.stringify(result.problems), finished_at: now() }).where("id", "=", id).execute();
      }
    } catch (error) {
      console.error(`Specwork: import ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
      const problems: RowProblem[] = [{ row: 0, column: null, message: "the import stopped because of a fault on our side; nothing was imported. Try again later." }];
      await db.updateTable("response_imports").set({ status: "failed", problems: JSON.stringify(problems), finished_at: now() }).where("id", "=", id).execute().catch(() => {});
    } finally {
      running.delete(id);
      await db.deleteFrom("response_import_progress").where("import_id", "=", id).execute().catch(() => {});
      await forgetUpload(upload).catch(() => {});
    }
  })();
  return id;
}

export interface ImportStatus {
  id: number;
  fileName: string;
  status: "checking" | "importing" | "done" | "failed" | "stopped";
  rowsRead: number;
  imported: number;
  present: number;
  problems: RowProblem[];
  createdAt: string;
  finishedAt: string | null;
}

/** An import of this consultation as its progress page shows it. */
export async function getImport(db: Db, consultationId: string, id: number): Promise<ImportStatus | null> {
  const row = await db.selectFrom("response_imports").selectAll().where("id", "=", id).where("consultation_id", "=", consultationId).executeTakeFirst();
  if (!row) return null;
  const unfinished = row.status === "checking" || row.status === "importing";
  const live = unfinished ? await heardProgress(db, id) : undefined;
  return {
    id,
    fileName: row.file_name,
    // An unfinished import no server is running stopped with its server; its transaction never committed.
    status: unfinished ? (live ? live.phase : "stopped") : row.status,
    rowsRead: live?.rowsRead ?? row.rows_read,
    imported: row.imported,
    present: row.present,
    problems: JSON.parse(row.problems) as RowProblem[],
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/** A consultation's imports, newest first, for the upload page's list. */
export async function listImports(db: Db, consultationId: string, limit = 20): Promise<ImportStatus[]> {
  const rows = await db.selectFrom("response_imports").select("id").where("consultation_id", "=", consultationId).orderBy("id", "desc").limit(limit).execute();
  const found = await Promise.all(rows.map((r) => getImport(db, consultationId, r.id)));
  return found.filter((i): i is ImportStatus => i !== null);
}
