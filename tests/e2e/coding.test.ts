// Coding responses in a real browser: a coder codes ten responses from the keyboard alone, the
// queue works without JavaScript, and the coding pages pass axe-core and reflow at 320 px.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResponseInput } from "~/domain/consultations";
import { storeResponses } from "~/models/consultation-responses.server";
import { openDatabase } from "~/models/db.server";
import { expectNoAxeViolations, expectNoSidewaysScroll, launchBrowser, REFLOW_VIEWPORT, watchForErrors } from "./browser";
import { checkHtml } from "./html-checker";
import { startServer } from "./server";

const CONSULTATION = "radiotherapy-consultation-2017";
const ENGAGEMENT = "radiotherapy-engagement-2016";

const TEXTS = [
  "The daily journey to the centre would take me two hours each way for six weeks.",
  "Who pays for the parking and the petrol when I am sent further away?",
  "Our local unit must keep its machines and its staff.",
  "Living on the coast, the nearest specialist centre is a ferry ride away.",
  "The network needs an independent chair so that no one hospital runs it.",
  "There is no money for the management the networks will need.",
  "Images and plans must move between sites without delays.",
  "Old linear accelerators should be replaced before they break down.",
  "There are not enough radiographers to staff more sites.",
  "Everyone should have the same access to IMRT and SABR wherever they live.",
  "Patients at small centres are rarely offered a clinical trial.",
  "Common protocols are welcome as long as the audit is not a burden.",
];

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let ids: number[];

