// npm run bench:editor: keystroke latency of the draft editor in Chromium, on the 50,000-word
// benchmark specification with about 5% of its words changed and the changes shown. Per key:
// from keydown to the end of the next frame. A script, not a test: it prints figures, asserts nothing.
//
// What is left after the editor's own work (about 1 ms a key: only the clause typed in is
// compared, when typing pauses) is mostly Chromium's: on each selection change it works out the
// caret's offset in the text from the start of the editable element (Editor::SyncSelection in a
// trace), so the cost grows with the text and elements before the caret, and every mark adds
// elements (hiding the numbers and margin notes saved only about a tenth). Clauses out of view
// with content-visibility: auto halved it, but Chromium then put a caret set at the end of a
// clause into the next one, so that is not used.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { itemTexts } from "~/domain/document";
import { writeSpec } from "~/domain/source/write";
import { launchBrowser } from "../e2e/browser";
import { changeWords, generateSpecification } from "./generate";

const KEYS = Number(process.env.BENCH_KEYS || 200);
const GOAL_MS = 16;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the app did not answer at ${url}`);
}

const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;

/** Types KEYS characters at the end of the clause's first paragraph, one key at a time; each key's latency in ms. */
async function typeAndMeasure(page: Page, clauseId: string): Promise<number[]> {
  await page.evaluate((id) => {
    const p = document.querySelector(`.sw-editor [data-clause-id="${id}"] > p`)!;
    p.scrollIntoView({ block: "center" });
    (p.closest(".sw-editor") as HTMLElement).focus();
    const range = document.createRange();
    range.selectNodeContents(p);
    range.collapse(false);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    const w = window as unknown as { keyLatencies: number[] };
    w.keyLatencies = [];
    // Captured first, before the editor sees the key; the time is taken after the next frame is drawn.
    document.addEventListener(
      "keydown",
      () => {
        const start = performance.now();
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => w.keyLatencies.push(performance.now() - start);
          channel.port2.postMessage(null);
        });
      },
      { capture: true },
    );
  }, clauseId);
  await page.waitForTimeout(200);
  const words = " the network reports to the oversight group each quarter and the host provider publishes its annual work plan";
  let text = "";
  while (text.length < KEYS) text += words;
  // One key at a time, a little slower than a fast typist, so each key's frame is its own.
  for (const char of text.slice(0, KEYS)) {
    await page.keyboard.type(char);
    await page.waitForTimeout(25);
  }
  await page.waitForFunction((n) => (window as unknown as { keyLatencies: number[] }).keyLatencies.length >= n, KEYS);
  return page.evaluate(() => (window as unknown as { keyLatencies: number[] }).keyLatencies);
}

async function main() {
  if (!existsSync("build/index.js")) throw new Error("No build: run npm run build first.");
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-keys-"));
  const specs = path.join(dir, "specs");
  cpSync("specs", specs, { recursive: true });
  const source = generateSpecification(2016);
  writeFileSync(path.join(specs, "benchmark.md"), writeSpec(source));
  const changed = changeWords(source, 0.05, 12);
  const port = await freePort();
  const server = spawn(process.execPath, ["server.js"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: path.join(dir, "keys.sqlite"), SPECS_DIR: specs, NODE_ENV: "production", SPECWORK_DEMO: "on", DEMO_PASSWORD: "specwork-demo" },
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  const browser = await launchBrowser();
  try {
    await waitForServer(base);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${base}/login`);
    await page.getByLabel("Email address").fill("editor@example.nhs.uk");
    await page.getByLabel("Password").fill("specwork-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/specs/${source.meta.slug}`);
    await page.getByLabel("Start a new draft from").selectOption(source.meta.version);
    await page.getByRole("button", { name: "Start draft" }).click();
    await page.waitForURL(/\/drafts\/\d+$/);
    const draftId = Number(new URL(page.url()).pathname.split("/").pop());
    // The draft differs from its version in about 5% of its words, saved through the editor's own API.
    const status = await page.evaluate(
      async ({ id, doc }) => {
        const response = await fetch(`/api/drafts/${id}`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ baseRevision: 0, doc, requestId: crypto.randomUUID() }) });
        return response.ok ? 200 : `${response.status} ${await response.text()}`;
      },
      { id: draftId, doc: changed.doc },
    );
    if (status !== 200) throw new Error(`saving the changed draft answered ${status}`);
    const clauses = itemTexts(changed.doc).filter((item) => item.kind === "clause");
    const middle = clauses[Math.floor(clauses.length / 2)]!;
    const words = itemTexts(changed.doc).reduce((n, item) => n + item.plainText.split(/\s+/).filter(Boolean).length, 0);
    console.log(`editor keystrokes: ${clauses.length} clauses, ${words} words, about 5% of words changed; ${KEYS} keys typed into clause ${middle.number} in Chromium (headless)`);

    for (const view of ["Show changes", "Final"] as const) {
      await page.goto(page.url());
      await page.waitForSelector(".sw-editor .sw-ed-number");
      if (view === "Final") await page.getByRole("button", { name: "Final", exact: true }).click();
      const marks = await page.locator(".sw-editor ins, .sw-editor del").count();
      // Where the time goes, from Chromium's own counters (seconds, summed over the run).
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Performance.enable");
      const counters = async () => Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
      const before = await counters();
      // BENCH_PROFILE=1 also lists the functions that took the most time (names as bundled).
      if (process.env.BENCH_PROFILE) {
        await cdp.send("Profiler.enable");
        await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
        await cdp.send("Profiler.start");
      }
      const latencies = (await typeAndMeasure(page, middle.id)).sort((a, b) => a - b);
      if (process.env.BENCH_PROFILE) {
        const { profile } = await cdp.send("Profiler.stop");
        const self = new Map<string, number>();
        const dt = new Map<number, number>();
        profile.samples!.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas![i] ?? 0)));
        for (const node of profile.nodes) {
          const name = `${node.callFrame.functionName || "(anon)"} ${node.callFrame.url.split("/").pop()}:${node.callFrame.lineNumber}:${node.callFrame.columnNumber}`;
          self.set(name, (self.get(name) ?? 0) + (dt.get(node.id) ?? 0));
        }
        console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([n, t]) => `      ${(t / 1000).toFixed(0)}ms ${n}`).join("\n"));
      }
      const after = await counters();
      const perKey = (name: string) => (((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / KEYS;
      console.log(
        `  ${view.padEnd(13)} (${marks} marks drawn): p50_ms=${at(latencies, 0.5).toFixed(1)}  p95_ms=${at(latencies, 0.95).toFixed(1)}  max_ms=${latencies[latencies.length - 1]!.toFixed(1)}  (goal: p95 ≤ ${GOAL_MS} ms)`,
      );
      console.log(`    per key: script_ms=${perKey("ScriptDuration").toFixed(1)}  style_ms=${perKey("RecalcStyleDuration").toFixed(1)}  layout_ms=${perKey("LayoutDuration").toFixed(1)}  all_tasks_ms=${perKey("TaskDuration").toFixed(1)}`);
      await cdp.detach();
    }
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
