// The `spec` command line (format §3): npm run -s spec -- <command> …
// Exit 0 on success, 1 on invalid input (one line per problem on stderr), 2 on wrong usage.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import SQLite from "better-sqlite3";
import { z } from "zod";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { documentItems } from "~/domain/document";
import { reanchor, type Anchor } from "~/domain/anchoring";
import { contentHash } from "~/domain/hashing";
import { redline, redlineRows } from "~/domain/redline";
import type { SpecSource } from "~/domain/source/parse";
import { redlineDocx } from "~/exports/redline-docx";
import { redlineHtml } from "~/exports/redline-html";
import { databaseLabel, databasePath, databaseTarget, specsDirectory } from "~/models/app-database.server";
import { isPostgresTarget, migrateToLatest, openDatabase } from "~/models/db.server";
import { importLibraryFiles, readSpecFile, seedIfEmpty } from "~/models/library.server";
import { createUser } from "~/models/users.server";
import { DomainError } from "~/domain/errors";
import { findVersion, versionSourceText } from "~/models/versions.server";
import { verifyChain } from "~/models/workflow.server";
import { ROLES, type Role } from "~/domain/permissions";
import { parseMapping, problemLine } from "~/domain/response-mapping";
import { formatOf, importResponsesFile } from "~/models/response-import.server";
import { backupKind, checkArchive, dumpDatabase, inspectDatabase, restoreArchive, tablesNotInArchive } from "./postgres-backup";

class UsageError extends Error {}
class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const USAGE = `usage: npm run -s spec -- <command>

  check <file.md>…                       validate files and print their numbered outline
  redline <from.md> <to.md> [--format json|html|docx] [--out FILE] [--time N]
                                         the tracked revision between two versions
  reanchor <from.md> <to.md> <annotations.json>
                                         place annotations made on one version onto another
  import <file.md|themes.json>…          load files into the database (DATABASE_URL, else DATABASE_PATH)
  export <slug> <version> [--out FILE]   write a stored version in the source format
  user add <email> --name NAME --role editor|commissioner|admin
                                         create an account; the password is read from
                                         SPECWORK_PASSWORD or the first line of standard input
  verify                                 check every stored version's hash, parent hash and items
  backup <file>                          copy the database while it is in use (SQLite's backup API,
                                         or pg_dump on PostgreSQL)
  restore <file>                         replace the database with a backup (the current one is kept beside it)
  responses import <consultation> <file.csv|file.xlsx> --map <mapping.json>
                                         import an export of responses from another tool`;

interface Args {
  positional: string[];
  options: Map<string, string>;
}

function parseArgs(argv: string[], valued: string[]): Args {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith("--")) {
      if (!valued.includes(arg)) throw new UsageError(`unknown option ${arg}`);
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      options.set(arg, value);
    } else {
      positional.push(arg);
    }
  }
  return { positional, options };
}

function check(argv: string[]): void {
  const { positional } = parseArgs(argv, []);
  if (positional.length === 0) throw new UsageError("check needs at least one file");
  const problems: string[] = [];
  for (const file of positional) {
    const result = readSpecFile(file);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const { meta, doc } = result.source;
    const items = documentItems(doc);
    const clauses = items.filter((i) => i.kind === "clause").length;
    const label = meta.label ? ` (${meta.label})` : "";
    const lines = [`${file}: ${meta.slug} ${meta.version}${label}, ${clauses} clauses, ${contentHash(doc)}`];
    const width = Math.max(...items.map((i) => i.number.length), 1);
    for (const item of items) {
      const indent = "  ".repeat(item.depth - 1);
      const text = item.kind === "section" ? item.plainText : excerpt(item.plainText) || "(empty clause)";
      lines.push(`${item.number.padEnd(width)}  ${indent}${text} {#${item.id}}`);
    }
    process.stdout.write(lines.join("\n") + "\n");
  }
  if (problems.length) throw new InputError(problems);
}

/** Writes an output file, or fails with one line that says why. */
function writeOutput(file: string, data: string | Uint8Array): void {
  try {
    writeFileSync(file, data);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "its folder does not exist" : code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : String(code ?? error);
    throw new InputError([`cannot write ${file}: ${reason}`]);
  }
}

/** The PostgreSQL pool of one command: it runs one thing at a time. */
const CLI_POOL_SIZE = 2;

/**
 * Opens an existing database for reading; a mistyped path is an error, not a new empty database.
 * On PostgreSQL nothing is created either: the server must answer and the database must already
 * be Specwork's.
 */
