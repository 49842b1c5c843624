// Forms as NHS.UK forms behave: a problem is listed in the error summary, linked to its field,
// and shown above the field itself, with and without JavaScript.
import { afterAll, describe, expect, inject, it } from "vitest";
import { browserSession, expectNoAxeViolations } from "./browser";

const baseURL = inject("baseURL");
const session = browserSession(baseURL);
afterAll(() => session.close());

async function summaryLinks() {
  const page = session.page;
  await page.locator(".nhsuk-error-summary").waitFor();
  const links = await page.locator(".nhsuk-error-summary a").all();
  return Promise.all(links.map(async (link) => [await link.textContent(), await link.getAttribute("href")]));
}

/** An element's text as a screen reader reads it, the hidden "Error:" included. */
const textOf = async (selector: string) => ((await session.page.locator(selector).textContent()) ?? "").replace(/\s+/g, " ").trim();

describe("form problems", () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`links each problem in the summary to its field, and marks the field (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      await session.open("/login", { javaScriptEnabled });
      const page = session.page;
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(summaryLinks()).resolves.toEqual([
        ["Enter your email address", "#email"],
        ["Enter your password", "#password"],
      ]);
      await expect(textOf("#email-error")).resolves.toBe("Error: Enter your email address");
      await expect(page.locator("#email").getAttribute("aria-describedby")).resolves.toBe("email-error");
      await expect(page.locator(".nhsuk-form-group--error").count()).resolves.toBe(2);
      // axe-core runs in the page, so only with JavaScript.
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      // Filling one in leaves only the other's problem.
      await page.getByLabel("Email address").fill("editor@example.nhs.uk");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator(".nhsuk-error-summary a", { hasText: "Enter your email address" }).waitFor({ state: "detached" });
      await expect(summaryLinks()).resolves.toEqual([["Enter your password", "#password"]]);
    });
  }

  it("lists every problem of the new-account form, each beside its field", async () => {
    await session.open("/login");
    const page = session.page;
    await page.getByLabel("Email address").fill("admin@example.nhs.uk");
    await page.getByLabel("Password").fill("specwork-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${baseURL}/`);
    await page.goto(`${baseURL}/admin/users`);
    await page.getByLabel("First password").fill("short");
    await page.getByRole("button", { name: "Add account" }).click();
    await expect(summaryLinks()).resolves.toEqual([
      ["Enter the person's name", "#sw_new-name"],
      ["Enter their email address", "#sw_new-email"],
      ["The password must have at least 12 characters", "#sw_new-password"],
    ]);
    await expect(textOf("#sw_new-password-error")).resolves.toBe("Error: The password must have at least 12 characters");
    await expectNoAxeViolations(page);
  });
});
