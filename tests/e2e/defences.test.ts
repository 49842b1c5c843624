import { describe, expect, inject, it } from "vitest";

// Against the real server (server.js), as any client would see it.
const baseURL = inject("baseURL");
const login = (headers: Record<string, string>) =>
  fetch(`${baseURL}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers }, body: "email=a%40b.c&password=wrong-password", redirect: "manual" });

describe("request defences", () => {
  it.each([
    ["another site's Origin", { Origin: "https://evil.example" }],
    ["a malformed Origin", { Origin: "::::" }],
    ["an opaque (null) Origin", { Origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { "Sec-Fetch-Site": "cross-site" }],
  ])("refuses a write with %s (403) and says why", async (_name, headers) => {
    const response = await login(headers);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: "requests that change data must come from this site" });
  });

  it("lets the site's own forms through", async () => {
    const response = await login({ Origin: baseURL, "Sec-Fetch-Site": "same-origin" });
    expect(response.status).toBe(401);
  });

  it("refuses a body over the limit with 413 before reading it", async () => {
    const response = await fetch(`${baseURL}/api/drafts/1`, { method: "PUT", headers: { "Content-Type": "application/json", "Content-Length": String(5 * 1024 * 1024) }, body: "x".repeat(5 * 1024 * 1024) });
    expect(response.status).toBe(413);
  });

  it("sends the security headers, and a policy that allows exactly the page's own inline scripts", async () => {
    const response = await fetch(`${baseURL}/specs/adult-external-beam-radiotherapy/v/1.0`);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    const csp = response.headers.get("Content-Security-Policy")!;
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"]) expect(csp).toContain(directive);
    const scriptSrc = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src"))!;
    expect(scriptSrc).not.toContain("unsafe-inline");
    const html = await response.text();
    const { createHash } = await import("node:crypto");
    const inline = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).filter(Boolean);
    expect(inline.length).toBeGreaterThan(0);
    for (const code of inline) expect(csp).toContain(`'sha256-${createHash("sha256").update(code).digest("base64")}'`);
  });
});

describe("fast public pages", () => {
  it("gives the same bytes and ETag to every visitor, answers 304 to a revalidation, and serves repeats from the cache", async () => {
    const url = `${baseURL}/specs/adult-external-beam-radiotherapy/compare/0.9...1.0`;
    const first = await fetch(url);
    const second = await fetch(url);
    const etag = first.headers.get("ETag")!;
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(second.headers.get("ETag")).toBe(etag);
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get("X-Specwork-Cache")).toBe("hit");
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
    const revalidated = await fetch(url, { headers: { "If-None-Match": etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe("");
  });

  it("never serves a cached public page to someone signed in", async () => {
    const url = `${baseURL}/specs/adult-external-beam-radiotherapy/v/0.9`;
    await fetch(url);
    const signedIn = await fetch(url, { headers: { Cookie: "specwork_session=not-a-real-session" } });
    expect(signedIn.headers.get("X-Specwork-Cache")).toBeNull();
    expect(signedIn.headers.get("Cache-Control")).toBe("private, no-store");
  });
});
