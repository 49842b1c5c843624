import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSession, expectNoAxeViolations, expectNoSidewaysScroll, hydrated, REFLOW_VIEWPORT } from "./browser";
import { startServer } from "./server";

// A commissioner's review from the top of a draft's page, and publishing with a chosen number.
// This file publishes a version, so it runs its own server on its own database.
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

async function signInAs(email: string): Promise<Page> {
  await session.open("/login");
  const page = session.page;
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("specwork-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.baseURL}/`);
  return page;
}

/** Changes the first paragraph of each clause through the drafts API, as the editor's saves do. */
async function changeClauses(page: Page, id: string, texts: Record<string, string>) {
  const api = `${server.baseURL}/api/drafts/${id}`;
  const { revision, doc } = await (await page.request.get(api)).json();
  const visit = (nodes: { type: string; attrs?: { id?: string }; content?: unknown[] }[]): void => {
    for (const node of nodes) {
      if (node.type === "clause" && node.attrs?.id && texts[node.attrs.id]) (node.content as { content?: unknown }[])[0]!.content = [{ type: "text", text: texts[node.attrs.id] }];
      else if (node.content) visit(node.content as typeof nodes);
    }
  };
  visit(doc.content);
  expect((await page.request.put(api, { data: { baseRevision: revision, doc } })).status()).toBe(200);
}

/** axe-core, and no sideways scrolling at 320 px, for the page at this address. */
async function expectAccessible(page: Page, path: string) {
  await expectNoAxeViolations(page);
  const narrow = await page.context().browser()!.newContext({ viewport: REFLOW_VIEWPORT, storageState: await page.context().storageState() });
  try {
    const small = await narrow.newPage();
    await small.goto(server.baseURL + path);
    await expectNoSidewaysScroll(small);
    await expectNoAxeViolations(small);
  } finally {
    await narrow.close();
  }
}

/** Console errors, leaving out the 400 answers to forms this test sends wrong on purpose. */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 400 \(Bad Request\)/.test(e));

const top = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => el.getBoundingClientRect().top + window.scrollY);

