import { readFileSync } from "node:fs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { parseSpec } from "~/domain/source/parse";
import { lines, readDocx } from "../unit/exports/docx-text";
import { versionLines } from "../unit/exports/readings";
import { browserSession, expectNoAxeViolations, settledTop } from "./browser";

const baseURL = inject("baseURL");
const SPEC = "/specs/adult-external-beam-radiotherapy";
const session = browserSession(baseURL);
const sample = (version: string) => {
  const parsed = parseSpec(new Uint8Array(readFileSync(`specs/adult-external-beam-radiotherapy/${version}.md`)));
  if (!parsed.ok) throw new Error("sample did not parse");
  return parsed.source.doc;
};
afterAll(() => session.close());

describe("comparing two versions", () => {
  it("starts from the form on the specification's page and shows the summary and the list of changes", async () => {
    await session.open(SPEC);
    const page = session.page;
    await page.getByLabel("Older version").selectOption("0.9");
    await page.getByLabel("Newer version").selectOption("1.0");
    await page.getByRole("button", { name: "Compare" }).click();
    await page.waitForURL(`${baseURL}${SPEC}/compare/0.9...1.0`);
    await expect(page.locator("h1").innerText()).resolves.toBe("Changes from version 0.9 to 1.0");
    // The list of changes is folded away, so that the first change is on a phone's first screen.
    await page.locator(".sw-change-details summary").click();
    const summary = await page.locator(".sw-summary__item").allInnerTexts();
    expect(summary.map((s) => s.replace(/\s+/g, " "))).toEqual(["Changed 25", "New 4", "Removed 1", "Moved 1", "Only the number changed 12", "Not changed 69"]);
    await expect(page.locator(".sw-change-list li").count()).resolves.toBe(31);
    const third = await page.locator(".sw-change-list li").nth(2).textContent();
    expect(third!.replace(/\s+/g, " ")).toBe("1.1.5 National context: Demand for radiotherapy will continue to grow as the population… Changed Number changed from 1.1.4");
    await expectNoAxeViolations(page);
    expect(session.errors).toEqual([]);
  });

  it("marks insertions and deletions with words for screen readers and without relying on colour", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0`);
    const page = session.page;
    const clause = page.locator('[id="c_less-common-cancers"]');
    await expect(clause.locator("del").first().textContent()).resolves.toMatch(/^\[deleted: must be delivered by subspecialist teams/);
    await expect(clause.locator("ins").first().textContent()).resolves.toMatch(/^\[inserted: will be planned with the advice/);
    const decoration = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).textDecorationLine);
    await expect(decoration('[id="c_less-common-cancers"] ins')).resolves.toContain("underline");
    await expect(decoration('[id="c_less-common-cancers"] del')).resolves.toContain("line-through");
    // The old and new numbers of a renumbered clause.
    await expect(page.locator('[id="c_operating-hours"] .sw-clause__number').textContent()).resolves.toBe("Clause was 3.2.15 → now 6.3Moved");
  });

  it("moves from change to change with the keyboard alone", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0`);
    const page = session.page;
    // Tab to the first "Next change" link, as a keyboard user would.
    let found = false;
    for (let i = 0; i < 120 && !found; i++) {
      await page.keyboard.press("Tab");
      found = (await page.evaluate(() => document.activeElement?.textContent)) === "Next change";
    }
    expect(found).toBe(true);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${baseURL}${SPEC}/compare/0.9...1.0#c_access-to-radiotherapy`);
    expect(await settledTop(page, '[id="c_access-to-radiotherapy"]')).toBeLessThan(100);
    // Tabbing on continues from the change we moved to.
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press("Tab");
      if ((await page.evaluate(() => document.activeElement?.textContent)) === "Next change") break;
    }
    await page.keyboard.press("Enter");
    await page.waitForURL(`${baseURL}${SPEC}/compare/0.9...1.0#c_growth-in-demand`);
    // A link in the list of changes jumps to its change.
    await page.locator(".sw-change-details summary").click();
    await page.locator(".sw-change-list").getByRole("link", { name: /^3\.1\.2 Aims and objectives: Networks will concentrate/ }).click();
    await page.waitForURL(/#c_aim-concentrate-expertise$/);
    await expect(page.locator('[id="c_aim-concentrate-expertise"]').innerText()).resolves.toContain("Removed");
  });

  it("shows the whole document with changes marked, and reads without JavaScript", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0?view=all`, { javaScriptEnabled: false });
    const page = session.page;
    await expect(page.locator(".sw-redline .sw-clause").count()).resolves.toBe(76);
    // Every unchanged section and clause is shown too (the summary's 69).
    await expect(page.locator(".sw-redline__item--unchanged").count()).resolves.toBe(69);
    await expect(page.locator('[aria-current="page"]').innerText()).resolves.toBe("Whole document");
    // axe-core needs JavaScript, so it checks the same page in a second, ordinary session.
    await session.open(`${SPEC}/compare/0.9...1.0?view=all`);
    await expectNoAxeViolations(session.page);
  });

  it("prints on A4 without the navigation links", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0`);
    const page = session.page;
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".sw-change-nav").first().evaluate((el) => getComputedStyle(el).display)).resolves.toBe("none");
    await expect(page.locator(".nhsuk-header").evaluate((el) => getComputedStyle(el).display)).resolves.toBe("none");
    // The list of changes is folded on screen but printed in full.
    await expect(page.locator(".sw-change-list li").first().isVisible()).resolves.toBe(true);
    const pdf = await page.pdf({ format: "A4", printBackground: false });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThan(3);
  });

  it("downloads a Word file whose accepted changes give version 1.0 and rejected ones 0.9", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0`);
    const page = session.page;
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Word document with tracked changes/ }).click()]);
    expect(download.suggestedFilename()).toBe("adult-external-beam-radiotherapy-0.9-to-1.0.docx");
    const bytes = new Uint8Array(readFileSync((await download.path())!));
    const accepted = lines(readDocx(bytes, "accept"));
    const rejected = lines(readDocx(bytes, "reject"));
    const itSupport = readFileSync("specs/adult-external-beam-radiotherapy/1.0.md", "utf8").match(/^\{#network-it-support\} (.*)$/m)![1];
    expect(accepted).toContain(`3.6.5\t${itSupport}`);
    expect(rejected.some((p) => p.startsWith("3.1.2\t"))).toBe(true);
    expect(accepted.some((p) => p.startsWith("3.1.2\tAims"))).toBe(false);
    // Paragraph by paragraph, in order: the title and what it compares, the version, a closing line.
    expect(accepted.slice(2, -1)).toEqual(versionLines(sample("1.0")));
    expect(rejected.slice(2, -1)).toEqual(versionLines(sample("0.9")));
  });

  it("refuses a version that does not exist, and the same version twice, with reasons", async () => {
    let response = await session.open(`${SPEC}/compare/0.9...7.0`);
    expect(response.status()).toBe(404);
    await expect(session.page.locator("main").innerText()).resolves.toContain("has no published version “7.0”.");
    response = await session.open(`${SPEC}/compare?from=1.0&to=1.0`);
    expect(response.status()).toBe(400);
    await expect(session.page.locator("main").innerText()).resolves.toContain("You chose version 1.0 twice.");
    await expectNoAxeViolations(session.page);
  });
});

describe("a clause's history", () => {
  it("is linked from the clause and shows the clause in every version with what changed", async () => {
    await session.open(`${SPEC}/v/1.0`);
    const page = session.page;
    await page.getByRole("link", { name: "History of clause 3.2.9" }).click();
    await page.waitForURL(`${baseURL}${SPEC}/clauses/less-common-cancers`);
    await expect(page.locator("h1").innerText()).resolves.toBe("History of clause 3.2.9");
    const steps = page.locator(".sw-timeline__item");
    await expect(steps.count()).resolves.toBe(2);
    await expect(steps.nth(0).innerText()).resolves.toContain("First published in this version");
    await expect(steps.nth(1).innerText()).resolves.toContain("Reworded");
    await expect(steps.nth(1).locator("del").first().textContent()).resolves.toContain("centralise radical treatment");
    await expect(steps.nth(1).locator(".sw-why").innerText()).resolves.toMatch(/^Why: The requirement to centralise[\s\S]*In response to: T01 Travel and access, T03 Keeping services local$/);
    await expectNoAxeViolations(page);
    await steps.nth(0).getByRole("link", { name: "Clause 3.2.9 in version 0.9" }).click();
    await page.waitForURL(`${baseURL}${SPEC}/v/0.9#less-common-cancers`);
  });

  it("says when a clause was removed, and answers 404 for a clause no version has", async () => {
    await session.open(`${SPEC}/clauses/aim-concentrate-expertise`);
    const removed = session.page.locator(".sw-timeline__item").nth(1);
    await expect(removed.innerText()).resolves.toMatch(/^Version 1\.0 – Consultation draft[\s\S]*Removed in this version/);
    await expect(removed.locator("del").first().textContent()).resolves.toContain("concentrate");
    await expect(removed.getByRole("link", { name: /in version 1\.0/ }).count()).resolves.toBe(0);
    await expect(removed.locator(".sw-why").innerText()).resolves.toContain("In response to: T01 Travel and access, T03 Keeping services local");
    const response = await session.open(`${SPEC}/clauses/no-such-clause`);
    expect(response.status()).toBe(404);
  });
});

