// A commissioner imports a CSV export of responses in the browser: upload, map the columns, say
// what the answers mean, watch the progress page refresh itself, and read the result — with
// JavaScript on and off. The pages pass axe-core and reflow at 320 px.
import { request as httpRequest } from "node:http";
import { afterAll, describe, expect, inject, it } from "vitest";
import { browserSession, expectNoAxeViolations, expectNoSidewaysScroll, REFLOW_VIEWPORT } from "./browser";
import { checkHtml } from "./html-checker";

const baseURL = inject("baseURL");
const session = browserSession(baseURL);
afterAll(() => session.close());

const ID = "radiotherapy-consultation-2017";

function csv(prefix: string): Buffer {
  return Buffer.from(
    "\uFEFF" +
      [
        "Response ID,Submitted,In what capacity are you responding?,Organisation name,Which of these best describes you?,Email address,May we publish your response?,Q1. To what extent do you agree?,Q1. Please explain your answer,Q2. How could it be improved?",
        `${prefix}-1,2017-11-03T14:05:00Z,As an individual,,Carers,jo@example.org,Publish my response anonymously,Strongly disagree,"Too far, twice a day","=HYPERLINK(""http://x"")"`,
        `${prefix}-2,20/10/2017 09:00,On behalf of an organisation,Carers Trust,Patient groups,,Publish my response in full,Agree,,More buses`,
        `${prefix}-3,43028.5,As an individual,,Clinicians,,Do not publish my response,,,Keep it local`,
      ].join("\r\n"),
  );
}

