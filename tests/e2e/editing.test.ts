import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSession, expectNoAxeViolations, launchBrowser } from "./browser";
import { startServer } from "./server";

// This file publishes a version, so it runs its own server on its own database.
let server: Awaited<ReturnType<typeof startServer>>;
let session: ReturnType<typeof browserSession>;
const SPEC = "/specs/adult-external-beam-radiotherapy";

beforeAll(async () => {
  server = await startServer();
  session = browserSession(server.baseURL);
});
afterAll(async () => {
  await session.close();
  await server.stop();
});

async function signInAs(email: string): Promise<Page> {
  await session.open("/login");
  const page = session.page;
  await expectNoAxeViolations(page);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("specwork-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.baseURL}/`);
  return page;
}

const clauseParagraph = (page: Page, id: string) => page.locator(`.sw-editor [data-clause-id="${id}"] > p`).first();

async function waitSaved(page: Page) {
  await page.waitForFunction(() => /All changes saved/.test(document.querySelector(".sw-save-state")?.textContent ?? ""), undefined, { timeout: 15_000 });
}

describe("from draft to published", () => {
  it("an editor writes the revision, a commissioner approves and publishes it, the public reads it", async () => {
    let page = await signInAs("editor@example.nhs.uk");
    await page.goto(`${server.baseURL}${SPEC}`);
    await expectNoAxeViolations(page);
    await page.getByLabel("Start a new draft from").selectOption("1.0");
    await page.getByRole("button", { name: "Start draft" }).click();
    await page.waitForURL(/\/drafts\/\d+$/);
    const draftURL = page.url();
    await page.waitForSelector(".sw-editor");
    await expect(page.locator("h1").innerText()).resolves.toMatch(/^Version 1\.1\s+Draft$/);
    // Annotations made on published versions show where they fall in the draft, staff ones too.
    const carried = page.locator("section", { has: page.locator("#sw_carried") });
    await expect(carried.innerText()).resolves.toContain("Make this a requirement: without image transfer");
    await expect(carried.innerText()).resolves.toContain("Orphaned · from Engagement event, Leeds on version 0.9 · orphaned");

    // Edit a clause's words.
    const host = clauseParagraph(page, "host-provider");
    await host.click();
    await page.keyboard.press("Control+End");
    await host.click();
    await page.keyboard.press("End");
    await page.evaluate(() => {
      const p = document.querySelector('.sw-editor [data-clause-id="host-provider"] > p')!;
      const range = document.createRange();
      range.selectNodeContents(p);
      range.collapse(false);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    });
    await page.keyboard.type(" The host provider reports to the oversight group each quarter.");

    // Add a clause after it, and check the numbers update live.
    await page.getByRole("button", { name: "Add clause after" }).click();
    await page.keyboard.type("Each network publishes its annual report.");
    const newClause = page.locator(".sw-editor .sw-ed-clause", { hasText: "Each network publishes its annual report." });
    await expect(newClause.locator(".sw-ed-number").textContent()).resolves.toBe("3.6.3");
    await expect(page.locator('.sw-editor [data-clause-id="oversight-group"] .sw-ed-number').textContent()).resolves.toBe("3.6.4");

    // Move it up above the host provider clause.
    await page.getByRole("button", { name: "Move clause up" }).click();
    await expect(newClause.locator(".sw-ed-number").textContent()).resolves.toBe("3.6.2");
    await expect(page.locator('.sw-editor [data-clause-id="host-provider"] .sw-ed-number').textContent()).resolves.toBe("3.6.3");

    await page.getByRole("button", { name: "Save Ctrl+S", exact: true }).click();
    await waitSaved(page);
    await expectNoAxeViolations(page);

    // Write why the host provider clause changed.
    const note = page.getByLabel("What changed and why").and(page.locator("#rationale_host-provider"));
    await note.fill("T05 Network governance: people asked who is accountable; the host provider now reports quarterly.");
    await page.locator("#note_host-provider").getByLabel(/^T05 /).check();
    await page.getByRole("button", { name: /Save note for clause 3\.6\.3/ }).click();
    await page.locator('[role="status"]', { hasText: "The change note is saved." }).waitFor();
    await expect(page.locator("#rationale_host-provider").inputValue()).resolves.toContain("T05 Network governance");
    // Only the clauses linked to a theme, when filtered by it.
    await page.getByLabel("Show changes linked to").selectOption("T05");
    await page.getByRole("button", { name: "Show", exact: true }).click();
    // A filter answered by client-side navigation changes the address without a page load:
    // the address is polled rather than waiting for a load event that may already have passed.
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/\?theme=T05$/);
    await expect(page.locator(".sw-notes__item").count()).resolves.toBe(1);
    await expect(page.locator("#note_host-provider").getByLabel(/^T05 /).isChecked()).resolves.toBe(true);
    await page.waitForSelector(".sw-editor");
    // The editor brings the theme's clauses forward and dims the rest.
    await expect(page.locator('.sw-editor [data-clause-id="host-provider"]').getAttribute("class")).resolves.not.toContain("sw-ed-dimmed");
    await expect(page.locator('.sw-editor [data-clause-id="oversight-group"]').getAttribute("class")).resolves.toContain("sw-ed-dimmed");

    // Submitting goes through check your answers: the new clause has no note yet.
    await page.getByRole("link", { name: "Check and submit for approval" }).click();
    await page.locator("h1", { hasText: "Check the changes before you submit version 1.1" }).waitFor();
    await page.getByLabel("Submit with 1 change unexplained").check();
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await page.locator("h1", { hasText: "Submitted for approval" }).waitFor();
    expect(session.errors).toEqual([]);

    // The commissioner approves and publishes, each through its confirmation page.
    page = await signInAs("commissioner@example.nhs.uk");
    await page.goto(draftURL);
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: "Approve this version" }).click();
    await page.getByRole("button", { name: "Approve version 1.1" }).click();
    await page.locator("h1", { hasText: "Approved" }).waitFor();
    await page.getByRole("link", { name: "Publish this version" }).click();
    await page.getByLabel("Label").fill("Consultation draft, open 18 Oct 2017 to 24 Jan 2018");
    const date = page.getByRole("group", { name: "Publication date" });
    await date.getByLabel("Day").fill("18");
    await date.getByLabel("Month").fill("10");
    await date.getByLabel("Year").fill("2017");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByText("Version 1.1 will replace version 1.0 for the public on 18 October 2017.").waitFor();
    await page.getByRole("button", { name: "Publish version 1.1" }).click();
    await page.waitForURL(`${server.baseURL}${SPEC}/v/1.1`);

    // The public sees the new version, its changes and the publication on the timeline.
    await session.open(`${SPEC}/v/1.1`);
    page = session.page;
    await expect(page.locator('[id="host-provider"]').innerText()).resolves.toContain("reports to the oversight group each quarter");
    await expect(page.locator(".sw-clause").count()).resolves.toBe(76);
    await session.open(SPEC);
    await expect(session.page.locator(".sw-timeline__item").first().innerText()).resolves.toMatch(/^Version 1\.1 – Consultation draft, open 18 Oct 2017 to 24 Jan 2018\s+Published/);
    await expect(session.page.locator("main").innerText()).resolves.toMatch(/version 1\.1 published/);
    // The new version's change, with its theme, is on the theme's public page.
    await session.open("/themes/T05");
    await expect(session.page.locator(".sw-did").innerText()).resolves.toContain("T05 Network governance: people asked who is accountable");
    await expectNoAxeViolations(session.page);
  });
});