describe("following a theme", () => {
  it("takes a newcomer from theme T01 to the clauses changed for it and why", async () => {
    await session.open("/");
    const page = session.page;
    await page.getByRole("link", { name: "Themes" }).click();
    await page.waitForURL(`${baseURL}/themes`);
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: "T01 Travel and access" }).click();
    await page.waitForURL(`${baseURL}/themes/T01`);
    await expect(page.locator("h1").innerText()).resolves.toBe("Travel and access");
    // What the engagement's responses said, from its published report, then the annotations.
    await expect(page.getByRole("region", { name: /In the engagement that closed/ }).innerText()).resolves.toMatch(/\d+ responses/);
    await expect(page.locator(".sw-said").filter({ hasText: "Several people said that" }).innerText()).resolves.toContain("Several people said that moving radical treatment");
    const changes = page.locator(".sw-did__item");
    await expect(changes.count()).resolves.toBe(7);
    await expect(changes.filter({ hasText: "Clause 3.2.9 of version 1.0" }).innerText()).resolves.toContain("Why: The requirement to centralise radical treatment of less common cancers is replaced");
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: "Clause 3.2.9 of version 1.0 (Consultation draft)" }).click();
    await page.waitForURL(`${baseURL}${SPEC}/clauses/less-common-cancers`);
    await expect(page.locator("h1").innerText()).resolves.toBe("History of clause 3.2.9");
  });

  it("shows each theme's response beside the redline, and themes that led to no change", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0`);
    const page = session.page;
    await expect(page.locator('[id="c_less-common-cancers"] .sw-why').innerText()).resolves.toMatch(/Why: The requirement to centralise[\s\S]*In response to: T01 Travel and access, T03 Keeping services local/);
    await page.getByRole("link", { name: /You said, we did/ }).click();
    await page.waitForURL(`${baseURL}${SPEC}/compare/0.9...1.0/themes`);
    await expect(page.locator("h1").innerText()).resolves.toBe("You said, we did");
    await expect(page.locator('[id="theme_T05"]').innerText()).resolves.toBe("T05 Network governance");
    await expect(page.locator('[aria-labelledby="theme_T08"]').innerText()).resolves.toMatch(/^T08 Equipment modernisation[\s\S]*We did\s+No change: the equipment clauses already require/);
    await expectNoAxeViolations(page);
    const csv = await page.request.get(`${baseURL}${SPEC}/compare/0.9...1.0/themes.csv`);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect((await csv.text()).split("\r\n")[0]).toBe("theme,theme title,clause id,old number,new number,what changed and why,responses that raised it,what people said,who said it");
  });
});

describe("annotations on a published version", () => {
  it("shows the public its public annotations under their clauses, and never staff ones", async () => {
    await session.open(`${SPEC}/v/0.9`);
    const page = session.page;
    const thread = page.locator('[id="less-common-cancers"] .sw-annotations');
    await thread.locator("summary").click();
    await expect(thread.innerText()).resolves.toContain("Several people said that moving radical treatment");
    await expect(thread.innerText()).resolves.toContain("T01");
    await expect(page.locator("main").innerText()).resolves.not.toContain("without image transfer");
    await expect(page.locator(".sw-annotations").count()).resolves.toBe(3);
    await expectNoAxeViolations(page);
  });

  it("moves from a clause to its annotations and back with the keyboard alone", async () => {
    await session.open(`${SPEC}/v/0.9#host-provider`);
    const page = session.page;
    await page.locator('[id="host-provider"] .sw-clause__number').focus();
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("History of clause 3.6.2");
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("1 annotation on clause 3.6.2");
    await page.keyboard.press("Enter");
    await expect(page.locator('[id="host-provider"] .sw-annotations').getAttribute("open")).resolves.toBe("");
    await expect(page.locator('[id="host-provider"] .sw-annotations').innerText()).resolves.toContain("Who is accountable for the network");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Clause 3.6.2");
  });
});

