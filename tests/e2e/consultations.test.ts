// A member of the public responds to an open consultation in a real browser, with JavaScript off
// and on: the form, its problems, Check your answers, Change, Send, and the reference number
// that names the stored response. The pages pass axe-core and reflow at 320 px.
import type { Kysely } from "kysely";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsultation } from "~/models/consultations.server";
import { openDatabase, type Database } from "~/models/db.server";
import { expectNoAxeViolations, expectNoSidewaysScroll, launchBrowser, REFLOW_VIEWPORT, watchForErrors } from "./browser";
import { checkHtml } from "./html-checker";
import { startServer } from "./server";

const SLUG = "adult-external-beam-radiotherapy";
const ID = "e2e-open-consultation";
const TITLE = "Networked radiotherapy: tell us what you think";

// Responding stores data, so this file has its own server and database.
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let db: Kysely<Database>;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  db = openDatabase(server.databasePath);
  const day = 86_400_000;
  await createConsultation(db, null, {
    id: ID,
    slug: SLUG,
    versionNumber: "1.0",
    fields: {
      title: TITLE,
      kind: "consultation",
      summary: "We propose that radiotherapy providers work together in networks.",
      whyItMatters: "Your views will shape the final specification.",
      opensAt: new Date(Date.now() - day).toISOString(),
      closesAt: new Date(Date.now() + 30 * day).toISOString(),
    },
    events: [
      { kind: "in-person", place: "Leeds", startsAt: new Date(Date.now() - day / 2).toISOString(), endsAt: new Date(Date.now() - day / 4).toISOString() },
      { kind: "webinar", place: "Online", startsAt: new Date(Date.now() + 7 * day).toISOString(), endsAt: new Date(Date.now() + 7 * day + 3_600_000).toISOString() },
    ],
    audiences: ["clinicians", "patients-public", "carers"],
    questions: [
      { id: "q1", kind: "agree-scale", text: "Do you agree that providers should work in networks?", itemId: null },
      { id: "q2", kind: "free-text", text: "What else should we change?", itemId: null },
    ],
  });
});

afterAll(async () => {
  await db?.destroy();
  await browser?.close();
  await server?.stop();
});

async function signedIn(email: string, viewport?: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
  const opened = await newPage(true, viewport);
  await opened.page.goto(`${server.baseURL}/login`);
  await opened.page.getByLabel("Email address").fill(email);
  await opened.page.getByLabel("Password").fill("specwork-demo");
  await opened.page.getByRole("button", { name: "Sign in" }).click();
  await opened.page.waitForURL(`${server.baseURL}/`);
  return opened;
}

async function newPage(javaScriptEnabled: boolean, viewport = { width: 1200, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ javaScriptEnabled, viewport });
  const page = await context.newPage();
  return { page, errors: watchForErrors(page) };
}

async function stored(reference: string) {
  const response = await db.selectFrom("consultation_responses").selectAll().where("reference", "=", reference).executeTakeFirst();
  const comments = response ? await db.selectFrom("response_clause_comments").selectAll().where("response_id", "=", response.id).execute() : [];
  const answers = response ? await db.selectFrom("response_answers").selectAll().where("response_id", "=", response.id).orderBy("question_id").execute() : [];
  return { response, comments, answers };
}

async function referenceShown(page: Page): Promise<string> {
  await page.locator(".nhsuk-panel__title", { hasText: "Response sent" }).waitFor();
  return ((await page.locator(".sw-reference").textContent()) ?? "").trim();
}

