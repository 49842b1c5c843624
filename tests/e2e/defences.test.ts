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

  it("sends the security headers, and a fresh CSP nonce that the page's scripts carry", async () => {
    const [first, second] = await Promise.all([fetch(`${baseURL}/specs/adult-external-beam-radiotherapy/v/1.0`), fetch(`${baseURL}/specs/adult-external-beam-radiotherapy/v/1.0`)]);
    expect(first.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(first.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(first.headers.get("X-Frame-Options")).toBe("DENY");
    const csp = first.headers.get("Content-Security-Policy")!;
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(/'nonce-([^']+)'/.exec(second.headers.get("Content-Security-Policy")!)![1]).not.toBe(nonce);
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((attrs) => attrs.includes(`nonce="${nonce}"`))).toBe(true);
  });
});
