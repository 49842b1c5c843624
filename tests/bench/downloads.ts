// npm run bench, "downloads": the 50,000-word benchmark specification written as the files a
// reader downloads (the version as Word and as PDF; 5% of its words changed, as Word tracked
// changes with a comment on every changed clause and as the compare PDF), median of a few runs
// each, beside its goal.
import { redline, redlineRows } from "~/domain/redline";
import { isChange } from "~/domain/redline";
import type { SpecSource } from "~/domain/source/parse";
import { comparePdf } from "~/exports/compare-pdf.server";
import { redlineDocx, type ChangeComment } from "~/exports/redline-docx";
import { versionDocx } from "~/exports/version-docx.server";
import { versionPdf } from "~/exports/version-pdf.server";
import { changeWords } from "./generate";

/** Goals in milliseconds: a download should start within a couple of seconds. */
const GOALS = { docx: 2000, pdf: 4000, redlineDocx: 3000, comparePdf: 4000 };

async function median(runs: number, run: () => Promise<Uint8Array>): Promise<{ ms: number; bytes: number }> {
  let bytes = (await run()).length; // warm up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    bytes = (await run()).length;
    samples.push(performance.now() - start);
  }
  return { ms: samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!, bytes };
}

export async function benchDownloads(source: SpecSource, runs = Number(process.env.BENCH_DOWNLOAD_RUNS || 5)): Promise<void> {
  const input = { slug: "benchmark", title: source.doc.attrs.title, reference: source.doc.attrs.reference, number: "1.0", label: "Benchmark", date: "2017-10-18", status: "published" as const, doc: source.doc };
  const changed = changeWords(source, 0.05, 12).doc;
  const result = redline({ version: "1.0", doc: source.doc, hash: "sha256:from" }, { version: "1.1", doc: changed, hash: "sha256:to" });
  const rows = redlineRows(result, source.doc, changed);
  const reasons = new Map(rows.filter((r) => r.kind === "clause" && isChange(r)).map((r) => [r.id, [{ version: "1.1", rationale: "Respondents asked for clearer wording here." }]]));
  const comments = new Map<string, ChangeComment[]>([...reasons].map(([id, list]) => [id, list.map((r) => ({ author: "Demo Editor", date: "2017-10-18T00:00:00Z", text: `Why this changed (version 1.1): ${r.rationale}` }))]));
  const cases: [string, keyof typeof GOALS, () => Promise<Uint8Array>][] = [
    ["version as Word (.docx)", "docx", () => versionDocx(input)],
    ["version as PDF", "pdf", () => versionPdf(input)],
    [`tracked changes as Word, ${comments.size} comments`, "redlineDocx", () => redlineDocx({ title: input.title, reference: input.reference, from: { version: "1.0", label: null, doc: source.doc }, to: { version: "1.1", label: null, doc: changed }, redline: result, author: "NHS England", date: "2017-10-18T00:00:00Z", comments })],
    [`changes as PDF, ${rows.filter(isChange).length} changes`, "comparePdf", () => comparePdf({ slug: "benchmark", title: input.title, reference: input.reference, from: { number: "1.0", label: null, date: "2017-10-18" }, to: { number: "1.1", label: null, date: "2018-01-24" }, summary: result.summary, rows, reasons })],
  ];
  for (const [name, goal, run] of cases) {
    const { ms, bytes } = await median(runs, run);
    console.log(`  ${name.padEnd(44)} median_ms=${ms.toFixed(0)} (goal ≤ ${GOALS[goal]})  size_kib=${(bytes / 1024).toFixed(0)}`);
  }
}
