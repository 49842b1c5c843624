// A patient on a phone reads what changed from 0.9 to 1.0 and why; every public page about a
// revision speaks plain English, with no internal ids, hashes or jargon.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { browserSession, expectNoAxeViolations, expectNoSidewaysScroll, REFLOW_VIEWPORT } from "./browser";
import { SPEC } from "./public-pages";
import { startServer } from "./server";

const baseURL = inject("baseURL");
const session = browserSession(baseURL);
afterAll(() => session.close());

const PHONE = { width: 375, height: 812 };
const SUMMARY = (JSON.parse(readFileSync("specs/adult-external-beam-radiotherapy/responses-1.0.json", "utf8")) as { summary: string }).summary;
// The seed's internal ids (those with a hyphen: the others, such as "scope", are ordinary words).
const IDS = [...new Set(["0.9", "1.0"].flatMap((v) => [...readFileSync(`specs/adult-external-beam-radiotherapy/${v}.md`, "utf8").matchAll(/\{#([a-z0-9-]+)/g)].map((m) => m[1]!)))].filter((id) => id.includes("-"));
/** An id standing as a word of its own: "evidence-base" is not in "evidence-based". */
const asWord = (id: string) => new RegExp(`(^|[^a-z0-9-])${id}($|[^a-z0-9-])`);
const JARGON = [/sha256/i, /\b[0-9a-f]{10,}\b/, /content hash/i, /\bRenumbered\b/i, /\bOrphaned\b/i, /\bmodified\b/i, /\bunchanged\b/i];

/** What a reader can read on the page with every fold opened, apart from "Check this version". */
async function readableText(page: Page): Promise<string> {
  return page.evaluate(() => {
    for (const details of document.querySelectorAll("details")) {
      if (details.classList.contains("sw-check-version")) details.remove();
      else details.open = true;
    }
    return (document.querySelector("main") as HTMLElement).innerText;
  });
}

describe("a patient reading 0.9...1.0 on a 375 px phone", () => {
  it("sees the revision's summary and the first change on the first screen, with a Back link instead of breadcrumbs", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0`, { viewport: PHONE });
    const page = session.page;
    const inBrief = page.locator(".sw-revision-summary");
    await expect(inBrief.innerText()).resolves.toBe(`In brief: ${SUMMARY}`);
    const summaryBox = (await inBrief.boundingBox())!;
    expect(summaryBox.y + summaryBox.height).toBeLessThan(PHONE.height);
    // The first change: its number, what happened to it, and its first words are on the first screen.
    const first = page.locator(".sw-redline .sw-clause, .sw-redline .sw-redline__section").first();
    const words = (await first.locator(".sw-redline__text, .sw-redline__heading").first().boundingBox())!;
    expect(words.y + 24).toBeLessThan(PHONE.height);
    await expect(page.locator(".nhsuk-back-link").isVisible()).resolves.toBe(true);
    // It names the specification, so that the phone shows which one this is.
    await expect(page.locator(".nhsuk-back-link").evaluate((a) => a.textContent!.replace(/\s+/g, " ").trim())).resolves.toBe("Back to Adult external beam radiotherapy services delivered as part of a radiotherapy network");
    await expect(page.locator(".nhsuk-breadcrumb__list").isVisible()).resolves.toBe(false);
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);
    expect(session.errors).toEqual([]);
  });

  it("opens the list of changes, finds each change by number, heading and first words, and reads why it was made", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0`, { viewport: PHONE });
    const page = session.page;
    await expect(page.locator(".sw-change-list").isVisible()).resolves.toBe(false);
    await page.getByText("List of all 31 changes").click();
    const links = await page.locator(".sw-change-list li a").allInnerTexts();
    expect(links).toHaveLength(31);
    // "3.2.9 Service description and care pathway: Radical radiotherapy for less common cancers…"
    for (const name of links) expect(name).toMatch(/^(Appendix )?[A-Z0-9]+(\.\d+)* [A-Z].{10,}/);
    for (const name of links) for (const id of IDS) expect(name).not.toMatch(asWord(id));
    const tags = await page.locator(".sw-change-list li").allInnerTexts();
    expect(tags.join("\n")).toMatch(/Moved from 3\.2\.15/);
    expect(tags.join("\n")).toMatch(/Number changed from 1\.1\.4/);
    expect(tags.join("\n")).not.toMatch(/Renumbered|Unchanged|modified/);
    await page.getByRole("link", { name: /^3\.2\.9 Service description and care pathway: / }).click();
    await page.waitForURL(/#c_less-common-cancers$/);
    const change = page.locator('[id="c_less-common-cancers"]');
    await expect(change.locator(".sw-why").innerText()).resolves.toMatch(/^Why: The requirement to centralise radical treatment[\s\S]*In response to: T01 Travel and access, T03 Keeping services local/);
    // Every change says why, or why it needs no reason.
    const whys = await page.locator(".sw-redline .sw-why").allInnerTexts();
    expect(whys).toHaveLength(31);
    for (const why of whys) expect(why).toMatch(/^Why: \S/);
    expect(whys.filter((w) => w.includes("No reason was recorded"))).toEqual([]);
    await expectNoAxeViolations(page);
  });

  it("finds the fingerprints of both versions in “Check these versions”, explained in plain words", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0`, { viewport: PHONE });
    const check = session.page.locator("details.sw-check-version");
    await check.locator("summary").click();
    await expect(check.innerText()).resolves.toMatch(/^Check these versions\s+Each published version has a fingerprint[\s\S]*Fingerprint of version 0\.9\s+sha256:[0-9a-f]{64}\s+Fingerprint of version 1\.0\s+sha256:[0-9a-f]{64}$/);
    await expectNoSidewaysScroll(session.page);
  });
});

describe("“you said, we did” on a phone", () => {
  it("lists each theme with what we did, links each to its change, and shows each change once, linking back", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0/themes`, { viewport: PHONE });
    const page = session.page;
    await expect(page.locator(".nhsuk-back-link").evaluate((a) => a.textContent!.replace(/\s+/g, " ").trim())).resolves.toBe("Back to Changes from 0.9 to 1.0");
    const changes = page.locator(".sw-did__item");
    const names = await changes.locator("h3").allInnerTexts();
    expect(names.length).toBeGreaterThan(10);
    expect(new Set(names).size).toBe(names.length);
    // Each redline once: as many as there are changes, though most changes answer several themes.
    await expect(page.locator(".sw-redline__text").count()).resolves.toBe(names.length);
    const travel = page.locator('[aria-labelledby="theme_T01"]');
    await travel.getByRole("link", { name: /^3\.2\.9 Service description and care pathway/ }).click();
    await page.waitForURL(/#change_less-common-cancers$/);
    const item = page.locator(".sw-did__item", { has: page.locator('[id="change_less-common-cancers"]') });
    await expect(item.locator(".sw-why").innerText()).resolves.toMatch(/^Why: The requirement to centralise[\s\S]*Answers: T01 Travel and access, T03 Keeping services local$/);
    await item.getByRole("link", { name: "T03 Keeping services local" }).click();
    await page.waitForURL(/#theme_T03$/);
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);
  });
});

describe("public pages about a revision, in plain English", () => {
  const pages = [
    `${SPEC}`,
    `${SPEC}/v/0.9`,
    `${SPEC}/v/1.0`,
    `${SPEC}/compare/0.9...1.0`,
    `${SPEC}/compare/0.9...1.0?view=all`,
    `${SPEC}/compare/0.9...1.0/themes`,
    `${SPEC}/clauses/less-common-cancers`,
    `${SPEC}/clauses/aim-concentrate-expertise`,
    `${SPEC}/clauses/workforce-and-training`,
    "/themes",
    "/themes/T01",
    "/consultations/radiotherapy-engagement-2016/report",
  ];

  it.each(pages)("%s shows no internal id, hash or jargon, with every fold opened", async (path) => {
    await session.open(path, { viewport: REFLOW_VIEWPORT });
    const text = await readableText(session.page);
    for (const id of IDS) expect(text, `${path} shows the id ${id}`).not.toMatch(asWord(id));
    for (const word of JARGON) expect(text, `${path} says ${word}`).not.toMatch(word);
  });

  it("keeps the ids, statuses and hashes in the redline data (format §2), which is a contract", async () => {
    const response = await fetch(`${baseURL}${SPEC}/compare/0.9...1.0.json`);
    const redline = await response.json();
    expect(redline.from.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(redline.items.find((i: { id: string }) => i.id === "less-common-cancers")).toMatchObject({ kind: "clause", status: "modified" });
    expect(Object.keys(redline.summary)).toEqual(["inserted", "deleted", "modified", "moved", "renumbered", "unchanged"]);
  });

  it("says on a clause's history why a clause whose number alone changed has no reason", async () => {
    await session.open(`${SPEC}/clauses/workforce-and-training`, { viewport: PHONE });
    const step = session.page.locator(".sw-timeline__item").nth(1);
    await expect(step.innerText()).resolves.toMatch(/No change to the wording · number changed from 3\.2\.17[\s\S]*Why: Only its number changed, because a clause before it was moved elsewhere\./);
    await expect(session.page.locator(".nhsuk-back-link").isVisible()).resolves.toBe(true);
    await expectNoAxeViolations(session.page);
  });
});

describe("reasons that travel, in the browser", () => {
  // A library with a later version 1.1 published after 1.0, as a new database would load it.
  const LATER_REASON = "Subspecialist advice is now given within two working days, as people asked in the 2017 consultation.";
  const LATER_SUMMARY = "Faster advice from subspecialist teams for less common cancers.";
  let server: Awaited<ReturnType<typeof startServer>>;
  let later: ReturnType<typeof browserSession>;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-specs-"));
    cpSync("specs", dir, { recursive: true });
    const folder = path.join(dir, "adult-external-beam-radiotherapy");
    const v10 = readFileSync(path.join(folder, "1.0.md"), "utf8");
    writeFileSync(path.join(folder, "1.0.md"), v10.replace("\nstatus: published\n", "\nstatus: superseded\n"));
    const v11 = v10
      .replace("\nversion: 1.0\n", "\nversion: 1.1\n")
      .replace("\nlabel: Consultation draft\n", "\nlabel: Final\n")
      .replace("\ndate: 2017-10-18\n", "\ndate: 2018-03-01\n")
      .replace(/^(\{#less-common-cancers\} .*)$/m, "$1 Subspecialist advice is given within two working days.");
    writeFileSync(path.join(folder, "1.1.md"), v11);
    writeFileSync(path.join(folder, "responses-1.1.json"), JSON.stringify({ slug: "adult-external-beam-radiotherapy", version: "1.1", summary: LATER_SUMMARY, changes: [{ clauseId: "less-common-cancers", themes: ["T01", "T09"], rationale: LATER_REASON }] }));
    server = await startServer({ SPECS_DIR: dir });
    later = browserSession(server.baseURL);
  });
  afterAll(async () => {
    await later?.close();
    await server?.stop();
  });

  it("comparing 0.9 with 1.1 shows each revision's summary, and 1.0's reason beside 1.1's, each with its version", async () => {
    await later.open(`${SPEC}/compare/0.9...1.1`, { viewport: PHONE });
    const page = later.page;
    await expect(page.locator(".sw-revision-summary").innerText()).resolves.toMatch(new RegExp(`^In brief\\s+Version 1\\.0 – Consultation draft \\(18 October 2017\\)\\s+${SUMMARY.slice(0, 40)}[\\s\\S]*Version 1\\.1 – Final \\(1 March 2018\\)\\s+${LATER_SUMMARY}$`));
    const why = await page.locator('[id="c_less-common-cancers"] .sw-why').innerText();
    expect(why).toMatch(/^Why:\s+In version 1\.0: The requirement to centralise radical treatment[\s\S]*In response to: T01 Travel and access, T03 Keeping services local\s+In version 1\.1: Subspecialist advice is now given within two working days/);
    // A clause only 1.0 changed keeps 1.0's reason.
    await expect(page.locator('[id="c_host-provider"] .sw-why').innerText()).resolves.toMatch(/^Why:\s+In version 1\.0: Each network has a host provider/);
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);
    expect(later.errors).toEqual([]);
  });

  it("keeps 1.0's reasons on “you said, we did” for 0.9...1.1, each change still shown once", async () => {
    await later.open(`${SPEC}/compare/0.9...1.1/themes`, { viewport: PHONE });
    const page = later.page;
    const item = page.locator(".sw-did__item", { has: page.locator('[id="change_less-common-cancers"]') });
    await expect(item.locator(".sw-why").allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^Why, in version 1\.0: The requirement to centralise/),
      expect.stringMatching(/^Why, in version 1\.1: Subspecialist advice[\s\S]*Answers: T01 Travel and access, T09 /),
    ]);
    const names = await page.locator(".sw-did__item h3").allInnerTexts();
    expect(new Set(names).size).toBe(names.length);
    await expectNoAxeViolations(page);
  });
});
