// Annotating a published version as an editor: a problem shows beside the form, on its field,
// with everything else typed kept and focus on the summary (with and without JavaScript); the
// added annotation's quoted words are highlighted in the clause and link to the thread; a reply
// to a public thread says it will be public before it is sent.
import { afterAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { browserSession, expectNoAxeViolations, expectNoSidewaysScroll, REFLOW_VIEWPORT } from "./browser";
import { checkHtml } from "./html-checker";

const baseURL = inject("baseURL");
const session = browserSession(baseURL);
afterAll(() => session.close());

const SPEC = "/specs/adult-external-beam-radiotherapy";
const CLAUSE = "annual-work-plan";
const QUOTE = "agree an annual work plan with the commissioner";

async function signIn(javaScriptEnabled: boolean, viewport?: { width: number; height: number }): Promise<Page> {
  await session.open("/login", { javaScriptEnabled, viewport });
  const page = session.page;
  await page.getByLabel("Email address").fill("editor@example.nhs.uk");
  await page.getByLabel("Password").fill("specwork-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("Sign out").first().waitFor();
  return page;
}

/**
 * Opens the clause's "Annotate": with JavaScript the form is drawn there and then; without it
 * the details holds a link to the page that has the form, which the reader follows.
 */
async function openAnnotateForm(page: Page, javaScriptEnabled: boolean) {
  const form = page.locator(`#annotate_${CLAUSE}`);
  await form.locator("summary").click();
  if (!javaScriptEnabled) {
    await form.getByRole("link", { name: /^Write an annotation on clause / }).click();
    await page.waitForLoadState("load");
  }
  await page.locator(`#quote_${CLAUSE}`).waitFor();
}

/** Opens the clause's annotation form and fills it in, leaving the body as given. */
async function fillAnnotation(page: Page, body: string, suffix: string, javaScriptEnabled = true) {
  const form = page.locator(`#annotate_${CLAUSE}`);
  await openAnnotateForm(page, javaScriptEnabled);
  await page.locator(`#quote_${CLAUSE}`).fill(QUOTE);
  await page.locator(`#kind_${CLAUSE}`).selectOption("question");
  await form.getByLabel("Everyone (shown on public pages)").check();
  await form.getByLabel("T05 ", { exact: false }).check();
  await form.getByLabel("T06 ", { exact: false }).check();
  await page.locator(`#body_${CLAUSE}`).fill(body ? `${body} ${suffix}` : "");
  await form.getByRole("button", { name: /Add annotation/ }).click();
}

/** The error journey, the same with and without JavaScript. */
async function expectProblemBesideTheForm(page: Page) {
  const summary = page.locator(`#annotate_${CLAUSE} .nhsuk-error-summary`);
  await summary.waitFor();
  // Focus is on the summary, which sits beside the form (inside its details), not at the top.
  await expect(page.evaluate(() => document.activeElement?.closest(".nhsuk-error-summary")?.id)).resolves.toBe(`annotate-problem_${CLAUSE}`);
  await expect(page.locator(`#annotate_${CLAUSE}`).getAttribute("open")).resolves.toBe("");
  await expect(page.locator("main > .nhsuk-error-summary").count()).resolves.toBe(0);
  // And it is on the screen, however long the page (without JavaScript, a fresh page loads).
  const box = await summary.evaluate((el) => ({ top: el.getBoundingClientRect().top, height: innerHeight }));
  expect(box.top).toBeGreaterThanOrEqual(0);
  expect(box.top).toBeLessThan(box.height);
  const links = await summary.locator("a").evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
  expect(links).toEqual([["Enter your annotation", `#body_${CLAUSE}`]]);
  await expect(page.locator(`#body_${CLAUSE}-error`).textContent()).resolves.toMatch(/^Error:\s+Enter your annotation$/);
  await expect(page.locator(`#body_${CLAUSE}`).getAttribute("class")).resolves.toContain("nhsuk-textarea--error");
  // Everything else typed is still there.
  await expect(page.locator(`#quote_${CLAUSE}`).inputValue()).resolves.toBe(QUOTE);
  await expect(page.locator(`#kind_${CLAUSE}`).inputValue()).resolves.toBe("question");
  const form = page.locator(`#annotate_${CLAUSE}`);
  await expect(form.getByLabel("Everyone (shown on public pages)").isChecked()).resolves.toBe(true);
  await expect(form.locator('input[name="themes"]:checked').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value))).resolves.toEqual(["T05", "T06"]);
}

