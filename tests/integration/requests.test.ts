import { call, type Handler } from "./app";
import { describe, expect, it } from "vitest";
import { getDatabase } from "~/models/app-database.server";
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from "~/models/sign-in.server";
import * as login from "~/routes/login";
import { safeNext } from "~/session.server";

// Sign-in and the requests around it: where people are sent afterwards, and the attempt limits.
const h = (fn: unknown) => fn as Handler;
const EDITOR = "editor@example.nhs.uk";

const signInWith = (form: Record<string, string>, address = "10.50.0.1") => call(h(login.action), "/login", { form, address });

describe("where sign-in sends people afterwards", () => {
  const OFF_SITE = [
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/.//evil.example",
    "/%2e//evil.example",
    "/a\r\nSet-Cookie: x=1",
    "/a%0d%0aSet-Cookie:%20x=1",
    "/a\u0000b",
    "/a%00b",
    "/a\u2028b",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "https://evil.example",
    "http:/evil.example",
    "evil.example",
    "",
    "/%E0%A4%A",
    `/${"a".repeat(3000)}`,
  ];

  it.each(OFF_SITE.map((next) => [JSON.stringify(next).slice(0, 40), next]))("turns %s into /", (_shown, next) => {
    expect(safeNext(next)).toBe("/");
  });

  it.each([
    ["/audit", "/audit"],
    ["/specs/adult-external-beam-radiotherapy/drafts/3?theme=T01", "/specs/adult-external-beam-radiotherapy/drafts/3?theme=T01"],
    ["/specs/x/v/1.0#c-role", "/specs/x/v/1.0#c-role"],
    ["/a b", "/a%20b"],
    ["/themes/../audit", "/audit"],
  ])("keeps the path %j on this site as %j", (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  it("never sends a signed-in person off the site, and never fails after the session exists", async () => {
    for (const next of ["/\t/evil.example", "/%09/evil.example", "/a\r\nX-Injected: 1", "//evil.example", "https://evil.example"]) {
      const response = await signInWith({ email: EDITOR, password: "specwork-demo", next }, "10.50.0.2");
      expect(response.status, next).toBe(302);
      expect(response.headers.get("Location"), next).toBe("/");
    }
  });

  it("puts only the checked path in the sign-in form, and redirects someone already signed in there", async () => {
    const page = await call(h(login.loader), "/login?next=%2F%09%2Fevil.example");
    expect(await page.json()).toEqual({ next: "/" });
    const cookie = (await signInWith({ email: EDITOR, password: "specwork-demo", next: "/" }, "10.50.0.3")).headers.get("Set-Cookie")!.split(";")[0]!;
    const again = await call(h(login.loader), "/login?next=%2F%5Cevil.example", { cookie });
    expect(again.status).toBe(302);
    expect(again.headers.get("Location")).toBe("/");
    const onSite = await call(h(login.loader), "/login?next=%2Faudit", { cookie });
    expect(onSite.headers.get("Location")).toBe("/audit");
  });
});

describe("limits on failed sign-ins", () => {
  it(`checks at most ${MAX_FAILURES_PER_ACCOUNT} of 50 parallel wrong passwords for one account; the rest are refused as limited`, async () => {
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signInWith({ email: "burst@example.nhs.uk", password: "wrong-password!" }, `10.51.0.${i}`).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_FAILURES_PER_ACCOUNT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - MAX_FAILURES_PER_ACCOUNT);
  });

  it(`checks at most ${MAX_FAILURES_PER_ADDRESS} of 50 parallel wrong passwords from one address`, async () => {
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signInWith({ email: `burst${i}@example.nhs.uk`, password: "wrong-password!" }, "10.52.0.1").then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_FAILURES_PER_ADDRESS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50 - MAX_FAILURES_PER_ADDRESS);
  });

  it("records a refused attempt nowhere, and a successful sign-in not as a failure", async () => {
    const db = await getDatabase();
    const count = async (key: string) => Number((await db.selectFrom("sign_in_attempts").select((eb) => eb.fn.countAll().as("n")).where("key", "=", key).executeTakeFirstOrThrow()).n);
    for (let i = 0; i < 3; i++) expect((await signInWith({ email: "admin@example.nhs.uk", password: "specwork-demo" }, "10.53.0.1")).status).toBe(302);
    expect(await count("address:10.53.0.1")).toBe(0);
    expect(await count("account:admin@example.nhs.uk")).toBe(0);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT + 3; i++) await signInWith({ email: "limited@example.nhs.uk", password: "wrong-password!" }, "10.53.0.2");
    expect(await count("account:limited@example.nhs.uk")).toBe(MAX_FAILURES_PER_ACCOUNT);
    // Limited means limited: the right password of a limited account is not checked either.
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) await signInWith({ email: "commissioner@example.nhs.uk", password: "wrong-password!" }, `10.53.1.${i}`);
    expect((await signInWith({ email: "commissioner@example.nhs.uk", password: "specwork-demo" }, "10.53.1.99")).status).toBe(429);
  });
});
