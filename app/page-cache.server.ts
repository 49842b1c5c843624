// Rendered public pages, kept by address and by a stamp of the database's state: every change
// anyone makes writes an audit entry, so a cached page is served only while nothing has changed
// since. The stamp is read before the page's data is loaded (server.js does), so a change that
// commits while the page is being made leaves it stale, never wrongly fresh.
//
// A cache hit is answered by server.js before Express runs, so the stamp it compares must be in
// memory: reading the database on every hit would cost more than the rest of the hit.
//
// On SQLite the stamp is the latest audit entry's id: one writer at a time numbers them in the
// order their changes commit. It is read every REFRESH_EVERY_MS by a timer (one indexed query,
// some microseconds), at once after each change this process commits, and on every cache miss;
// the value kept only ever rises, so a page kept under it is never newer than what a hit
// compares it with. A change made by another process (the command line `spec …`, a second
// server on the same file) is therefore seen within REFRESH_EVERY_MS, far inside the second the
// issue allows, and this process's own changes at once, through the count of commits it made.
//
// On PostgreSQL several servers write at once, and an entry with a lower id can commit after one
// with a higher id; so there the stamp is instead the count of change notices this server has
// heard (change-feed.server.ts), which PostgreSQL sends as each change commits, beside the count
// of commits made here. Both are in memory already. While the notices cannot be heard, nothing
// is served from the cache.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { changeFeed, getDatabase, openingDatabase } from "~/models/app-database.server";
import { onCommit } from "~/models/db.server";

export interface CachedPage {
  stamp: string;
  etag: string;
  status: number;
  headers: [string, string][];
  body: Buffer;
  gzipped: Buffer;
  /** When the page goes stale by the clock alone (a consultation opening or closing), or null. */
  until: number | null;
}

const MAX_PAGES = 500;
/** How often, on SQLite, the latest audit entry is read while the server runs. */
export const REFRESH_EVERY_MS = 50;

/**
 * Changes this server has committed: its own pages go stale at once, without waiting for the
 * notice PostgreSQL sends every server (which comes a moment after the commit), or on SQLite
 * for the next read of the latest entry.
 */
let madeHere = 0;
onCommit(() => {
  madeHere++;
  if (watching) void refreshLatestEntry();
});
const pages = new Map<string, CachedPage>();

/** SQLite: the highest audit entry id read so far, or null before the first read (or after a failed one). */
let latestEntry: number | null = null;
let watching: ReturnType<typeof setInterval> | undefined;
let reading: Promise<void> | undefined;

/** Reads the latest audit entry on SQLite; reads already under way are joined, not repeated. */
function refreshLatestEntry(): Promise<void> {
  reading ??= (async () => {
    try {
      // Never the one to open the database (a miss opens it first): a timer tick must not set off
      // a migration, or retry a failed open twenty times a second.
      const db = await openingDatabase();
      const row = await db.selectFrom("audit_log").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
      const id = Number(row?.id ?? 0);
      if (latestEntry === null || id > latestEntry) latestEntry = id;
    } catch {
      // The database is closing or failing: serve nothing from the cache until it answers again.
      latestEntry = null;
    } finally {
      reading = undefined;
    }
  })();
  return reading;
}

/**
 * The stamp as this process knows it now, without waiting: what a cache hit compares. Null when
 * pages may not be served from the cache now (not yet read, or not hearing changes).
 */
export function stampNow(): string | null {
  const feed = changeFeed();
  if (feed) return feed.listening() ? `heard ${feed.generation()}, made ${madeHere}` : null;
  return latestEntry === null ? null : `entry ${latestEntry}, made ${madeHere}`;
}

/**
 * The database's state as far as cached pages go, or null when pages may not be cached now:
 * read afresh on SQLite (a miss, or a test, may wait for it), in memory on PostgreSQL.
 */
export async function currentStamp(): Promise<string | null> {
  await getDatabase();
  if (!changeFeed()) {
    // A reading already under way may have started before a change the caller has just made,
    // so the latest entry is read once more after it.
    await reading;
    await refreshLatestEntry();
    watching ??= setInterval(() => void refreshLatestEntry(), REFRESH_EVERY_MS).unref();
  }
  return stampNow();
}

export function etagOf(body: Buffer | string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

/** Keeps a rendered page under the stamp read before its data was loaded (none when null). */
export function remember(url: string, stamp: string | null, status: number, headers: Headers, body: Buffer, until: number | null = null): CachedPage | undefined {
  if (stamp === null) return undefined;
  const page: CachedPage = { stamp, etag: etagOf(body), status, headers: [...headers.entries()], body, gzipped: gzipSync(body), until };
  pages.delete(url);
  pages.set(url, page);
  if (pages.size > MAX_PAGES) pages.delete(pages.keys().next().value!);
  return page;
}

/** The page kept for `url` if it is still good under `stamp`; a stale one is dropped. */
function freshPage(url: string, stamp: string | null): CachedPage | undefined {
  const page = pages.get(url);
  if (!page) return undefined;
  if (page.stamp !== stamp || (page.until !== null && Date.now() >= page.until)) {
    pages.delete(url);
    return undefined;
  }
  return page;
}

/** A page rendered for the public since the last change (given `stamp`, read now if not given), or undefined. */
export async function cachedPage(url: string, stamp?: string | null): Promise<CachedPage | undefined> {
  if (!pages.has(url)) return undefined;
  return freshPage(url, stamp === undefined ? await currentStamp() : stamp);
}

/**
 * The same, at once, under the stamp held in memory (stampNow): what server.js answers a hit
 * with before Express runs. Undefined also when there is no stamp yet; the request then takes
 * the ordinary way, which reads one.
 */
export function cachedPageNow(url: string): CachedPage | undefined {
  const stamp = stampNow();
  return stamp === null ? undefined : freshPage(url, stamp);
}
