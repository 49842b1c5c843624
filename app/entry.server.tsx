// Renders each page whole before sending it, so every page reads fully without JavaScript, and
// can carry a nonce-based Content-Security-Policy and an ETag of its exact bytes.
import { randomBytes } from "node:crypto";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { fileResponse, isFileDownload } from "~/http.server";
import { NonceContext } from "~/nonce";
import { cachedPage, cachedPageNow, currentStamp, etagOf, remember } from "~/page-cache.server";
import { renderDocument } from "~/render-document.server";

// server.js asks for cached public pages before Remix runs, answers /healthz and /readyz
// itself, and closes the database when it shuts down.
export { cachedPage, cachedPageNow, currentStamp };
export { databaseReady, health } from "~/models/health.server";
export { closeDatabase } from "~/models/app-database.server";
import { getDatabase } from "~/models/app-database.server";

// Open, migrate and seed the database as the server starts, not on the first request.
getDatabase().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

const RENDER_TIMEOUT_MS = 10_000;

/**
 * The policy for one page: scripts from this site, and inline scripts that carry the page's
 * nonce. A nonce is made fresh for each rendering; a cached public page keeps its own (its
 * bytes, and so its ETag, stay the same while it is served from the cache).
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * A page whose content changes with the clock (a consultation opens or closes, an event ends)
 * says when in its loader data, as `freshUntil`; the cache keeps it no longer than that.
 */
function freshUntil(leafData: unknown): number | null {
  if (typeof leafData !== "object" || leafData === null || !("freshUntil" in leafData)) return null;
  const until = (leafData as { freshUntil: unknown }).freshUntil;
  return typeof until === "string" ? Date.parse(until) : null;
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const { loaderData, matches } = remixContext.staticHandlerContext;
  const leaf = matches[matches.length - 1];
  const leafData = leaf ? loaderData[leaf.route.id] : undefined;
  if (responseStatusCode === 200 && isFileDownload(leafData)) return fileResponse(leafData);

  // Public pages (no session) may be cached, under the stamp server.js read before the loaders
  // ran, so that a change made while the page was being made leaves it stale, not wrongly fresh.
  const cacheable = request.method === "GET" && !(request.headers.get("Cookie") ?? "").includes("specwork_session=");
  const stamp = typeof loadContext?.cacheStamp === "string" ? loadContext.cacheStamp : null;

  const nonce = randomBytes(16).toString("base64");
  const page = (
    <NonceContext.Provider value={nonce}>
      <RemixServer context={remixContext} url={request.url} abortDelay={RENDER_TIMEOUT_MS} nonce={nonce} />
    </NonceContext.Provider>
  );
  const document = await renderDocument(page, { nonce, timeoutMs: RENDER_TIMEOUT_MS + 1000 });

  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(nonce));
  const body = Buffer.from(document, "utf8");
  if (cacheable) {
    responseHeaders.set("Cache-Control", "public, max-age=0, must-revalidate");
    responseHeaders.set("ETag", etagOf(body));
    if (responseStatusCode === 200) remember(new URL(request.url).pathname + new URL(request.url).search, stamp, responseStatusCode, responseHeaders, body, freshUntil(leafData));
    if (responseStatusCode === 200 && request.headers.get("If-None-Match") === responseHeaders.get("ETag")) {
      return new Response(null, { status: 304, headers: responseHeaders });
    }
  } else {
    responseHeaders.set("Cache-Control", "private, no-store");
  }
  return new Response(body, { status: responseStatusCode, headers: responseHeaders });
}
