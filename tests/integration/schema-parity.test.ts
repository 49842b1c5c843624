// The schema the migrations make on PostgreSQL is the schema they make on SQLite: the same
// tables, columns (types, nulls, defaults, keys), foreign keys, unique constraints, indexes and
// triggers, read back from each database's own catalogue and compared. The only differences
// allowed are the few that a feature needs on one database, each named below with its reason.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "~/models/db.server";
import { freshDatabase } from "./database";
import { databaseURL, testPostgresURL } from "../support/test-postgres";

interface Schema {
  tables: string[];
  columns: string[];
  primaryKeys: string[];
  foreignKeys: string[];
  uniques: string[];
  indexes: string[];
  triggers: string[];
}

/** The SQLite internals of the FTS5 table of theme documents. */
const FTS5_SHADOW = /^theme_search_(data|idx|content|docsize|config)$/;

/**
 * What PostgreSQL has that SQLite does not, each for a reason:
 * - theme_search: FTS5 keeps its words in its own index with an implicit rowid, and its columns
 *   have no declared type or constraint; PostgreSQL keeps them in a tsvector column (words) with
 *   a GIN index and an identity key (rowid), beside two text columns.
 * - audit_log_announce: tells the other app servers of each committed change (LISTEN/NOTIFY);
 *   SQLite serves one machine, whose servers read the stamp from the database.
 */
const POSTGRES_ONLY = new Set([
  "column theme_search.rowid integer not null",
  "column theme_search.theme_code text not null",
  "column theme_search.body text not null",
  "column theme_search.words tsvector null",
  "primary key theme_search (rowid)",
  "index theme_search_words on theme_search (words)",
  "trigger audit_log_announce after insert on audit_log",
]);

/** The other side of the same differences: FTS5's untyped columns. */
const SQLITE_ONLY = new Set(["column theme_search.theme_code  null", "column theme_search.body  null"]);

function normaliseDefault(value: unknown): string {
  if (value === null || value === undefined) return "";
  // PostgreSQL writes a text default as '…'::text; SQLite as it was given.
  return ` default ${String(value).replace(/::[a-z ]+$/, "")}`;
}

