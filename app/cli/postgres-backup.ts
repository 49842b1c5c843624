// `spec backup` and `spec restore` on PostgreSQL, through PostgreSQL's own tools: pg_dump writes
// one consistent snapshot of the database (it reads inside one transaction, so writes made
// meanwhile are simply not in it), in the custom format that pg_restore reads back.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/** The first bytes of a pg_dump archive in the custom format, and of a SQLite database file. */
const ARCHIVE_MAGIC = "PGDMP";
const SQLITE_MAGIC = "SQLite format 3\0";

/** What a file is, by its first bytes: a pg_dump custom-format archive, a SQLite file, or neither. */
export function backupKind(file: string): "postgres" | "sqlite" | "other" | "missing" {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return "missing";
  }
  try {
    const head = Buffer.alloc(16);
    const read = readSync(fd, head, 0, 16, 0);
    const text = head.subarray(0, read).toString("latin1");
    if (text.startsWith(ARCHIVE_MAGIC)) return "postgres";
    if (text === SQLITE_MAGIC) return "sqlite";
    return "other";
  } catch {
    return "other"; // a folder, say
  } finally {
    closeSync(fd);
  }
}

/**
 * The folder of PostgreSQL's client tools: wherever `pg_dump` is on PATH, else the highest
 * major version under /usr/lib/postgresql (Debian installs them there, not always on PATH).
 */
function clientTools(): (name: string) => string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, "pg_dump")) && existsSync(path.join(dir, "pg_restore"))) return (name) => path.join(dir, name);
  }
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => b - a) : [];
  for (const major of majors) {
    const dir = path.join(root, String(major), "bin");
    if (existsSync(path.join(dir, "pg_dump")) && existsSync(path.join(dir, "pg_restore"))) return (name) => path.join(dir, name);
  }
  throw new Error(
    "pg_dump and pg_restore were not found (on PATH or under /usr/lib/postgresql): install PostgreSQL's client tools, " +
      "the same major version as the server or newer (on Debian or Ubuntu: apt-get install postgresql-client)",
  );
}

/**
 * How the tools reach the database: the URL without its password as `--dbname` (libpq reads a
 * URL there, query options such as sslmode included), and the password in PGPASSWORD, so that
 * it never shows in the process list.
 */
function connection(target: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(target.trim());
  const password = decodeURIComponent(url.password);
  url.password = "";
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password) env.PGPASSWORD = password;
  return { dbname: url.toString(), env };
}

function runTool(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** The last lines a tool wrote to standard error, as one line for a message. */
function said(stderr: string): string {
  return stderr.trim().split("\n").slice(-3).join(" ").replace(/\s+/g, " ") || "no reason given";
}

/** The tables an archive holds (schema.name), from pg_restore's table of contents. */
async function archiveTables(file: string): Promise<{ ok: true; tables: Set<string> } | { ok: false; problem: string }> {
  const tool = clientTools();
  const listed = await runTool(tool("pg_restore"), ["--list", file], process.env);
  if (listed.status !== 0) return { ok: false, problem: `${file}: not a readable pg_dump archive (${said(listed.stderr)})` };
  const tables = new Set<string>();
  for (const line of listed.stdout.split("\n")) {
    // e.g. "215; 1259 16390 TABLE public versions specwork"
    const match = /^\d+; \d+ \d+ TABLE (\S+) (\S+) /.exec(line);
    if (match) tables.add(`${match[1]}.${match[2]}`);
  }
  return { ok: true, tables };
}

/** Problems with a file as a backup of a Specwork database on PostgreSQL; none when it is one. */
export async function checkArchive(file: string): Promise<string[]> {
  const kind = backupKind(file);
  if (kind === "missing") return [`${file}: no such file`];
  if (kind === "sqlite") {
    return [`${file}: this is a SQLite backup, but the database here is PostgreSQL (DATABASE_URL): restore it with DATABASE_PATH set instead, or give a pg_dump archive`];
  }
  if (kind !== "postgres") return [`${file}: not a PostgreSQL backup (a pg_dump archive in the custom format, as spec backup writes)`];
  const listed = await archiveTables(file);
  if (!listed.ok) return [listed.problem];
  if (![...listed.tables].some((t) => t.endsWith(".versions"))) return [`${file}: this is not a Specwork database (it has no versions table)`];
  return [];
}

export type Reach = { ok: true; specwork: boolean; tables: string[] } | { ok: false; problem: string };

/**
 * Connects once, creating nothing, to say whether the database can be reached and what is in
 * it: whether it has Specwork's versions table, and every table it has (schema.name).
 */
export async function inspectDatabase(target: string, label: string): Promise<Reach> {
  // A bounded wait: a server behind a firewall that drops packets would otherwise hang here.
  const client = new pg.Client({ connectionString: target.trim(), connectionTimeoutMillis: 15_000 });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    return { ok: false, problem: `cannot reach the database at ${label}: ${(error as Error).message || String((error as { code?: string }).code)}` };
  }
  try {
    const found = await client.query<{ versions: boolean }>("select to_regclass('versions') is not null as versions");
    const tables = await client.query<{ name: string }>(
      "select table_schema || '.' || table_name as name from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1",
    );
    return { ok: true, specwork: found.rows[0]!.versions, tables: tables.rows.map((r) => r.name) };
  } catch (error) {
    return { ok: false, problem: `cannot read the database at ${label}: ${(error as Error).message}` };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Writes the database to `file` with pg_dump (custom format); throws with pg_dump's reason. */
export async function dumpDatabase(target: string, file: string): Promise<void> {
  const tool = clientTools();
  const { dbname, env } = connection(target);
  const dumped = await runTool(tool("pg_dump"), ["--format=custom", "--no-password", "--file", file, "--dbname", dbname], env);
  if (dumped.status !== 0) {
    rmSync(file, { force: true }); // no half-written backup left to be mistaken for one
    throw new Error(`pg_dump failed: ${said(dumped.stderr)}`);
  }
}

/**
 * Replaces the database's tables with the archive's, in one transaction: either all of it is
 * restored or nothing changes. `--clean --if-exists` drops each object the archive holds before
 * creating it again; the tables are filled before their triggers are created (pg_dump orders
 * them so), so the immutability triggers do not refuse the rows being put back, and each
 * identity column's sequence is set back to where it was. `--no-owner` makes the tables the
 * restoring user's, since the backup may come from a server with other accounts.
 */
export async function restoreArchive(target: string, file: string): Promise<void> {
  const tool = clientTools();
  const { dbname, env } = connection(target);
  const restored = await runTool(
    tool("pg_restore"),
    ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--no-password", "--dbname", dbname, file],
    env,
  );
  if (restored.status !== 0) throw new Error(`pg_restore failed, and the database is as it was: ${said(restored.stderr)}`);
}

/** Tables the database has that the archive does not: what a restore would leave behind. */
export async function tablesNotInArchive(file: string, tables: string[]): Promise<string[]> {
  const listed = await archiveTables(file);
  if (!listed.ok) return [];
  return tables.filter((t) => !listed.tables.has(t));
}
