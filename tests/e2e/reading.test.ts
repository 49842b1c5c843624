import { readFileSync } from "node:fs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { browserSession, expectNoAxeViolations, settledTop as topOf } from "./browser";

const baseURL = inject("baseURL");
const SLUG = "adult-external-beam-radiotherapy";
const TITLE = "Adult external beam radiotherapy services delivered as part of a radiotherapy network";

const session = browserSession(baseURL);
afterAll(() => session.close());
let page = session.page;
let errors = session.errors;

async function open(path: string, options: { javaScriptEnabled?: boolean } = {}) {
  const response = await session.open(path, options);
  page = session.page;
  errors = session.errors;
  return response;
}

const clauseNumber = (id: string) => page.locator(`[id="${id}"] .sw-clause__number`).textContent();
const settledTop = (selector: string) => topOf(page, selector);

describe("the list of specifications", () => {
  it("shows the radiotherapy specification with its reference and latest published version", async () => {
    const response = await open("/");
    expect(response.status()).toBe(200);
    await expect(page.locator("h1").innerText()).resolves.toBe("Service specifications");
    const row = page.locator("tbody tr", { hasText: TITLE });
    await expect(row.locator("td").allInnerTexts()).resolves.toEqual([TITLE, "SAMPLE-RT-0001S", "Version 1.0 – Consultation draft", "18 October 2017"]);
    await row.getByRole("link", { name: TITLE }).click();
    await page.waitForURL(`${baseURL}/specs/${SLUG}`);
    await expectNoAxeViolations(page);
    expect(errors).toEqual([]);
  });
});

describe("a specification's version timeline", () => {
  it("lists published versions newest first with label, status and date, each linked, and no hash", async () => {
    await open(`/specs/${SLUG}`);
    await expect(page.locator("h1").innerText()).resolves.toBe(TITLE);
    const items = page.locator(".sw-timeline__item");
    await expect(items.count()).resolves.toBe(2);
    const first = await items.nth(0).innerText();
    const second = await items.nth(1).innerText();
    expect(first).toMatch(/Version 1\.0 – Consultation draft\s+Published · dated 18 October 2017 · 75 clauses\s+What changed from version 0\.9 to 1\.0/);
    expect(second).toMatch(/Version 0\.9 – Engagement draft\s+Superseded · dated 28 October 2016 · 72 clauses$/);
    expect(`${first}${second}`).not.toMatch(/hash|[0-9a-f]{10}/);
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: "Version 0.9 – Engagement draft" }).click();
    await page.waitForURL(`${baseURL}/specs/${SLUG}/v/0.9`);
    await expect(page.locator(".sw-clause").count()).resolves.toBe(72);
    expect(errors).toEqual([]);
  });
});

