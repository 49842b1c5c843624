// Benchmarks for importing responses (format §5): generates an export with a seeded generator
// (4 questions, some clause comments), imports it into a fresh database, and prints the time,
// rows per second and the peak memory of the process that did it. Each case runs in a process of
// its own (`tsx tests/bench/imports.ts csv 12000`), so that peak memory belongs to that case alone.
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import ExcelJS from "exceljs";
import { parseMapping } from "~/domain/response-mapping";
import { createConsultation } from "~/models/consultations.server";
import { migrateToLatest, openDatabase } from "~/models/db.server";
import { seedIfEmpty } from "~/models/library.server";
import { importResponsesFile, type ImportFormat } from "~/models/response-import.server";
import { seededRandom } from "../unit/random";

const CONSULTATION = "bench-import";
const HEAP_CAP_MIB = 128;
const HEADERS = ["Response ID", "Submitted", "Capacity", "Organisation name", "Which of these best describes you?", "Email address", "Consent", "Q1", "Q1 comment", "Q2", "Q3", "Q3 comment", "Q4", "Comment on travel", "Comment on the host provider"];
const MAPPING = {
  id: "Response ID",
  submitted: "Submitted",
  capacity: { column: "Capacity", values: { "As an individual": "individual", "On behalf of an organisation": "organisation" } },
  organisation: "Organisation name",
  audience: "Which of these best describes you?",
  email: "Email address",
  consent: { column: "Consent", values: { "Publish my response in full": "full", "Publish my response anonymously": "anonymous", "Do not publish my response": "none" } },
  answers: { Q1: "q1", "Q1 comment": "q1-comment", Q2: "q2", Q3: "q3", "Q3 comment": "q3-comment", Q4: "q4" },
  clauses: { "Comment on travel": "travel-transport-accommodation", "Comment on the host provider": "host-provider" },
};
const WORDS = "travel journey network centre local treatment machine staff parking transport cost rural coastal access waiting chair host provider trial protocol equipment modern planning patients carers family".split(" ");
const SCALE = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree", ""];
const AUDIENCES = ["Clinicians", "Patients and the public", "Carers", "Service providers", "Patient groups", "Someone else"];

function* rows(count: number, seed: number): Generator<string[]> {
  const random = seededRandom(seed);
  const sentence = (min: number, max: number) => {
    const n = min + random.int(max - min);
    const words = Array.from({ length: n }, () => random.pick(WORDS));
    return words.join(" ").replace(/^./, (c) => c.toUpperCase()) + (random.chance(0.2) ? ", and \"more\"." : ".");
  };
  for (let i = 1; i <= count; i++) {
    const organisation = random.chance(0.1);
    const day = new Date(Date.UTC(2017, 9, 18) + random.int(98 * 86_400) * 1000);
    yield [
      `BENCH-${i}`,
      day.toISOString(),
      organisation ? "On behalf of an organisation" : "As an individual",
      organisation ? `Organisation ${random.int(500)}` : "",
      random.pick(AUDIENCES),
      random.chance(0.5) ? `person${i}@example.org` : "",
      random.pick(["Publish my response in full", "Publish my response anonymously", "Do not publish my response"]),
      random.pick(SCALE),
      random.chance(0.7) ? sentence(5, 60) : "",
      sentence(10, 80) + (random.chance(0.1) ? "\nA second paragraph." : ""),
      random.pick(SCALE),
      random.chance(0.5) ? sentence(5, 40) : "",
      random.chance(0.6) ? sentence(5, 40) : "",
      random.chance(0.15) ? sentence(5, 30) : "",
      random.chance(0.1) ? sentence(5, 30) : "",
    ];
  }
}

const csvCell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);

export async function writeCsv(file: string, count: number): Promise<void> {
  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, "drain");
  };
  await write(HEADERS.map(csvCell).join(",") + "\r\n");
  for (const row of rows(count, 2017)) await write(row.map(csvCell).join(",") + "\r\n");
  out.end();
  await once(out, "finish");
}

export async function writeXlsx(file: string, count: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const sheet = workbook.addWorksheet("Responses");
  sheet.addRow(HEADERS).commit();
  for (const row of rows(count, 2017)) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
}

