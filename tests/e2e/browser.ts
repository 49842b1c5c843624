// Chromium for the browser tests: Debian's package, headless, with no background networking.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import { CHROMIUM_PATH } from "../support/debian";


export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core on the page as it stands and fails with each violation spelled out. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy (rightly) refuses
  // an injected inline script, and the app runs under its real policy in every test.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } });
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  const described = violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(described, `axe-core violations on ${page.url()}`).toEqual([]);
}

/** Collects console errors and uncaught exceptions so a test can insist there were none. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/**
 * One browser per test file and a fresh context per page opened, with console errors collected:
 * `const s = browserSession(baseURL)` at file level, then `await s.open("/path")` in each test.
 */
export function browserSession(baseURL: string) {
  let browser: Browser | undefined;
  let context: import("playwright-core").BrowserContext | undefined;
  const session = {
    page: undefined as unknown as Page,
    errors: [] as string[],
    async open(path: string, options: { javaScriptEnabled?: boolean; acceptDownloads?: boolean } = {}) {
      browser ??= await launchBrowser();
      await context?.close();
      context = await browser.newContext({
        javaScriptEnabled: options.javaScriptEnabled ?? true,
        acceptDownloads: options.acceptDownloads ?? true,
        viewport: { width: 1200, height: 900 },
      });
      session.page = await context.newPage();
      session.errors = watchForErrors(session.page);
      return (await session.page.goto(baseURL + path))!;
    },
    async close() {
      await context?.close();
      await browser?.close();
    },
  };
  return session;
}

/** Where an element's top settles in the viewport once any scrolling has finished. */
export async function settledTop(page: Page, selector: string): Promise<number> {
  let previous = Number.NaN;
  for (let i = 0; i < 50; i++) {
    const top = await page.locator(selector).evaluate((el) => el.getBoundingClientRect().top);
    if (top === previous) return top;
    previous = top;
    await page.waitForTimeout(50);
  }
  return previous;
}
