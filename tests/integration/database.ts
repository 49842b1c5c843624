// A fresh, migrated database per test, removed afterwards: a SQLite file, or a PostgreSQL
// database when the project runs on PostgreSQL (copied from the migrated template).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterEach } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "~/models/db.server";
import { createDatabaseFrom, dropDatabase, MIGRATED_TEMPLATE, testPostgresURL } from "../support/test-postgres";

const opened: { db: Kysely<Database>; dir?: string; url?: string }[] = [];
const server = testPostgresURL();

afterEach(async () => {
  for (const { db, dir, url } of opened.splice(0)) {
    await db.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (url && server) await dropDatabase(server, url);
  }
});

/**
 * A migrated database. `file` is what DATABASE_PATH or DATABASE_URL would name: the SQLite file,
 * or the PostgreSQL database's URL; `env` says it to a child process.
 */
export async function freshDatabase(): Promise<{ db: Kysely<Database>; file: string; env: Record<string, string> }> {
  if (server) {
    const url = await createDatabaseFrom(server, MIGRATED_TEMPLATE);
    const db = openDatabase(url, { poolSize: 4 });
    opened.push({ db, url });
    return { db, file: url, env: { DATABASE_URL: url } };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-test-"));
  const file = path.join(dir, "test.sqlite");
  const db = openDatabase(file);
  opened.push({ db, dir });
  await migrateToLatest(db);
  return { db, file, env: { DATABASE_PATH: file } };
}

/** Every row of every table, to compare the whole database before and after an operation. */
export async function snapshot(db: Kysely<Database>) {
  return {
    specifications: await db.selectFrom("specifications").selectAll().orderBy("id").execute(),
    versions: await db.selectFrom("versions").selectAll().orderBy("id").execute(),
    items: await db.selectFrom("version_items").selectAll().orderBy("version_id").orderBy("ordinal").execute(),
    themes: await db.selectFrom("themes").selectAll().orderBy("code").execute(),
    notes: await db.selectFrom("change_notes").selectAll().orderBy("version_id").orderBy("clause_id").execute(),
    noteThemes: await db.selectFrom("change_note_themes").selectAll().orderBy("version_id").orderBy("clause_id").orderBy("theme_code").execute(),
    outcomes: await db.selectFrom("theme_outcomes").selectAll().orderBy("version_id").orderBy("theme_code").execute(),
    annotations: await db.selectFrom("annotations").selectAll().orderBy("id").execute(),
    revisions: await db.selectFrom("draft_revisions").selectAll().orderBy("version_id").orderBy("revision").execute(),
    contributions: await db.selectFrom("contributions").selectAll().orderBy("id").execute(),
    audit: await db.selectFrom("audit_log").select(["id", "action", "object_id"]).orderBy("id").execute(),
    consultations: await db.selectFrom("consultations").selectAll().orderBy("id").execute(),
    questions: await db.selectFrom("consultation_questions").selectAll().orderBy("consultation_id").orderBy("id").execute(),
    responses: await db.selectFrom("consultation_responses").selectAll().orderBy("id").execute(),
    answers: await db.selectFrom("response_answers").selectAll().orderBy("response_id").orderBy("question_id").execute(),
    clauseComments: await db.selectFrom("response_clause_comments").selectAll().orderBy("id").execute(),
    codings: await db.selectFrom("codings").selectAll().orderBy("id").execute(),
    decisions: await db.selectFrom("theme_decisions").selectAll().orderBy("consultation_id").orderBy("theme_code").execute(),
    reports: await db.selectFrom("consultation_reports").selectAll().orderBy("consultation_id").execute(),
    noteResponses: await db.selectFrom("change_note_responses").selectAll().orderBy("version_id").orderBy("clause_id").orderBy("response_id").execute(),
    users: await db.selectFrom("users").select(["id", "email", "name", "role", "disabled_at"]).orderBy("id").execute(),
  };
}
