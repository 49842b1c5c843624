// A deployed database never re-runs a migration it has run, so a later schema change comes in a
// migration of its own: one migrated only as far as 008 gets the report's indexes from 009, and
// 009 also runs where an earlier copy of 007 had made them already.
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
  it("add the report's indexes to a database migrated as far as 008", async () => {
    const db = emptyDatabase();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo("008-review")).error).toBeUndefined();
    expect(await indexes(db)).toEqual([]);
    await migrateToLatest(db);
    expect(await indexes(db)).toEqual(REPORT_INDEXES);
  });

  it("run where the indexes exist already, as an earlier copy of 007 made them", async () => {
    const db = emptyDatabase();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo("008-review")).error).toBeUndefined();
    await sql`CREATE INDEX codings_report ON codings (consultation_id, pass, response_id, theme_code, stance, evidence_rich, removed_at) WHERE removed_at IS NULL`.execute(db);
    await sql`CREATE INDEX consultation_responses_profile ON consultation_responses (consultation_id, capacity, audience_code, channel, id)`.execute(db);
    await migrateToLatest(db);
    expect(await indexes(db)).toEqual(REPORT_INDEXES);
  });
});
