// npm run bench: times the document pipeline and the redline on a seeded 50,000-word
// specification, and prints medians and peak memory. A script, not a test: it asserts nothing.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { diffArrays, diffWords } from "diff";
import { myersDiff } from "~/domain/redline/myers";
import { TokenInterner, tokenize } from "~/domain/redline/tokens";
import { itemTexts } from "~/domain/document";
import { contentHash } from "~/domain/hashing";
import { redline } from "~/domain/redline";
import type { DocJSON } from "~/domain/schema";
import { parseSpec } from "~/domain/source/parse";
import { writeSpec } from "~/domain/source/write";
import { buildCorpus, scoreCorpus } from "./anchoring-corpus";
import { changeWords, generateSpecification } from "./generate";
import { benchImports } from "./imports";
import { benchSuggestions } from "./suggestions";
import { benchReport } from "./report";
import { benchDownloads } from "./downloads";
import { benchStartup } from "./startup";
import { benchRedlineVsGit } from "./redline-vs-git";

const RUNS = Number(process.env.BENCH_RUNS || 21);
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS || 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(runs: number, run: () => unknown): number {
  run(); // warm up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const maxRssMiB = () => process.resourceUsage().maxRSS / 1024;
const wholeText = (doc: DocJSON) => itemTexts(doc).map((item) => item.plainText).join("\n");

const source = generateSpecification(2016);
const text = writeSpec(source);
const words = text.split(/\s+/).filter(Boolean).length;
const clauses = itemTexts(source.doc).filter((i) => i.kind === "clause").length;
console.log(`benchmark specification: ${clauses} clauses, ${words} words, ${(text.length / 1024).toFixed(0)} KiB of source`);
console.log(`median of ${RUNS} runs (jsdiff whole-text baseline: median of ${BASELINE_RUNS})\n`);

console.log("document pipeline");
const bytes = new TextEncoder().encode(text);
const pipeline: [string, () => unknown][] = [
  ["parse (bytes → tree)", () => parseSpec(bytes)],
  ["write (tree → source)", () => writeSpec(source)],
  ["content hash", () => contentHash(source.doc)],
  ["numbers and plain text", () => itemTexts(source.doc)],
];
for (const [name, run] of pipeline) console.log(`  ${name.padEnd(26)} median_ms=${measure(RUNS, run).toFixed(2)}`);

console.log("\nredline (clause-aligned) vs jsdiff diffWords over the whole text");
const rows: string[] = [];
for (const fraction of [0.01, 0.05, 0.2]) {
  const changed = changeWords(source, fraction, 7 + fraction * 100);
  const from = { version: "1.0", doc: source.doc, hash: "sha256:from" };
  const to = { version: "1.1", doc: changed.doc, hash: "sha256:to" };
  const result = redline(from, to);
  const redlineMs = measure(RUNS, () => redline(from, to));
  const rssAfterRedline = maxRssMiB();
  const oldText = wholeText(source.doc);
  const newText = wholeText(changed.doc);
  const baselineMs = measure(BASELINE_RUNS, () => diffWords(oldText, newText));
  const { modified, inserted, deleted } = result.summary;
  rows.push(
    `  ${String(fraction * 100).padStart(2)}% of words changed: redline median_ms=${redlineMs.toFixed(2)}  ` +
      `jsdiff_diffWords median_ms=${baselineMs.toFixed(1)}  ratio=${(baselineMs / redlineMs).toFixed(0)}x  ` +
      `(${modified} clauses modified, ${inserted + deleted} inserted/deleted; peak_rss_mib after redline=${rssAfterRedline.toFixed(0)})`,
  );
  console.log(rows[rows.length - 1]);
}
// Issue 13's goal: the redline no slower than git's word diff of the same texts, run as a process.
console.log("");
await benchRedlineVsGit(source, RUNS);
console.log("");
// The word diff's core, like for like: the same interned tokens of each changed clause, one call
// per clause, our Myers (myers.ts) against jsdiff's diffArrays, neither with a time budget. Both
// find a shortest edit script; the edit counts are compared to show they agree.
console.log("\nword diff core, per changed clause: myers.ts vs jsdiff diffArrays (same tokens, same calls)");
for (const fraction of [0.01, 0.05, 0.2]) {
  const changed = changeWords(source, fraction, 7 + fraction * 100);
  const before = new Map(itemTexts(source.doc).map((item) => [item.id, item.plainText]));
  const interner = new TokenInterner();
  const pairs = itemTexts(changed.doc)
    .filter((item) => before.has(item.id) && before.get(item.id) !== item.plainText)
    .map((item) => {
      const a = interner.intern(tokenize(before.get(item.id)!));
      const b = interner.intern(tokenize(item.plainText));
      return { a, b, arrayA: Array.from(a), arrayB: Array.from(b) };
    });
  const now = () => performance.now();
  const edits = (runs: { op: string; count: number }[]) => runs.filter((r) => r.op !== "equal").reduce((n, r) => n + r.count, 0);
  const myersEdits = pairs.reduce((n, p) => n + edits(myersDiff(p.a, p.b, Infinity, now)!), 0);
  const jsdiffEdits = pairs.reduce((n, p) => n + diffArrays(p.arrayA, p.arrayB).filter((c) => c.added || c.removed).reduce((k, c) => k + c.count, 0), 0);
  const myersMs = measure(RUNS, () => pairs.forEach((p) => myersDiff(p.a, p.b, Infinity, now)));
  const jsdiffMs = measure(RUNS, () => pairs.forEach((p) => diffArrays(p.arrayA, p.arrayB)));
  console.log(
    `  ${String(fraction * 100).padStart(2)}%: ${pairs.length} clauses, myers median_ms=${myersMs.toFixed(2)} (${myersEdits} edits)  ` +
      `jsdiff_diffArrays median_ms=${jsdiffMs.toFixed(2)} (${jsdiffEdits} edits)  jsdiff/myers=${(jsdiffMs / myersMs).toFixed(1)}x`,
  );
}

console.log("\nannotation anchoring (generated corpus)");
const corpusStart = performance.now();
const score = scoreCorpus(buildCorpus(Number(process.env.BENCH_ANCHORS || 2000)));
console.log(
  `  ${score.cases} cases in ${(performance.now() - corpusStart).toFixed(0)} ms: unchanged text kept ${(score.unchangedSurvival * 100).toFixed(1)}% ` +
    `(target 100%), quotes changed ≤10% placed ${(score.smallEditPlacement * 100).toFixed(1)}% (target ≥95%), wrong placements ${score.wrongPlacements} (target 0)`,
);
for (const [kind, stats] of Object.entries(score.byKind)) {
  console.log(`    ${kind.padEnd(44)} ${stats.correct}/${stats.total} as expected, ${stats.orphaned} orphaned, ${stats.wrong} wrong`);
}

console.log(`\ndownloads (median of ${process.env.BENCH_DOWNLOAD_RUNS || 5} runs)`);
await benchDownloads(source);

console.log("\nsuggestions (coding queue)");
await benchSuggestions({ responses: Number(process.env.BENCH_SUGGESTION_RESPONSES || 100_000) });
await benchReport();
// The uncached pages over a long history (30 versions, annotations, responses); BENCH_PAGES=off skips it.
// Imported only then: it points DATABASE_PATH at a database of its own, as the integration tests do.
if (process.env.BENCH_PAGES !== "off") await (await import("./pages")).benchPages();

console.log(`\npeak_rss_mib=${maxRssMiB().toFixed(0)} (whole run, including the jsdiff baseline)`);

// Each import runs in a process of its own, so its peak memory is its own.
if (process.env.BENCH_IMPORTS !== "off") await benchImports();

// Start-up starts the built server (node server.js) over and over, each in a process of its own.
if (process.env.BENCH_STARTUP !== "off") {
  console.log("");
  await benchStartup();
}

// The editor's keystroke latency needs the built app and Chromium, so it is a script of its own
// (npm run bench:editor), run here after the rest unless BENCH_EDITOR=off.
if (process.env.BENCH_EDITOR !== "off") {
  console.log("");
  if (!existsSync("build/index.js")) console.log("editor keystrokes: skipped, no build (npm run build, then npm run bench:editor)");
  else spawnSync(process.execPath, ["--import", "tsx", path.resolve("tests/bench/keystrokes.ts")], { stdio: "inherit" });
}
