// `spec backup` and `spec restore`, on SQLite (its backup API) and on PostgreSQL (pg_dump and
// pg_restore), whichever the project runs on.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "~/models/audit.server";
import { openDatabase, type Database } from "~/models/db.server";
import { seedIfEmpty } from "~/models/library.server";
import { verifyChain } from "~/models/workflow.server";
import { bundle } from "../support/bundle";
import { createDatabaseFrom, dropDatabase, testPostgresURL } from "../support/test-postgres";
import { freshDatabase } from "./database";

const server = testPostgresURL();
const onPostgres = server !== undefined;

let cli: ReturnType<typeof bundle>;
beforeAll(() => {
  cli = bundle("app/cli/spec.ts", "backup-cli");
}, 120_000);
afterAll(() => cli.remove());

// Folders for backup files, and PostgreSQL databases made here, removed after each test.
const folders: string[] = [];
const databases: string[] = [];
afterEach(async () => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const url of databases.splice(0)) await dropDatabase(server!, url);
});

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-backup-"));
  folders.push(dir);
  return dir;
}

/** A new, empty PostgreSQL database (not even migrated): what `createdb` makes. */
async function emptyDatabase(): Promise<string> {
  const url = await createDatabaseFrom(server!, "template0");
  databases.push(url);
  return url;
}

