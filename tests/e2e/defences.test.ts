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

  it("sends the security headers, and a CSP nonce that every inline script of the page carries", async () => {
    const response = await fetch(`${baseURL}/specs/adult-external-beam-radiotherapy/v/1.0`);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    const csp = response.headers.get("Content-Security-Policy")!;
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"]) expect(csp).toContain(directive);
    const scriptSrc = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src"))!;
    expect(scriptSrc).not.toContain("unsafe-inline");
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1]!;
    expect(nonce.length).toBeGreaterThanOrEqual(22);
    const scripts = [...(await response.text()).matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((attrs) => attrs.includes(`nonce="${nonce}"`))).toBe(true);
  });

  it("makes a new nonce for every page it renders (signed-in pages are never cached)", async () => {
    const headers = { Cookie: "specwork_session=none" };
    const [a, b] = await Promise.all([fetch(`${baseURL}/themes`, { headers }), fetch(`${baseURL}/themes`, { headers })]);
    expect(a.headers.get("Content-Security-Policy")).not.toBe(b.headers.get("Content-Security-Policy"));
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
