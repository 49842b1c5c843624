// The application's one database: opened from DATABASE_PATH, migrated, and seeded when new.
import path from "node:path";
import type { Kysely } from "kysely";
import { migrateToLatest, openDatabase, type Database } from "./db.server";
import { seedIfEmpty } from "./library.server";
import { ensureDemoUsers } from "./users.server";
import { forgetRespondents } from "./consultation-responses.server";

export const DEFAULT_DATABASE_PATH = "data/specwork.sqlite";

let ready: Promise<Kysely<Database>> | undefined;

export function databasePath(): string {
  return process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
}

export function specsDirectory(): string {
  return path.resolve(process.env.SPECS_DIR || "specs");
}

async function open(): Promise<Kysely<Database>> {
  const db = openDatabase(databasePath());
  await migrateToLatest(db);
  if (await seedIfEmpty(db, specsDirectory())) {
    console.log(`Specwork: seeded ${databasePath()} from ${specsDirectory()}`);
  }
  // Who responded to a consultation long closed is forgotten, as the privacy notice promises.
  await forgetRespondents(db);
  if (process.env.SPECWORK_DEMO !== "off" && (await ensureDemoUsers(db, process.env.DEMO_PASSWORD || "specwork-demo"))) {
    console.log("Specwork: created the demo accounts editor@, commissioner@ and admin@example.nhs.uk (SPECWORK_DEMO=off turns this off)");
  }
  return db;
}

/** The database, ready to use; the first call opens, migrates and seeds it. */
export function getDatabase(): Promise<Kysely<Database>> {
  ready ??= open().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}
