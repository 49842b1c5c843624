// The application's one database: PostgreSQL when DATABASE_URL names one, else the SQLite file
// at DATABASE_PATH; opened, migrated, and seeded when new.
import path from "node:path";
import type { Kysely } from "kysely";
import { isPostgresTarget, migrateToLatest, oneServerAtATime, openDatabase, type Database } from "./db.server";
import { seedIfEmpty } from "./library.server";
import { ensureDemoUsers } from "./users.server";
import { forgetRespondents } from "./consultation-responses.server";
import { publishDueVersions } from "./workflow.server";
import { watchChanges, type ChangeFeed } from "./change-feed.server";

/** How often scheduled publications are looked for while the server runs. */
const SCHEDULE_CHECK_MS = 60_000;

export const DEFAULT_DATABASE_PATH = "data/specwork.sqlite";

let ready: Promise<Kysely<Database>> | undefined;
/** The database once it is open, migrated and seeded; undefined before that and once closed. */
let opened: Kysely<Database> | undefined;
let schedule: ReturnType<typeof setInterval> | undefined;
let closing: Promise<void> | undefined;
let feed: ChangeFeed | null | undefined;

/**
 * On PostgreSQL, the feed of changes other servers make (see change-feed.server.ts), started on
 * first use; null on SQLite, where the stamp read from the database is enough (one writer at a
 * time, so audit entries are numbered in the order their changes commit).
 */
export function changeFeed(): ChangeFeed | null {
  if (feed === undefined) {
    const target = databaseTarget();
    feed = isPostgresTarget(target) && !closing ? watchChanges(target) : null;
  }
  return feed;
}

export function databasePath(): string {
  return process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
}

/** What openDatabase opens: DATABASE_URL (postgres://…) when set, else the SQLite file. */
export function databaseTarget(): string {
  return process.env.DATABASE_URL?.trim() || databasePath();
}

/** The PostgreSQL pool's size, from DATABASE_POOL_SIZE (10 when unset or not a number). */
export function poolSize(): number {
  const size = Number(process.env.DATABASE_POOL_SIZE);
  return Number.isInteger(size) && size > 0 ? size : 10;
}

/** Where the database is, for messages: the file, or the PostgreSQL server without its password. */
export function databaseLabel(): string {
  const target = databaseTarget();
  if (!isPostgresTarget(target)) return target;
  try {
    const url = new URL(target);
    url.password = "";
    return url.toString();
  } catch {
    return "the PostgreSQL database in DATABASE_URL";
  }
}

export function specsDirectory(): string {
  return path.resolve(process.env.SPECS_DIR || "specs");
}

async function open(): Promise<Kysely<Database>> {
  const db = openDatabase(databaseTarget(), { poolSize: poolSize() });
  try {
    return await prepare(db);
  } catch (error) {
    // The next request opens it afresh: this attempt leaves no pool and no schedule behind.
    clearInterval(schedule);
    schedule = undefined;
    await db.destroy().catch(() => {});
    throw error;
  }
}

async function prepare(db: Kysely<Database>): Promise<Kysely<Database>> {
  // Servers started together migrate once: Kysely's migrator holds a lock on PostgreSQL.
  await migrateToLatest(db);
  // And they do the rest of starting up one at a time, so a new database is seeded once.
  await oneServerAtATime(db, async (first) => {
    if (await seedIfEmpty(first, specsDirectory())) {
      console.log(`Specwork: seeded ${databaseLabel()} from ${specsDirectory()}`);
    }
    // Who responded to a consultation long closed is forgotten, as the privacy notice promises.
    await forgetRespondents(first);
    // Versions scheduled for a date that has come go live now, and then as each day comes. Each
    // publication writes audit entries, so cached public pages are rendered afresh.
    await publishScheduled(first);
    if (process.env.SPECWORK_DEMO !== "off" && (await ensureDemoUsers(first, process.env.DEMO_PASSWORD || "specwork-demo"))) {
      console.log("Specwork: created the demo accounts editor@, commissioner@ and admin@example.nhs.uk (SPECWORK_DEMO=off turns this off)");
    }
  });
  schedule = setInterval(() => void publishScheduled(db), SCHEDULE_CHECK_MS);
  schedule.unref();
  return db;
}

async function publishScheduled(db: Kysely<Database>): Promise<void> {
  try {
    const { published, problems } = await publishDueVersions(db);
    for (const p of published) console.log(`Specwork: published ${p.slug} ${p.number}, as scheduled`);
    for (const problem of problems) console.warn(`Specwork: a scheduled publication was not made: ${problem}`);
  } catch (error) {
    console.warn(`Specwork: could not look for scheduled publications: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The database, ready to use; the first call opens, migrates and seeds it. */
export function getDatabase(): Promise<Kysely<Database>> {
  if (closing) return Promise.reject(new Error("the database has been closed: the server is shutting down"));
  ready ??= open().then(
    (db) => (opened = db),
    (error: unknown) => {
      ready = undefined;
      throw error;
    },
  );
  return ready;
}

/**
 * The database as it is being opened or once open, without starting to open it: what a health
 * check asks, since asking must not set off a migration.
 */
export function openingDatabase(): Promise<Kysely<Database>> {
  if (closing) return Promise.reject(new Error("the database has been closed: the server is shutting down"));
  return ready ?? Promise.reject(new Error("the database is not open: it failed to open, or was never asked for"));
}

/** Whether the database is open, migrated and seeded, and not yet closed. */
export function isDatabaseOpen(): boolean {
  return opened !== undefined && closing === undefined;
}

/**
 * Closes the database for good as the server shuts down: no more scheduled publications, and
 * the connection (or, on PostgreSQL, the pool) is released. A database still being opened is
 * waited for, so that nothing is left connected. Calling it again waits for the same close.
 */
export function closeDatabase(): Promise<void> {
  closing ??= (async () => {
    clearInterval(schedule);
    schedule = undefined;
    const db = await ready?.catch(() => undefined);
    // The open may have set a schedule while it was being waited for.
    clearInterval(schedule);
    opened = undefined;
    await feed?.close();
    await db?.destroy();
  })();
  return closing;
}
