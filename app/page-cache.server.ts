// Rendered public pages, kept by address and by the latest audit entry: every change anyone
// makes writes one, so a cached page is served only while nothing has changed since. Pages also
// change with the clock (a consultation opens or closes, an event ends), so the stamp counts the
// consultation times that have passed as well.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { sql } from "kysely";
import { getDatabase } from "~/models/app-database.server";

export interface CachedPage {
  stamp: string;
  etag: string;
  status: number;
  headers: [string, string][];
  body: Buffer;
  gzipped: Buffer;
}

const MAX_PAGES = 500;
const pages = new Map<string, CachedPage>();

export async function currentStamp(at: Date = new Date()): Promise<string> {
  const db = await getDatabase();
  const row = await db.selectFrom("audit_log").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
  const iso = at.toISOString();
  const passed = await sql<{ n: number }>`SELECT
      (SELECT count(*) FROM consultations WHERE opens_at <= ${iso}) + (SELECT count(*) FROM consultations WHERE closes_at <= ${iso})
    + (SELECT count(*) FROM consultation_events WHERE starts_at <= ${iso}) + (SELECT count(*) FROM consultation_events WHERE ends_at <= ${iso}) AS n`.execute(db);
  return `${Number(row?.id ?? 0)}:${passed.rows[0]?.n ?? 0}`;
}

export function etagOf(body: Buffer | string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

export function remember(url: string, stamp: string, status: number, headers: Headers, body: Buffer): CachedPage {
  const page: CachedPage = { stamp, etag: etagOf(body), status, headers: [...headers.entries()], body, gzipped: gzipSync(body) };
  pages.delete(url);
  pages.set(url, page);
  if (pages.size > MAX_PAGES) pages.delete(pages.keys().next().value!);
  return page;
}

/** A page rendered for the public since the last change, or undefined. */
export async function cachedPage(url: string): Promise<CachedPage | undefined> {
  const page = pages.get(url);
  if (!page) return undefined;
  if (page.stamp !== (await currentStamp())) {
    pages.delete(url);
    return undefined;
  }
  return page;
}