describe("a version page", () => {
  it("shows the engagement draft as a correctly numbered specification", async () => {
    await open(`/specs/${SLUG}/v/0.9`);
    const header = await page.locator(".sw-header-table tr").allInnerTexts();
    expect(header.map((row) => row.replace(/\s+/g, " ").trim())).toEqual([
      "Specification number SAMPLE-RT-0001S",
      `Service ${TITLE}`,
      "Version 0.9 – Engagement draft",
      "Status Superseded",
      "Date 28 October 2016",
      "Clauses 72",
    ]);
    // The content hash is folded into "Check this version", explained in plain words.
    const check = page.locator("details.sw-check-version");
    await expect(check.locator("summary").innerText()).resolves.toBe("Check this version");
    await check.locator("summary").click();
    await expect(check.innerText()).resolves.toMatch(/fingerprint[\s\S]*Fingerprint of version 0\.9\s+sha256:[0-9a-f]{64}/);
    await expect(page.locator(".sw-clause").count()).resolves.toBe(72);
    await expect(page.locator(".sw-superseded").innerText()).resolves.toContain("This version has been replaced. The latest is version 1.0 – Consultation draft.");
    // The numbers of the theme register (domain brief) for the engagement draft.
    expect(await clauseNumber("access-to-advanced-techniques")).toBe("Clause 1.1.3");
    expect(await clauseNumber("less-common-cancers")).toBe("Clause 3.2.9");
    expect(await clauseNumber("travel-transport-accommodation")).toBe("Clause 3.2.20");
    expect(await clauseNumber("core-and-developmental-standards")).toBe("Clause 4.4");
    expect(await clauseNumber("member-sites")).toBe("Clause 6.1");
    expect(await clauseNumber("glossary-terms")).toBe("Clause A.1");
    await expect(page.locator('[id="glossary"]').innerText()).resolves.toBe("Appendix A Glossary");
    await expect(page.locator('[id="care-pathway"]').innerText()).resolves.toBe("3.2 Service description and care pathway");
    await expectNoAxeViolations(page);
    expect(errors).toEqual([]);
  });

  it("numbers the revised draft after its inserted clause and moved clause", async () => {
    await open(`/specs/${SLUG}/v/1.0`);
    await expect(page.locator(".sw-clause").count()).resolves.toBe(75);
    expect(await clauseNumber("access-to-radiotherapy")).toBe("Clause 1.1.3");
    expect(await clauseNumber("access-to-advanced-techniques")).toBe("Clause 1.1.4");
    expect(await clauseNumber("operating-hours")).toBe("Clause 6.3");
    await expect(page.locator('[id="role-of-radiotherapy"] ol > li').count()).resolves.toBe(5);
  });

  it("has contents links that land on their sections, and clause anchors that land on their clauses", async () => {
    await open(`/specs/${SLUG}/v/0.9`);
    const link = page.locator(".sw-contents").getByRole("link", { name: "3.6 Network arrangements" });
    await link.click();
    await page.waitForURL(`${baseURL}/specs/${SLUG}/v/0.9#network-arrangements`);
    await expect(page.locator('[id="network-arrangements"]').isVisible()).resolves.toBe(true);
    const headingTop = await settledTop('[id="network-arrangements"]');
    expect(headingTop).toBeGreaterThanOrEqual(0);
    expect(headingTop).toBeLessThan(100);

    await page.goto(`${baseURL}/specs/${SLUG}/v/0.9#host-provider`);
    const clause = page.locator('[id="host-provider"]');
    const top = await settledTop('[id="host-provider"]');
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(100);
    await expect(clause.evaluate((el) => el.matches(":target"))).resolves.toBe(true);
    await expect(clause.innerText()).resolves.toContain("3.6.2");

    // Each clause's own number is the link to it.
    await page.locator('[id="oversight-group"] .sw-clause__number').click();
    await page.waitForURL(`${baseURL}/specs/${SLUG}/v/0.9#oversight-group`);
    expect(await settledTop('[id="oversight-group"]')).toBeLessThan(100);

    // Back returns to the previous clause, in view.
    await page.goBack();
    await page.waitForURL(`${baseURL}/specs/${SLUG}/v/0.9#host-provider`);
    const back = await settledTop('[id="host-provider"]');
    expect(back).toBeGreaterThanOrEqual(0);
    expect(back).toBeLessThan(100);
  });

  it("reads fully without JavaScript", async () => {
    await open(`/specs/${SLUG}/v/0.9`, { javaScriptEnabled: false });
    await expect(page.locator(".sw-clause").count()).resolves.toBe(72);
    await expect(page.locator('[id="less-common-cancers"]').innerText()).resolves.toContain("less common cancers");
    await expect(page.locator(".sw-contents a").count()).resolves.toBeGreaterThan(20);
  });

  it("offers the version as a source file that is the same as the file in specs/", async () => {
    await open(`/specs/${SLUG}/v/0.9`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Download this version as a source file/ }).click()]);
    expect(download.suggestedFilename()).toBe(`${SLUG}-0.9.md`);
    const response = await page.request.get(`${baseURL}/specs/${SLUG}/v/0.9.md`);
    expect(response.headers()["content-type"]).toBe("text/markdown; charset=utf-8");
    expect(await response.text()).toBe(readFileSync(`specs/${SLUG}/0.9.md`, "utf8"));
  });

  it("starts with a skip link to the main content", async () => {
    await open(`/specs/${SLUG}/v/0.9`);
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Skip to main content");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#sw_main$/);
  });
});

describe("pages that do not exist", () => {
  it("says which specification was not found and links back to the list", async () => {
    const response = await open("/specs/no-such-specification");
    expect(response.status()).toBe(404);
    await expect(page.locator("h1").innerText()).resolves.toBe("Page not found");
    await expect(page.locator("main").innerText()).resolves.toContain("There is no specification called “no-such-specification”.");
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: "Go to the list of specifications" }).click();
    await page.waitForURL(`${baseURL}/`);
  });

  it("says which version was not found and links to the specification's versions", async () => {
    const response = await open(`/specs/${SLUG}/v/9.9`);
    expect(response.status()).toBe(404);
    await expect(page.locator("main").innerText()).resolves.toContain(`${TITLE} has no published version “9.9”.`);
    await page.getByRole("link", { name: "See the versions of this specification" }).click();
    await page.waitForURL(`${baseURL}/specs/${SLUG}`);
  });

  it("answers unknown addresses and unknown source files with 404", async () => {
    expect((await open("/no/such/page")).status()).toBe(404);
    await expect(page.title()).resolves.toBe("Page not found – Specwork");
    await expect(page.locator("main").innerText()).resolves.toContain("There is no page at /no/such/page.");
    const file = await page.request.get(`${baseURL}/specs/${SLUG}/v/9.9.md`);
    expect(file.status()).toBe(404);
  });
});
