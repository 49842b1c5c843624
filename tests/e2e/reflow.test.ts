// Every page at 320 CSS px (WCAG 1.4.10, Reflow): no sideways scrolling, and axe-core at that width.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations, expectNoSidewaysScroll, launchBrowser, REFLOW_VIEWPORT } from "./browser";
import { fetchPublicPages, REQUIRED_PUBLIC_PAGES, SPEC, UNLINKED_PUBLIC_PAGES } from "./public-pages";
import { startServer } from "./server";

const TITLE = "Adult external beam radiotherapy services delivered as part of a radiotherapy network";

// Staff pages need a draft, and starting one changes data, so this file has its own server.
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

async function narrowPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: REFLOW_VIEWPORT });
  contexts.push(context);
  return context.newPage();
}

async function signedIn(email: string): Promise<Page> {
  const page = await narrowPage();
  await page.goto(`${server.baseURL}/login`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("specwork-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.baseURL}/`);
  return page;
}

async function expectReflows(page: Page, path: string): Promise<void> {
  await page.goto(server.baseURL + path);
  await expectNoSidewaysScroll(page);
  await expectNoAxeViolations(page);
}

describe("at 320 CSS px wide", () => {
  let publicPage: Page;
  beforeAll(async () => {
    publicPage = await narrowPage();
  });

  it.each([...REQUIRED_PUBLIC_PAGES, ...UNLINKED_PUBLIC_PAGES])("%s fits without sideways scrolling and passes axe-core", async (path) => {
    await expectReflows(publicPage, path);
  });

  it("every other public page, found by following links, fits without sideways scrolling too", async () => {
    const paths = (await fetchPublicPages(server.baseURL)).map((p) => p.path);
    expect(paths.length).toBeGreaterThan(100);
    for (const path of paths) {
      await publicPage.goto(server.baseURL + path);
      await expectNoSidewaysScroll(publicPage);
    }
  }, 180_000);

  it("stacks a table's rows, each cell naming its column, while screen readers still get a table", async () => {
    await publicPage.goto(`${server.baseURL}/`);
    const cells = publicPage.locator("tbody tr").first().locator("td");
    const texts = (await cells.allInnerTexts()).map((text) => text.replace(/\s+/g, " ").trim());
    expect(texts).toEqual([`Specification ${TITLE}`, "Reference SAMPLE-RT-0001S", "Latest published version Version 1.0 – Consultation draft", "Date 18 October 2017"]);
    // One above the other, not side by side.
    const tops = await cells.evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().top));
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
    expect(new Set(tops).size).toBe(4);
    // What Chromium tells screen readers: still a table of rows and cells, and each cell named by
    // its value alone, as the visible copies of the headings are hidden from them.
    const cdp = await publicPage.context().newCDPSession(publicPage);
    const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as { nodes: { role?: { value: string }; name?: { value: string } }[] };
    const named = (role: string) => nodes.filter((n) => n.role?.value === role).map((n) => n.name?.value ?? "");
    expect(named("table")).toEqual(["Specifications"]);
    expect(named("row")).toHaveLength(2);
    expect(named("columnheader")).toEqual(["Specification", "Reference", "Latest published version", "Date"]);
    expect(named("cell")).toEqual([TITLE, "SAMPLE-RT-0001S", "Version 1.0 – Consultation draft", "18 October 2017"]);
    await cdp.detach();
  });

  describe("staff pages", () => {
    let editor: Page;
    let admin: Page;
    let draftPath: string;
    beforeAll(async () => {
      editor = await signedIn("editor@example.nhs.uk");
      await editor.goto(`${server.baseURL}${SPEC}`);
      await editor.getByLabel("Start a new draft from").selectOption("1.0");
      await editor.getByRole("button", { name: "Start draft" }).click();
      await editor.waitForURL(/\/drafts\/\d+$/);
      draftPath = new URL(editor.url()).pathname;
      admin = await signedIn("admin@example.nhs.uk");
    }, 60_000);

    it.each(["/", `${SPEC}/drafts`, "/audit"])("%s, signed in as an editor, fits and passes axe-core", async (path) => {
      await expectReflows(editor, path);
    });

    it("a draft in the editor fits and passes axe-core", async () => {
      await expectReflows(editor, draftPath);
      await editor.waitForSelector(".sw-editor");
      await expectNoSidewaysScroll(editor);
      await expectNoAxeViolations(editor);
    });

    it.each(["/admin/users", "/admin/themes"])("%s, signed in as an admin, fits and passes axe-core", async (path) => {
      await expectReflows(admin, path);
    });

    it("breaks long addresses, hashes and words rather than scrolling sideways", async () => {
      const address = "https://www.england.nhs.uk/commissioning/spec-services/npc-crg/group-b/b01/radiotherapy-consultation-response";
      const hash = `sha256:${"0f3a9c4e".repeat(8)}`;
      await admin.goto(`${server.baseURL}/admin/themes`);
      await admin.getByLabel("Code").fill("T16");
      await admin.locator("#new_title").fill(`Responses at ${address}`);
      await admin.locator("#new_description").fill(`Summarised in ${hash}, see ${address}.`);
      await admin.locator("#new_source").fill("Radiotherapyconsultationresponseforms2017");
      await admin.getByRole("button", { name: "Add theme" }).click();
      await admin.locator("details", { hasText: "T16" }).waitFor();
      for (const path of ["/themes", "/themes/T16", "/admin/themes"]) {
        await admin.goto(server.baseURL + path);
        await expect(admin.locator("main").innerText(), path).resolves.toContain(address);
        await expectNoSidewaysScroll(admin);
      }
    });
  });
});

describe("the list of changes on the compare page", () => {
  it("keeps each change's tag inside its own item, with nothing drawn over it, from 320 px to a wide screen", async () => {
    const context = await browser.newContext({ viewport: REFLOW_VIEWPORT });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.baseURL}${SPEC}/compare/0.9...1.0`);
    await page.locator(".sw-change-details summary").click();
    for (const width of [320, 700, 1000, 1200]) {
      await page.setViewportSize({ width, height: 900 });
      const faults = await page.locator(".sw-change-list li").evaluateAll((items) =>
        items.flatMap((item) => {
          const tag = item.querySelector(".nhsuk-tag")!;
          tag.scrollIntoView({ block: "center" });
          const box = item.getBoundingClientRect();
          const t = tag.getBoundingClientRect();
          const name = `“${tag.textContent}” of “${item.textContent}”`;
          if (t.left < box.left - 0.5 || t.right > box.right + 0.5 || t.top < box.top - 0.5 || t.bottom > box.bottom + 0.5) return [`${name} sticks out of its item`];
          // Whatever is painted at each point of the tag must be the tag: another column's
          // number or text drawn over it is what the reader sees there instead.
          for (const fx of [0.05, 0.5, 0.95]) {
            for (const fy of [0.25, 0.75]) {
              const hit = document.elementFromPoint(t.left + t.width * fx, t.top + t.height * fy);
              if (!hit || !tag.contains(hit)) return [`${name} is covered by “${hit?.textContent?.trim().slice(0, 40)}”`];
            }
          }
          return [];
        }),
      );
      expect(faults, `at ${width} px`).toEqual([]);
    }
  });
});