// In order: the public's test reads the annotation the first test adds.
describe("annotating version 1.0", () => {
  it("shows an empty annotation's problem beside the form, keeps the rest, then adds it with two themes and highlights its words", async () => {
    const page = await signIn(true);
    await page.goto(`${baseURL}${SPEC}/v/1.0`);
    await page.locator("h1").waitFor();
    await fillAnnotation(page, "", "");
    await expectProblemBesideTheForm(page);
    await expectNoAxeViolations(page);
    // The same problem again: focus goes back to the summary.
    await page.locator(`#annotate_${CLAUSE}`).getByRole("button", { name: /Add annotation/ }).click();
    await page.waitForFunction((id) => document.activeElement?.id === id, `annotate-problem_${CLAUSE}`);

    await page.locator(`#body_${CLAUSE}`).fill("Who signs the work plan off? (with JavaScript)");
    await page.locator(`#annotate_${CLAUSE}`).getByRole("button", { name: /Add annotation/ }).click();
    await page.locator(`[id="${CLAUSE}"] [role="status"]`, { hasText: "Your annotation is added." }).waitFor();
    await expect(page.locator(`#annotate_${CLAUSE} .nhsuk-error-summary`).count()).resolves.toBe(0);
    // The form is closed again; opened, it is empty.
    await expect(page.locator(`#annotate_${CLAUSE}`).getAttribute("open")).resolves.toBe(null);
    await openAnnotateForm(page, true);
    await expect(page.locator(`#body_${CLAUSE}`).inputValue()).resolves.toBe("");
    await expect(page.locator(`#quote_${CLAUSE}`).inputValue()).resolves.toBe("");

    // The quoted words are marked where they stand, and lead to the thread.
    const mark = page.locator(`[id="${CLAUSE}"] .sw-clause__body > p mark.sw-highlight`);
    await expect(mark.innerText()).resolves.toBe(QUOTE);
    const link = mark.locator("a");
    await expect(link.getAttribute("aria-label")).resolves.toBe(`${QUOTE} (quoted in the question from Demo Editor)`);
    await link.click();
    const thread = page.locator(`[id="${CLAUSE}"] .sw-annotation`, { hasText: "Who signs the work plan off? (with JavaScript)" });
    await expect(thread.isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => location.hash)).resolves.toMatch(/^#annotation_\d+$/);
    const meta = (await thread.locator(".sw-annotation__meta").allInnerTexts()).join(" ");
    expect(meta).toMatch(/Question from Demo Editor\s+Open\s+· Public/);
    expect(meta).toMatch(/Added on \d{1,2} \w+ \d{4} · themes: T05, T06/);
    expect(meta).not.toContain("@");

    // A reply to a public thread says so before it is sent.
    await expect(thread.locator(".sw-reply .nhsuk-hint").first().innerText()).resolves.toContain("Your reply will be shown to everyone who reads this version.");
    await thread.locator("textarea").fill("The oversight group, each April.");
    await thread.getByRole("button", { name: "Send public reply" }).click();
    await page.locator(`[id="${CLAUSE}"] [role="status"]`, { hasText: "Your reply is added. Everyone who reads this version can see it." }).waitFor();
    await expect(page.locator(`[id="${CLAUSE}"] .sw-annotation__replies`).innerText()).resolves.toMatch(/Demo Editor on \d{1,2} \w+ \d{4}: The oversight group, each April\./);
    await expect(page.locator(`[id="${CLAUSE}"] .sw-annotation__meta`, { hasText: "last reply on" }).count()).resolves.toBeGreaterThan(0);
    await expectNoAxeViolations(page);
    // The refused submission's 400 is the only complaint the browser logs.
    expect(session.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });

  it("shows the same problem beside the form without JavaScript, focus on the summary, then adds the annotation", async () => {
    const page = await signIn(false);
    await page.goto(`${baseURL}${SPEC}/v/1.0`);
    await fillAnnotation(page, "", "", false);
    await page.waitForLoadState("load");
    await expectProblemBesideTheForm(page);
    await page.locator(`#body_${CLAUSE}`).fill("Who signs the work plan off? (without JavaScript)");
    await page.locator(`#annotate_${CLAUSE}`).getByRole("button", { name: /Add annotation/ }).click();
    await page.locator(`[id="${CLAUSE}"] [role="status"]`, { hasText: "Your annotation is added." }).waitFor();
    // The fresh page brings the reader to the message beside the clause, not the top of the page.
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Your annotation is added.");
    await expect(page.locator(`[id="${CLAUSE}"] .sw-annotation`, { hasText: "(without JavaScript)" }).count()).resolves.toBe(1);
  });

  it("without JavaScript, follows the Annotate link to the form for that clause only, at 320 px, and adds an annotation through it", async () => {
    const page = await signIn(false, REFLOW_VIEWPORT);
    await page.goto(`${baseURL}${SPEC}/v/1.0`);
    // No clause's form is drawn until it is asked for; each closed "Annotate" links to its own.
    await expect(page.locator(".sw-annotate form").count()).resolves.toBe(0);
    const annotates = await page.locator(".sw-annotate").count();
    expect(annotates).toBeGreaterThan(10);
    await expect(page.locator(".sw-annotate a", { hasText: /^Write an annotation on clause / }).count()).resolves.toBe(annotates);
    const details = page.locator(`#annotate_${CLAUSE}`);
    await details.locator("summary").click();
    const link = details.getByRole("link", { name: /^Write an annotation on clause / });
    await expect(link.getAttribute("href")).resolves.toBe(`?annotate=${CLAUSE}#annotate_${CLAUSE}`);
    await link.click();
    await page.waitForLoadState("load");
    expect(new URL(page.url()).searchParams.get("annotate")).toBe(CLAUSE);

    // That clause's details is open with its form, on the screen; every other clause keeps its link.
    await expect(details.getAttribute("open")).resolves.toBe("");
    await expect(page.locator(".sw-annotate form").count()).resolves.toBe(1);
    await expect(details.locator("form").count()).resolves.toBe(1);
    await expect(page.locator(".sw-annotate a", { hasText: /^Write an annotation on clause / }).count()).resolves.toBe(annotates - 1);
    await expect(page.locator(`#quote_${CLAUSE}`).inputValue()).resolves.toBe("");
    const top = await details.evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(REFLOW_VIEWPORT.height);
    // (axe-core needs the page's timers, so it runs on this address in the next test, with JavaScript.)
    await expectNoSidewaysScroll(page);

    await page.locator(`#body_${CLAUSE}`).fill("Is the plan published? (by the link)");
    await details.getByRole("button", { name: /Add annotation/ }).click();
    await page.locator(`[id="${CLAUSE}"] [role="status"]`, { hasText: "Your annotation is added." }).waitFor();
    await expect(page.locator(`[id="${CLAUSE}"] .sw-annotation`, { hasText: "Is the plan published? (by the link)" }).count()).resolves.toBe(1);
    // As after any annotation added: the form is closed again, and empty.
    await expect(details.getAttribute("open")).resolves.toBe(null);
    await expect(page.locator(`#body_${CLAUSE}`).inputValue()).resolves.toBe("");

    // An address naming no clause asks for no form.
    await page.goto(`${baseURL}${SPEC}/v/1.0?annotate=no-such-clause`);
    await expect(page.locator(".sw-annotate form").count()).resolves.toBe(0);
    await expect(page.locator(".sw-annotate[open]").count()).resolves.toBe(0);
  });

  it("with JavaScript, hydrates an address that asks for a form (axe-core, 320 px), and draws a form when Annotate is opened, with no new page", async () => {
    const page = await signIn(true, REFLOW_VIEWPORT);
    await page.goto(`${baseURL}${SPEC}/v/1.0?annotate=${CLAUSE}#annotate_${CLAUSE}`);
    // React marks each element it hydrates; the footer is the last before the scripts.
    await page.waitForFunction(() => Object.keys(document.querySelector("footer") ?? {}).some((key) => key.startsWith("__reactFiber")), undefined, { timeout: 20_000 });
    await expect(page.locator(`#annotate_${CLAUSE}`).getAttribute("open")).resolves.toBe("");
    await expect(page.locator(".sw-annotate form").count()).resolves.toBe(1);
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);

    const other = page.locator("#annotate_network-membership");
    await expect(other.locator("form").count()).resolves.toBe(0);
    const before = page.url();
    await other.locator("summary").click();
    await page.locator("#body_network-membership").waitFor();
    await expect(other.getByRole("button", { name: /Add annotation/ }).isVisible()).resolves.toBe(true);
    expect(page.url()).toBe(before);
    expect(session.errors).toEqual([]);
  });

  it("shows the public the highlighted words and the public thread, with no form, and reflows at 320 px", async () => {
    await session.open(`${SPEC}/v/1.0`, { viewport: REFLOW_VIEWPORT });
    const page = session.page;
    const mark = page.locator(`[id="${CLAUSE}"] mark.sw-highlight`).first();
    await expect(mark.innerText()).resolves.toBe(QUOTE);
    await expect(page.locator(`#annotate_${CLAUSE}`).count()).resolves.toBe(0);
    await expect(page.locator(`[id="${CLAUSE}"] .sw-reply`).count()).resolves.toBe(0);
    // A quote carried from 0.9 whose words 1.0 no longer has is said so, in words.
    const gone = page.locator('[id="less-common-cancers"] .sw-annotations');
    await gone.locator("summary").click();
    await expect(gone.innerText()).resolves.toContain("The quoted words are no longer in this clause.");
    await expect(page.locator('[id="less-common-cancers"] mark').count()).resolves.toBe(0);
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);

    // An address naming a thread opens it, and the page hydrates without complaint.
    const href = (await page.locator('[id="travel-costs-and-accommodation"] mark.sw-highlight a').getAttribute("href"))!;
    await session.open(`${SPEC}/v/1.0${href}`);
    const named = session.page.locator(`[id="travel-costs-and-accommodation"] .sw-annotations`);
    await session.page.waitForFunction((id) => (document.getElementById(id)?.closest("details") as HTMLDetailsElement | null)?.open === true, href.slice(1));
    await expect(named.innerText()).resolves.toContain("Who arranges and pays for transport and parking");
    expect(session.errors).toEqual([]);
  });

  it("keeps the error journey inside 320 px", async () => {
    const page = await signIn(true, REFLOW_VIEWPORT);
    await page.goto(`${baseURL}${SPEC}/v/1.0`);
    await page.locator("h1").waitFor();
    await fillAnnotation(page, "", "");
    await page.locator(`#annotate_${CLAUSE} .nhsuk-error-summary`).waitFor();
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);
  });

  it("gives an editor valid HTML (W3C checker), both the page and its answer to an annotation with a problem", async () => {
    const login = await fetch(`${baseURL}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "email=editor%40example.nhs.uk&password=specwork-demo", redirect: "manual" });
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    const page = await fetch(`${baseURL}${SPEC}/v/1.0`, { headers: { Cookie: cookie } });
    const asked = await fetch(`${baseURL}${SPEC}/v/1.0?annotate=${CLAUSE}`, { headers: { Cookie: cookie } });
    const problem = await fetch(`${baseURL}${SPEC}/v/1.0`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([["intent", "annotate"], ["clauseId", CLAUSE], ["quote", QUOTE], ["kind", "comment"], ["visibility", "staff"], ["body", ""], ["themes", "T05"]]),
    });
    expect(problem.status).toBe(400);
    const documents = new Map([
      ["the version page, signed in", await page.text()],
      ["the version page asking for a clause's form", await asked.text()],
      ["the answer to an empty annotation", await problem.text()],
    ]);
    expect(documents.get("the answer to an empty annotation")).toContain("Enter your annotation");
    expect(documents.get("the version page asking for a clause's form")).toContain(`id="body_${CLAUSE}"`);
    const errors = (await checkHtml(documents)).map((m) => `${m.document}:${m.line}:${m.column}: ${m.message}`);
    expect(errors).toEqual([]);
  });
});
