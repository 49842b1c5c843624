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
    async open(path: string, options: { javaScriptEnabled?: boolean; acceptDownloads?: boolean; viewport?: { width: number; height: number } } = {}) {
      browser ??= await launchBrowser();
      await context?.close();
      context = await browser.newContext({
        javaScriptEnabled: options.javaScriptEnabled ?? true,
        acceptDownloads: options.acceptDownloads ?? true,
        viewport: options.viewport ?? { width: 1200, height: 900 },
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

/** The narrowest viewport WCAG 1.4.10 (Reflow) asks pages to work in: 320 CSS px wide. */
/**
 * Waits until React has hydrated the whole page. React marks each element it hydrates with its
 * fiber; the footer is the last thing in the page before the scripts, so once it is marked the
 * page has hydrated. A link clicked before that may be lost between the browser and the router.
 */
export function hydrated(page: Page, timeout = 20_000) {
  return page.waitForFunction(() => Object.keys(document.querySelector("footer") ?? {}).some((key) => key.startsWith("__reactFiber")), undefined, { timeout });
}

export const REFLOW_VIEWPORT = { width: 320, height: 640 };

/**
 * Fails unless the page fits its viewport's width: no sideways scrolling, and no visible element
 * sticking out past the right edge (which a page could otherwise hide by clipping it).
 */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const result = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const describe = (el: Element) => {
      const classes = [...el.classList].slice(0, 2).map((c) => `.${c}`).join("");
      const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${classes} (right edge ${Math.round(el.getBoundingClientRect().right)} px) “${text}”`;
    };
    // How far right an element can be seen: visually hidden text is clipped to nothing, and a
    // box that clips its overflow hides whatever sticks out of it.
    const visibleRight = (el: Element): number => {
      let right = el.getBoundingClientRect().right;
      for (let node: Element | null = el; node && node !== document.documentElement; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.visibility === "hidden" || style.clipPath !== "none" || style.clip !== "auto") return -Infinity;
        if (node !== el && style.overflowX !== "visible") right = Math.min(right, node.getBoundingClientRect().right);
      }
      return right;
    };
    const sticking = [...document.body.querySelectorAll("*")].filter((el) => {
      const box = el.getBoundingClientRect();
      return box.width > 1 && box.height > 1 && box.right > width + 0.5 && visibleRight(el) > width + 0.5;
    });
    return {
      width,
      scrollWidth: document.documentElement.scrollWidth,
      overflowHidden: [document.documentElement, document.body].some((el) => ["hidden", "clip"].includes(getComputedStyle(el).overflowX)),
      sticking: sticking.slice(0, 8).map(describe),
    };
  });
  const where = page.url();
  expect(result.overflowHidden, `${where}: the page hides sideways overflow instead of avoiding it`).toBe(false);
  expect(result.sticking, `${where}: elements wider than the ${result.width} px viewport`).toEqual([]);
  expect(result.scrollWidth, `${where}: scrolls sideways`).toBeLessThanOrEqual(result.width);
}