async function openExistingDatabase() {
  const target = databaseTarget();
  if (isPostgresTarget(target)) {
    const reach = await inspectDatabase(target, databaseLabel());
    if (!reach.ok) throw new InputError([reach.problem]);
    if (!reach.specwork) throw new InputError([`${databaseLabel()}: this is not a Specwork database (it has no versions table; import files first)`]);
    return openDatabase(target, { poolSize: CLI_POOL_SIZE });
  }
  const file = databasePath();
  if (!existsSync(file)) throw new InputError([`there is no database at ${file} (set DATABASE_PATH, or import files first)`]);
  return openDatabase(file);
}

/**
 * Opens the database to write to, as the app's first start does: a new SQLite file is created;
 * a PostgreSQL database must exist already (an empty one is migrated), and one that cannot be
 * reached is said in one line rather than a stack trace.
 */
async function openDatabaseToWrite() {
  const target = databaseTarget();
  if (isPostgresTarget(target)) {
    const reach = await inspectDatabase(target, databaseLabel());
    if (!reach.ok) throw new InputError([reach.problem]);
    return openDatabase(target, { poolSize: CLI_POOL_SIZE });
  }
  return openDatabase(target);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function redlineCommand(argv: string[]): Promise<void> {
  const { positional, options } = parseArgs(argv, ["--format", "--out", "--time"]);
  if (positional.length !== 2) throw new UsageError("redline needs <from.md> <to.md>");
  const format = options.get("--format") ?? "json";
  if (!["json", "html", "docx"].includes(format)) throw new UsageError(`--format must be json, html or docx, not "${format}"`);
  const timeArg = options.get("--time");
  const runs = timeArg === undefined ? 0 : Number(timeArg);
  if (timeArg !== undefined && (!Number.isInteger(runs) || runs < 1)) throw new UsageError("--time needs a whole number of runs, 1 or more");

  const problems: string[] = [];
  const sources: SpecSource[] = [];
  for (const file of positional) {
    const result = readSpecFile(file);
    if (result.ok) sources.push(result.source);
    else problems.push(...result.problems);
  }
  if (problems.length) throw new InputError(problems);
  const [older, newer] = sources as [SpecSource, SpecSource];
  if (older.meta.slug !== newer.meta.slug) {
    throw new InputError([`${positional[1]}: is specification "${newer.meta.slug}", but ${positional[0]} is "${older.meta.slug}": a redline compares two versions of one specification`]);
  }
  const from = { version: older.meta.version, doc: older.doc, hash: contentHash(older.doc) };
  const to = { version: newer.meta.version, doc: newer.doc, hash: contentHash(newer.doc) };
  const result = redline(from, to);

  let output: string | Uint8Array;
  if (format === "json") {
    output = JSON.stringify(result, null, 2) + "\n";
  } else {
    if (format === "html") {
      const rows = redlineRows(result, older.doc, newer.doc);
      const stylesheetPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../styles/specwork.css");
      output = redlineHtml({ title: newer.doc.attrs.title, redline: result, rows, stylesheetPath });
    } else {
      output = await redlineDocx({
        title: newer.doc.attrs.title,
        reference: newer.doc.attrs.reference,
        from: { version: older.meta.version, label: older.meta.label, doc: older.doc },
        to: { version: newer.meta.version, label: newer.meta.label, doc: newer.doc },
        redline: result,
        author: "Specwork",
        date: `${newer.meta.date ?? "1970-01-01"}T00:00:00Z`,
      });
    }
  }
  const out = options.get("--out");
  if (out) writeOutput(out, output);
  else process.stdout.write(output);

  if (runs > 0) {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      redline(from, to);
      samples.push(performance.now() - start);
    }
    process.stderr.write(`median_ms=${median(samples).toFixed(3)}\n`);
  }
}

function excerpt(text: string): string {
  const line = text.split("\n").find((l) => l.trim()) ?? "";
  return line.length > 72 ? `${line.slice(0, 71)}…` : line;
}

async function importFiles(argv: string[]): Promise<void> {
  const { positional } = parseArgs(argv, []);
  if (positional.length === 0) throw new UsageError("import needs at least one file");
  const db = await openDatabaseToWrite();
  try {
    await migrateToLatest(db);
    const result = await importLibraryFiles(db, positional, "spec import");
    if (!result.ok) throw new InputError(result.problems);
    for (const v of result.versions) process.stdout.write(`${v.status} ${v.slug} ${v.number} ${v.hash}\n`);
    if (result.themes.created + result.themes.unchanged > 0) {
      process.stdout.write(`themes: ${result.themes.created} created, ${result.themes.unchanged} unchanged\n`);
    }
  } finally {
    await db.destroy();
  }
}