describe("the editor from the keyboard alone", () => {
  it("reaches the editor with Tab, adds and moves a clause with shortcuts, and saves with Ctrl+S", async () => {
    const page = await signInAs("editor@example.nhs.uk");
    await page.goto(`${server.baseURL}${SPEC}`);
    await page.getByLabel("Start a new draft from").selectOption("1.0");
    await page.getByRole("button", { name: "Start draft" }).click();
    await page.waitForSelector(".sw-editor");
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.classList.contains("sw-editor") ?? false);
    }
    expect(reached).toBe(true);
    // The caret starts in the first heading; move down into the first clause and add one after it.
    for (let i = 0; i < 10; i++) {
      const inClause = await page.evaluate(() => {
        const node = window.getSelection()?.anchorNode;
        const element = node?.nodeType === Node.TEXT_NODE ? node.parentElement : (node as Element | null);
        return element?.matches(".sw-ed-clause > p") ?? false;
      });
      if (inClause) break;
      await page.keyboard.press("ArrowDown");
      // ProseMirror reads a caret move on the browser's asynchronous selectionchange event.
      await page.waitForTimeout(150);
    }
    await page.waitForTimeout(150);
    await page.keyboard.press("Control+Enter");
    await page.keyboard.type("Typed without a mouse.");
    const added = page.locator(".sw-editor .sw-ed-clause", { hasText: "Typed without a mouse." });
    const before = await added.locator(".sw-ed-number").textContent();
    await page.keyboard.press("Alt+ArrowUp");
    const after = await added.locator(".sw-ed-number").textContent();
    expect([before, after]).toEqual(["1.1.2", "1.1.1"]);
    await page.keyboard.press("Control+z");
    await expect(added.locator(".sw-ed-number").textContent()).resolves.toBe(before);
    await page.keyboard.press("Control+s");
    await waitSaved(page);
    // Tab leaves the editor (no keyboard trap).
    await page.keyboard.press("Tab");
    await expect(page.evaluate(() => document.activeElement?.classList.contains("sw-editor"))).resolves.toBe(false);
    expect(session.errors).toEqual([]);
  });
});

