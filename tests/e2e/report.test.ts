// The engagement report in a real browser: it reads and prints on A4 without the site's
// navigation, passes axe-core, reflows at 320 px, and a commissioner publishes one without
// JavaScript, through its confirmation step.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations, expectNoSidewaysScroll, launchBrowser, REFLOW_VIEWPORT } from "./browser";
import { checkHtml } from "./html-checker";
import { startServer } from "./server";

const REPORT = "/consultations/radiotherapy-engagement-2016/report";
const UNPUBLISHED = "/consultations/radiotherapy-consultation-2017/report";

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

async function newPage(options: { width?: number; javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1200, height: 900 }, javaScriptEnabled: options.javaScriptEnabled ?? true });
  contexts.push(context);
  return context.newPage();
}

describe("the published engagement report", () => {
  it("reads as a report and passes axe-core", async () => {
    const page = await newPage();
    const response = await page.goto(server.baseURL + REPORT);
    expect(response!.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toMatch(/Modernising radiotherapy services/);
    for (const name of ["About the engagement", "Who responded", "What people told us", "What did not change, and why", "How we analysed the responses"]) {
      await expect(page.getByRole("heading", { level: 2, name }).count()).resolves.toBe(1);
    }
    await expect(page.getByRole("table", { name: "The themes, most often raised first" }).count()).resolves.toBe(1);
    await expect(page.getByText("Draft – not published").count()).resolves.toBe(0);
    await expectNoAxeViolations(page);
  });

  it("prints on A4 without the header, breadcrumbs, contents or download links", async () => {
    const page = await newPage();
    await page.goto(server.baseURL + REPORT);
    await page.emulateMedia({ media: "print" });
    const hidden = await page.evaluate(() =>
      [".nhsuk-header", ".nhsuk-footer", ".nhsuk-breadcrumb", ".sw-contents", "#sw_downloads"].map((selector) => {
        const el = document.querySelector(selector);
        return [selector, el ? getComputedStyle(el.closest(".sw-no-print") ?? el).display : "missing"];
      }),
    );
    expect(hidden).toEqual([
      [".nhsuk-header", "none"],
      [".nhsuk-footer", "none"],
      [".nhsuk-breadcrumb", "none"],
      [".sw-contents", "none"],
      ["#sw_downloads", "none"],
    ]);
    // Tables are kept whole on a page.
    await expect(page.locator(".sw-report table").first().evaluate((el) => getComputedStyle(el).breakInside)).resolves.toBe("avoid");
    await expect(page.getByRole("heading", { name: "Who responded" }).isVisible()).resolves.toBe(true);
    const pdf = await page.pdf({ format: "A4", printBackground: false });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThan(3);
  });

  it("fits 320 CSS px without sideways scrolling, and passes axe-core there", async () => {
    const page = await newPage({ width: REFLOW_VIEWPORT.width });
    await page.goto(server.baseURL + REPORT);
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);
  });

  it("is not found by the public before it is published", async () => {
    const page = await newPage();
    const response = await page.goto(server.baseURL + UNPUBLISHED);
    expect(response!.status()).toBe(404);
    await expect(page.getByText("has not been published yet").count()).resolves.toBe(1);
  });
});

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${server.baseURL}/login`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("specwork-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.baseURL}/`);
}

describe("publishing a report", () => {
  it("the draft, its confirmation step and the decisions page fit 320 px and pass axe-core", async () => {
    const page = await newPage({ width: REFLOW_VIEWPORT.width });
    await signIn(page, "commissioner@example.nhs.uk");
    for (const path of [UNPUBLISHED, `${UNPUBLISHED}?publish=confirm`, UNPUBLISHED.replace(/report$/, "decisions")]) {
      await page.goto(server.baseURL + path);
      await expectNoSidewaysScroll(page);
      await expectNoAxeViolations(page);
    }
    await page.getByRole("button", { name: "Save the decision on T01" }).click();
    await page.locator(".nhsuk-error-summary").waitFor();
    await expectNoAxeViolations(page);
  });

  it("a commissioner sets a decision and publishes after confirming, without JavaScript", async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await signIn(page, "commissioner@example.nhs.uk");
    await page.goto(server.baseURL + UNPUBLISHED.replace(/report$/, "decisions"));
    const travel = () => page.locator("section", { has: page.getByRole("heading", { name: "T01 Travel and access" }) });
    await travel().getByRole("button", { name: "Save the decision on T01" }).click();
    await expect(page.locator(".nhsuk-error-summary").textContent()).resolves.toMatch(/Choose whether the theme was adopted/);
    await travel().getByLabel("Partly adopted").check();
    await travel().getByLabel("Reason, for the public").fill("Most treatment stays close to home; some rarer cancers still travel.");
    await travel().getByRole("button", { name: "Save the decision on T01" }).click();
    // Without JavaScript the click only starts the navigation: wait for the new page's text.
    await page.getByText("The decision on T01 is saved.").waitFor();
    await expect(page.getByText("The decision on T01 is saved.").count()).resolves.toBe(1);

    const response = await page.goto(server.baseURL + UNPUBLISHED);
    expect(response!.headers()["cache-control"]).toBe("private, no-store");
    await expect(page.getByText("Draft – not published").count()).resolves.toBe(1);
    await page.getByRole("link", { name: "Publish the report" }).click();
    await page.getByRole("heading", { name: "Are you sure you want to publish the report?" }).waitFor();
    await page.getByRole("button", { name: "Yes, publish the report" }).click();
    await page.waitForURL(/report\?published$/);
    await expect(page.getByText("The report is published.").count()).resolves.toBe(1);
    await expect(page.getByText("Draft – not published").count()).resolves.toBe(0);
    // In the theme's section, and under "what did not change" (no revision has followed 1.0 yet).
    await expect(page.getByText("Most treatment stays close to home; some rarer cancers still travel.").count()).resolves.toBe(2);

    const anonymous = await newPage();
    expect((await anonymous.goto(server.baseURL + UNPUBLISHED))!.status()).toBe(200);
  });
});

describe("as HTML", () => {
  it("the report, its draft and confirmation, the decisions page and a theme's page pass the W3C checker", async () => {
    const login = await fetch(`${server.baseURL}/login`, { method: "POST", body: new URLSearchParams({ email: "commissioner@example.nhs.uk", password: "specwork-demo", next: "/" }), redirect: "manual" });
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    const get = async (path: string, signedIn: boolean) => (await fetch(server.baseURL + path, { headers: signedIn ? { Cookie: cookie } : {} })).text();
    const decisions = UNPUBLISHED.replace(/report$/, "decisions");
    const refused = await (await fetch(server.baseURL + decisions, { method: "POST", headers: { Cookie: cookie }, body: new URLSearchParams({ theme: "T02", reason: "" }) })).text();
    const documents = new Map([
      [REPORT, await get(REPORT, false)],
      ["/themes/T01", await get("/themes/T01", false)],
      ["you said, we did", await get("/specs/adult-external-beam-radiotherapy/compare/0.9...1.0/themes", false)],
      [`${decisions} (refused)`, refused],
      [decisions, await get(decisions, true)],
    ]);
    // The 2017 report may already be published by the journey above; its draft is checked if not.
    const draft = await get(`${UNPUBLISHED}?publish=confirm`, true);
    documents.set(`${UNPUBLISHED}?publish=confirm`, draft);
    expect(refused).toContain("Choose whether the theme was adopted");
    const messages = await checkHtml(documents);
    expect(messages.map((m) => `${m.document}:${m.line}:${m.column}: ${m.message} ${JSON.stringify(m.extract ?? "")}`)).toEqual([]);
  }, 120_000);
});