describe("a review a commissioner can sign off", () => {
  it("the editor explains and submits; the commissioner reviews from the top, approves and publishes 2.0; the version says who", async () => {
    // The editor starts a draft and changes two clauses.
    let page = await signInAs("editor@example.nhs.uk");
    await page.goto(`${server.baseURL}${SPEC}`);
    await page.getByLabel("Start a new draft from").selectOption("1.0");
    await page.getByRole("button", { name: "Start draft" }).click();
    await page.waitForURL(/\/drafts\/\d+$/);
    const draftPath = new URL(page.url()).pathname;
    const id = draftPath.split("/").pop()!;
    await changeClauses(page, id, {
      "host-provider": "Each network has a host provider, which reports to the oversight group every quarter.",
      "oversight-group": "An oversight group with an independent chair from another provider oversees the network.",
    });
    await page.goto(server.baseURL + draftPath);
    await page.locator("h2", { hasText: "What changed from version 1.0" }).waitFor();
    await expect(page.locator(".sw-review").innerText()).resolves.toContain("2 changed clauses; 2 without a note yet.");

    // The summary of the revision.
    await page.getByLabel("Summary of the revision, in plain English").fill("Each network now has a host provider and an oversight group with an independent chair.");
    await page.getByRole("button", { name: "Save summary" }).click();
    await page.locator(".sw-review-list").waitFor();
    await expect(page.getByLabel("Summary of the revision, in plain English").inputValue()).resolves.toContain("independent chair");

    // A note that says nothing is refused next to its form, with the themes ticked kept.
    await page.locator("#theme_oversight-group-5").check();
    await page.getByRole("button", { name: /Save note for clause 3\.6\.3/ }).click();
    const noteError = page.locator("#note_oversight-group .nhsuk-error-summary");
    await noteError.waitFor();
    await expect(noteError.innerText()).resolves.toContain("Write what changed and why");
    await expect(page.evaluate(() => document.activeElement?.classList.contains("nhsuk-error-summary"))).resolves.toBe(true);
    await expect(page.locator("#theme_oversight-group-5").isChecked()).resolves.toBe(true);
    await expect(page.locator("#rationale_oversight-group-error").innerText()).resolves.toContain("Write what changed and why");

    // A note for the host provider clause, with its theme.
    await page.locator("#rationale_host-provider").fill("People asked who is accountable: the host provider now reports every quarter.");
    await page.locator("#theme_host-provider-5").check();
    await page.getByRole("button", { name: /Save note for clause 3\.6\.2/ }).click();
    await page.locator('#note_host-provider [role="status"]', { hasText: "The change note is saved." }).waitFor();
    await page.reload();
    await expect(page.locator(".sw-review").innerText()).resolves.toContain("2 changed clauses; 1 without a note yet.");
    await expectNoAxeViolations(page);
    await hydrated(page);

    // Check your answers lists the change without a note, and asks to confirm it. The link is a
    // full page load, and twice in CI the page never came: Playwright dismisses any dialog, and
    // a "leave this page?" (the editor's beforeunload warning) dismissed would cancel it. Such a
    // warning is accepted here, as a person who made no edit would, and said in the message.
    const dialogs: string[] = [];
    const onDialog = (dialog: { type(): string; accept(): Promise<void> }) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    };
    page.on("dialog", onDialog);
    await page.getByRole("link", { name: "Check and submit for approval" }).click();
    await page.locator("h1", { hasText: "Check the changes before you submit version 1.1" }).waitFor();
    page.off("dialog", onDialog);
    if (dialogs.length) console.warn(`review journey: accepted ${dialogs.join(", ")} dialog(s) on leaving the draft page`);
    await expect(page.locator(".nhsuk-warning-callout").innerText()).resolves.toContain("1 change has no note");
    const missing = page.locator(".sw-review-list__item--unexplained");
    await expect(missing.count()).resolves.toBe(1);
    await expect(missing.innerText()).resolves.toMatch(/Clause 3\.6\.3[\s\S]*No note yet\.\s*Write the note/);
    await expect(page.locator("main").innerText()).resolves.toContain("Each network now has a host provider and an oversight group with an independent chair.");
    await expectAccessible(page, `${draftPath}/submit`);
    await page.getByRole("button", { name: "Submit for approval" }).click();
    const summary = page.locator(".nhsuk-error-summary");
    await summary.waitFor();
    await expect(summary.getByRole("link").innerText()).resolves.toBe("Confirm that you are submitting with 1 change unexplained, or write the missing notes first");
    await expect(summary.getByRole("link").getAttribute("href")).resolves.toBe("#sw_confirm-unexplained");
    await page.waitForFunction(() => document.activeElement?.classList.contains("nhsuk-error-summary"));
    await page.getByLabel("Submit with 1 change unexplained").check();
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await page.locator("h1", { hasText: "Submitted for approval" }).waitFor();
    expect(unexpected(session.errors)).toEqual([]);

    // The commissioner: the changes come first, the approval after them.
    page = await signInAs("commissioner@example.nhs.uk");
    await page.goto(server.baseURL + draftPath);
    await page.locator("#sw_review-heading").waitFor();
    const reviewTop = await top(page, "#sw_review-heading");
    expect(reviewTop).toBeLessThan(await top(page, "#sw_workflow-heading"));
    expect(reviewTop).toBeLessThan(900);
    await expect(page.locator(".sw-review-list").innerText()).resolves.toMatch(/Clause 3\.6\.2[\s\S]*“Each network has a host provider, which reports[\s\S]*Why: People asked who is accountable[\s\S]*In response to: T05/);
    await expect(page.locator(".sw-review-list").innerText()).resolves.not.toMatch(/host-provider|oversight-group/);

    // The staff redline of the draft against 1.0.
    await page.getByRole("link", { name: /See the redline of this draft against version 1\.0/ }).click();
    await page.locator("h1", { hasText: "Changes from version 1.0 to draft version 1.1" }).waitFor();
    await expect(page.locator(".sw-redline").innerText()).resolves.toMatch(/\[inserted: [^\]]*reports[^\]]*\]/);
    await expectAccessible(page, `${draftPath}/changes`);

    // Approve, through the confirmation page.
    await page.goto(server.baseURL + draftPath);
    await page.getByRole("link", { name: "Approve this version" }).click();
    await page.locator("h1", { hasText: "Approve version 1.1" }).waitFor();
    const facts = await page.locator(".nhsuk-summary-list").innerText();
    expect(facts).toMatch(/Content hash\s+sha256:[0-9a-f]{64}/);
    expect(facts).toContain("Demo Commissioner (you)");
    await expectAccessible(page, `${draftPath}/approve`);
    await page.getByRole("button", { name: "Approve version 1.1" }).click();
    await page.locator("h1", { hasText: "Approved" }).waitFor();

    // Publish as 2.0, through its confirmation page; a lower number is refused on its field.
    await page.getByRole("link", { name: "Publish this version" }).click();
    await page.locator("h1", { hasText: "Publish version 1.1" }).waitFor();
    await expect(page.getByLabel("Version number").inputValue()).resolves.toBe("1.1");
    await expectAccessible(page, `${draftPath}/publish`);
    await page.getByLabel("Version number").fill("0.95");
    await page.getByLabel("Label").fill("Final specification");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.locator(".nhsuk-error-summary").waitFor();
    await expect(page.locator(".nhsuk-error-summary a").getAttribute("href")).resolves.toBe("#sw_publish-number");
    await page.waitForFunction(() => document.activeElement?.classList.contains("nhsuk-error-summary"));
    await expect(page.locator("#sw_publish-number-error").innerText()).resolves.toContain("The version number must be higher than 1.0");
    await expect(page.getByLabel("Label").inputValue()).resolves.toBe("Final specification");
    await page.getByLabel("Version number").fill("2.0");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText(/^Version 2\.0 will replace version 1\.0 for the public today, \d+ \w+ \d{4}\.$/).waitFor();
    // The page's heading names the number chosen, as its confirmation does.
    await expect(page.locator("h1").innerText()).resolves.toBe("Publish version 2.0");
    await expect(page.locator(".nhsuk-summary-list").innerText()).resolves.toMatch(/Published by\s+Demo Commissioner \(you\)/);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Publish version 2.0" }).click();
    await page.waitForURL(`${server.baseURL}${SPEC}/v/2.0`);

    // The public reads who approved and who published it, with names and no addresses.
    await session.open(`${SPEC}/v/2.0`);
    const record = await session.page.locator(".sw-approval-record").innerText();
    expect(record).toMatch(/^Approved by Demo Commissioner on \d+ \w+ \d{4}; published by Demo Commissioner on \d+ \w+ \d{4}\.$/);
    await expect(session.page.locator("main").innerText()).resolves.not.toContain("@example.nhs.uk");
    await session.open(SPEC);
    await expect(session.page.locator(".sw-timeline__item").first().innerText()).resolves.toMatch(/Version 2\.0 – Final specification[\s\S]*Approved by Demo Commissioner/);
    await expect(session.page.locator(".sw-timeline__item", { hasText: "Version 1.0 – Consultation draft" }).innerText()).resolves.not.toContain("Approved by");
    await expectNoAxeViolations(session.page);
    expect(unexpected(session.errors)).toEqual([]);
  });
});

