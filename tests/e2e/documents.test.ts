// Every public page is one valid HTML document (W3C Nu HTML Checker), and still hydrates.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { browserSession, hydrated } from "./browser";
import { checkHtml } from "./html-checker";
import { fetchPublicPages, REQUIRED_PUBLIC_PAGES, SPEC, UNLINKED_PUBLIC_PAGES, type FetchedPage } from "./public-pages";

const baseURL = inject("baseURL");

// Two documents with the faults the checker must catch, checked in the same run as the pages, so
// a checker that reported nothing at all could not pass the test.
const FAULTY = new Map([
  ["(control) a NUL byte", '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p>a\u0000·b</p></body></html>'],
  ["(control) a script after </html>", '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p>a</p></body></html><script>1</script>'],
]);

let pages: FetchedPage[] = [];
beforeAll(async () => {
  pages = await fetchPublicPages(baseURL);
}, 120_000);

describe("the public pages", () => {
  it("are found by following links, and include every kind of public page", () => {
    const paths = pages.map((p) => p.path);
    for (const required of REQUIRED_PUBLIC_PAGES) expect(paths, required).toContain(required);
    // Every clause of either version has its history page.
    expect(paths.filter((p) => p.startsWith(`${SPEC}/clauses/`)).length).toBe(76);
    expect(pages.filter((p) => UNLINKED_PUBLIC_PAGES.includes(p.path)).map((p) => p.status)).toEqual(UNLINKED_PUBLIC_PAGES.map(() => 404));
    expect(pages.filter((p) => !UNLINKED_PUBLIC_PAGES.includes(p.path)).every((p) => p.status === 200)).toBe(true);
  });

  it("are each one whole document: no NUL characters, and nothing after </html>", () => {
    for (const { path, html } of pages) {
      expect(html.includes("\u0000"), `a NUL character in ${path}`).toBe(false);
      // A character cut in two between chunks would be decoded as a replacement character.
      expect(html.includes("\uFFFD"), `a broken character in ${path}`).toBe(false);
      expect(html.startsWith("<!DOCTYPE html><html"), path).toBe(true);
      expect(html.endsWith("</body></html>"), `${path} ends ${JSON.stringify(html.slice(-80))}`).toBe(true);
      expect(html.indexOf("</body>"), `${path} has one </body>`).toBe(html.length - "</body></html>".length);
      // The single-fetch data still reaches the page, inside <body>, so the page can hydrate.
      expect(html.lastIndexOf("<script"), path).toBeGreaterThan(html.indexOf("<body"));
      expect(html, path).toContain("window.__remixContext.streamController.close();</script>");
    }
  });

  it("pass the W3C HTML checker with no errors", async () => {
    const documents = new Map([...FAULTY, ...pages.map((p) => [p.path, p.html] as [string, string])]);
    const messages = await checkHtml(documents);
    const controls = messages.filter((m) => FAULTY.has(m.document));
    expect(controls.filter((m) => m.document === "(control) a NUL byte").map((m) => m.message)).toContain("Saw U+0000 in stream.");
    expect(controls.filter((m) => m.document === "(control) a script after </html>").map((m) => m.message)).toContain("Stray start tag “script”.");
    const errors = messages.filter((m) => !FAULTY.has(m.document)).map((m) => `${m.document}:${m.line}:${m.column}: ${m.message} ${JSON.stringify(m.extract ?? "")}`);
    expect(errors).toEqual([]);
  }, 120_000);
});

describe("a page with JavaScript", () => {
  const session = browserSession(baseURL);
  afterAll(() => session.close());

  it.each(["/", `${SPEC}/v/1.0`, `${SPEC}/compare/0.9...1.0?view=all`, "/no/such/page"])("hydrates %s from the data in the page, without errors", async (path) => {
    await session.open(path);
    await hydrated(session.page);
    await expect(session.page.evaluate(() => (window as unknown as { __remixContext?: { state?: unknown } }).__remixContext !== undefined)).resolves.toBe(true);
    // The browser reports the 404 page's own status as a failed load; anything else is an error.
    expect(session.errors.filter((e) => !(path === "/no/such/page" && e.includes("status of 404")))).toEqual([]);
  });
});
