// Downloading a version as Word and PDF from its page, and the changes as PDF from the compare
// page, as a reader would: the links say what they give, the files arrive under readable names,
// are what they say (pandoc and pdf.js read them), and a version that is not published is a 404.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { pdfFacts } from "../unit/exports/pdf-reading";
import { browserSession, expectNoAxeViolations } from "./browser";

const baseURL = inject("baseURL");
const SPEC = "/specs/adult-external-beam-radiotherapy";
const session = browserSession(baseURL);
afterAll(() => session.close());

/** "about 20 KB" → 20000. */
const hinted = (label: string) => {
  const [, n, unit] = /about ([\d.]+) (KB|MB)/.exec(label)!;
  return Number(n) * (unit === "MB" ? 1_000_000 : 1000);
};

async function download(name: RegExp) {
  const link = session.page.getByRole("link", { name });
  const label = (await link.innerText()).trim();
  const [file] = await Promise.all([session.page.waitForEvent("download"), link.click()]);
  return { label, filename: file.suggestedFilename(), bytes: new Uint8Array(readFileSync((await file.path())!)) };
}

describe("downloading a version", () => {
  it("gives a Word document and a PDF from the version page, each link saying its type and size", async () => {
    await session.open(`${SPEC}/v/1.0`);
    const word = await download(/^Download this version as a Word document \(\.docx, about \d+ KB\)$/);
    expect(word.filename).toBe("adult-external-beam-radiotherapy-1.0.docx");
    expect(Buffer.from(word.bytes.subarray(0, 2)).toString()).toBe("PK");
    // The hint is an estimate, but not a wild one.
    expect(word.bytes.length).toBeGreaterThan(hinted(word.label) / 2);
    expect(word.bytes.length).toBeLessThan(hinted(word.label) * 2);
    const markdown = execFileSync("pandoc", ["--from=docx", "--to=markdown", "--wrap=none"], { input: word.bytes, encoding: "utf8", timeout: 60_000 });
    expect(markdown).toContain("# 3 Scope");
    expect(markdown).toContain("**Publication date**");

    const pdf = await download(/^Download this version as a PDF \(\.pdf, about \d+ KB\)$/);
    expect(pdf.filename).toBe("adult-external-beam-radiotherapy-1.0.pdf");
    expect(Buffer.from(pdf.bytes.subarray(0, 8)).toString()).toBe("%PDF-1.7");
    expect(pdf.bytes.length).toBeGreaterThan(hinted(pdf.label) / 2);
    expect(pdf.bytes.length).toBeLessThan(hinted(pdf.label) * 2);
    const facts = await pdfFacts(pdf.bytes);
    expect(facts.marked).toBe(true);
    expect(facts.text).toContain("Consultation draft");
    await expectNoAxeViolations(session.page);
    expect(session.errors).toEqual([]);
  });

  it("works without JavaScript, for the superseded version too", async () => {
    await session.open(`${SPEC}/v/0.9`, { javaScriptEnabled: false });
    const word = await download(/Download this version as a Word document/);
    expect(word.filename).toBe("adult-external-beam-radiotherapy-0.9.docx");
    const pdf = await download(/Download this version as a PDF/);
    expect((await pdfFacts(pdf.bytes)).text).toContain("Superseded");
  });

  it("answers a version that is not published with a page saying so", async () => {
    for (const path of [`${SPEC}/v/9.9.docx`, `${SPEC}/v/9.9.pdf`, `${SPEC}/compare/0.9...9.9.pdf`]) {
      const response = await session.open(path);
      expect(response.status(), path).toBe(404);
      await expect(session.page.locator("main").innerText()).resolves.toContain("has no published version “9.9”");
      await expectNoAxeViolations(session.page);
    }
    // The public files are cached like the public pages.
    const response = await fetch(`${baseURL}${SPEC}/v/1.0.pdf`);
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    const again = await fetch(`${baseURL}${SPEC}/v/1.0.pdf`, { headers: { "If-None-Match": response.headers.get("ETag")! } });
    expect(again.status).toBe(304);
  });
});

describe("downloading the changes", () => {
  it("gives the compare page as a PDF with each change's reason", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0`);
    const pdf = await download(/^Download these changes as a PDF, with the reason for each change \(\.pdf, about \d+ KB\)$/);
    expect(pdf.filename).toBe("adult-external-beam-radiotherapy-0.9-to-1.0.pdf");
    expect(pdf.bytes.length).toBeGreaterThan(hinted(pdf.label) / 2);
    expect(pdf.bytes.length).toBeLessThan(hinted(pdf.label) * 2);
    const facts = await pdfFacts(pdf.bytes);
    expect(facts.marked).toBe(true);
    expect(facts.text).toContain("Changes from version 0.9 to 1.0");
    expect(facts.text.replace(/\s+/g, " ")).toContain("Removed words are struck through");
    expect(facts.text).toMatch(/Why \(version 1\.0\):/);
  });

  it("gives Word tracked changes whose reasons are comments", async () => {
    await session.open(`${SPEC}/compare/0.9...1.0`);
    const word = await download(/Word document with tracked changes/);
    const markdown = execFileSync("pandoc", ["--track-changes=all", "--from=docx", "--to=markdown", "--wrap=none"], { input: word.bytes, encoding: "utf8", timeout: 60_000 });
    expect(markdown).toMatch(/\[Why this changed \(version 1\.0\): [^\]]+\]\{\.comment-start id="\d+" author="NHS England" date="2017-10-18T00:00:00Z"\}/);
    expect(markdown).not.toContain("@");
  });
});