async function signIn(javaScriptEnabled: boolean, viewport?: { width: number; height: number }) {
  await session.open("/login", { javaScriptEnabled, viewport });
  const page = session.page;
  await page.getByLabel("Email address").fill("commissioner@example.nhs.uk");
  await page.getByLabel("Password").fill("specwork-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseURL}/`);
}

describe("importing responses in the browser", () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`takes a CSV through the mapping to the result (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      await signIn(javaScriptEnabled);
      const page = session.page;
      const response = await page.goto(`${baseURL}/consultations/${ID}/import`);
      expect(response?.headers()["cache-control"]).toBe("private, no-store");
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      const prefix = javaScriptEnabled ? "E2E-JS" : "E2E-NOJS";
      await page.getByLabel("Upload a file").setInputFiles({ name: "survey-export.csv", mimeType: "text/csv", buffer: csv(prefix) });
      await page.getByRole("button", { name: "Upload and continue" }).click();
      await page.getByRole("heading", { name: "Say what each column holds" }).waitFor();
      // The preview shows the first rows, formulas as text.
      await expect(page.locator(".sw-import-preview").textContent()).resolves.toContain('=HYPERLINK("http://x")');
      // The guesses from the headers, and one choice changed by hand.
      await expect(page.getByLabel("“Response ID”").inputValue()).resolves.toBe("id");
      await expect(page.getByLabel("“Q1. Please explain your answer”").inputValue()).resolves.toBe("q:q1-comment");
      await page.getByLabel("“Email address”").selectOption("");
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByRole("heading", { name: "Check what the answers mean" }).waitFor();
      await expect(page.getByLabel("“As an individual”").inputValue()).resolves.toBe("individual");
      await expect(page.getByLabel("“Publish my response anonymously”").inputValue()).resolves.toBe("anonymous");
      await expect(page.getByLabel("“Do not publish my response”").inputValue()).resolves.toBe("none");
      await page.getByLabel("Other formats (letters, emails, petitions)").check();
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      await page.getByRole("button", { name: "Import responses" }).click();
      // The progress page refreshes itself until the import is done.
      await page.getByRole("heading", { name: "Responses imported" }).waitFor({ timeout: 60_000 });
      await expect(page.locator(".nhsuk-panel__body").textContent()).resolves.toMatch(/Imported 3 responses, 0 already present/);
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      expect(session.errors).toEqual([]);
    });
  }

  it("imports the same file again as already present, and lists a bad file's problems with nothing imported", async () => {
    await signIn(true);
    const page = session.page;
    for (const [name, content, heading] of [
      ["again.csv", csv("E2E-JS"), "Responses imported"],
      ["bad.csv", Buffer.from("Response ID,In what capacity are you responding?,Q2. How could it be improved?\nBAD-1,As an individual,Hello\nBAD-2,Robot,Hello\n"), "Nothing was imported"],
    ] as const) {
      await page.goto(`${baseURL}/consultations/${ID}/import`);
      await page.getByLabel("Upload a file").setInputFiles({ name, mimeType: "text/csv", buffer: content });
      await page.getByRole("button", { name: "Upload and continue" }).click();
      await page.getByRole("heading", { name: "Say what each column holds" }).waitFor();
      await page.getByRole("button", { name: "Continue" }).click();
      await page.getByRole("heading", { name: "Check what the answers mean" }).waitFor({ timeout: 60_000 });
      await page.getByRole("button", { name: "Import responses" }).click();
      await page.getByRole("heading", { name: heading }).waitFor({ timeout: 60_000 });
      if (name === "again.csv") await expect(page.locator(".nhsuk-panel__body").textContent()).resolves.toMatch(/Imported 0 responses, 3 already present/);
    }
    const problems = await page.locator("table").textContent();
    expect(problems).toMatch(/Row\s*2/);
    expect(problems).toContain("In what capacity are you responding?");
    expect(problems).toMatch(/"Robot" is not one of the values/);
    await expectNoAxeViolations(page);
    await page.goto(`${baseURL}/consultations/${ID}/import`);
    const earlier = (await page.locator("table").textContent()) ?? "";
    expect(earlier.indexOf("bad.csv")).toBeGreaterThanOrEqual(0);
    expect(earlier.indexOf("bad.csv")).toBeLessThan(earlier.indexOf("again.csv"));
    expect(earlier).toMatch(/Nothing imported: 1 problem/);
    expect(earlier).toMatch(/Imported 0, 3 already present/);
    await expectNoAxeViolations(page);
    expect(session.errors).toEqual([]);
  }, 180_000);

  it("shows the progress of a long import without JavaScript, refreshing itself until it is done", async () => {
    await signIn(false);
    const page = session.page;
    const rows = ["Response ID,Q2. How could it be improved?"];
    for (let i = 1; i <= 30_000; i++) rows.push(`LONG-${i},Keep treatment close to home for patient ${i}`);
    await page.goto(`${baseURL}/consultations/${ID}/import`);
    await page.getByLabel("Upload a file").setInputFiles({ name: "long.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n")) });
    await page.getByRole("button", { name: "Upload and continue" }).click();
    await page.getByRole("heading", { name: "Say what each column holds" }).waitFor();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Check what the answers mean" }).waitFor();
    await page.getByRole("button", { name: "Import responses" }).click();
    // Checking 30,000 rows takes longer than answering the page, so the progress shows first.
    await page.getByRole("heading", { name: "Importing responses" }).waitFor();
    await expect(page.locator('meta[http-equiv="refresh"]').getAttribute("content")).resolves.toBe("2");
    await expect(page.getByRole("status").textContent()).resolves.toMatch(/rows? read/);
    await page.getByRole("heading", { name: "Responses imported" }).waitFor({ timeout: 120_000 });
    await expect(page.locator(".nhsuk-panel__body").textContent()).resolves.toMatch(/Imported 30,000 responses, 0 already present/);
    await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
  }, 240_000);

  it("reflows the mapping page at 320 px", async () => {
    await signIn(true, REFLOW_VIEWPORT);
    const page = session.page;
    await page.goto(`${baseURL}/consultations/${ID}/import`);
    await expectNoSidewaysScroll(page);
    await page.getByLabel("Upload a file").setInputFiles({ name: "narrow.csv", mimeType: "text/csv", buffer: csv("E2E-NARROW") });
    await page.getByRole("button", { name: "Upload and continue" }).click();
    await page.getByRole("heading", { name: "Say what each column holds" }).waitFor();
    await expectNoSidewaysScroll(page);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Check what the answers mean" }).waitFor();
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Import responses" }).click();
    await page.getByRole("heading", { name: "Responses imported" }).waitFor({ timeout: 60_000 });
    await expectNoSidewaysScroll(page);
  }, 180_000);
});

/** Sends headers that claim a body, and a few bytes of it, then reads the answer. */
function claim(path: string, length: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseURL + path);
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=x", "Content-Length": String(length), ...headers } }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.write("--x\r\n");
  });
}

describe("the upload's size limit", () => {
  it("refuses a Content-Length of 1 GB on the upload page at once, with 413", async () => {
    const answer = await claim(`/consultations/${ID}/import`, 1024 ** 3);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: "the request body is over the limit of 67108864 bytes (64 MiB)" });
  });

  it("lets only the upload page take more than 4 MiB", async () => {
    const login = await fetch(`${baseURL}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "email=commissioner%40example.nhs.uk&password=specwork-demo&next=%2F", redirect: "manual" });
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    // 5 MiB of CSV: over the site's limit, under the upload page's.
    const rows = ["Response ID,Q2. How could it be improved?"];
    for (let i = 0, size = 0; size < 5 * 1024 * 1024; i++) size += rows[rows.push(`BIG-${i},${"words ".repeat(100)}`) - 1]!.length + 1;
    const form = new FormData();
    form.set("file", new Blob([rows.join("\n")], { type: "text/csv" }), "big.csv");
    const upload = await fetch(`${baseURL}/consultations/${ID}/import`, { method: "POST", headers: { Cookie: cookie }, body: form, redirect: "manual" });
    expect(upload.status).toBe(302);
    expect(upload.headers.get("Location")).toMatch(/\/import\/map\?upload=[0-9a-f]{32}$/);
    const elsewhere = await fetch(`${baseURL}/specs/adult-external-beam-radiotherapy/drafts`, { method: "POST", headers: { Cookie: cookie }, body: form, redirect: "manual" });
    expect(elsewhere.status).toBe(413);
  });
});

