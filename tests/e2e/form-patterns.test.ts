// Every form with typed input, sent with a problem, checked against the NHS.UK form pattern by
// one checker: an error summary has focus; each of its links lands on a field that is marked as
// having a problem; every message is in sentence case; each marked field's input is marked too;
// every field has a label; and what was typed is back in the fields. Without JavaScript (the
// stricter case: nothing survives but what the server sends back) and, for some, with it.
// Runs its own server, so no other test's changes (a published report) get in the way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserSession, expectNoAxeViolations, expectNoSidewaysScroll, REFLOW_VIEWPORT } from "./browser";
import { startServer } from "./server";

let server: Awaited<ReturnType<typeof startServer>>;
let session: ReturnType<typeof browserSession>;
beforeAll(async () => {
  server = await startServer();
  session = browserSession(server.baseURL);
});
afterAll(async () => {
  await session?.close();
  await server?.stop();
});

async function signedIn(email: string, javaScriptEnabled: boolean, viewport?: { width: number; height: number }): Promise<Page> {
  await session.open("/login", { javaScriptEnabled, viewport });
  const page = session.page;
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("specwork-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("Sign out").first().waitFor();
  return page;
}

/** Opens a clause's "Annotate": without JavaScript, by following the link it holds to the form. */
async function openAnnotateForm(page: Page, clauseId: string, javaScriptEnabled: boolean) {
  const details = page.locator(`#annotate_${clauseId}`);
  await details.locator("summary").click();
  if (!javaScriptEnabled) {
    await details.getByRole("link", { name: /^Write an annotation on clause / }).click();
    await page.waitForLoadState("load");
  }
  await page.locator(`#body_${clauseId}`).waitFor();
  return details;
}

interface Findings {
  focusedSummary: boolean;
  links: { text: string; href: string; lands: boolean; marked: boolean }[];
  messages: string[];
  unmarkedInputs: string[];
  unlabelled: string[];
}

/** What the page shows after a problem, as the NHS.UK pattern sees it. */
function findings(page: Page): Promise<Findings> {
  return page.evaluate(() => {
    const text = (el: Element) => (el.textContent ?? "").replace(/\s+/g, " ").trim();
    const links = [...document.querySelectorAll(".nhsuk-error-summary a")].map((a) => {
      const href = a.getAttribute("href") ?? "";
      const target = href.startsWith("#") ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
      return { text: text(a), href, lands: target !== null, marked: Boolean(target?.closest(".nhsuk-form-group--error")) };
    });
    const fields = (root: ParentNode) => [...root.querySelectorAll<HTMLElement>("input:not([type=hidden]), textarea, select")];
    const unmarkedInputs = [...document.querySelectorAll(".nhsuk-form-group--error")]
      .flatMap((group) => fields(group))
      .filter((f) => !["radio", "checkbox"].includes((f as HTMLInputElement).type) && !/--error\b/.test(f.className))
      .map((f) => f.id || f.getAttribute("name") || "?");
    const unlabelled = fields(document.querySelector("main") ?? document)
      .filter((f) => f.tabIndex >= 0 && !((f as HTMLInputElement).labels?.length || f.getAttribute("aria-label") || f.getAttribute("aria-labelledby")))
      .map((f) => f.id || f.getAttribute("name") || "?");
    return {
      focusedSummary: Boolean(document.activeElement?.classList.contains("nhsuk-error-summary")),
      links,
      messages: [...document.querySelectorAll(".nhsuk-error-message")].map((m) => text(m).replace(/^Error:\s*/, "")),
      unmarkedInputs,
      unlabelled,
    };
  });
}

/** The checker: fails on any way the page departs from the pattern, and on anything typed that is gone. */
async function expectFormProblem(page: Page, expected: { links: [string, string][]; typed: Record<string, string | boolean> }) {
  await page.locator(".nhsuk-error-summary").first().waitFor();
  const found = await findings(page);
  expect(found.links.map((l) => [l.text, l.href])).toEqual(expected.links);
  for (const link of found.links) {
    expect(link.lands, `${link.href} is an element on the page`).toBe(true);
    expect(link.marked, `${link.href} is in a form group marked as having a problem`).toBe(true);
  }
  expect(found.focusedSummary, "the error summary has focus").toBe(true);
  for (const message of [...found.messages, ...found.links.map((l) => l.text)]) expect(message, "sentence case").toMatch(/^[A-Z0-9“"]/);
  expect(found.messages.length).toBeGreaterThanOrEqual(expected.links.length);
  expect(found.unmarkedInputs, "inputs in a marked group are marked too").toEqual([]);
  expect(found.unlabelled, "every field has a label").toEqual([]);
  for (const [selector, value] of Object.entries(expected.typed)) {
    const field = page.locator(selector);
    if (typeof value === "boolean") await expect(field.isChecked(), selector).resolves.toBe(value);
    else await expect(field.inputValue(), selector).resolves.toBe(value);
  }
}

describe("every form sent with a problem follows the NHS.UK pattern", () => {
  for (const javaScriptEnabled of [false, true]) {
    const js = `JavaScript ${javaScriptEnabled ? "on" : "off"}`;

    it(`signing in (${js})`, async () => {
      await session.open("/login", { javaScriptEnabled });
      const page = session.page;
      await page.getByLabel("Email address").fill("editor@example.nhs.uk");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expectFormProblem(page, { links: [["Enter your password", "#password"]], typed: { "#email": "editor@example.nhs.uk" } });
    });

    it(`adding an account (${js})`, async () => {
      const page = await signedIn("admin@example.nhs.uk", javaScriptEnabled);
      await page.goto(`${server.baseURL}/admin/users`);
      await page.locator("#sw_new-name").fill("sam@example.nhs.uk");
      await page.locator("#sw_new-email").fill("not an address");
      await page.locator("#sw_new-role").selectOption("commissioner");
      await page.locator("#sw_new-password").fill("short");
      await page.getByRole("button", { name: "Add account" }).click();
      await expectFormProblem(page, {
        links: [
          ["Enter the person's name, not an email address: names are shown on public pages", "#sw_new-name"],
          ["Enter an email address in the correct format, like name@example.nhs.uk", "#sw_new-email"],
          ["The password must have at least 12 characters", "#sw_new-password"],
        ],
        // The server never sends the password back (with JavaScript the page keeps the field as it was).
        typed: { "#sw_new-name": "sam@example.nhs.uk", "#sw_new-email": "not an address", "#sw_new-role": "commissioner", ...(javaScriptEnabled ? {} : { "#sw_new-password": "" }) },
      });
      if (javaScriptEnabled) await expectNoAxeViolations(page);
    });

    it(`adding a theme (${js})`, async () => {
      const page = await signedIn("admin@example.nhs.uk", javaScriptEnabled);
      await page.goto(`${server.baseURL}/admin/themes`);
      await page.getByLabel("Code").fill("T40");
      await page.locator("#new_description").fill("People asked for weekend sessions.");
      await page.locator("#new_status").selectOption("addressed");
      await page.getByRole("button", { name: "Add theme" }).click();
      await expectFormProblem(page, {
        links: [["A theme needs a title.", "#new_title"]],
        typed: { "#new_code": "T40", "#new_description": "People asked for weekend sessions.", "#new_status": "addressed" },
      });
      if (javaScriptEnabled) await expectNoAxeViolations(page);
    });

    it(`adding an audience (${js})`, async () => {
      const page = await signedIn("admin@example.nhs.uk", javaScriptEnabled);
      await page.goto(`${server.baseURL}/admin/audiences`);
      await page.getByLabel("Area of interest").check();
      await page.getByRole("button", { name: "Add", exact: true }).click();
      await expectFormProblem(page, { links: [["Enter the audience's name.", "#audience_name"]], typed: { "#audience_list-2": true } });
    });

    it(`annotating a clause of a published version (${js})`, async () => {
      const page = await signedIn("editor@example.nhs.uk", javaScriptEnabled);
      await page.goto(`${server.baseURL}/specs/adult-external-beam-radiotherapy/v/1.0`);
      const form = await openAnnotateForm(page, "network-membership", javaScriptEnabled);
      await page.locator("#quote_network-membership").fill("words that are not there");
      await form.getByLabel("T04 ", { exact: false }).check();
      await page.locator("#body_network-membership").fill("Say how rural travel is weighed.");
      await form.getByRole("button", { name: /Add annotation/ }).click();
      await expectFormProblem(page, {
        links: [["The quoted words are not in this clause: select them in the clause's text, or leave this empty", "#quote_network-membership"]],
        typed: { "#quote_network-membership": "words that are not there", "#body_network-membership": "Say how rural travel is weighed.", "#annotate_network-membership input[value=T04]": true },
      });
      if (javaScriptEnabled) await expectNoAxeViolations(page);
    });

    it(`replying to a thread with nothing (${js})`, async () => {
      const page = await signedIn("editor@example.nhs.uk", javaScriptEnabled);
      await page.goto(`${server.baseURL}/specs/adult-external-beam-radiotherapy/v/1.0`);
      const form = await openAnnotateForm(page, "member-sites", javaScriptEnabled);
      await page.locator("#body_member-sites").fill(`Which sites count? (${js})`);
      await form.getByRole("button", { name: /Add annotation/ }).click();
      const thread = page.locator('[id="member-sites"] .sw-annotation', { hasText: `Which sites count? (${js})` });
      await thread.waitFor();
      const id = (await thread.getAttribute("id"))!.replace("annotation_", "");
      await thread.getByRole("button", { name: "Send reply" }).click();
      await expectFormProblem(page, { links: [["Enter your reply", `#reply_${id}`]], typed: {} });
      // Beside the thread, which stays open.
      await expect(page.locator(`#reply-problem_${id}`).count()).resolves.toBe(1);
      await expect(thread.isVisible()).resolves.toBe(true);
    });

    it(`deciding on a theme (${js})`, async () => {
      const page = await signedIn("commissioner@example.nhs.uk", javaScriptEnabled);
      await page.goto(`${server.baseURL}/consultations/radiotherapy-consultation-2017/decisions`);
      const section = page.locator("section", { has: page.locator("#T02_heading") });
      await section.getByLabel("Partly adopted").check();
      await section.getByLabel("Reason, for the public").fill("");
      await section.getByRole("button", { name: "Save the decision on T02" }).click();
      await expectFormProblem(page, { links: [["Enter the reason the public will read.", "#T02_reason"]], typed: { "#T02_decision-partly-adopted": true, "#T02_reason": "" } });
      // Beside the form, not at the top of the long page.
      await expect(page.locator("#T02_problem").count()).resolves.toBe(1);
      await expect(page.locator("main > .nhsuk-error-summary").count()).resolves.toBe(0);
    });

    it(`starting a consultation, with a date that does not exist (${js})`, async () => {
      const page = await signedIn("commissioner@example.nhs.uk", javaScriptEnabled);
      await page.goto(`${server.baseURL}/consultations/new`);
      await page.getByLabel("Address").fill(`checked-form-${javaScriptEnabled ? "js" : "html"}`);
      await page.getByLabel("Title").fill("A form to check");
      await page.getByLabel("Summary of the proposals").fill("A summary.");
      await page.locator("#closes-day").fill("31");
      await page.locator("#closes-month").fill("2");
      await page.locator("#closes-year").fill("2030");
      await page.getByRole("button", { name: "Create consultation" }).click();
      await page.locator(".nhsuk-error-summary").first().waitFor();
      const links = await page.locator(".nhsuk-error-summary a").evaluateAll((as) => as.map((a): [string, string] => [a.textContent ?? "", a.getAttribute("href") ?? ""]));
      expect(links).toContainEqual(["The closing date must be a real date, such as 18 10 2017.", "#closes-day"]);
      await expectFormProblem(page, {
        links,
        typed: { "#id": `checked-form-${javaScriptEnabled ? "js" : "html"}`, "#title": "A form to check", "#summary": "A summary.", "#closes-day": "31", "#closes-month": "2", "#closes-year": "2030" },
      });
    });

    it(`coding a response (${js})`, async () => {
      const page = await signedIn("editor@example.nhs.uk", javaScriptEnabled);
      await page.goto(`${server.baseURL}/consultations/radiotherapy-engagement-2016/coding`);
      await page.getByLabel("Theme number").fill("99");
      await page.locator("#sw_stance-opposes").check();
      await page.getByLabel("Evidence-rich").check();
      await page.getByRole("button", { name: "Apply theme" }).click();
      await expectFormProblem(page, {
        links: [[`There is no theme 99: enter a number from 1 to ${await page.locator("#sw_theme-number-hint").innerText().then((t) => /to (\d+)/.exec(t)![1])}.`, "#sw_theme-number"]],
        typed: { "#sw_theme-number": "99", "#sw_stance-opposes": true, "#sw_evidence": true },
      });
    });
  }
});

describe("forms showing their problems at 320 CSS px", () => {
  it("fit without sideways scrolling and pass axe-core: accounts, themes, decisions, coding", async () => {
    const admin = await signedIn("admin@example.nhs.uk", true, REFLOW_VIEWPORT);
    await admin.goto(`${server.baseURL}/admin/users`);
    await admin.locator("#sw_new-name").fill("a-very-long-address-typed-as-a-name@radiotherapy-network.example.nhs.uk");
    await admin.getByRole("button", { name: "Add account" }).click();
    await admin.locator(".nhsuk-error-summary").waitFor();
    await expectNoSidewaysScroll(admin);
    await expectNoAxeViolations(admin);
    await admin.goto(`${server.baseURL}/admin/themes`);
    await admin.getByRole("button", { name: "Add theme" }).click();
    await admin.locator(".nhsuk-error-summary").waitFor();
    await expectNoSidewaysScroll(admin);
    await expectNoAxeViolations(admin);

    const commissioner = await signedIn("commissioner@example.nhs.uk", true, REFLOW_VIEWPORT);
    await commissioner.goto(`${server.baseURL}/consultations/radiotherapy-consultation-2017/decisions`);
    await commissioner.locator("section", { has: commissioner.locator("#T03_heading") }).getByRole("button", { name: "Save the decision on T03" }).click();
    await commissioner.locator("#T03_problem").waitFor();
    await expectNoSidewaysScroll(commissioner);
    await expectNoAxeViolations(commissioner);

    const editor = await signedIn("editor@example.nhs.uk", true, REFLOW_VIEWPORT);
    await editor.goto(`${server.baseURL}/consultations/radiotherapy-engagement-2016/coding`);
    await editor.getByRole("button", { name: "Apply theme" }).click();
    await editor.locator(".nhsuk-error-summary").waitFor();
    await expectNoSidewaysScroll(editor);
    await expectNoAxeViolations(editor);
  });
});
