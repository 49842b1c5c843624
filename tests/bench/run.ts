// npm run bench: times the document pipeline on a seeded 50,000-word specification and prints
// medians and peak memory. A script, not a test: it prints figures and asserts nothing.
import { documentItems } from "~/domain/document";
import { contentHash } from "~/domain/hashing";
import { parseSpec } from "~/domain/source/parse";
import { writeSpec } from "~/domain/source/write";
import { generateSpecification } from "./generate";

const RUNS = Number(process.env.BENCH_RUNS || 21);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(name: string, run: () => unknown): void {
  run(); // warm up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  console.log(`${name.padEnd(28)} median_ms=${median(samples).toFixed(2)}  min_ms=${Math.min(...samples).toFixed(2)}`);
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);

const source = generateSpecification(2016);
const text = writeSpec(source);
const words = text.split(/\s+/).filter(Boolean).length;
const items = documentItems(source.doc);
console.log(
  `benchmark specification: ${items.filter((i) => i.kind === "clause").length} clauses, ${words} words, ${(text.length / 1024).toFixed(0)} KiB of source; ${RUNS} runs each`,
);

const bytes = new TextEncoder().encode(text);
time("parse (bytes → tree)", () => {
  const result = parseSpec(bytes);
  if (!result.ok) throw new Error("the generated specification did not parse");
});
time("write (tree → source)", () => writeSpec(source));
time("content hash", () => contentHash(source.doc));
time("numbers and plain text", () => documentItems(source.doc));

peakRss = Math.max(peakRss, process.memoryUsage().rss);
clearInterval(sampler);
console.log(`peak_rss_mib=${(peakRss / 1024 / 1024).toFixed(1)}`);