describe("the import pages' HTML", () => {
  it("passes the W3C HTML checker at every step, the problems list included", async () => {
    const login = await fetch(`${baseURL}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "email=commissioner%40example.nhs.uk&password=specwork-demo&next=%2F", redirect: "manual" });
    const cookie = login.headers.get("Set-Cookie")!.split(";")[0]!;
    const get = async (path: string) => (await fetch(baseURL + path, { headers: { Cookie: cookie } })).text();
    const post = (path: string, fields: [string, string][]) => fetch(baseURL + path, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields), redirect: "manual" });
    const documents = new Map<string, string>([["upload", await get(`/consultations/${ID}/import`)]]);
    const form = new FormData();
    form.set("file", new Blob([csv("E2E-HTML").toString("utf8")], { type: "text/csv" }), "html.csv");
    const upload = await fetch(`${baseURL}/consultations/${ID}/import`, { method: "POST", headers: { Cookie: cookie }, body: form, redirect: "manual" });
    const mapPath = upload.headers.get("Location")!;
    documents.set("columns", await get(mapPath));
    const token = new URL(mapPath, baseURL).searchParams.get("upload")!;
    // Capacity left unmapped on purpose, so every row fails: the problems page is checked too.
    const columns: [string, string][] = [["upload", token], ["channel", "online"], ["col-0", "id"], ["col-2", "capacity"], ["col-7", "q:q1"]];
    documents.set("values", await (await post(`/consultations/${ID}/import/map`, [...columns, ["step", "columns"]])).text());
    documents.set("values with a problem", await (await post(`/consultations/${ID}/import/map`, [...columns, ["step", "start"], ["captext-0", "As an individual"], ["cap-0", ""]])).text());
    const started = await post(`/consultations/${ID}/import/map`, [...columns, ["step", "start"], ["captext-0", "As an individual"], ["cap-0", "individual"]]);
    const resultPath = started.headers.get("Location")!;
    let html = await get(resultPath);
    for (let i = 0; i < 600 && html.includes('http-equiv="refresh"'); i++) {
      documents.set("progress", html);
      await new Promise((r) => setTimeout(r, 100));
      html = await get(resultPath);
    }
    expect(html).toContain("Nothing was imported");
    documents.set("problems", html);
    const errors = (await checkHtml(documents)).map((m) => `${m.document}:${m.line}:${m.column}: ${m.message} ${JSON.stringify(m.extract ?? "")}`);
    expect(errors).toEqual([]);
  }, 180_000);
});
