import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSession, expectNoAxeViolations, expectNoSidewaysScroll, REFLOW_VIEWPORT } from "./browser";
import { startServer } from "./server";

// Recording why a theme led to no change, from a draft's page: the NHS.UK error pattern next to
// the theme's form, what was typed kept, and the reason listed once saved; with and without
// JavaScript. This file starts drafts, so it runs its own server on its own database.
let server: Awaited<ReturnType<typeof startServer>>;
let session: ReturnType<typeof browserSession>;
const SPEC = "/specs/adult-external-beam-radiotherapy";

beforeAll(async () => {
  server = await startServer();
  session = browserSession(server.baseURL);
});
afterAll(async () => {
  await session.close();
  await server.stop();
});

async function signInAs(email: string, javaScriptEnabled = true): Promise<Page> {
  await session.open("/login", { javaScriptEnabled });
  const page = session.page;
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("specwork-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.baseURL}/`);
  return page;
}

async function startDraft(page: Page): Promise<string> {
  await page.goto(`${server.baseURL}${SPEC}`);
  await page.getByLabel("Start a new draft from").selectOption("1.0");
  await page.getByRole("button", { name: "Start draft" }).click();
  await page.waitForURL(/\/drafts\/\d+$/);
  return new URL(page.url()).pathname;
}

/** No sideways scrolling at 320 px, and axe-core clean there too, for the page at this address. */
async function expectReflows(page: Page, path: string) {
  const narrow = await page.context().browser()!.newContext({ viewport: REFLOW_VIEWPORT, storageState: await page.context().storageState() });
  try {
    const small = await narrow.newPage();
    await small.goto(server.baseURL + path);
    await small.locator("h1").waitFor();
    await expectNoSidewaysScroll(small);
    await expectNoAxeViolations(small);
  } finally {
    await narrow.close();
  }
}

/** An element's text as a screen reader reads it, the hidden "Error:" included. */
const textOf = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? "").replace(/\s+/g, " ").trim();

/** Console errors, leaving out the 4xx answers to forms this test sends wrong on purpose. */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 40\d/.test(e));

