// The public page cache as a client sees it, now that server.js answers a cache hit before
// Express runs: a hit must look exactly like the page rendered afresh (every security header
// included), must go stale when anyone anywhere changes anything, and must never answer a
// request the ordinary way would treat differently (a session, a control character).
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "~/models/db.server";
import { startServer } from "./server";

// Behind one trusted proxy hop, so that X-Forwarded-Proto: https says the client came over TLS.
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: "1" });
});
afterAll(() => server?.stop());

const SLUG = "adult-external-beam-radiotherapy";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request, so that the test decides every header sent (fetch adds Accept-Encoding). */
function get(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const decoded = (answer: Answer) => (answer.headers["content-encoding"] === "gzip" ? gunzipSync(answer.body) : answer.body);

/** What a page's answer says about itself and its defences, whichever way it was made. */
const HEADERS = ["content-type", "content-encoding", "content-security-policy", "cache-control", "etag", "vary", "x-content-type-options", "referrer-policy", "x-frame-options", "strict-transport-security"];
const described = (answer: Answer) => Object.fromEntries(HEADERS.map((name) => [name, answer.headers[name] ?? null]));

describe("a cache hit", () => {
  it.each([
    ["gzip, over TLS at the proxy", { "Accept-Encoding": "gzip", "X-Forwarded-Proto": "https" }, `/specs/${SLUG}/v/1.0`],
    ["no encoding, plain HTTP", {}, `/specs/${SLUG}/compare/0.9...1.0`],
    ["no encoding, over TLS at the proxy (the first of two entries)", { "X-Forwarded-Proto": "https, http" }, `/specs/${SLUG}/v/0.9`],
  ])("carries the same headers and bytes as the page rendered afresh (%s)", async (_name, headers, path) => {
    const rendered = await get(server.baseURL + path, headers);
    expect(rendered.status).toBe(200);
    expect(rendered.headers["x-specwork-cache"]).toBeUndefined();
    const hit = await get(server.baseURL + path, headers);
    expect(hit.status).toBe(200);
    expect(hit.headers["x-specwork-cache"]).toBe("hit");
    expect(described(hit)).toEqual(described(rendered));
    expect(decoded(hit).equals(decoded(rendered))).toBe(true);
    expect(Number(hit.headers["content-length"])).toBe(hit.body.length);
    // The defences themselves, not only their sameness.
    expect(hit.headers).toMatchObject({ "x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin", "x-frame-options": "DENY", "cache-control": "public, max-age=0, must-revalidate" });
    const overTLS = /^https\b/.test(headers["X-Forwarded-Proto" as keyof typeof headers] ?? "");
    expect(hit.headers["strict-transport-security"] ?? null).toBe(overTLS ? "max-age=31536000; includeSubDomains" : null);
    expect(hit.headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);

    // A revalidation and a HEAD are answered from the cache too, with the same defences.
    const revalidated = await get(server.baseURL + path, { ...headers, "If-None-Match": String(hit.headers.etag) });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    expect(revalidated.headers["x-specwork-cache"]).toBe("hit");
    expect(revalidated.headers["x-frame-options"]).toBe("DENY");
    const head = await get(server.baseURL + path, headers, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers["x-specwork-cache"]).toBe("hit");
    expect(head.headers["content-length"]).toBe(hit.headers["content-length"]);
  });

  it("is not gzipped for a client that refuses gzip by its weight (gzip;q=0), rendered or cached", async () => {
    const path = `/specs/${SLUG}/compare/0.9...1.0?view=all`;
    const headers = { "Accept-Encoding": "gzip;q=0, identity" };
    const rendered = await get(server.baseURL + path, headers);
    const hit = await get(server.baseURL + path, headers);
    expect([rendered.status, hit.status, hit.headers["x-specwork-cache"]]).toEqual([200, 200, "hit"]);
    expect([rendered.headers["content-encoding"], hit.headers["content-encoding"]]).toEqual([undefined, undefined]);
    expect(hit.body.equals(rendered.body)).toBe(true);
    expect(hit.body.toString("utf8", 0, 15)).toBe("<!DOCTYPE html>");
  });

  it("believes X-Forwarded-Proto only from a trusted proxy: no HSTS from a server that trusts none", async () => {
    const shared = inject("baseURL");
    const path = `/specs/${SLUG}/v/1.0`;
    await get(shared + path);
    const hit = await get(shared + path, { "X-Forwarded-Proto": "https" });
    expect(hit.headers["x-specwork-cache"]).toBe("hit");
    expect(hit.headers["strict-transport-security"]).toBeUndefined();
    expect(hit.headers["x-frame-options"]).toBe("DENY");
  });

  it("is never given to a request with a session cookie, nor to an address with a control character", async () => {
    const path = `/specs/${SLUG}/v/1.0`;
    await get(server.baseURL + path);
    expect((await get(server.baseURL + path)).headers["x-specwork-cache"]).toBe("hit");
    for (const method of ["GET", "HEAD"]) {
      for (const cookie of ["specwork_session=not-a-real-session", "theme=dark; specwork_session=not-a-real-session"]) {
        const signedIn = await get(server.baseURL + path, { Cookie: cookie, "Accept-Encoding": "gzip" }, method);
        expect(signedIn.headers["x-specwork-cache"]).toBeUndefined();
        expect(signedIn.headers["cache-control"]).toBe("private, no-store");
      }
    }
    // Another cookie alone does not stop the cache.
    expect((await get(server.baseURL + path, { Cookie: "theme=dark" })).headers["x-specwork-cache"]).toBe("hit");
    for (const address of [`${path}?q=%00`, `${path}%0A`, `${path}?next=%0D%0ASet-Cookie:%20x=1`, `${path}?q=%7F`]) {
      const refused = await get(server.baseURL + address, { "Accept-Encoding": "gzip" });
      expect(refused.status).toBe(400);
      expect(refused.headers["x-specwork-cache"]).toBeUndefined();
      expect(JSON.parse(refused.body.toString())).toEqual({ error: "the address contains a control character" });
      expect(refused.headers["x-frame-options"]).toBe("DENY");
    }
  });
});

describe("a change made by another process", () => {
  it("makes the cached page stale within a second, and the page is cached again after", async () => {
    const path = `/specs/${SLUG}/v/1.0`;
    await get(server.baseURL + path);
    expect((await get(server.baseURL + path)).headers["x-specwork-cache"]).toBe("hit");
    // Straight into the server's database through a connection of this test's own, as the
    // command line or a second server would: the server hears nothing from its own code.
    const db = openDatabase(server.databasePath);
    try {
      await db.insertInto("audit_log").values({ at: new Date().toISOString(), actor: "system", action: "test.outside-change", object_type: "test", object_id: "1" }).execute();
    } finally {
      await db.destroy();
    }
    const committedAt = performance.now();
    // Polled until the server renders the page afresh; bounded by a count of polls answered, not
    // by the clock, so a busy machine only makes it take longer.
    const polls: string[] = [];
    let staleAt: number | null = null;
    for (let answered = 0; staleAt === null && answered < 1000; answered++) {
      const answer = await get(server.baseURL + path);
      polls.push(`${Math.round(performance.now() - committedAt)} ms: ${answer.headers["x-specwork-cache"] ?? "rendered"}`);
      if (answer.status === 200 && answer.headers["x-specwork-cache"] === undefined) staleAt = performance.now();
      else await new Promise((r) => setTimeout(r, 10));
    }
    expect(staleAt, polls.join("\n")).not.toBeNull();
    expect(staleAt! - committedAt, polls.join("\n")).toBeLessThanOrEqual(1000);
    expect((await get(server.baseURL + path)).headers["x-specwork-cache"]).toBe("hit");
  });
});