async function exportVersion(argv: string[]): Promise<void> {
  const { positional, options } = parseArgs(argv, ["--out"]);
  if (positional.length !== 2) throw new UsageError("export needs <slug> <version>");
  const [slug, number] = positional as [string, string];
  const db = await openExistingDatabase();
  try {
    await migrateToLatest(db);
    const version = await findVersion(db, slug, number);
    if (!version) throw new InputError([`no version ${number} of specification "${slug}" in ${databaseLabel()}`]);
    const text = versionSourceText(version);
    const out = options.get("--out");
    if (out) writeOutput(out, text);
    else process.stdout.write(text);
  } finally {
    await db.destroy();
  }
}

const AnchorInput = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    clauseId: z.string().min(1),
    start: z.number().int().min(0).nullable().optional(),
    end: z.number().int().min(0).nullable().optional(),
    quote: z.string().nullable().optional(),
    prefix: z.string().nullable().optional(),
    suffix: z.string().nullable().optional(),
  })
  .passthrough()
  .refine((a) => (a.start == null) === (a.end == null), "give both start and end, or neither")
  .refine((a) => a.start == null || a.end == null || a.start <= a.end, "start must not be after end");

async function reanchorCommand(argv: string[]): Promise<void> {
  const { positional } = parseArgs(argv, []);
  if (positional.length !== 3) throw new UsageError("reanchor needs <from.md> <to.md> <annotations.json>");
  const [fromFile, toFile, annotationsFile] = positional as [string, string, string];
  const problems: string[] = [];
  const sources: SpecSource[] = [];
  for (const file of [fromFile, toFile]) {
    const result = readSpecFile(file);
    if (result.ok) sources.push(result.source);
    else problems.push(...result.problems);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(annotationsFile, "utf8"));
  } catch (error) {
    problems.push(`${annotationsFile}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : `not valid JSON (${(error as Error).message})`}`);
  }
  if (problems.length) throw new InputError(problems);
  const wrapped = raw !== null && typeof raw === "object" && !Array.isArray(raw) && "annotations" in raw;
  const list = wrapped ? (raw as { annotations: unknown }).annotations : raw;
  if (!Array.isArray(list)) throw new InputError([`${annotationsFile}: expected a JSON array of annotations, or { "annotations": [...] }`]);
  const anchors: Anchor[] = [];
  list.forEach((item, index) => {
    const parsed = AnchorInput.safeParse(item);
    if (parsed.success) anchors.push(parsed.data);
    else problems.push(`${annotationsFile}: annotation ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "annotation"}: ${i.message}`).join("; ")}`);
  });
  if (problems.length) throw new InputError(problems);
  const placed = reanchor(anchors, sources[0]!.doc, sources[1]!.doc);
  process.stdout.write(JSON.stringify(wrapped ? { annotations: placed } : placed, null, 2) + "\n");
}

async function readPassword(): Promise<string> {
  if (process.env.SPECWORK_PASSWORD) return process.env.SPECWORK_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write("Password (at least 12 characters): ");
  let input = "";
  for await (const chunk of process.stdin) {
    input += String(chunk);
    if (input.includes("\n")) break;
  }
  return input.split(/\r?\n/)[0] ?? "";
}

async function userCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== "add") throw new UsageError('the user command is "user add <email> --name NAME --role ROLE"');
  const { positional, options } = parseArgs(rest, ["--name", "--role"]);
  if (positional.length !== 1) throw new UsageError("user add needs one email address");
  const role = options.get("--role") ?? "";
  if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  const name = options.get("--name") ?? "";
  if (!name.trim()) throw new UsageError("--name is required");
  const db = await openDatabaseToWrite();
  try {
    await migrateToLatest(db);
    const password = await readPassword();
    const user = await createUser(db, { email: positional[0]!, name, role: role as Role, password }, { id: null, email: "spec user add" });
    process.stdout.write(`created ${user.role} ${user.email}\n`);
  } catch (error) {
    if (error instanceof DomainError) throw new InputError([error.message]);
    throw error;
  } finally {
    await db.destroy();
  }
}

async function verify(argv: string[]): Promise<void> {
  parseArgs(argv, []);
  const db = await openExistingDatabase();
  try {
    const problems = await verifyChain(db);
    if (problems.length) throw new InputError(problems);
    const count = await db.selectFrom("versions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    process.stdout.write(`ok: ${count.n} versions; every content hash, parent hash and item list checks out\n`);
  } finally {
    await db.destroy();
  }
}

/** Integrity and Specwork's own checks of a database file; problems in words. */
async function checkDatabaseFile(file: string): Promise<string[]> {
  let raw: SQLite.Database;
  try {
    raw = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return [`${file}: cannot open it as a database (${(error as Error).message})`];
  }
  try {
    const integrity = raw.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") return [`${file}: integrity check failed: ${String(integrity)}`];
    const keys = raw.pragma("foreign_key_check") as unknown[];
    if (keys.length) return [`${file}: ${keys.length} rows refer to rows that do not exist`];
    const tables = raw.prepare("select name from sqlite_master where type = 'table' and name = 'versions'").all();
    if (!tables.length) return [`${file}: this is not a Specwork database (it has no versions table)`];
  } catch (error) {
    return [`${file}: not a usable database (${(error as Error).message})`];
  } finally {
    raw.close();
  }
  const db = openDatabase(file);
  try {
    return (await verifyChain(db)).map((p) => `${file}: ${p}`);
  } finally {
    await db.destroy();
  }
}

async function backupCommand(argv: string[]): Promise<void> {
  const { positional } = parseArgs(argv, []);
  if (positional.length !== 1) throw new UsageError("backup needs the file to write");
  if (isPostgresTarget(databaseTarget())) return backupPostgres(positional[0]!);
  const source = databasePath();
  if (!existsSync(source)) throw new InputError([`there is no database at ${source}`]);
  const target = positional[0]!;
  if (existsSync(target)) throw new InputError([`${target} already exists: choose a new file name`]);
  const raw = new SQLite(source, { fileMustExist: true });
  try {
    raw.pragma("busy_timeout = 5000");
    await raw.backup(target);
  } catch (error) {
    throw new InputError([`cannot write ${target}: ${(error as Error).message}`]);
  } finally {
    raw.close();
  }
  const problems = await checkDatabaseFile(target);
  if (problems.length) throw new InputError(problems);
  process.stdout.write(`backed up ${source} to ${target}; it checks out\n`);
}

async function restoreCommand(argv: string[]): Promise<void> {
  const { positional } = parseArgs(argv, []);
  if (positional.length !== 1) throw new UsageError("restore needs the backup file");
  const backup = positional[0]!;
  if (isPostgresTarget(databaseTarget())) return restorePostgres(backup);
  if (backupKind(backup) === "postgres") {
    throw new InputError([`${backup}: this is a PostgreSQL backup (a pg_dump archive), but the database here is SQLite (DATABASE_PATH): set DATABASE_URL to the PostgreSQL database to restore it into`]);
  }
  const problems = await checkDatabaseFile(backup);
  if (problems.length) throw new InputError(problems);
  const target = databasePath();
  let kept = "";
  if (existsSync(target)) {
    kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    const current = new SQLite(target, { fileMustExist: true });
    try {
      await current.backup(kept);
    } finally {
      current.close();
    }
  }
  const source = new SQLite(backup, { readonly: true, fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
  }
  process.stdout.write(`restored ${backup} into ${target}${kept ? `; the database it replaced is kept at ${kept}` : ""}\n`);
}

/** A PostgreSQL tool that failed, as one line of input error rather than a stack trace. */
async function withTool<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError([(error as Error).message]);
  }
}

/** pg_dump into a new file, then pg_restore reads the file back to check it is whole and Specwork's. */
async function backupPostgres(file: string): Promise<void> {
  const target = databaseTarget();
  const label = databaseLabel();
  const reach = await inspectDatabase(target, label);
  if (!reach.ok) throw new InputError([reach.problem]);
  if (!reach.specwork) throw new InputError([`${label}: this is not a Specwork database (it has no versions table)`]);
  if (existsSync(file)) throw new InputError([`${file} already exists: choose a new file name`]);
  await withTool(() => dumpDatabase(target, file));
  const problems = await withTool(() => checkArchive(file));
  if (problems.length) throw new InputError(problems);
  process.stdout.write(`backed up ${label} to ${file}; it checks out\n`);
}

/**
 * Checks the archive, keeps the database it replaces (a pg_dump beside the backup), restores
 * the archive in one transaction, and runs verify's checks on what was restored.
 */
async function restorePostgres(backup: string): Promise<void> {
  const target = databaseTarget();
  const label = databaseLabel();
  const problems = await withTool(() => checkArchive(backup));
  if (problems.length) throw new InputError(problems);
  const reach = await inspectDatabase(target, label);
  if (!reach.ok) throw new InputError([reach.problem]);
  // pg_restore --clean drops only what the archive holds: a table the backup does not know (one
  // made by a later migration) would be left behind, and the next migration would fail on it.
  const extra = await withTool(() => tablesNotInArchive(backup, reach.tables));
  if (extra.length) {
    throw new InputError([
      `${label} has tables that ${backup} does not (${extra.join(", ")}): it was migrated by a later Specwork than the backup was; restore into a new, empty database instead (create it, and set DATABASE_URL to it)`,
    ]);
  }
  let kept = "";
  if (reach.tables.length) {
    const name = new URL(target).pathname.slice(1) || "database";
    kept = path.join(path.dirname(path.resolve(backup)), `${decodeURIComponent(name)}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}.dump`);
    await withTool(() => dumpDatabase(target, kept));
  }
  await withTool(() => restoreArchive(target, backup));
  const keptNote = kept ? `; the database it replaced is kept at ${kept}` : "";
  const db = openDatabase(target, { poolSize: CLI_POOL_SIZE });
  try {
    const found = await verifyChain(db);
    if (found.length) throw new InputError([`restored ${backup} into ${label}${keptNote}, but it does not check out:`, ...found]);
    const count = await db.selectFrom("versions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    process.stdout.write(`restored ${backup} into ${label}${keptNote}; verified: ${count.n} versions, every content hash, parent hash and item list checks out\n`);
  } finally {
    await db.destroy();
  }
}

async function responsesCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== "import") throw new UsageError('the responses command is "responses import <consultation> <file.csv|file.xlsx> --map <mapping.json>"');
  const { positional, options } = parseArgs(rest, ["--map"]);
  if (positional.length !== 2) throw new UsageError("responses import needs <consultation> and <file.csv|file.xlsx>");
  const mapFile = options.get("--map");
  if (mapFile === undefined) throw new UsageError("responses import needs --map <mapping.json>");
  const [consultationId, file] = positional as [string, string];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(mapFile, "utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError([`${mapFile}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : `not valid JSON (${(error as Error).message})`}`]);
  }
  const mapping = parseMapping(raw);
  if (!mapping.ok) throw new InputError(mapping.problems.map((p) => `${mapFile}: ${p}`));
  if (!existsSync(file)) throw new InputError([`${file}: no such file`]);
  if (statSync(file).isDirectory()) throw new InputError([`${file}: it is a folder, not a file`]);
  const format = await formatOf(file, file);
  if (!format.ok) throw new InputError([problemLine(file, format.problem)]);
  // Like the app on its first start: a new database is created, migrated and seeded from specs/
  // (quietly: standard output holds only the result line), so the sample consultations exist.
  const db = await openDatabaseToWrite();
  try {
    await migrateToLatest(db);
    await seedIfEmpty(db, specsDirectory());
    const result = await importResponsesFile(db, { id: null, email: "spec responses import" }, consultationId, { file, format: format.format, mapping: mapping.mapping });
    if (!result.ok) throw new InputError(result.problems.map((p) => problemLine(file, p)));
    process.stdout.write(`imported ${result.imported} responses, ${result.present} already present\n`);
  } catch (error) {
    if (error instanceof DomainError) throw new InputError([error.message]);
    throw error;
  } finally {
    await db.destroy();
  }
}

const COMMANDS: Record<string, (argv: string[]) => void | Promise<void>> = {
  backup: backupCommand,
  restore: restoreCommand,
  reanchor: reanchorCommand,
  user: userCommand,
  verify,
  check,
  redline: redlineCommand,
  import: importFiles,
  export: exportVersion,
  responses: responsesCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command) {
      process.stderr.write(`spec: no command given\n${USAGE}\n`);
      return 2;
    }
    if (command === "--help" || command === "help") {
      process.stdout.write(USAGE + "\n");
      return 0;
    }
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command "${command}"`);
    await run(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`spec: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof InputError) {
      process.stderr.write(error.problems.map((p) => p.replace(/\n/g, " ")).join("\n") + "\n");
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
