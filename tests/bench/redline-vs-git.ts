// The redline against git (issue 13, goal 2): for the generated 50,000-word specification at 1%,
// 5% and 20% of words changed, the in-process median of redline() beside the median wall time of
// `git diff --no-index --word-diff=porcelain` run as a whole process (start-up included) on the
// plain text of the same two versions, one item per line (a clause's list items on lines of their
// own), written to temporary files. Goal: redline / git ≤ 1.
//
// Then the peak memory of the 20% redline above the parsed documents, in a fresh process of its
// own (this script with `--memory <file>`, run with --expose-gc): it reads the two documents from a
// JSON file, collects garbage, notes its resident set, runs the redline once and reads the peak
// resident set the kernel kept for the process (getrusage maxrss). The difference is the most the
// redline added; if parsing the JSON peaked higher, the figure only overstates. Goal: < 64 MiB.
//
// Alone: `npx tsx tests/bench/redline-vs-git.ts`; `npm run bench` runs it too. BENCH_RUNS sets the
// runs per median (21).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { itemTexts } from "~/domain/document";
import { redline } from "~/domain/redline";
import type { DocJSON } from "~/domain/schema";
import type { SpecSource } from "~/domain/source/parse";
import { changeWords, generateSpecification } from "./generate";

const FRACTIONS = [0.01, 0.05, 0.2];
const MEMORY_GOAL_MIB = 64;
const MiB = 1024 * 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Medians of two timings taken in turns (one of each, then again), so that a busy spell of the
 * machine falls on both rather than on one.
 */
function timedInTurns(runs: number, first: () => void, second: () => void): [number, number] {
  // Warm up: the compiler settles on its fastest code only after a few runs (and git's files
  // are then in the page cache).
  for (let i = 0; i < 5; i++) {
    first();
    second();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    first();
    a.push(performance.now() - start);
    start = performance.now();
    second();
    b.push(performance.now() - start);
  }
  return [median(a), median(b)];
}

/** The plain text git compares: every section and clause in order, each on its own line(s). */
const plainText = (doc: DocJSON) => itemTexts(doc).map((item) => item.plainText).join("\n") + "\n";

/** The same seeds as the redline rows of run.ts, so the pairs are the same. */
const changedCopy = (source: SpecSource, fraction: number) => changeWords(source, fraction, 7 + fraction * 100);

function gitWordDiff(a: string, b: string): void {
  const result = spawnSync("git", ["diff", "--no-index", "--no-color", "--word-diff=porcelain", a, b], { maxBuffer: 256 * MiB });
  // `git diff --no-index` exits 1 when the files differ, which they always do here.
  if (result.status !== 1) throw new Error(`git diff failed (status ${result.status}): ${result.error ?? result.stderr}`);
}

export async function benchRedlineVsGit(source: SpecSource = generateSpecification(2016), runs = Number(process.env.BENCH_RUNS || 21)): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "redline-vs-git-"));
  try {
    const before = path.join(dir, "from.txt");
    writeFileSync(before, plainText(source.doc));
    console.log(`redline vs git diff --no-index --word-diff=porcelain (whole process), median of ${runs} runs, taken in turns`);
    for (const fraction of FRACTIONS) {
      const changed = changedCopy(source, fraction);
      const after = path.join(dir, `to-${fraction}.txt`);
      writeFileSync(after, plainText(changed.doc));
      const from = { version: "1.0", doc: source.doc, hash: "sha256:from" };
      const to = { version: "1.1", doc: changed.doc, hash: "sha256:to" };
      const [redlineMs, gitMs] = timedInTurns(
        runs,
        () => void redline(from, to),
        () => gitWordDiff(before, after),
      );
      const ratio = redlineMs / gitMs;
      console.log(
        `  ${String(fraction * 100).padStart(2)}% of words changed: redline median_ms=${redlineMs.toFixed(1)}  git median_ms=${gitMs.toFixed(1)}  ` +
          `redline/git=${ratio.toFixed(2)} (goal ≤ 1: ${ratio <= 1 ? "met" : "not met"})`,
      );
    }

    const docs = path.join(dir, "docs.json");
    writeFileSync(docs, JSON.stringify({ from: source.doc, to: changedCopy(source, 0.2).doc }));
    const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url), "--memory", docs], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(`the memory measurement failed: ${child.stderr}`);
    const { baseline, peakBefore, peak, heapBefore, heapAfter } = JSON.parse(child.stdout) as { baseline: number; peakBefore: number; peak: number; heapBefore: number; heapAfter: number };
    const added = (peak - baseline) / MiB;
    console.log(
      `  20% redline peak memory above the parsed documents: ${added.toFixed(1)} MiB (goal < ${MEMORY_GOAL_MIB}: ${added < MEMORY_GOAL_MIB ? "met" : "not met"}; ` +
        `peak RSS ${(peak / MiB).toFixed(0)} MiB over ${(baseline / MiB).toFixed(0)} MiB with the documents parsed, in a fresh process` +
        (peak > peakBefore ? "; " : ` (no higher than the ${(peakBefore / MiB).toFixed(0)} MiB reached before the redline, so an upper bound); `) +
        `heap ${(heapBefore / MiB).toFixed(0)} → ${(heapAfter / MiB).toFixed(0)} MiB before collection)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The child's part: parse the documents, settle the heap, then one redline. Prints bytes as JSON. */
function measureMemory(file: string): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  const { from, to } = JSON.parse(readFileSync(file, "utf8")) as { from: DocJSON; to: DocJSON };
  gc();
  gc();
  const baseline = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const result = redline({ version: "1.0", doc: from, hash: "sha256:from" }, { version: "1.1", doc: to, hash: "sha256:to" });
  const heapAfter = process.memoryUsage().heapUsed;
  // maxRSS is in KiB: the process's peak resident set so far.
  const peak = process.resourceUsage().maxRSS * 1024;
  if (!result.items.length) throw new Error("empty redline");
  process.stdout.write(JSON.stringify({ baseline, peakBefore, peak, heapBefore, heapAfter }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--memory");
  if (at > 0) measureMemory(process.argv[at + 1]!);
  else await benchRedlineVsGit();
}
