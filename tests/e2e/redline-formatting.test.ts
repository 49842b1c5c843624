// The redline's marks for formatting-only changes, as a browser shows them: the HTML file uses the
// compare page's components and stylesheet, so this checks both without a second specification.
import { afterAll, describe, expect, it } from "vitest";
import { redline, redlineRows } from "~/domain/redline";
import { redlineHtml } from "~/exports/redline-html";
import { HAND_MADE } from "../unit/exports/pairs";
import { expectNoAxeViolations, launchBrowser } from "./browser";

const pair = HAND_MADE.find((p) => p.name.startsWith("formatting only"))!;
const result = redline({ version: "1", doc: pair.from }, { version: "2", doc: pair.to });
const html = redlineHtml({ title: "Sample", redline: result, rows: redlineRows(result, pair.from, pair.to), stylesheetPath: "app/styles/specwork.css" });
const browser = launchBrowser();
afterAll(async () => (await browser).close());

async function open(width: number, javaScriptEnabled: boolean) {
  const context = await (await browser).newContext({ viewport: { width, height: 900 }, javaScriptEnabled });
  const page = await context.newPage();
  await page.setContent(html);
  return page;
}

describe("formatting changes in a browser", () => {
  it("are marked by a dotted underline, not colour alone, and named for screen readers", async () => {
    const page = await open(1200, false);
    const mark = page.locator("#c_f .sw-format-change").first();
    await expect(mark.evaluate((el) => [getComputedStyle(el).textDecorationLine, getComputedStyle(el).textDecorationStyle])).resolves.toEqual(["underline", "dotted"]);
    await expect(mark.textContent()).resolves.toBe("[formatting changed: must]");
    await expect(page.locator("#c_f .sw-format-note").innerText()).resolves.toContain("“must”: no longer bold, now in italics.");
    await page.context().close();
  });

  it("read at 320 px wide without sideways scrolling, and pass axe-core", async () => {
    const page = await open(320, true);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(320);
    await expectNoAxeViolations(page);
    await page.context().close();
  });
});