beforeAll(async () => {
  server = await startServer();
  // Responses to the 2017 consultation, none coded, as if they had arrived through the site.
  const db = openDatabase(server.databasePath);
  const inputs: ResponseInput[] = TEXTS.map((text, i) => ({
    channel: "online",
    source: "form",
    capacity: "individual",
    organisation: null,
    respondentName: `Respondent Number${i}`,
    audienceCode: "patients-public",
    audienceText: null,
    email: `respondent${i}@example.org`,
    consent: "anonymous",
    submittedAt: "2017-11-01T12:00:00.000Z",
    answers: [{ questionId: "q1", scale: null, text }],
    comments: [],
  }));
  const questions = await db.selectFrom("consultation_questions").select(["id", "kind"]).where("consultation_id", "=", CONSULTATION).orderBy("position").execute();
  const free = questions.find((q) => q.kind === "free-text") ?? questions[0]!;
  for (const input of inputs) input.answers[0]!.questionId = free.id;
  await storeResponses(db, CONSULTATION, inputs);
  ids = (await db.selectFrom("consultation_responses").select("id").where("consultation_id", "=", CONSULTATION).orderBy("id").execute()).map((r) => r.id);
  await db.destroy();
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(email: string, options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: options.viewport ?? { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto(`${server.baseURL}/login`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("specwork-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.baseURL}/`);
  return { page, errors };
}

describe("a coder at the keyboard", () => {
  it("codes ten responses with keys alone, and the codings are stored", async () => {
    const { page, errors } = await signedIn("editor@example.nhs.uk");
    await page.goto(`${server.baseURL}/consultations/${CONSULTATION}/coding`);
    await page.locator("html[data-coding-keys='on']").waitFor();
    await expectNoAxeViolations(page);
    const plan: { number: number; code: string; stanceKey: string; stance: string; evidence: boolean }[] = [];
    const stances: [string, string][] = [["o", "opposes"], ["s", "supports"], ["m", "mixed"], ["u", "unclear"]];
    for (let i = 0; i < 10; i++) {
      const reference = await page.locator("[data-reference]").innerText();
      const number = i + 1 + (i >= 8 ? 4 : 0); // 1 … 8, then 13 and 14: two-digit numbers too
      const [stanceKey, stance] = stances[i % 4]!;
      const evidence = i === 3;
      plan.push({ number, code: `T${String(number).padStart(2, "0")}`, stanceKey, stance, evidence });
      await page.keyboard.press(stanceKey);
      if (evidence) await page.keyboard.press("e");
      for (const digit of String(number)) await page.keyboard.press(digit);
      await page.keyboard.press("Enter");
      await page.locator(`li.sw-coding[data-theme="${plan[i]!.code}"]`).waitFor();
      await page.keyboard.press("j");
      if (i < 9) await page.locator("[data-reference]", { hasNotText: reference }).waitFor();
    }
    expect(errors).toEqual([]);

    const db = openDatabase(server.databasePath);
    try {
      const codings = await db
        .selectFrom("codings")
        .innerJoin("users", "users.id", "codings.coded_by")
        .select(["codings.response_id", "codings.theme_code", "codings.stance", "codings.evidence_rich", "codings.origin", "users.email"])
        .where("codings.consultation_id", "=", CONSULTATION)
        .where("codings.removed_at", "is", null)
        .orderBy("codings.response_id")
        .execute();
      expect(codings.map((c) => [c.response_id, c.theme_code, c.stance, c.evidence_rich === 1, c.origin, c.email])).toEqual(
        plan.map((p, i) => [ids[i], p.code, p.stance, p.evidence, "coder", "editor@example.nhs.uk"]),
      );
    } finally {
      await db.destroy();
    }
  }, 180_000);

  it("applies a suggestion with its key, and removes a theme by number and x", async () => {
    const { page } = await signedIn("editor@example.nhs.uk");
    await page.goto(`${server.baseURL}/consultations/${CONSULTATION}/coding?response=${ids[10]}`);
    await page.locator("html[data-coding-keys='on']").waitFor();
    const first = await page.locator("button[data-suggestion-key='a']").getAttribute("data-suggestion-key");
    expect(first).toBe("a");
    const suggested = (await page.locator(".sw-suggestion input[name='theme']").first().inputValue())!;
    await page.keyboard.press("s");
    await page.keyboard.press("a");
    await page.locator(`li.sw-coding[data-theme="${suggested}"]`).waitFor();
    await expect(page.locator(`li.sw-coding[data-theme="${suggested}"]`).innerText()).resolves.toMatch(/Supports\. Suggested, accepted by/);
    const number = Number(suggested.slice(1));
    for (const digit of String(number)) await page.keyboard.press(digit);
    await page.keyboard.press("x");
    await page.locator(`li.sw-coding[data-theme="${suggested}"]`).waitFor({ state: "detached" });
  }, 120_000);
});

describe("without JavaScript", () => {
  it("codes a response with the page's own form and buttons", async () => {
    const { page } = await signedIn("commissioner@example.nhs.uk", { javaScriptEnabled: false });
    await page.goto(`${server.baseURL}/consultations/${CONSULTATION}/coding?response=${ids[11]}`);
    await page.getByLabel("Theme number").fill("12");
    await page.getByLabel("Mixed").check();
    await page.getByRole("button", { name: "Apply theme" }).click();
    await page.locator('li.sw-coding[data-theme="T12"]').waitFor();
    await expect(page.locator('li.sw-coding[data-theme="T12"]').innerText()).resolves.toContain("Mixed");
    await page.locator('li.sw-coding[data-theme="T12"]').getByRole("button", { name: "Remove T12" }).click();
    await page.locator('li.sw-coding[data-theme="T12"]').waitFor({ state: "detached" });
  }, 120_000);
});

const PAGES = [
  `/consultations/${ENGAGEMENT}/responses`,
  `/consultations/${ENGAGEMENT}/coding`,
  `/consultations/${ENGAGEMENT}/coding?response=3`,
  `/consultations/${ENGAGEMENT}/coding?pass=2`,
  `/consultations/${ENGAGEMENT}/coding/groups`,
  `/consultations/${CONSULTATION}/coding/groups`,
  `/consultations/${ENGAGEMENT}/agreement`,
  `/consultations/${ENGAGEMENT}/moderation`,
];

describe("the coding pages' HTML", () => {
  it("passes the W3C HTML checker with no errors", async () => {
    const { page } = await signedIn("commissioner@example.nhs.uk");
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const documents = new Map<string, string>();
    for (const path of PAGES) {
      const response = await fetch(server.baseURL + path, { headers: { Cookie: cookie } });
      expect(response.status, path).toBe(200);
      documents.set(path, await response.text());
    }
    const errors = (await checkHtml(documents)).map((m) => `${m.document}:${m.line}:${m.column}: ${m.message} ${JSON.stringify(m.extract ?? "")}`);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 180_000);
});

describe("the coding pages at 320 CSS px", () => {
  it.each(PAGES)("%s fits without sideways scrolling and passes axe-core", async (path) => {
    const { page, errors } = await signedIn("commissioner@example.nhs.uk", { viewport: REFLOW_VIEWPORT });
    const response = await page.goto(server.baseURL + path);
    expect(response!.status()).toBe(200);
    expect(response!.headers()["cache-control"]).toBe("private, no-store");
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);
    const text = await page.locator("main").innerText();
    expect(text).not.toMatch(/@example\.org/);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