describe("scheduling a publication, without JavaScript", () => {
  /** Signs in on a page that runs no scripts: every step below is a plain form. */
  async function signInWithoutScripts(email: string): Promise<Page> {
    await session.open("/login", { javaScriptEnabled: false });
    const page = session.page;
    // A step that does not happen fails with its own message, well inside the test's budget.
    page.setDefaultTimeout(20_000);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill("specwork-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.baseURL}/`);
    return page;
  }

  it("schedules a later date, shows it to staff as scheduled, not to the public, and cancels it", async () => {
    let page = await signInWithoutScripts("editor@example.nhs.uk");
    await page.goto(`${server.baseURL}${SPEC}`);
    await page.getByRole("button", { name: "Start draft" }).click();
    await page.waitForURL(/\/drafts\/\d+$/);
    const draftPath = new URL(page.url()).pathname;
    await changeClauses(page, draftPath.split("/").pop()!, { "annual-work-plan": "Each network agrees an annual work plan with its commissioners." });
    await page.goto(server.baseURL + draftPath);
    await page.locator("#rationale_annual-work-plan").fill("Commissioners asked to agree the plan.");
    await page.getByRole("button", { name: /Save note for clause/ }).click();
    await page.locator("#note_annual-work-plan [role=status]", { hasText: "The change note is saved." }).waitFor();
    await page.goto(`${server.baseURL}${draftPath}/submit`);
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await page.locator("h1", { hasText: "Submitted for approval" }).waitFor();

    page = await signInWithoutScripts("commissioner@example.nhs.uk");
    await page.goto(`${server.baseURL}${draftPath}/approve`);
    await page.getByRole("button", { name: /^Approve version / }).click();
    await page.locator("h1", { hasText: "Approved" }).waitFor();
    await page.getByRole("link", { name: "Publish this version" }).click();
    const later = new Date(Date.now() + 40 * 86_400_000);
    await page.getByLabel("Version number").fill("3.0");
    await page.getByLabel("Label").fill("Scheduled revision");
    const date = page.getByRole("group", { name: "Publication date" });
    await date.getByLabel("Day").fill(String(later.getUTCDate()));
    await date.getByLabel("Month").fill(String(later.getUTCMonth() + 1));
    await date.getByLabel("Year").fill(String(later.getUTCFullYear()));
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText(/^Version 3\.0 is scheduled: it will replace version [\d.]+ for the public on \d+ \w+ \d{4}\. Until then it stays approved, and you can cancel\.$/).waitFor();
    await page.getByRole("button", { name: "Schedule version 3.0" }).click();
    await page.locator(".sw-workflow", { hasText: /Scheduled for \d+ \w+ \d{4}/ }).waitFor();
    // The draft's own heading says so too, not "Approved".
    await expect(page.locator("h1").innerText()).resolves.toMatch(/^Version 3\.0\s+Scheduled for \d+ \w+ \d{4}$/);
    await page.goto(`${server.baseURL}${SPEC}`);
    await expect(page.locator(".sw-staff").innerText()).resolves.toMatch(/Version 3\.0\s+Scheduled for \d+ \w+ \d{4}/);
    // Not public before its date.
    const hidden = await fetch(`${server.baseURL}${SPEC}/v/3.0`);
    expect(hidden.status).toBe(404);

    await page.goto(`${server.baseURL}${draftPath}/publish`);
    await page.getByRole("button", { name: "Cancel the scheduled publication" }).click();
    await page.getByRole("link", { name: "Publish this version" }).waitFor();
    await expect(page.locator(".sw-workflow").innerText()).resolves.not.toContain("Scheduled for");
    await expect(page.locator("h1").innerText()).resolves.toMatch(/^Version 3\.0\s+Approved$/);
    expect(unexpected(session.errors)).toEqual([]);
  });
});
