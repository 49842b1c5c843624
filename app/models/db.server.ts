// The SQLite database: its typed schema, opening it with safe pragmas, and migrating it.
import { mkdirSync } from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, type Generated, type Selectable, type Transaction } from "kysely";
import { migrations } from "../../migrations";
import type { VersionStatus } from "~/domain/workflow";

export interface SpecificationTable {
  id: Generated<number>;
  slug: string;
  title: string;
  reference: string;
  created_at: string;
}

export interface VersionTable {
  id: Generated<number>;
  specification_id: number;
  number: string;
  label: string | null;
  date: string | null;
  status: VersionStatus;
  parent_id: number | null;
  parent_hash: string | null;
  title: string;
  content_json: string;
  content_hash: string;
  clause_count: number;
  created_at: string;
  created_by: string;
}

export interface VersionItemTable {
  version_id: number;
  item_id: string;
  kind: "section" | "clause";
  number: string;
  parent_id: string | null;
  position: number;
  /** Index in document order. */
  ordinal: number;
  plain_text: string;
  text_hash: string;
}

export interface ThemeTable {
  code: string;
  title: string;
  description: string;
  source: string;
  status: string;
  created_at: string;
}

export interface Database {
  specifications: SpecificationTable;
  versions: VersionTable;
  version_items: VersionItemTable;
  themes: ThemeTable;
}

export type Db = Kysely<Database> | Transaction<Database>;
export type SpecificationRow = Selectable<SpecificationTable>;
export type VersionRow = Selectable<VersionTable>;
export type VersionItemRow = Selectable<VersionItemTable>;
export type ThemeRow = Selectable<ThemeTable>;

export function openDatabase(file: string): Kysely<Database> {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
}

export function now(): string {
  return new Date().toISOString();
}