function spec(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli.file, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

const auditCount = async (d: Kysely<Database>) => Number((await d.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

async function withDatabase<T>(target: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const db = openDatabase(target, { poolSize: 2 });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

describe("backup and restore", () => {
  it("backs up a database while writes continue, and restores it, keeping the database it replaces", async () => {
    const { db, file, env } = await freshDatabase();
    await seedIfEmpty(db, path.resolve("specs"));
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await recordAudit(db, { actor: { id: null, email: "load" }, action: "test.write", objectType: "row", objectId: String(written) });
        written++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    // The backup starts once writing is under way (by progress, not by the clock).
    while (written < 20) await new Promise((r) => setImmediate(r));
    const before = await auditCount(db);
    const backupFile = onPostgres ? path.join(folder(), "backup.dump") : path.join(path.dirname(file), "backup.sqlite");
    const result = await spec(["backup", backupFile], env);
    const after = await auditCount(db);
    writing = false;
    await writer;
    expect(result).toMatchObject({ status: 0, stdout: `backed up ${file} to ${backupFile}; it checks out\n` });
    expect(written).toBeGreaterThan(0);

    // On PostgreSQL the copy is read back by restoring it into a new, empty database.
    let copyTarget = backupFile;
    if (onPostgres) {
      copyTarget = await emptyDatabase();
      const intoEmpty = await spec(["restore", backupFile], { DATABASE_URL: copyTarget });
      expect(intoEmpty.stderr).toBe("");
      expect(intoEmpty.stdout).toMatch(/; verified: \d+ versions, every content hash, parent hash and item list checks out\n$/);
      expect(intoEmpty.stdout).not.toContain("kept at"); // there was nothing to keep
    }
    await withDatabase(copyTarget, async (copy) => {
      const inCopy = await auditCount(copy);
      // The copy is one consistent moment between the start and the end of the backup.
      expect(inCopy).toBeGreaterThanOrEqual(before);
      expect(inCopy).toBeLessThanOrEqual(after);
      expect(await verifyChain(copy)).toEqual([]);
    });

    const restored = await spec(["restore", backupFile], env);
    expect(restored.stderr).toBe("");
    expect(restored.status).toBe(0);
    const keptFolder = path.dirname(backupFile);
    const prefix = onPostgres ? `${new URL(file).pathname.slice(1)}.before-restore-` : "test.sqlite.before-restore-";
    const kept = readdirSync(keptFolder).find((name) => name.startsWith(prefix));
    expect(kept).toBeDefined();
    expect(existsSync(path.join(keptFolder, kept!))).toBe(true);
    expect(restored.stdout).toContain(`the database it replaced is kept at ${path.join(keptFolder, kept!)}`);
  }, 180_000);

  it("refuses to back up over a file that exists", async () => {
    const { env } = await freshDatabase();
    const existing = path.join(folder(), "taken");
    writeFileSync(existing, "keep me");
    const result = await spec(["backup", existing], env);
    expect(result).toMatchObject({ status: 1, stderr: `${existing} already exists: choose a new file name\n` });
  }, 120_000);

  it.skipIf(onPostgres)("refuses to restore a file that is not a Specwork database, and changes nothing", async () => {
    const { env } = await freshDatabase();
    const result = await spec(["restore", path.resolve("package.json")], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/package\.json: not a usable database \(file is not a database\)/);
  }, 120_000);

  it.skipIf(onPostgres)("refuses a PostgreSQL backup given to a SQLite database, naming what it is", async () => {
    const { db, env } = await freshDatabase();
    await seedIfEmpty(db, path.resolve("specs"));
    const before = await auditCount(db);
    const archive = path.join(folder(), "from-postgres.dump");
    writeFileSync(archive, Buffer.concat([Buffer.from("PGDMP"), Buffer.alloc(200)]));
    const result = await spec(["restore", archive], env);
    expect(result).toMatchObject({ status: 1, stderr: expect.stringContaining(`${archive}: this is a PostgreSQL backup (a pg_dump archive), but the database here is SQLite`) });
    expect(await auditCount(db)).toBe(before);
  }, 120_000);
});

describe.skipIf(!onPostgres)("backup and restore on PostgreSQL", () => {
  it("refuses a file that is not a pg_dump archive, and a SQLite backup, changing nothing", async () => {
    const { db, env } = await freshDatabase();
    await seedIfEmpty(db, path.resolve("specs"));
    const before = await auditCount(db);
    const dir = folder();

    const notArchive = await spec(["restore", path.resolve("package.json")], env);
    expect(notArchive).toMatchObject({ status: 1, stderr: `${path.resolve("package.json")}: not a PostgreSQL backup (a pg_dump archive in the custom format, as spec backup writes)\n` });

    const sqliteBackup = path.join(dir, "backup.sqlite");
    const raw = new SQLite(sqliteBackup);
    raw.exec("create table versions (id integer primary key)");
    raw.close();
    const fromSqlite = await spec(["restore", sqliteBackup], env);
    expect(fromSqlite).toMatchObject({ status: 1, stderr: expect.stringContaining(`${sqliteBackup}: this is a SQLite backup, but the database here is PostgreSQL`) });

    // An archive of a database that is not Specwork's: one with no versions table.
    const other = await emptyDatabase();
    await withDatabase(other, (o) => sql`create table notes (body text)`.execute(o));
    const otherArchive = path.join(dir, "other.dump");
    const otherBackup = await spec(["backup", otherArchive], { DATABASE_URL: other });
    expect(otherBackup).toMatchObject({ status: 1, stderr: expect.stringContaining("this is not a Specwork database (it has no versions table)") });
    expect(existsSync(otherArchive)).toBe(false);

    // A database migrated further than its backup: pg_restore --clean would leave the newer
    // table behind, for the next migration to trip over, so the restore is refused.
    const archive = path.join(dir, "specwork.dump");
    expect((await spec(["backup", archive], env)).status).toBe(0);
    await sql`create table later_feature (id integer)`.execute(db);
    const newer = await spec(["restore", archive], env);
    expect(newer).toMatchObject({ status: 1, stderr: expect.stringContaining(`has tables that ${archive} does not (public.later_feature)`) });
    await sql`select count(*) from later_feature`.execute(db); // still there

    expect(await auditCount(db)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(["backup.sqlite", "specwork.dump"]); // nothing kept: nothing was replaced
  }, 180_000);

  it("restores the versions as they were, keeps the replaced database's dump, and the triggers still guard published content", async () => {
    const { db, file, env } = await freshDatabase();
    await seedIfEmpty(db, path.resolve("specs"));
    const dir = folder();
    const backupFile = path.join(dir, "backup.dump");
    const versionsAt = () => db.selectFrom("versions").select(["id", "number", "status", "content_hash", "parent_hash"]).orderBy("id").execute();
    const versions = await versionsAt();
    const auditBefore = await auditCount(db);
    expect((await spec(["backup", backupFile], env)).status).toBe(0);

    // Changes made after the backup: gone once it is restored, but kept in the replaced one's dump.
    for (let i = 0; i < 3; i++) await recordAudit(db, { actor: { id: null, email: "later" }, action: "test.later", objectType: "row", objectId: String(i) });
    const restored = await spec(["restore", backupFile], env);
    expect(restored.stderr).toBe("");
    expect(restored.status).toBe(0);
    expect(restored.stdout).toContain(`; verified: ${versions.length} versions`);
    expect(await versionsAt()).toEqual(versions);
    expect(await auditCount(db)).toBe(auditBefore);

    // The kept dump is the database as it was just before the restore, later changes and all.
    const kept = readdirSync(dir).find((name) => name.startsWith(`${new URL(file).pathname.slice(1)}.before-restore-`) && name.endsWith(".dump"));
    expect(kept).toBeDefined();
    const fromKept = await emptyDatabase();
    expect((await spec(["restore", path.join(dir, kept!)], { DATABASE_URL: fromKept })).status).toBe(0);
    expect(await withDatabase(fromKept, auditCount)).toBe(auditBefore + 3);

    // The immutability triggers came back with the tables, and so did the identity sequences.
    const published = versions.find((v) => v.status === "published")!;
    await expect(sql`UPDATE versions SET content_json = '{}' WHERE id = ${published.id}`.execute(db)).rejects.toThrow("approved and published content cannot change");
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow("the audit log is append-only");
    await recordAudit(db, { actor: { id: null, email: "after" }, action: "test.after", objectType: "row", objectId: "x" });
    const ids = await db.selectFrom("audit_log").select("id").orderBy("id", "desc").limit(2).execute();
    expect(ids[0]!.id).toBeGreaterThan(ids[1]!.id);
    expect(await verifyChain(db)).toEqual([]);
    expect(await spec(["verify"], env)).toMatchObject({ status: 0, stdout: `ok: ${versions.length} versions; every content hash, parent hash and item list checks out\n` });
  }, 240_000);

  it("opens nothing it would have to create: an unreachable server, and a database that is not Specwork's", async () => {
    const unreachable = await spec(["verify"], { DATABASE_URL: "postgres://someone:s3cret-word@127.0.0.1:1/specwork" });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/^cannot reach the database at postgres:\/\/someone@127\.0\.0\.1:1\/specwork: /);
    expect(unreachable.stderr).not.toContain("s3cret");

    const empty = await emptyDatabase();
    for (const args of [["verify"], ["export", "x", "1.0"], ["backup", path.join(folder(), "b.dump")]]) {
      const result = await spec(args, { DATABASE_URL: empty });
      expect(result).toMatchObject({ status: 1, stderr: `${empty}: this is not a Specwork database (it has no versions table${args[0] === "backup" ? "" : "; import files first"})\n` });
    }
    const tables = await withDatabase(empty, (e) => sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = 'public'`.execute(e));
    expect(tables.rows[0]!.n).toBe(0);
  }, 180_000);
});
