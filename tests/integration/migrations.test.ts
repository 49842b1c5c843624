// A deployed database never re-runs a migration it has run. 007 as it landed makes the report's
// indexes; a copy of 007 without them ran for a while, so 009 makes them where they are missing
// and runs cleanly where 007 made them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Migrator, sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrations } from "../../migrations";
import { migrateToLatest, openDatabase, type Database } from "~/models/db.server";

const REPORT_INDEXES = ["codings_report", "consultation_responses_profile"];
const dirs: string[] = [];
const dbs: Kysely<Database>[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.destroy();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function emptyDatabase(): Kysely<Database> {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-migrations-"));
  dirs.push(dir);
  const db = openDatabase(path.join(dir, "test.sqlite"));
  dbs.push(db);
  return db;
}

const indexes = async (db: Kysely<Database>) =>
  (await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND name IN (${sql.join(REPORT_INDEXES)}) ORDER BY name`.execute(db)).rows.map((r) => r.name);

describe("migrations after 007", () => {
  it("make the report's indexes where a copy of 007 without them ran", async () => {
    const db = emptyDatabase();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo("008-review")).error).toBeUndefined();
    // What that copy of 007 left: the same schema without the two indexes.
    for (const name of REPORT_INDEXES) await sql.raw(`DROP INDEX ${name}`).execute(db);
    expect(await indexes(db)).toEqual([]);
    await migrateToLatest(db);
    expect(await indexes(db)).toEqual(REPORT_INDEXES);
  });

  it("run where 007 as it landed made the indexes already", async () => {
    const db = emptyDatabase();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo("008-review")).error).toBeUndefined();
    expect(await indexes(db)).toEqual(REPORT_INDEXES);
    await migrateToLatest(db);
    expect(await indexes(db)).toEqual(REPORT_INDEXES);
  });
});