/** Imports a file made beforehand (by the parent process, so its making is not in this process's peak). */
async function runCase(format: ImportFormat, count: number, file: string): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-bench-import-"));
  try {
    const db = openDatabase(path.join(dir, "bench.sqlite"));
    await migrateToLatest(db);
    await seedIfEmpty(db, path.resolve("specs"));
    await createConsultation(db, null, {
      id: CONSULTATION,
      slug: "adult-external-beam-radiotherapy",
      versionNumber: "1.0",
      fields: { title: "Benchmark consultation", kind: "consultation", summary: "For the benchmark.", whyItMatters: "It measures imports.", opensAt: "2017-10-17T23:00:00.000Z", closesAt: "2018-01-24T23:59:00.000Z" },
      events: [],
      audiences: ["clinicians", "carers"],
      questions: [
        { id: "q1", kind: "agree-scale", text: "Do you agree with the specification?", itemId: null },
        { id: "q2", kind: "free-text", text: "How could it be improved?", itemId: null },
        { id: "q3", kind: "agree-scale", text: "Do you agree with the network arrangements?", itemId: "network-arrangements" },
        { id: "q4", kind: "free-text", text: "Anything else?", itemId: null },
      ],
    });
    const mapping = parseMapping(MAPPING);
    if (!mapping.ok) throw new Error(mapping.problems.join("\n"));
    const rssBefore = process.memoryUsage().rss;
    const start = performance.now();
    const result = await importResponsesFile(db, { id: null, email: "bench" }, CONSULTATION, { file, format, mapping: mapping.mapping });
    const ms = performance.now() - start;
    if (!result.ok) throw new Error(JSON.stringify(result.problems.slice(0, 5)));
    await db.destroy();
    process.stdout.write(
      JSON.stringify({ format, count, imported: result.imported, ms, fileMiB: statSync(file).size / 1024 / 1024, rssBeforeMiB: rssBefore / 1024 / 1024, peakRssMiB: process.resourceUsage().maxRSS / 1024 }) + "\n",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Makes each export here, then imports it in a child process of its own, and prints the figures beside the goals. */
export async function benchImports(cases: [ImportFormat, number][] = [["csv", 12_000], ["xlsx", 12_000], ["csv", 100_000], ["xlsx", 100_000]]): Promise<void> {
  console.log("\nimporting responses (seeded exports, 4 questions and 2 clause-comment columns; a fresh database per case;");
  console.log(`  the import alone is timed, both passes: check every row, then store them in one transaction; heap capped at ${HEAP_CAP_MIB} MiB)`);
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-bench-exports-"));
  try {
    for (const [format, count] of cases) {
      const file = path.join(dir, `export-${count}.${format}`);
      await (format === "csv" ? writeCsv(file, count) : writeXlsx(file, count));
      // A capped heap shows the memory is flat: V8 would otherwise let garbage pile up before collecting it.
      const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MIB}`, "--import", "tsx", path.resolve("tests/bench/imports.ts"), format, String(count), file], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
      rmSync(file, { force: true });
      if (child.status !== 0) {
        console.log(`  ${format} ${count}: failed: ${child.stderr.trim().split("\n").slice(-3).join(" ")}`);
        continue;
      }
      const r = JSON.parse(child.stdout.trim().split("\n").pop()!) as { imported: number; ms: number; fileMiB: number; rssBeforeMiB: number; peakRssMiB: number };
      const goal = count === 12_000 ? `goal < 5000 ms: ${r.ms < 5000 ? "met" : "missed"}` : "goal: memory flat in the file's size (compare with 12,000)";
      console.log(
        `  ${format.padEnd(4)} ${count.toLocaleString("en-GB").padStart(7)} rows (${r.fileMiB.toFixed(1).padStart(5)} MiB): ${r.ms.toFixed(0).padStart(6)} ms, ${Math.round((r.imported / r.ms) * 1000).toLocaleString("en-GB").padStart(6)} rows/s, ` +
          `peak_rss_mib=${r.peakRssMiB.toFixed(0)} (${r.rssBeforeMiB.toFixed(0)} before the import)  ${goal}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const self = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve("tests/bench/imports.ts");
if (self && process.argv[4]) await runCase(process.argv[2] as ImportFormat, Number(process.argv[3]), process.argv[4]);
else if (self) await benchImports();
