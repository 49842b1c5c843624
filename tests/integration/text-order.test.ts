// Lists of names and codes come out in the same order on every database. SQLite orders text by
// its bytes; a managed PostgreSQL database usually has a language's collation (en_US), which
// ignores case and punctuation at first. On PostgreSQL this test makes such a database (an ICU
// collation that sorts as en_US does: "apple" before "Zebra", "T1" before "T-2") and checks that
// what people are shown is still in SQLite's order.
import pg from "pg";
import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, now, openDatabase, type Database } from "~/models/db.server";
import { listSpecifications } from "~/models/specifications.server";
import { listThemes, themeLinks } from "~/models/themes.server";
import { auditActions, recordAudit } from "~/models/audit.server";
import { codingThemes } from "~/models/coding-queue.server";
import { freshDatabase } from "./database";
import { databaseURL, dropDatabase, testPostgresURL } from "../support/test-postgres";

const server = testPostgresURL();
const made: { db: Kysely<Database>; url: string }[] = [];

afterEach(async () => {
  for (const { db, url } of made.splice(0)) {
    await db.destroy();
    await dropDatabase(server!, url);
  }
});

/** A migrated database whose text sorts as a language's does (PostgreSQL), or a fresh SQLite one. */
async function databaseWithLanguageOrder(): Promise<Kysely<Database>> {
  if (!server) return (await freshDatabase()).db;
  const name = `t_order_${process.pid}_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    // "ka-shifted": punctuation is ignored unless all else is equal, as in glibc's en_US.UTF-8.
    await client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'en-u-ka-shifted'`);
  } finally {
    await client.end();
  }
  const url = databaseURL(server, name);
  const db = openDatabase(url, { poolSize: 2 });
  made.push({ db, url });
  await migrateToLatest(db);
  return db;
}

describe("lists in text order", () => {
  it("shows specifications, themes and audit actions in the same order on either database", async () => {
    const db = await databaseWithLanguageOrder();
    if (server) {
      // The database really does sort as a language does, so the test means something here.
      const { rows } = await sql<{ a: string }>`SELECT a FROM (VALUES ('apple'), ('Zebra'), ('T1'), ('T-2')) v(a) ORDER BY a`.execute(db);
      expect(rows.map((r) => r.a)).toEqual(["apple", "T1", "T-2", "Zebra"]);
    }
    const at = now();
    for (const [slug, title] of [["a", "acute care"], ["b", "Zebra service"], ["c", "(Proton) beam therapy"], ["d", "Adult care"]]) {
      await db.insertInto("specifications").values({ slug: slug!, title: title!, reference: slug!.toUpperCase(), created_at: at }).execute();
    }
    for (const code of ["TA", "T1", "T-2", "T10"]) {
      await db.insertInto("themes").values({ code, title: `Theme ${code}`, description: "", source: "test", status: "active", created_at: at }).execute();
    }
    for (const action of ["responses.forget", "response.submit", "user.sign-in", "user.signin"]) {
      await recordAudit(db, { actor: { id: null, email: "system" }, action, objectType: "test", objectId: "1" });
    }

    expect((await listSpecifications(db)).map((s) => s.title)).toEqual(["(Proton) beam therapy", "Adult care", "Zebra service", "acute care"]);
    expect((await listThemes(db)).map((t) => t.code)).toEqual(["T-2", "T1", "T10", "TA"]);
    expect((await codingThemes(db)).map((t) => `${t.number} ${t.code}`)).toEqual(["1 T-2", "2 T1", "3 T10", "4 TA"]);
    expect(await auditActions(db)).toEqual(["response.submit", "responses.forget", "user.sign-in", "user.signin"]);
  });

  it("lists a theme's changes with those to removed clauses first, on either database", async () => {
    // A change that removed a clause has no item in its version (the join finds none): SQLite
    // puts such a missing number first, PostgreSQL would put it last.
    const { db } = await freshDatabase();
    const at = now();
    const spec = await db.insertInto("specifications").values({ slug: "s", title: "S", reference: "S", created_at: at }).returning("id").executeTakeFirstOrThrow();
    const version = await db
      .insertInto("versions")
      .values({ specification_id: spec.id, number: "1.1", label: null, date: null, status: "published", parent_id: null, parent_hash: null, title: "S", content_json: "{}", content_hash: "h", clause_count: 2, created_at: at, created_by: "test", sealed_at: null, published_by: null, published_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    const user = await db.insertInto("users").values({ email: "e@example.nhs.uk", name: "E", role: "editor", password_hash: "!", created_at: at, disabled_at: null }).returning("id").executeTakeFirstOrThrow();
    await db.insertInto("themes").values({ code: "T01", title: "T", description: "", source: "test", status: "active", created_at: at }).execute();
    for (const [ordinal, id] of [[2, "later"], [1, "earlier"]] as const) {
      await db.insertInto("version_items").values({ version_id: version.id, item_id: id, kind: "clause", number: `1.${ordinal}`, parent_id: null, position: ordinal, ordinal, plain_text: id, text_hash: id }).execute();
    }
    for (const clause of ["later", "removed", "earlier"]) {
      await db.insertInto("change_notes").values({ version_id: version.id, clause_id: clause, rationale: `Changed ${clause}`, updated_by: user.id, updated_at: at }).execute();
      await db.insertInto("change_note_themes").values({ version_id: version.id, clause_id: clause, theme_code: "T01" }).execute();
    }
    const { changes } = await themeLinks(db, "T01");
    expect(changes.map((c) => `${c.clauseId} ${c.number}`)).toEqual(["removed null", "earlier 1.1", "later 1.2"]);
  });
});