function triggerLine(name: string, table: string, definition: string): string {
  const found = /\b(BEFORE|AFTER)\s+(INSERT|UPDATE|DELETE)(?:\s+OF\s+([\w\s,"]+?))?\s+ON\b/i.exec(definition);
  if (!found) throw new Error(`cannot read trigger ${name}: ${definition}`);
  const of = found[3] ? ` of ${found[3].replaceAll('"', "").split(",").map((c) => c.trim()).join(", ")}` : "";
  return `trigger ${name} ${found[1]!.toLowerCase()} ${found[2]!.toLowerCase()}${of} on ${table}`;
}

async function sqliteSchema(db: Kysely<Database>): Promise<Schema> {
  const all = async <T,>(query: string) => (await sql.raw(query).execute(db)).rows as T[];
  const master = await all<{ type: string; name: string; tbl_name: string; sql: string | null }>("SELECT type, name, tbl_name, sql FROM sqlite_master");
  const tables = master.filter((m) => m.type === "table" && !m.name.startsWith("sqlite_") && !FTS5_SHADOW.test(m.name)).map((m) => m.name);
  const schema: Schema = { tables, columns: [], primaryKeys: [], foreignKeys: [], uniques: [], indexes: [], triggers: [] };
  for (const table of tables) {
    const columns = await all<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(`PRAGMA table_info(${table})`);
    for (const c of columns) {
      // A primary key column is never null; SQLite does not say so of INTEGER PRIMARY KEY.
      schema.columns.push(`column ${table}.${c.name} ${c.type.toLowerCase()} ${c.notnull || c.pk ? "not null" : "null"}${normaliseDefault(c.dflt_value)}`);
    }
    const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    if (key.length) schema.primaryKeys.push(`primary key ${table} (${key.map((c) => c.name).join(", ")})`);
    for (const f of await all<{ table: string; from: string; to: string; on_delete: string }>(`PRAGMA foreign_key_list(${table})`)) {
      schema.foreignKeys.push(`foreign key ${table}.${f.from} -> ${f.table}.${f.to} on delete ${f.on_delete.toLowerCase()}`);
    }
    for (const index of await all<{ name: string; unique: number; origin: string; partial: number }>(`PRAGMA index_list(${table})`)) {
      const columnsOf = (await all<{ name: string }>(`PRAGMA index_info(${index.name})`)).map((c) => c.name).join(", ");
      if (index.origin === "u") schema.uniques.push(`unique ${table} (${columnsOf})`);
      if (index.origin === "c") schema.indexes.push(`index ${index.name} on ${table} (${columnsOf})${index.unique ? " unique" : ""}${index.partial ? " partial" : ""}`);
    }
  }
  for (const t of master.filter((m) => m.type === "trigger")) schema.triggers.push(triggerLine(t.name, t.tbl_name, t.sql ?? ""));
  return schema;
}

async function postgresSchema(db: Kysely<Database>): Promise<Schema> {
  const all = async <T,>(query: string) => (await sql.raw(query).execute(db)).rows as T[];
  const tables = (await all<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")).map((t) => t.name);
  const schema: Schema = { tables, columns: [], primaryKeys: [], foreignKeys: [], uniques: [], indexes: [], triggers: [] };
  const columns = await all<{ table_name: string; column_name: string; udt_name: string; length: number | null; is_nullable: string; column_default: string | null }>(
    "SELECT table_name, column_name, udt_name, character_maximum_length AS length, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public'",
  );
  const typeName = (udt: string, length: number | null) => `${{ int4: "integer", text: "text" }[udt] ?? udt}${length ? `(${length})` : ""}`;
  for (const c of columns) schema.columns.push(`column ${c.table_name}.${c.column_name} ${typeName(c.udt_name, c.length)} ${c.is_nullable === "NO" ? "not null" : "null"}${normaliseDefault(c.column_default)}`);
  const constraints = await all<{ kind: string; table_name: string; columns: string[]; ref_table: string | null; ref_columns: string[] | null; on_delete: string }>(`
    SELECT c.contype AS kind, t.relname AS table_name,
      array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns,
      r.relname AS ref_table,
      array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS ref_columns,
      c.confdeltype AS on_delete
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace LEFT JOIN pg_class r ON r.oid = c.confrelid
    WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')`);
  const onDelete: Record<string, string> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };
  for (const c of constraints) {
    if (c.kind === "p") schema.primaryKeys.push(`primary key ${c.table_name} (${c.columns.join(", ")})`);
    if (c.kind === "u") schema.uniques.push(`unique ${c.table_name} (${c.columns.join(", ")})`);
    if (c.kind === "f") schema.foreignKeys.push(`foreign key ${c.table_name}.${c.columns[0]} -> ${c.ref_table}.${c.ref_columns![0]} on delete ${onDelete[c.on_delete]}`);
  }
  const indexes = await all<{ name: string; table_name: string; columns: string[]; unique: boolean; partial: boolean }>(`
    SELECT i.relname AS name, t.relname AS table_name, ix.indisunique AS unique, ix.indpred IS NOT NULL AS partial,
      array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns
    FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)`);
  for (const i of indexes) schema.indexes.push(`index ${i.name} on ${i.table_name} (${i.columns.join(", ")})${i.unique ? " unique" : ""}${i.partial ? " partial" : ""}`);
  const triggers = await all<{ name: string; table_name: string; definition: string }>(`
    SELECT t.tgname AS name, c.relname AS table_name, pg_get_triggerdef(t.oid) AS definition
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND NOT t.tgisinternal`);
  for (const t of triggers) schema.triggers.push(triggerLine(t.name, t.table_name, t.definition));
  return schema;
}

function sorted(schema: Schema, leaveOut: ReadonlySet<string> = new Set()): Schema {
  const tidy = (lines: string[]) => lines.filter((l) => !leaveOut.has(l)).sort();
  return {
    tables: tidy(schema.tables),
    columns: tidy(schema.columns),
    primaryKeys: tidy(schema.primaryKeys),
    foreignKeys: tidy(schema.foreignKeys),
    uniques: tidy(schema.uniques),
    indexes: tidy(schema.indexes),
    triggers: tidy(schema.triggers),
  };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe.runIf(testPostgresURL())("the schema on PostgreSQL", () => {
  it("holds the same tables, columns, keys, indexes and triggers as on SQLite", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-schema-"));
    dirs.push(dir);
    const lite = openDatabase(path.join(dir, "schema.sqlite"));
    try {
      await migrateToLatest(lite);
      const { db: pg } = await freshDatabase();
      const onSqlite = await sqliteSchema(lite);
      const onPostgres = await postgresSchema(pg);

      // Every allowed difference is one PostgreSQL really has, so the list cannot go stale.
      const all = Object.values(onPostgres).flat() as string[];
      expect([...POSTGRES_ONLY].filter((line) => !all.includes(line))).toEqual([]);
      expect([...SQLITE_ONLY].filter((line) => !onSqlite.columns.includes(line))).toEqual([]);
      // Something to compare: the catalogues were read.
      expect(onSqlite.tables.length).toBeGreaterThan(30);
      expect(onSqlite.triggers.length).toBeGreaterThan(40);
      expect(sorted(onPostgres, POSTGRES_ONLY)).toEqual(sorted(onSqlite, SQLITE_ONLY));
      // Text compares byte by byte, as on SQLite, whatever the database's own collation.
      const collations = (
        await sql<{ name: string; collation: string | null }>`
          SELECT table_name || '.' || column_name AS name, collation_name AS collation FROM information_schema.columns
          WHERE table_schema = 'public' AND data_type = 'text' AND table_name NOT LIKE 'kysely%'`.execute(pg)
      ).rows;
      expect(collations.length).toBeGreaterThan(100);
      expect(collations.filter((c) => c.collation !== "C")).toEqual([]);
    } finally {
      await lite.destroy();
    }
  });

  it("sorts and compares text byte by byte, as SQLite does, on a database whose own collation is English", async () => {
    // A managed PostgreSQL is often created en_US.UTF-8; ICU's en-US is the same order here.
    const server = testPostgresURL()!;
    const name = `icu_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`);
    const db = openDatabase(databaseURL(server, name), { poolSize: 2 });
    try {
      // The database's own order is the English one…
      const english = await sql<{ s: string }>`SELECT string_agg(x, ' ' ORDER BY x) AS s FROM (VALUES ('b'), ('C'), ('a'), ('_z')) v(x)`.execute(db);
      expect(english.rows[0]!.s).toBe("_z a b C");
      // …and Specwork's tables keep SQLite's.
      await migrateToLatest(db);
      const at = "2026-01-01T00:00:00.000Z";
      await db.insertInto("themes").values(["b", "C", "a", "_z"].map((code) => ({ code, title: code, description: "", source: "", status: "open", created_at: at }))).execute();
      const codes = (await db.selectFrom("themes").select("code").orderBy("code").execute()).map((t) => t.code);
      expect(codes).toEqual(["C", "_z", "a", "b"]);
      expect(codes).toEqual(["b", "C", "a", "_z"].sort());
    } finally {
      await db.destroy();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