describe("two people changing the same clause", () => {
  it("shows their version beside yours, loses neither, and saves yours when you choose it", async () => {
    const editorPage = await signInAs("editor@example.nhs.uk");
    await editorPage.goto(`${server.baseURL}${SPEC}`);
    await editorPage.getByLabel("Start a new draft from").selectOption("1.0");
    await editorPage.getByRole("button", { name: "Start draft" }).click();
    await editorPage.waitForSelector(".sw-editor");
    const draftURL = editorPage.url();

    // The commissioner opens the same draft in another browser.
    const other = await launchBrowser();
    try {
      const context = await other.newContext();
      const page = await context.newPage();
      await page.goto(`${server.baseURL}/login`);
      await page.getByLabel("Email address").fill("commissioner@example.nhs.uk");
      await page.getByLabel("Password").fill("specwork-demo");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${server.baseURL}/`);
      await page.goto(draftURL);
      await page.waitForSelector(".sw-editor");

      const typeAtEnd = async (p: Page, text: string) => {
        await p.locator('.sw-editor [data-clause-id="host-provider"] > p').first().click();
        await p.keyboard.press("End");
        await p.keyboard.type(text);
      };
      await typeAtEnd(editorPage, " Editor's words.");
      await editorPage.getByRole("button", { name: "Save Ctrl+S", exact: true }).click();
      await waitSaved(editorPage);

      await typeAtEnd(page, " Commissioner's words.");
      await page.getByRole("button", { name: "Save Ctrl+S", exact: true }).click();
      const panel = page.locator(".sw-conflict");
      await panel.waitFor();
      await expect(panel.innerText()).resolves.toContain("Editor's words.");
      await expect(panel.innerText()).resolves.toContain("Commissioner's words.");
      await expect(page.locator(".sw-save-state").innerText()).resolves.toContain("Not saved");
      await page.getByRole("button", { name: "Keep mine and save" }).click();
      await waitSaved(page);
      const saved = await (await page.request.get(`${server.baseURL}/api/drafts/${draftURL.split("/").pop()}`)).json();
      expect(JSON.stringify(saved.doc)).toContain("Commissioner's words.");
      expect(JSON.stringify(saved.doc)).not.toContain("Editor's words.");
      expect(saved.revision).toBe(2);
    } finally {
      await other.close();
    }
  });

  it("shows both versions, and overwrites nothing, when typing during a save overlaps what the server merged in", async () => {
    const page = await signInAs("editor@example.nhs.uk");
    await page.goto(`${server.baseURL}${SPEC}`);
    await page.getByLabel("Start a new draft from").selectOption("1.0");
    await page.getByRole("button", { name: "Start draft" }).click();
    await page.waitForSelector(".sw-editor");
    const id = page.url().split("/").pop()!;
    const api = `${server.baseURL}/api/drafts/${id}`;

    // Someone else changes host-provider through the API, from the revision this editor has.
    const commissioner = await launchBrowser();
    try {
      const other = await (await commissioner.newContext()).newPage();
      await other.goto(`${server.baseURL}/login`);
      await other.getByLabel("Email address").fill("commissioner@example.nhs.uk");
      await other.getByLabel("Password").fill("specwork-demo");
      await other.getByRole("button", { name: "Sign in" }).click();
      await other.waitForURL(`${server.baseURL}/`);
      const start = await (await other.request.get(api)).json();
      const theirs = structuredClone(start.doc);
      const addSentence = (nodes: { type: string; attrs?: { id?: string }; content?: { text?: string }[] }[]): void => {
        for (const node of nodes) {
          if (node.type === "clause" && node.attrs?.id === "host-provider") (node.content![0] as { content: { text: string }[] }).content[0]!.text += " Their sentence.";
          else if (node.content) addSentence(node.content as typeof nodes);
        }
      };
      addSentence(theirs.content);
      expect((await other.request.put(api, { data: { baseRevision: start.revision, doc: theirs } })).status()).toBe(200);

      // This editor saves a change to another clause; the save is held on the wire until the
      // editor has also typed into host-provider (by progress, not by the clock).
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let puts = 0;
      await page.route(`**/api/drafts/${id}`, async (route) => {
        if (route.request().method() === "PUT" && ++puts === 1) await held;
        await route.continue();
      });
      await clauseParagraph(page, "oversight-group").click();
      await page.keyboard.press("End");
      await page.keyboard.type(" My oversight sentence.");
      await page.keyboard.press("Control+s");
      await page.waitForFunction(() => /Saving/.test(document.querySelector(".sw-save-state")?.textContent ?? ""));
      await clauseParagraph(page, "host-provider").click();
      await page.keyboard.press("End");
      await page.keyboard.type(" My host sentence.");
      release();

      const panel = page.locator(".sw-conflict");
      await panel.waitFor();
      await expect(panel.innerText()).resolves.toContain("Their sentence.");
      await expect(panel.innerText()).resolves.toContain("My host sentence.");
      // The server holds their sentence and my oversight change; nothing of mine overwrote theirs.
      const held1 = JSON.stringify((await (await other.request.get(api)).json()).doc);
      expect(held1).toContain("Their sentence.");
      expect(held1).toContain("My oversight sentence.");
      expect(held1).not.toContain("My host sentence.");
      // Choosing mine for the overlap keeps my host sentence and my oversight change.
      await page.getByRole("button", { name: "Keep mine and save" }).click();
      await waitSaved(page);
      const after = JSON.stringify((await (await other.request.get(api)).json()).doc);
      expect(after).toContain("My host sentence.");
      expect(after).toContain("My oversight sentence.");
      expect(after).not.toContain("Their sentence.");
    } finally {
      await commissioner.close();
    }
  });
});

describe("staff pages", () => {
  it("shows the audit log with filters, and the accounts page to admins only", async () => {
    let page = await signInAs("editor@example.nhs.uk");
    await page.goto(`${server.baseURL}/audit?action=draft.create`);
    await expect(page.locator("h1").innerText()).resolves.toBe("Audit log");
    const rows = await page.locator(".sw-audit tbody tr").allInnerTexts();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.includes("draft.create"))).toBe(true);
    await expectNoAxeViolations(page);
    await page.goto(`${server.baseURL}${SPEC}/drafts`);
    await expect(page.locator("h1").innerText()).resolves.toBe("Drafts");
    await expect(page.getByRole("button", { name: "Start draft" }).count()).resolves.toBe(1);
    await expectNoAxeViolations(page);
    const forbidden = await page.goto(`${server.baseURL}/admin/users`);
    expect(forbidden!.status()).toBe(403);
    await expect(page.locator("main").innerText()).resolves.toContain("Your role (editor) cannot do this.");
    await expectNoAxeViolations(page);

    page = await signInAs("admin@example.nhs.uk");
    await page.goto(`${server.baseURL}/admin/users`);
    await expect(page.locator("tbody tr").count()).resolves.toBe(3);
    await page.getByLabel("Name").fill("Ada Clinician");
    await page.getByLabel("Email address").fill("ada@example.nhs.uk");
    await page.getByLabel("Role", { exact: true }).selectOption("editor");
    await page.getByLabel("First password").fill("short");
    await page.getByRole("button", { name: "Add account" }).click();
    await expect(page.locator(".nhsuk-error-summary").innerText()).resolves.toContain("The password must have at least 12 characters");
    await page.getByLabel("First password").fill("a-long-enough-password");
    await page.getByRole("button", { name: "Add account" }).click();
    await expect(page.locator('[role="status"]').innerText()).resolves.toContain("Created an account for ada@example.nhs.uk.");
    // The list is read again after the action: wait for that, however busy the machine is.
    await page.locator("tbody tr", { hasText: "ada@example.nhs.uk" }).waitFor();
    await expect(page.locator("tbody tr").count()).resolves.toBe(4);
    await expectNoAxeViolations(page);

    // The theme register: add a theme, then refuse a duplicate code.
    await page.goto(`${server.baseURL}/admin/themes`);
    await page.getByLabel("Code").fill("T16");
    await page.locator("#new_title").fill("Weekend treatment");
    await page.locator("#new_description").fill("People asked for treatment at weekends to fit work and caring.");
    await page.getByRole("button", { name: "Add theme" }).click();
    await expect(page.locator('[role="status"]').innerText()).resolves.toContain("Theme T16 is added.");
    await page.getByLabel("Code").fill("T16");
    await page.locator("#new_title").fill("Again");
    await page.locator("#new_description").fill("Again.");
    await page.getByRole("button", { name: "Add theme" }).click();
    await expect(page.locator(".nhsuk-error-summary").innerText()).resolves.toContain("There is already a theme T16.");
    await expectNoAxeViolations(page);
    await session.open("/themes/T16");
    await expect(session.page.locator("h1").innerText()).resolves.toBe("Weekend treatment");
  });
});

describe("annotating a published version", () => {
  it("selects words in a clause, annotates them with a theme, replies, resolves, and the public sees it", async () => {
    const page = await signInAs("commissioner@example.nhs.uk");
    await page.goto(`${server.baseURL}${SPEC}/v/1.0`);
    // Select words with the mouse: press at the start of a word, drag to the end of another.
    const paragraph = page.locator('[id="oversight-group"] .sw-clause__body p').first();
    await paragraph.scrollIntoViewIfNeeded();
    const box = (await paragraph.boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + 160, box.y + 10, { steps: 5 });
    await page.mouse.up();
    const quote = await page.locator("#quote_oversight-group").inputValue();
    expect(quote.length).toBeGreaterThan(5);
    await expect(page.locator("#annotate_oversight-group").getAttribute("open")).resolves.toBe("");
    await page.locator("#body_oversight-group").fill("Who chairs it when the executive is unavailable?");
    await page.locator("#kind_oversight-group").selectOption("question");
    await page.locator("#annotate_oversight-group").getByLabel("Everyone (shown on public pages)").check();
    await page.locator('#annotate_oversight-group input[name="themes"][value="T05"]').check();
    await page.getByRole("button", { name: "Add annotation to clause 3.6.3" }).click();
    await page.locator('[role="status"]', { hasText: "Your annotation is added." }).waitFor();
    // The clause's threads are open after adding one, the new one among them.
    const thread = page.locator('[id="oversight-group"] .sw-annotations');
    await expect(thread.getAttribute("open")).resolves.toBe("");
    await expect(thread.innerText()).resolves.toContain("Who chairs it when the executive is unavailable?");
    await expect(thread.innerText()).resolves.toContain(quote);
    await expectNoAxeViolations(page);

    await thread.getByLabel("Reply").fill("The vice-chair, from a third provider.");
    await thread.getByRole("button", { name: "Send public reply" }).click();
    await page.locator('[role="status"]', { hasText: "Your reply is added." }).waitFor();
    // The thread stays open after the reply, with its "Mark resolved" button.
    await page.locator('[id="oversight-group"]').getByRole("button", { name: /Mark resolved/ }).click();
    await page.locator('[role="status"]', { hasText: "The thread is marked resolved." }).waitFor();

    await session.open(`${SPEC}/v/1.0`);
    const publicThread = session.page.locator('[id="oversight-group"] .sw-annotations');
    await publicThread.locator("summary").click();
    await expect(publicThread.innerText()).resolves.toMatch(/Question from Demo Commissioner\s+Resolved[\s\S]*themes: T05[\s\S]*Demo Commissioner on \d{1,2} \w+ \d{4}: The vice-chair, from a third provider\./);
    await expect(session.page.locator("#annotate_oversight-group").count()).resolves.toBe(0);
  });
});
