// Rendered public pages, kept by address and by the latest audit entry: every change anyone
// makes writes one, so a cached page is served only while nothing has changed since.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { getDatabase } from "~/models/app-database.server";

export interface CachedPage {
  stamp: number;
  etag: string;
  status: number;
  headers: [string, string][];
  body: Buffer;
  gzipped: Buffer;
  /** When the page goes stale by the clock alone (a consultation opening or closing), or null. */
  until: number | null;
}

const MAX_PAGES = 500;
const pages = new Map<string, CachedPage>();

export async function currentStamp(): Promise<number> {
  const db = await getDatabase();
  const row = await db.selectFrom("audit_log").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
  return Number(row?.id ?? 0);
}

export function etagOf(body: Buffer | string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
}

export function remember(url: string, stamp: number, status: number, headers: Headers, body: Buffer, until: number | null = null): CachedPage {
  const page: CachedPage = { stamp, etag: etagOf(body), status, headers: [...headers.entries()], body, gzipped: gzipSync(body), until };
  pages.delete(url);
  pages.set(url, page);
  if (pages.size > MAX_PAGES) pages.delete(pages.keys().next().value!);
  return page;
}

/** A page rendered for the public since the last change, or undefined. */
export async function cachedPage(url: string): Promise<CachedPage | undefined> {
  const page = pages.get(url);
  if (!page) return undefined;
  if (page.stamp !== (await currentStamp()) || (page.until !== null && Date.now() >= page.until)) {
    pages.delete(url);
    return undefined;
  }
  return page;
}