describe("responding to a consultation", () => {
  it("works with JavaScript off: problems, Check your answers, Change, Send and a reference", async () => {
    const { page } = await newPage(false);
    await page.goto(`${server.baseURL}/consultations`);
    await page.getByRole("link", { name: TITLE }).click();
    await expect(page.locator(".sw-consultation-events").textContent()).resolves.toMatch(/Now ended[\s\S]*Coming up/);
    await page.getByRole("button", { name: "Respond to this consultation" }).click();
    await page.getByRole("heading", { name: "Respond to this consultation" }).waitFor();

    // Sent empty: each problem listed and linked to its field.
    await page.getByRole("button", { name: "Continue" }).click();
    const links = await page.locator(".nhsuk-error-summary a").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
    expect(links).toEqual([
      ["Choose whether you are responding as an individual or on behalf of an organisation.", "#capacity"],
      ["Choose the description that fits you best.", "#audience"],
      ["Answer at least one question, or comment on a clause.", "#scale-q1"],
      ["Choose whether we may publish your response.", "#consent"],
    ]);

    await page.getByLabel("As an individual").check();
    await page.getByLabel("Your name (optional)").fill("Sam Respondent");
    await page.getByLabel("Carers").check();
    await page.getByLabel("Email address (optional)").fill("sam@example.org");
    await page.getByLabel("Agree", { exact: true }).check();
    await page.getByLabel("Question 2: What else should we change?").fill("Help with travel costs for daily treatment.");
    await page.getByLabel("Clause", { exact: true }).selectOption({ index: 3 });
    await page.locator("#comment-0-body").fill("This clause should mention parking.");
    // Another comment slot, without JavaScript: what was typed stays.
    await page.getByRole("button", { name: "Add another clause comment" }).click();
    await page.locator(".sw-clause-comment").nth(1).waitFor();
    await expect(page.getByLabel("Question 2: What else should we change?").inputValue()).resolves.toBe("Help with travel costs for daily treatment.");
    await expect(page.locator(".sw-clause-comment").count()).resolves.toBe(2);
    await page.getByLabel("Publish my response anonymously").check();
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByRole("heading", { name: "Check your answers before sending your response" }).waitFor();
    const summary = (await page.locator(".nhsuk-summary-list").textContent()) ?? "";
    expect(summary).toContain("Sam Respondent");
    expect(summary).toContain("This clause should mention parking.");
    // Change goes back to the form with the answers kept.
    await page.getByRole("button", { name: "Change your name" }).click();
    await expect(page.getByLabel("Your name (optional)").inputValue()).resolves.toBe("Sam Respondent");
    await page.getByLabel("Your name (optional)").fill("Sam R");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Send my response" }).click();

    const reference = await referenceShown(page);
    expect(reference).toMatch(/^RT-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const { response, comments, answers } = await stored(reference);
    expect(response).toMatchObject({ capacity: "individual", respondent_name: "Sam R", audience_code: "carers", email: "sam@example.org", consent: "anonymous" });
    expect(comments.map((c) => c.body)).toEqual(["This clause should mention parking."]);
    expect(answers.map((a) => [a.question_id, a.scale, a.text])).toEqual([
      ["q1", "agree", null],
      ["q2", null, "Help with travel costs for daily treatment."],
    ]);
  });

  it("works with JavaScript on, from “Comment on this clause” with the selected words quoted", async () => {
    const { page, errors } = await newPage(true);
    await page.goto(`${server.baseURL}/specs/${SLUG}/v/1.0`);
    const clause = page.locator(".sw-clause").filter({ has: page.locator(".sw-clause__comment-link") }).nth(4);
    const clauseId = (await clause.getAttribute("id"))!;
    // Select the clause's first three words, as a reader would with the mouse.
    const words = await clause.locator(".sw-clause__body p").first().evaluate((p) => {
      const text = p.firstChild!;
      const quote = (text.textContent ?? "").split(" ").slice(0, 3).join(" ");
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, quote.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      document.dispatchEvent(new MouseEvent("mouseup"));
      return quote;
    });
    const link = clause.locator(".sw-clause__comment-link");
    await expect.poll(() => link.getAttribute("href")).toContain("quote=");
    await link.click();
    await page.getByRole("heading", { name: "Respond to this consultation" }).waitFor();
    await expect(page.getByLabel("Clause", { exact: true }).inputValue()).resolves.toBe(clauseId);
    await expect(page.locator(".sw-clause-comment q").textContent()).resolves.toBe(words);

    await page.getByLabel("On behalf of an organisation").check();
    await page.getByLabel("Name of your organisation").fill("Northshire Patients Forum");
    await page.getByLabel("Patients and the public").check();
    await page.locator("#comment-0-body").fill("These words worry us.");
    // With JavaScript the character count counts down as people type.
    await expect.poll(() => page.locator("#comment-0-body").locator("xpath=ancestor::div[contains(@class,'nhsuk-character-count')]").locator(".nhsuk-character-count__status").textContent()).toBe("You have 9,979 characters remaining");
    await page.getByLabel("Publish my response in full").check();
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Check your answers before sending your response" }).waitFor();
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Send my response" }).click();

    const reference = await referenceShown(page);
    await expectNoAxeViolations(page);
    const { response, comments } = await stored(reference);
    expect(response).toMatchObject({ capacity: "organisation", organisation: "Northshire Patients Forum", consent: "full" });
    expect(comments).toMatchObject([{ clause_id: clauseId, body: "These words worry us.", quote: words, start: 0, end: words.length }]);
    expect(errors).toEqual([]);
  });

  it("shows problems on the fields with JavaScript on, and the pages reflow at 320 px without axe-core violations", async () => {
    const { page } = await newPage(true, REFLOW_VIEWPORT);
    const closed = "/consultations/radiotherapy-consultation-2017/respond";
    for (const path of ["/consultations", `/consultations/${ID}`, "/consultations/privacy", closed, `/consultations/${ID}/sent?reference=RT-2345-6789`, `/consultations/${ID}/respond`]) {
      await page.goto(server.baseURL + path);
      await expectNoSidewaysScroll(page);
      await expectNoAxeViolations(page);
    }
    // The field only scripts fill in is drawn off the page, where no person sees or types in it.
    const trap = await page.locator('input[name="website"]').boundingBox();
    expect(trap === null || trap.x + trap.width <= 0).toBe(true);
    await page.getByLabel("On behalf of an organisation").check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.locator(".nhsuk-error-summary").waitFor();
    await expect(page.locator("#organisation-error").textContent()).resolves.toContain("Enter the name of your organisation");
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);
  });

  it("passes the W3C HTML checker: the open form, its problems, Check your answers and the confirmation", async () => {
    const respond = `${server.baseURL}/consultations/${ID}/respond`;
    const form = (fields: Record<string, string>) => fetch(respond, { method: "POST", body: new URLSearchParams(fields) }).then((r) => r.text());
    const answers = { capacity: "individual", audience: "carers", "scale-q1": "agree", "answer-q2": "More buses.", consent: "none" };
    const documents = new Map([
      ["form", await fetch(`${respond}?clause=less-common-cancers&quote=less%20common`).then((r) => r.text())],
      ["problems", await form({ intent: "review", capacity: "organisation" })],
      ["check", await form({ ...answers, intent: "review" })],
      ["sent", await fetch(`${server.baseURL}/consultations/${ID}/sent?reference=RT-2345-6789`).then((r) => r.text())],
    ]);
    expect(documents.get("check")).toContain("Check your answers");
    const messages = await checkHtml(documents);
    expect(messages.map((m) => `${m.document}:${m.line}:${m.column}: ${m.message}`)).toEqual([]);
  }, 120_000);

  it("a commissioner creates a consultation that is open now, and the public can respond to it", async () => {
    const { page, errors } = await signedIn("commissioner@example.nhs.uk");
    await page.goto(`${server.baseURL}/consultations`);
    await page.getByRole("link", { name: "Start a consultation" }).click();
    await page.getByRole("heading", { name: "New consultation" }).waitFor();
    await expectNoAxeViolations(page);

    const later = new Date(Date.now() + 20 * 86_400_000);
    await page.getByLabel("Address").fill("made-in-the-browser");
    await page.getByLabel("Title").fill("Made in the browser");
    await page.getByLabel("Public consultation").check();
    await page.getByLabel("Summary of the proposals").fill("A summary.");
    await page.getByLabel("Why people's views matter").fill("Because.");
    // Opening yesterday (London time), so that it is open now whatever the hour.
    const yesterday = new Date(Date.now() - 86_400_000);
    await page.locator("#opens-day").fill(String(yesterday.getUTCDate()));
    await page.locator("#opens-month").fill(String(yesterday.getUTCMonth() + 1));
    await page.locator("#opens-year").fill(String(yesterday.getUTCFullYear()));
    await page.locator("#closes-day").fill(String(later.getUTCDate()));
    await page.locator("#closes-month").fill(String(later.getUTCMonth() + 1));
    await page.locator("#closes-year").fill(String(later.getUTCFullYear()));
    await page.getByLabel("Carers").check();
    await page.locator("#question-0-text").fill("What matters most to you?");
    // Another question row, then a second question.
    await page.getByRole("button", { name: "Add another question" }).click();
    await page.locator("#question-1-text").fill("Do you agree with the proposals?");
    await page.locator("#question-1-kind-2").check();
    await page.getByRole("button", { name: "Create consultation" }).click();
    await page.waitForURL(`${server.baseURL}/consultations/made-in-the-browser`);
    // The address changes a moment before the new page is drawn: wait for its heading.
    await page.getByRole("heading", { level: 1, name: "Made in the browser" }).waitFor();
    await expect(page.locator("h1").textContent()).resolves.toBe("Made in the browser");
    await expect(page.locator(".nhsuk-tag").first().textContent()).resolves.toBe("Open");

    // A visitor (no session) responds to it.
    const visitor = await newPage(false);
    await visitor.page.goto(`${server.baseURL}/consultations/made-in-the-browser/respond`);
    await visitor.page.getByLabel("As an individual").check();
    await visitor.page.getByLabel("Carers").check();
    await visitor.page.getByLabel("Question 1: What matters most to you?").fill("Short journeys.");
    await visitor.page.getByLabel("Strongly agree").check();
    await visitor.page.getByLabel("Do not publish my response").check();
    await visitor.page.getByRole("button", { name: "Continue" }).click();
    await visitor.page.getByRole("button", { name: "Send my response" }).click();
    const reference = await referenceShown(visitor.page);
    const { response, answers } = await stored(reference);
    expect(response?.consultation_id).toBe("made-in-the-browser");
    expect(answers.map((a) => [a.question_id, a.scale, a.text])).toEqual([
      ["q1", null, "Short journeys."],
      ["q2", "strongly-agree", null],
    ]);
    expect(errors).toEqual([]);
  });

  it("the staff pages reflow at 320 px and pass axe-core: new, edit (questions frozen) and the audience lists", async () => {
    const commissioner = await signedIn("commissioner@example.nhs.uk", REFLOW_VIEWPORT);
    for (const path of ["/consultations/new", `/consultations/${ID}/edit`]) {
      await commissioner.page.goto(server.baseURL + path);
      await expectNoSidewaysScroll(commissioner.page);
      await expectNoAxeViolations(commissioner.page);
    }
    await expect(commissioner.page.locator(".nhsuk-inset-text").first().textContent()).resolves.toMatch(/can no longer change/);
    const admin = await signedIn("admin@example.nhs.uk", REFLOW_VIEWPORT);
    await admin.page.goto(`${server.baseURL}/admin/audiences`);
    await expectNoSidewaysScroll(admin.page);
    await expectNoAxeViolations(admin.page);

    // And the W3C checker finds nothing in them.
    const cookieOf = async (page: Page) => (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const get = async (path: string, page: Page) => (await fetch(server.baseURL + path, { headers: { Cookie: await cookieOf(page) } })).text();
    const documents = new Map([
      ["new", await get("/consultations/new", commissioner.page)],
      ["edit", await get(`/consultations/${ID}/edit`, commissioner.page)],
      ["audiences", await get("/admin/audiences", admin.page)],
    ]);
    expect(documents.get("new")).toContain("Create consultation");
    const messages = await checkHtml(documents);
    expect(messages.map((m) => `${m.document}:${m.line}:${m.column}: ${m.message}`)).toEqual([]);
  }, 120_000);

  it("never serves a cached page that the clock has made wrong: a consultation that has just closed shows as closed", async () => {
    const closesAt = Date.now() + 4000;
    await createConsultation(db, null, {
      id: "closes-in-a-moment",
      slug: SLUG,
      versionNumber: "1.0",
      fields: { title: "Closes in a moment", kind: "engagement", summary: "S.", whyItMatters: "W.", opensAt: new Date(Date.now() - 86_400_000).toISOString(), closesAt: new Date(closesAt).toISOString() },
      events: [],
      audiences: [],
      questions: [],
    });
    const url = `${server.baseURL}/consultations/closes-in-a-moment`;
    const state = (html: string) => /<strong class="nhsuk-tag[^"]*">([^<]+)<\/strong>/.exec(html)?.[1];
    // Fetched until it is served from the cache: on PostgreSQL the notice of the consultation's
    // own creation may reach the server after the first fetch read its stamp, and then only a
    // later rendering is kept. Only meaningful while the machine is quick enough to do that
    // well before the close.
    let cached: string | null = null;
    let fetches = 0;
    while (cached === null && Date.now() < closesAt - 1000) {
      const answer = await fetch(url);
      const html = await answer.text();
      fetches++;
      if (answer.headers.get("X-Specwork-Cache") === "hit") cached = html;
    }
    if (cached !== null) {
      expect(fetches).toBeGreaterThan(1);
      expect(state(cached)).toBe("Open");
    }
    while (Date.now() <= closesAt) await new Promise((r) => setTimeout(r, 100));
    const after = await fetch(url);
    expect(state(await after.text())).toBe("Closed");
  });
});
