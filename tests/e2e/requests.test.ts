import { readFileSync } from "node:fs";
import { openDatabase } from "~/models/db.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "./server";

// Sign-in, sessions and request bodies against the built server over real HTTP. This file runs
// its own server behind one trusted proxy hop (TRUST_PROXY=1), so that each test can speak for
// a client address of its own through X-Forwarded-For without touching the shared server's limits.
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer({ TRUST_PROXY: "1" });
});
afterAll(() => server?.stop());

const SLUG = "adult-external-beam-radiotherapy";
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

function signIn(fields: Record<string, string>, forwardedFor: string, base = server.baseURL) {
  return fetch(`${base}/login`, { method: "POST", headers: { ...FORM, "X-Forwarded-For": forwardedFor }, body: new URLSearchParams(fields), redirect: "manual" });
}

async function sessionCookie(email: string, forwardedFor: string): Promise<string> {
  const response = await signIn({ email, password: "specwork-demo" }, forwardedFor);
  expect(response.status).toBe(302);
  return response.headers.get("Set-Cookie")!.split(";")[0]!;
}

/** The server's peak resident memory so far, in bytes (Linux). */
function peakMemory(pid: number): number {
  const kB = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]!;
  return Number(kB) * 1024;
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

// First in the file, before any sign-in: a password check alone raises the peak by 128 MiB.
describe("request bodies", () => {
  it("answers a 200 MB chunked body with 413 once it passes 4 MiB, reading little more and holding none of it", async () => {
    const before = peakMemory(server.pid);
    const BODY = 200 * 1000 * 1000;
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let produced = 0;
    // No length is known in advance, so fetch sends it chunked.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced >= BODY) return controller.close();
        produced += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${server.baseURL}/login`, { method: "POST", headers: FORM, body, duplex: "half" } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "the request body is over the limit of 4194304 bytes (4 MiB)" });
    // The server stopped reading well before the end of the body...
    expect(produced).toBeLessThan(BODY / 4);
    // ...and its memory did not grow by anything like the body's size (generous bound).
    expect(peakMemory(server.pid) - before).toBeLessThan(BODY / 2);
  });

  it("refuses a declared length over the limit before reading, and still reads a small chunked form", async () => {
    const declared = await fetch(`${server.baseURL}/login`, { method: "POST", headers: { ...FORM, "Content-Length": String(4 * 1024 * 1024 + 1) }, body: "x".repeat(4 * 1024 * 1024 + 1) });
    expect(declared.status).toBe(413);
    const fields = new TextEncoder().encode("email=editor%40example.nhs.uk&password=specwork-demo&next=%2Faudit");
    const small = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(fields.slice(0, 20));
        controller.enqueue(fields.slice(20));
        controller.close();
      },
    });
    const response = await fetch(`${server.baseURL}/login`, { method: "POST", headers: { ...FORM, "X-Forwarded-For": "10.60.0.1" }, body: small, duplex: "half", redirect: "manual" } as RequestInit);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/audit");
  });
});

describe("limits on failed sign-ins, over HTTP", () => {
  it("checks 5 of 50 wrong passwords sent at once for one account (401) and refuses the other 45 (429)", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn({ email: "editor@example.nhs.uk", password: "wrong-password!" }, `10.61.0.${i}`).then((r) => r.status)),
    );
    expect([count(statuses, 401), count(statuses, 429)]).toEqual([5, 45]);
    // The account's own password is not checked either until the window passes.
    expect((await signIn({ email: "editor@example.nhs.uk", password: "specwork-demo" }, "10.61.1.1")).status).toBe(429);
  });

  it("counts one address however the client rewrites the leftmost X-Forwarded-For: 20 of 50 checked, 30 refused", async () => {
    // Behind one trusted proxy only the entry that proxy wrote (the last) is the client's address.
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn({ email: `spoof${i}@example.nhs.uk`, password: "wrong-password!" }, `6.6.${i}.6, 10.0.0.7`).then((r) => r.status)),
    );
    expect([count(statuses, 401), count(statuses, 429)]).toEqual([20, 30]);
    // Another client behind the same proxy is not affected, whatever it claims to be.
    expect((await signIn({ email: "nobody@example.nhs.uk", password: "wrong-password!" }, "10.0.0.7, 10.0.0.8")).status).toBe(401);
  });

  it("refuses to start with TRUST_PROXY=true, and takes a list of proxy addresses instead", async () => {
    // A server that starts after all is stopped again, so that a failing test leaves none behind.
    const refusal = await startServer({ TRUST_PROXY: "true" }).then((started) => started.stop().then(() => null), (error: unknown) => String(error));
    expect(refusal).toMatch(/TRUST_PROXY=true would believe an X-Forwarded-For that any client can write/);
    const listed = await startServer({ TRUST_PROXY: "127.0.0.1, ::1" });
    try {
      // Prime one address with a full window of failures, straight into that server's database.
      const db = openDatabase(listed.databasePath);
      const at = new Date().toISOString();
      await db.insertInto("sign_in_attempts").values(Array.from({ length: 20 }, () => ({ key: "address:10.0.0.9", at }))).execute();
      await db.destroy();
      const attempt = (forwardedFor: string) => signIn({ email: "nobody@example.nhs.uk", password: "wrong-password!" }, forwardedFor, listed.baseURL).then((r) => r.status);
      expect(await attempt("6.6.6.6, 10.0.0.9")).toBe(429);
      expect(await attempt("10.0.0.9, 10.0.0.10")).toBe(401);
    } finally {
      await listed.stop();
    }
  });
});

describe("where sign-in sends people, over HTTP", () => {
  it.each(["/\t/evil.example", "/%09/evil.example", "//evil.example", "/\\evil.example", "/%2F/evil.example", "/a\r\nSet-Cookie: x=1", "javascript:alert(1)", "https://evil.example"])(
    "sends someone who signed in with next=%j to / (never off the site, never a 500)",
    async (next) => {
      const response = await signIn({ email: "commissioner@example.nhs.uk", password: "specwork-demo", next }, "10.62.0.1");
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/");
    },
  );
});

describe("caching of what is answered to a session", () => {
  it("marks every answer to a signed-in session private, no-store: pages, JSON, single-fetch data, downloads and redirects", async () => {
    const cookie = await sessionCookie("admin@example.nhs.uk", "10.63.0.1");
    const editor = await sessionCookie("commissioner@example.nhs.uk", "10.63.0.2");
    const created = await fetch(`${server.baseURL}/specs/${SLUG}/drafts`, { method: "POST", headers: { ...FORM, Cookie: editor }, body: "from=1.0", redirect: "manual" });
    expect(created.status).toBe(302);
    const draftId = /(\d+)$/.exec(created.headers.get("Location")!)![1]!;
    const addresses = [
      `/api/drafts/${draftId}`,
      `/api/specs/${SLUG}/versions/1.0/annotations`,
      `/specs/${SLUG}/v/1.0`,
      `/specs/${SLUG}/v/1.0.data`,
      `/specs/${SLUG}/v/1.0.md`,
      `/specs/${SLUG}/compare/0.9...1.0.json`,
      `/specs/${SLUG}/drafts/${draftId}`,
      `/specs/${SLUG}/drafts/${draftId}/changes`,
      `/specs/${SLUG}/drafts/${draftId}/submit`,
      `/specs/${SLUG}/drafts/${draftId}/approve`,
      `/specs/${SLUG}/drafts/${draftId}/publish`,
      `/specs/${SLUG}/drafts/${draftId}/publish.data`,
      `/specs/${SLUG}/drafts/${draftId}/outcomes`,
      `/specs/${SLUG}/drafts/${draftId}/outcomes.data`,
      "/themes",
      "/login?next=%2Faudit",
      "/no-such-page",
    ];
    for (const address of addresses) {
      const response = await fetch(server.baseURL + address, { headers: { Cookie: editor }, redirect: "manual" });
      expect(response.status, address).toBeLessThan(500);
      expect(response.headers.get("Cache-Control"), address).toBe("private, no-store");
    }
    expect(created.headers.get("Cache-Control")).toBe("private, no-store");
    const signedOut = await fetch(`${server.baseURL}/logout`, { method: "POST", headers: { Cookie: cookie }, redirect: "manual" });
    expect(signedOut.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("keeps public caching for the public, and marks a sign-in's answer private even without a cookie", async () => {
    const page = await fetch(`${server.baseURL}/specs/${SLUG}/v/1.0`);
    expect(page.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
    const signedIn = await signIn({ email: "admin@example.nhs.uk", password: "specwork-demo" }, "10.63.0.3");
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Cache-Control")).toBe("private, no-store");
  });
});

describe("addresses", () => {
  it.each([`/specs/${SLUG}/v/1.0%00`, `/specs/${SLUG}/compare?from=%00&to=1.0`, "/specs/%0D%0Ax", "/themes/T01%C2%85"])(
    "refuses %s with a 400 that does not repeat the character",
    async (address) => {
      const response = await fetch(server.baseURL + address);
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: "the address contains a control character" });
      expect(text).not.toMatch(/[\u0000-\u001f\u0085]/);
    },
  );
});

describe("forms sent as something else, over HTTP", () => {
  const kinds: [string, Record<string, string>, string | Uint8Array<ArrayBuffer>, number][] = [
    ["JSON", { "Content-Type": "application/json" }, '{"email":"editor@example.nhs.uk","password":"specwork-demo"}', 415],
    ["plain text", { "Content-Type": "text/plain" }, "email=editor%40example.nhs.uk&password=specwork-demo", 415],
    ["broken multipart", { "Content-Type": "multipart/form-data; boundary=xyz" }, "--xyz\r\nnot a part", 400],
    ["no Content-Type", {}, new TextEncoder().encode("email=editor%40example.nhs.uk&password=specwork-demo"), 415],
  ];

  it.each(kinds)("answers a sign-in sent as %s with a 4xx page that says what is wrong", async (_kind, headers, body, status) => {
    const response = await fetch(`${server.baseURL}/login`, { method: "POST", headers: { ...headers, "X-Forwarded-For": "10.64.0.1" }, body, redirect: "manual" });
    expect(response.status).toBe(status);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    expect(await response.text()).toMatch(/This address takes a form|The form could not be read/);
  });

  it("answers a signed-in form action sent as JSON, and its single-fetch form, the same way", async () => {
    const cookie = await sessionCookie("admin@example.nhs.uk", "10.64.0.2");
    for (const address of ["/admin/themes", "/admin/themes.data"]) {
      const response = await fetch(server.baseURL + address, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/json" }, body: '{"intent":"create"}' });
      expect(response.status, address).toBe(415);
      expect(await response.text(), address).toContain("This address takes a form");
    }
  });
});

describe("control and invisible characters, over HTTP", () => {
  it("refuses them in every field, and no page or file the server gives out holds a raw NUL or a direction override", async () => {
    const admin = await sessionCookie("admin@example.nhs.uk", "10.65.0.1");
    const staff = await sessionCookie("commissioner@example.nhs.uk", "10.65.0.2");
    const created = await fetch(`${server.baseURL}/specs/${SLUG}/drafts`, { method: "POST", headers: { ...FORM, Cookie: staff }, body: "from=1.0", redirect: "manual" });
    const draft = /(\d+)$/.exec(created.headers.get("Location")!)![1]!;
    const form = (address: string, cookie: string, fields: Record<string, string>) =>
      fetch(server.baseURL + address, { method: "POST", headers: { ...FORM, Cookie: cookie }, body: new URLSearchParams(fields), redirect: "manual" });
    const json = (address: string, method: string, body: unknown) =>
      fetch(server.baseURL + address, { method, headers: { "Content-Type": "application/json", Cookie: staff }, body: JSON.stringify(body) });
    const current = (await (await fetch(`${server.baseURL}/api/drafts/${draft}`, { headers: { Cookie: staff } })).json()) as { doc: unknown };
    const attempts = [
      form("/admin/themes", admin, { intent: "create", code: "T70", title: "Nul\u0000here", description: "d", source: "s", status: "open" }),
      form("/admin/themes", admin, { intent: "update", code: "T01", title: "Travel and access", description: "Over\u202eride", source: "Engagement 2016", status: "open" }),
      form("/admin/users", admin, { intent: "create", email: "n@example.nhs.uk", name: "Nul\u0000Name", role: "editor", password: "a-long-password" }),
      form(`/specs/${SLUG}/drafts/${draft}`, staff, { intent: "note", clauseId: "host-provider", rationale: "zero\u200bwidth" }),
      form(`/specs/${SLUG}/drafts/${draft}`, staff, { intent: "nul\u0000intent" }),
      form(`/specs/${SLUG}/v/1.0`, staff, { intent: "annotate", clauseId: "host-provider", kind: "comment", visibility: "public", body: "line\u2028separator" }),
      json(`/api/specs/${SLUG}/versions/1.0/annotations`, "POST", { clauseId: "host-provider", kind: "comment", body: "Nul\u0000body", visibility: "public" }),
      json(`/api/drafts/${draft}`, "PUT", { baseRevision: 0, doc: JSON.parse(JSON.stringify(current.doc).replace("Each network", "Each\\u0000network")) }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status, response.url).toBeGreaterThanOrEqual(400);
      expect(response.status, response.url).toBeLessThan(500);
      expect(await response.text()).not.toMatch(/[\u0000\u202e\u200b\u2028]/);
    }
    const pages = [
      "/",
      "/themes",
      "/themes/T01",
      "/themes/T70",
      `/specs/${SLUG}`,
      `/specs/${SLUG}/v/0.9`,
      `/specs/${SLUG}/v/1.0`,
      `/specs/${SLUG}/v/1.0.md`,
      `/specs/${SLUG}/compare/0.9...1.0`,
      `/specs/${SLUG}/compare/0.9...1.0/themes`,
      `/specs/${SLUG}/compare/0.9...1.0/themes.csv`,
      `/specs/${SLUG}/clauses/host-provider`,
    ];
    for (const page of pages) {
      for (const cookie of [undefined, admin]) {
        const body = await (await fetch(server.baseURL + page, { headers: cookie ? { Cookie: cookie } : {} })).text();
        expect(body, page).not.toMatch(/[\u0000\u202e\u200b\u2028]/);
      }
    }
    for (const page of ["/audit", "/admin/themes", "/admin/users", `/specs/${SLUG}/drafts/${draft}`]) {
      const body = await (await fetch(server.baseURL + page, { headers: { Cookie: admin } })).text();
      expect(body, page).not.toMatch(/[\u0000\u202e\u200b\u2028]/);
    }
  });
});
