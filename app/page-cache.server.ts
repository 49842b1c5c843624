// Rendered public pages, kept by address and by a stamp of the database's state: every change
// anyone makes writes an audit entry, so a cached page is served only while nothing has changed
// since. The stamp is read before the page's data is loaded (server.js does), so a change that
// commits while the page is being made leaves it stale, never wrongly fresh.
//
// On SQLite the stamp is the latest audit entry's id: one writer at a time numbers them in the
// order their changes commit. On PostgreSQL several servers write at once, and an entry with a
// lower id can commit after one with a higher id; so there the stamp is instead the count of
// change notices this server has heard (change-feed.server.ts), which PostgreSQL sends as each
// change commits. While the notices cannot be heard, nothing is served from the cache.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { changeFeed, getDatabase } from "~/models/app-database.server";
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

/**
 * Changes this server has committed: its own pages go stale at once, without waiting for the
 * notice PostgreSQL sends every server (which comes a moment after the commit).
 */
let madeHere = 0;
onCommit(() => madeHere++);
const pages = new Map<string, CachedPage>();

/** The database's state as far as cached pages go, or null when pages may not be cached now. */
export async function currentStamp(): Promise<string | null> {
  const db = await getDatabase();
  const feed = changeFeed();
  // On PostgreSQL the notices are the whole story: every committed change sends one, so a cache
  // hit needs no query at all.
  if (feed) return feed.listening() ? `heard ${feed.generation()}, made ${madeHere}` : null;
  const row = await db.selectFrom("audit_log").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
  return `entry ${Number(row?.id ?? 0)}`;
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

/** A page rendered for the public since the last change (given `stamp`, read now if not given), or undefined. */
export async function cachedPage(url: string, stamp?: string | null): Promise<CachedPage | undefined> {
  const page = pages.get(url);
  if (!page) return undefined;
  const now = stamp === undefined ? await currentStamp() : stamp;
  if (page.stamp !== now || (page.until !== null && Date.now() >= page.until)) {
    pages.delete(url);
    return undefined;
  }
  return page;
}
