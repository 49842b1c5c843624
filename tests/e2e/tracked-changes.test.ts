import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSession, expectNoAxeViolations, expectNoSidewaysScroll, REFLOW_VIEWPORT } from "./browser";
import { startServer } from "./server";

// Drafts are started here, so this file runs its own server on its own database.
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

/** Signs in as the demo editor and starts a draft from version 1.0; resolves on its page. */
async function newDraft(): Promise<Page> {
  await session.open("/login");
  const page = session.page;
  await page.getByLabel("Email address").fill("editor@example.nhs.uk");
  await page.getByLabel("Password").fill("specwork-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${server.baseURL}/`);
  await page.goto(`${server.baseURL}${SPEC}`);
  await page.getByLabel("Start a new draft from").selectOption("1.0");
  await page.getByRole("button", { name: "Start draft" }).click();
  await page.waitForURL(/\/drafts\/\d+$/);
  await page.waitForSelector(".sw-editor");
  return page;
}

const clause = (page: Page, id: string) => page.locator(`.sw-editor [data-clause-id="${id}"]`);

/** Puts the caret in a clause's first paragraph: at its end, or selecting its first `chars` characters. */
async function caretIn(page: Page, id: string, select?: number) {
  await page.evaluate(
    ([id, select]) => {
      const p = document.querySelector(`.sw-editor [data-clause-id="${id}"] > p`)!;
      const range = document.createRange();
      if (select) {
        range.setStart(p.firstChild!, 0);
        range.setEnd(p.firstChild!, select);
      } else {
        range.selectNodeContents(p);
        range.collapse(false);
      }
      (p.closest(".sw-editor") as HTMLElement).focus();
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    },
    [id, select ?? 0] as const,
  );
  // ProseMirror reads the selection on the browser's asynchronous selectionchange event.
  await page.waitForFunction(() => document.activeElement?.classList.contains("sw-editor"));
  await page.waitForTimeout(100);
}

async function waitSaved(page: Page) {
  await page.waitForFunction(() => /All changes saved/.test(document.querySelector(".sw-save-state")?.textContent ?? ""), undefined, { timeout: 15_000 });
}

describe("tracked changes in the draft editor", () => {
  it("marks inserted, deleted and new text as it is typed, hides the marks in the final view, and leads to each change's note", async () => {
    const page = await newDraft();
    // Nothing has changed yet: nothing is marked.
    await expect(page.locator(".sw-editor ins, .sw-editor del, .sw-ed-new").count()).resolves.toBe(0);
    await expect(page.locator("#sw_editor-legend").innerText()).resolves.toMatch(/inserted words are underlined[\s\S]*deleted words are struck through/);

    // Typed words are marked as inserted, in the clause they were typed in.
    await caretIn(page, "host-provider");
    await page.keyboard.type(" It reports each quarter.");
    // (Marks of the clause being typed in are drawn again when typing pauses.)
    await expect.poll(() => clause(page, "host-provider").locator("ins").innerText(), { timeout: 10_000 }).toBe(" It reports each quarter.");
    await expect(clause(page, "host-provider").locator(".sw-ed-change").innerText()).resolves.toBe("Changed");

    // Deleted words stay in view, struck through, but are not part of the text.
    await caretIn(page, "oversight-group", "Each network will have ".length);
    await page.keyboard.press("Backspace");
    const deleted = clause(page, "oversight-group").locator("del");
    await expect(deleted.innerText()).resolves.toMatch(/^Each network will have\s?$/);
    await expect(deleted.getAttribute("contenteditable")).resolves.toBe("false");
    const text = await clause(page, "oversight-group").locator("p").evaluate((p) => [...p.childNodes].filter((n) => !(n instanceof HTMLElement && n.matches("del"))).map((n) => n.textContent).join(""));
    expect(text.startsWith("an oversight group")).toBe(true);

    // A new clause is marked new; the clause it pushed down shows its old number beside the new one.
    await caretIn(page, "host-provider");
    await page.getByRole("button", { name: /^Add clause after/ }).click();
    await page.keyboard.type("Each network publishes an annual report.");
    const added = page.locator(".sw-editor .sw-ed-clause", { hasText: "Each network publishes an annual report." });
    await expect.poll(() => added.getAttribute("class"), { timeout: 10_000 }).toContain("sw-ed-new");
    await expect(added.locator(".sw-ed-change").innerText()).resolves.toBe("New");
    await expect(clause(page, "oversight-group").locator(".sw-ed-number").innerText()).resolves.toBe("3.6.4");
    await expect(clause(page, "oversight-group").locator(".sw-ed-change").innerText()).resolves.toBe("Changed, was 3.6.3");

    // "Final" hides every mark and "Show changes" brings them back; each says which is on.
    const final = page.getByRole("button", { name: "Final", exact: true });
    const markup = page.getByRole("button", { name: "Show changes", exact: true });
    await expect(markup.getAttribute("aria-pressed")).resolves.toBe("true");
    await final.click();
    await expect(final.getAttribute("aria-pressed")).resolves.toBe("true");
    await expect(page.locator(".sw-editor ins, .sw-editor del, .sw-ed-new, .sw-ed-change").count()).resolves.toBe(0);
    await expect(clause(page, "oversight-group").locator(".sw-ed-number").innerText()).resolves.toBe("3.6.4");
    await markup.click();
    await expect(markup.getAttribute("aria-pressed")).resolves.toBe("true");
    await expect(page.locator(".sw-editor del").count()).resolves.toBe(1);
    await expectNoAxeViolations(page);

    // Choosing a change goes to its note in "What changed and why" (an unsaved change is saved first).
    await expect(page.locator("#note_oversight-group").count()).resolves.toBe(0);
    await clause(page, "oversight-group").locator(".sw-ed-change a").click();
    await page.waitForFunction(() => document.activeElement?.id === "note_oversight-group", undefined, { timeout: 20_000 });
    await waitSaved(page);
    const top = await page.locator("#note_oversight-group").evaluate((el) => el.getBoundingClientRect().top);
    expect(Math.abs(top)).toBeLessThan(50);
    // From the keyboard: the toolbar's "Go to change note" works on the clause at the cursor.
    await caretIn(page, "host-provider");
    await page.keyboard.press("Alt+Control+n");
    await page.waitForFunction(() => document.activeElement?.id === "note_host-provider");
    expect(session.errors).toEqual([]);
  });

  it("keeps the toolbar in view deep into the document, with its shortcuts beside its buttons and buttons off where they cannot apply", async () => {
    const page = await newDraft();
    // Editing a clause far down the document, the toolbar stays at the top of the window.
    await clause(page, "oversight-group").scrollIntoViewIfNeeded();
    await caretIn(page, "oversight-group");
    await page.keyboard.type(" More.");
    // Once typing pauses, the clause counts as changed, so its note can be gone to.
    await expect.poll(() => page.getByRole("button", { name: /^Go to change note/ }).isDisabled(), { timeout: 10_000 }).toBe(false);
    for (const id of ["oversight-group", "host-provider"]) {
      await clause(page, id).evaluate((el) => el.scrollIntoView({ block: "center" }));
      const scrolled = await page.evaluate(() => window.scrollY);
      expect(scrolled).toBeGreaterThan(5000);
      const bar = await page.locator(".sw-toolbar").evaluate((el) => el.getBoundingClientRect());
      expect(bar.top).toBeGreaterThanOrEqual(0);
      expect(bar.top).toBeLessThan(2);
    }
    // The line being edited never hides behind the toolbar, whether the caret moves up line by
    // line or the page moves down a screen at a time.
    const caretClear = () =>
      page.evaluate(() => {
        const range = window.getSelection()!.getRangeAt(0);
        const rect = range.getClientRects()[0] ?? (range.startContainer.nodeType === 1 ? (range.startContainer as Element) : range.startContainer.parentElement!).getBoundingClientRect();
        return rect.top - document.querySelector(".sw-toolbar")!.getBoundingClientRect().bottom;
      });
    await caretIn(page, "host-provider");
    for (let i = 0; i < 30; i++) await page.keyboard.press("ArrowUp");
    await expect.poll(caretClear).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < 3; i++) await page.keyboard.press("PageDown");
    await expect.poll(caretClear).toBeGreaterThanOrEqual(0);

    // The keys are written beside each button, not in a list after the document.
    await expect(page.getByRole("button", { name: "Bold Ctrl+B" }).count()).resolves.toBe(1);
    await expect(page.getByText("Keyboard shortcuts").count()).resolves.toBe(0);

    // In the first clause of a section a clause cannot move up; with nothing undone, nothing can be redone.
    await caretIn(page, "network-membership");
    const up = page.getByRole("button", { name: /^Move clause up/ });
    await page.waitForFunction(() => [...document.querySelectorAll(".sw-toolbar button")].some((b) => b.textContent?.startsWith("Move clause up") && (b as HTMLButtonElement).disabled));
    await expect(up.isDisabled()).resolves.toBe(true);
    await expect(page.getByRole("button", { name: /^Redo/ }).isDisabled()).resolves.toBe(true);
    // An unchanged clause has no change note to go to.
    await expect(page.getByRole("button", { name: /^Go to change note/ }).isDisabled()).resolves.toBe(true);
    // One clause further down, it can.
    await caretIn(page, "host-provider");
    await page.waitForFunction(() => [...document.querySelectorAll(".sw-toolbar button")].some((b) => b.textContent?.startsWith("Move clause up") && !(b as HTMLButtonElement).disabled));
    await expect(up.isDisabled()).resolves.toBe(false);
    await expectNoAxeViolations(page);

    // A moved clause says where it came from; a deleted one stays in view, struck through, where it stood.
    await up.click();
    await expect.poll(() => page.locator(".sw-editor .sw-ed-change", { hasText: /^Moved from 3\.6\.[12]$/ }).count()).toBe(1);
    await caretIn(page, "oversight-group");
    await page.getByRole("button", { name: /^Delete clause/ }).click();
    const gone = page.locator(".sw-editor .sw-ed-deleted-item");
    await expect(gone.innerText()).resolves.toMatch(/^3\.6\.3\s*Deleted clause\s+Each network will have an oversight group/);
    await expect(gone.locator("del").count()).resolves.toBe(1);
    await expect(clause(page, "oversight-group").count()).resolves.toBe(0);

    // On a phone the toolbar is one row that scrolls sideways, and the page itself does not.
    await page.setViewportSize(REFLOW_VIEWPORT);
    await expectNoSidewaysScroll(page);
    const height = await page.locator(".sw-toolbar").evaluate((el) => el.getBoundingClientRect().height);
    expect(height).toBeLessThan(REFLOW_VIEWPORT.height / 4);
    expect(session.errors).toEqual([]);
  });

  it("highlights the quoted words of open annotations carried onto the draft, with who wrote them", async () => {
    const page = await newDraft();
    const highlights = page.locator(".sw-editor .sw-ed-annotation");
    await expect(highlights.count()).resolves.toBeGreaterThan(0);
    const first = highlights.first();
    // (Clauses out of view are not drawn, so they have no rendered text until they come into view.)
    await first.scrollIntoViewIfNeeded();
    await expect.poll(() => first.innerText(), { timeout: 10_000 }).toBe("help with travel costs");
    await expect(first.getAttribute("title")).resolves.toMatch(/^Annotation by Online survey summary on version 0\.9 \(open\)$/);
    // The highlight follows the words as the clause around them changes.
    const id = await first.evaluate((el) => el.closest(".sw-ed-clause")!.getAttribute("data-clause-id")!);
    await caretIn(page, id);
    await page.keyboard.type(" Added.");
    await expect.poll(() => clause(page, id).locator(".sw-ed-annotation").innerText(), { timeout: 10_000 }).toBe("help with travel costs");
    await expect.poll(() => clause(page, id).locator("ins").innerText(), { timeout: 10_000 }).toBe(" Added.");
  });
  it("types where the caret is, in clauses out of view too (which the browser does not draw): set in the page, moved by Ctrl+End, put back by undo", async () => {
    const page = await newDraft();
    const ids = await page.locator(".sw-editor .sw-ed-clause").evaluateAll((els) => els.map((el) => el.getAttribute("data-clause-id")!));
    const [first, second, last] = [ids[0]!, ids[1]!, ids[ids.length - 1]!];
    // A clause's own words: without its number, margin note and deleted words.
    const text = (id: string) =>
      clause(page, id).evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll("[contenteditable=false]").forEach((widget) => widget.remove());
        return copy.textContent ?? "";
      });
    const before = { first: await text(first), second: await text(second) };
    // The caret at the very end of a clause, the next clause right after it.
    await caretIn(page, first);
    await page.keyboard.type(" Alpha.");
    const typed = await text(first);
    expect(typed).toContain(" Alpha.");
    await expect(text(second)).resolves.toBe(before.second);
    await page.waitForTimeout(700);
    // Far down the document, away from the first clause.
    await page.keyboard.press("Control+End");
    await page.keyboard.type(" Omega.");
    await expect(text(last)).resolves.toContain("Omega.");
    await page.waitForTimeout(700);
    // Undoing both puts the caret back at the end of the first clause, now far out of view (not drawn).
    const drawn = (id: string) => clause(page, id).evaluate((el) => el.querySelector("p")!.checkVisibility({ contentVisibilityAuto: true }));
    await expect.poll(() => drawn(first)).toBe(false);
    await page.keyboard.press("Control+z");
    await page.keyboard.press("Control+z");
    await expect(text(first)).resolves.toBe(before.first);
    // ... and brings it into view, drawn.
    await expect.poll(() => drawn(first)).toBe(true);
    await page.keyboard.type("Z");
    await expect.poll(() => text(first)).toBe(typed.replace(" Alpha.", "Z"));
    await expect(text(second)).resolves.toBe(before.second);
    await expect(text(last)).resolves.not.toContain("Omega.");
    // An input method's text (which the browser inserts itself) lands there too, after Ctrl+End and undo.
    await page.waitForTimeout(700);
    await page.keyboard.press("Control+End");
    await page.keyboard.type(" Omega.");
    await page.waitForTimeout(700);
    await page.keyboard.press("Control+z");
    await page.keyboard.press("Control+z");
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Input.imeSetComposition", { text: "é", selectionStart: 1, selectionEnd: 1 });
    await cdp.send("Input.insertText", { text: "é" });
    await cdp.detach();
    await expect.poll(() => text(first)).toBe(typed.replace(" Alpha.", "é"));
    await expect(text(second)).resolves.toBe(before.second);
    expect(session.errors).toEqual([]);
  });
});