describe("themes that led to no change", () => {
  it("an editor follows the link from the draft, is shown what is wrong next to the theme with the text kept, then records and sees the reason", async () => {
    const page = await signInAs("editor@example.nhs.uk");
    const draftPath = await startDraft(page);
    await page.locator("h2", { hasText: "What changed from version 1.0" }).waitFor();
    await expect(page.locator(".sw-outcome-count").innerText()).resolves.toContain("No theme is recorded as having led to no change.");
    await page.getByRole("link", { name: "Record themes that led to no change" }).click();
    await page.locator("h1", { hasText: /Themes that led to no change in version \d+\.\d+/ }).waitFor();
    const path = `${draftPath}/outcomes`;
    expect(new URL(page.url()).pathname).toBe(path);
    await expect(page.locator("main").innerText()).resolves.toContain("No change note in this draft is linked to a theme yet.");

    // Saving nothing where nothing is recorded: the problem is listed next to the theme's form, linked to its field.
    const t03 = page.locator("#theme_T03");
    await page.getByRole("button", { name: "Save the reason for T03" }).click();
    const summary = t03.locator(".nhsuk-error-summary");
    await summary.waitFor();
    await expect(summary.getByRole("link").innerText()).resolves.toBe("Write why this theme led to no change");
    await expect(summary.getByRole("link").getAttribute("href")).resolves.toBe("#outcome_T03");
    await expect(page.evaluate(() => document.activeElement?.classList.contains("nhsuk-error-summary") && document.activeElement.closest("#theme_T03") !== null)).resolves.toBe(true);
    await expect(textOf(page, "#outcome_T03-error")).resolves.toBe("Error: Write why this theme led to no change");
    await expect(page.locator("#outcome_T03").getAttribute("aria-describedby")).resolves.toBe("outcome_T03-hint outcome_T03-error");
    await expectNoAxeViolations(page);

    // Too long: the count says so as it is typed, the server refuses it, and the text stays.
    const long = `Transport is arranged nationally. ${"More words. ".repeat(420)}`;
    expect(long.length).toBeGreaterThan(5000);
    await page.locator("#outcome_T03").fill(long);
    await expect(t03.locator(".nhsuk-character-count__status").innerText()).resolves.toMatch(/You have [\d,]+ characters? too many/);
    await page.getByRole("button", { name: "Save the reason for T03" }).click();
    await t03.locator(".nhsuk-error-summary a", { hasText: "The reason must be 5,000 characters or fewer" }).waitFor();
    await expect(page.locator("#outcome_T03").inputValue()).resolves.toBe(long);
    await expect(textOf(page, "#outcome_T03-error")).resolves.toBe("Error: The reason must be 5,000 characters or fewer");
    await expect(page.evaluate(() => document.activeElement?.classList.contains("nhsuk-error-summary"))).resolves.toBe(true);

    // A reason that fits is saved and listed.
    const reason = "Transport is arranged by each trust under the national rules, so this specification does not change it.";
    await page.locator("#outcome_T03").fill(reason);
    await page.getByRole("button", { name: "Save the reason for T03" }).click();
    await t03.locator('[role="status"]', { hasText: "The reason is saved." }).waitFor();
    await expect(t03.locator(".nhsuk-error-summary").count()).resolves.toBe(0);
    await page.reload();
    await page.locator("h1").waitFor();
    await expect(page.locator("#outcome_T03").inputValue()).resolves.toBe(reason);
    await expect(page.locator("main").innerText()).resolves.toContain("1 theme led to no change, with reasons.");

    // Version 1.0's reason for T08 is offered, and copied when asked.
    const t08 = page.locator("#theme_T08");
    await expect(t08.innerText()).resolves.toContain("Version 1.0 said:");
    await page.getByRole("button", { name: "Use the reason from version 1.0 for T08" }).click();
    await t08.locator('[role="status"]', { hasText: "The reason is copied into this draft." }).waitFor();
    await expect.poll(() => page.locator("#outcome_T08").inputValue(), { timeout: 30_000 }).toMatch(/^No change: the equipment clauses/);
    await expectNoAxeViolations(page);
    await expectReflows(page, path);

    // The draft's page counts them.
    await page.getByRole("link", { name: "Back to the draft" }).first().click();
    await page.locator("h2", { hasText: "What changed from version 1.0" }).waitFor();
    await expect(page.locator(".sw-outcome-count").innerText()).resolves.toContain("2 themes led to no change, with reasons.");
    expect(unexpected(session.errors)).toEqual([]);
  });

  it("works without JavaScript: the error next to the form, the text kept, the reason saved and removed", async () => {
    const page = await signInAs("editor@example.nhs.uk", false);
    const draftPath = await startDraft(page);
    await page.goto(`${server.baseURL}${draftPath}/outcomes`);
    await page.locator("h1", { hasText: "Themes that led to no change" }).waitFor();
    const typed = "No change\u202e because it is covered";
    await page.locator("#outcome_T04").fill(typed);
    await page.getByRole("button", { name: "Save the reason for T04" }).click();
    const summary = page.locator("#theme_T04 .nhsuk-error-summary");
    await summary.waitFor();
    await expect(summary.innerText()).resolves.toContain("The reason has an invisible text-direction character U+202E (right-to-left override) at character 10; remove it");
    await expect(page.locator("#outcome_T04").inputValue()).resolves.toBe("No change because it is covered");
    await page.locator("#outcome_T04").fill("Covered by the national service specification.");
    await page.getByRole("button", { name: "Save the reason for T04" }).click();
    await page.locator('#theme_T04 [role="status"]', { hasText: "The reason is saved." }).waitFor();
    await expect(page.locator("#outcome_T04").inputValue()).resolves.toBe("Covered by the national service specification.");
    await page.getByRole("button", { name: "Remove the reason for T04" }).click();
    await page.locator('#theme_T04 [role="status"]', { hasText: "The reason is removed." }).waitFor();
    await expect(page.locator("#outcome_T04").inputValue()).resolves.toBe("");
  });

  it("once submitted, approved and published, the public reads the reason beside the theme in “you said, we did”", async () => {
    let page = await signInAs("editor@example.nhs.uk");
    const draftPath = await startDraft(page);
    const id = draftPath.split("/").pop()!;
    // A draft must change something to be submitted.
    const api = `${server.baseURL}/api/drafts/${id}`;
    const { revision, doc } = await (await page.request.get(api)).json();
    const host = JSON.stringify(doc).replace(/("id":"host-provider"[\s\S]*?"text":")[^"]*/, "$1Each network has a host provider, which reports every quarter.");
    expect((await page.request.put(api, { data: { baseRevision: revision, doc: JSON.parse(host) } })).status()).toBe(200);
    const reason = "Parking is run by each hospital, so this specification leaves it to them.";
    await page.goto(`${server.baseURL}${draftPath}/outcomes`);
    await page.locator("h1", { hasText: "Themes that led to no change" }).waitFor();
    await page.locator("#outcome_T03").fill(reason);
    await page.getByRole("button", { name: "Save the reason for T03" }).click();
    await page.locator('#theme_T03 [role="status"]', { hasText: "The reason is saved." }).waitFor();

    // Check your answers counts it, and links to the page.
    await page.goto(`${server.baseURL}${draftPath}/submit`);
    await page.locator("h1", { hasText: "Check the changes before you submit" }).waitFor();
    await expect(page.locator(".sw-outcome-count").innerText()).resolves.toBe("1 theme led to no change, with reasons. Record themes that led to no change");
    await page.getByLabel("Submit with 1 change unexplained").check();
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await page.locator("h1", { hasText: "Submitted for approval" }).waitFor();

    page = await signInAs("commissioner@example.nhs.uk");
    await page.goto(`${server.baseURL}${draftPath}/approve`);
    const number = /Approve version (\S+)/.exec(await page.locator("h1").innerText())![1]!;
    await expect(page.locator(".nhsuk-summary-list").innerText()).resolves.toMatch(/Themes that led to no change\s+1 theme led to no change, with reasons/);
    await page.getByRole("button", { name: `Approve version ${number}` }).click();
    await page.locator("h1", { hasText: "Approved" }).waitFor();
    await page.getByRole("link", { name: "Publish this version" }).click();
    await page.locator("h1", { hasText: `Publish version ${number}` }).waitFor();
    await page.getByLabel("Label").fill("Revision");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: `Publish version ${number}` }).click();
    await page.waitForURL(`${server.baseURL}${SPEC}/v/${number}`);

    await session.open(`${SPEC}/compare/1.0...${number}/themes`);
    const theme = session.page.locator("main").getByText(reason);
    await theme.waitFor();
    await expectNoAxeViolations(session.page);
    expect(unexpected(session.errors)).toEqual([]);
  });
});