describe("annotations carried to a later version", () => {
  it("places earlier annotations on 1.0 where their words went, highlighted, and says when their words are gone", async () => {
    await session.open(`${SPEC}/v/1.0`);
    const page = session.page;
    const moved = page.locator('[id="travel-costs-and-accommodation"] .sw-annotations');
    await moved.locator("summary").click();
    await expect(moved.innerText()).resolves.toContain("made on version 0.9");
    await expect(moved.innerText()).resolves.toContain("Who arranges and pays for transport and parking");
    // Its quoted words are highlighted where they went.
    await expect(page.locator('[id="travel-costs-and-accommodation"] mark.sw-highlight').innerText()).resolves.toBe("help with travel costs");
    // A thread whose words are gone stays on its clause, and says so.
    const gone = page.locator('[id="less-common-cancers"] .sw-annotations');
    await gone.locator("summary").click();
    await expect(gone.innerText()).resolves.toMatch(/Comment from Engagement event, Leeds[\s\S]*centralise radical treatment of these cancers\s+The quoted words are no longer in this clause\./);
    await expect(page.locator("#sw_orphaned").count()).resolves.toBe(0);
    await expect(page.locator("main").innerText()).resolves.not.toContain("without image transfer");
    await expectNoAxeViolations(page);
  });
});
