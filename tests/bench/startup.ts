// Start-up (issue 13, goal 4): how long `node server.js` on the built app takes, from spawn to the
// first 200 of the home page. First start: a new database, so migration and seeding are included
// (goal ≤ 10 s); later start: the same database again (goal ≤ 2 s). On SQLite, and on PostgreSQL
// when a throw-away server can be started. A script, not a test: it asserts nothing.
//
//   npm run build && npx tsx tests/bench/startup.ts      (BENCH_STARTUP_RUNS=3 by default)
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { freePort } from "../support/free-port";

const RUNS = Number(process.env.BENCH_STARTUP_RUNS || 3);
// The app to start (a folder with server.js and its build): this one unless told, so that two
// checkouts can be timed side by side.
const APP_DIR = path.resolve(process.env.BENCH_STARTUP_DIR || ".");
const BUDGET_MS = 60_000;
const FIRST_GOAL_MS = 10_000;
const LATER_GOAL_MS = 2_000;


const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Start {
  /** From spawn to the first 200 of `/`. */
  firstPageMs: number;
  /** From spawn to the line saying the server listens. */
  listeningMs: number;
}

/** Starts the server, polls `/` until it answers 200, and stops it again (SIGTERM). */
async function timeStart(env: Record<string, string>): Promise<Start> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const spawned = performance.now();
  const child = spawn(process.execPath, ["server.js"], {
    cwd: APP_DIR,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", SPECWORK_DEMO: "on", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  let listeningMs = NaN;
  const keep = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    if (Number.isNaN(listeningMs) && text.includes("Specwork: http://")) listeningMs = performance.now() - spawned;
    output.push(...text.split("\n").filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    const until = spawned + BUDGET_MS;
    while (performance.now() < until) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output.slice(-20).join("\n")}`);
      try {
        const response = await fetch(`${base}/`, { signal: AbortSignal.timeout(BUDGET_MS) });
        await response.arrayBuffer();
        if (response.status === 200) return { firstPageMs: performance.now() - spawned, listeningMs };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`the home page did not answer 200 within ${BUDGET_MS / 1000} s:\n${output.slice(-20).join("\n")}`);
  } finally {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }
}

function line(label: string, starts: Start[], goalMs: number): string {
  const page = median(starts.map((s) => s.firstPageMs));
  const listening = median(starts.map((s) => s.listeningMs));
  const verdict = page <= goalMs ? "met" : "NOT met";
  return (
    `  ${label.padEnd(40)} median_ms=${page.toFixed(0).padStart(5)}  (goal ≤ ${goalMs} ms: ${verdict}; listening at ${listening.toFixed(0)} ms; ` +
    `runs ${starts.map((s) => s.firstPageMs.toFixed(0)).join(", ")})`
  );
}

/** RUNS first starts, each on a new database, and after each a later start on the same one. */
async function benchDatabase(name: string, newDatabase: (run: number) => Promise<Record<string, string>>): Promise<void> {
  const first: Start[] = [];
  const later: Start[] = [];
  for (let run = 0; run < RUNS; run++) {
    const env = await newDatabase(run);
    first.push(await timeStart(env));
    later.push(await timeStart(env));
  }
  console.log(line(`${name}, first start (migrate + seed)`, first, FIRST_GOAL_MS));
  console.log(line(`${name}, later start`, later, LATER_GOAL_MS));
}

export async function benchStartup(): Promise<void> {
  console.log(
    `start-up: spawn of node server.js to the first 200 of /, median of ${RUNS} runs; ` +
      `node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`,
  );
  if (!existsSync(path.join(APP_DIR, "build", "index.js"))) {
    console.log("  skipped: no build (npm run build first)");
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "specwork-startup-"));
  let postgres: PostgresServer | undefined;
  try {
    await benchDatabase("SQLite", async (run) => ({ DATABASE_PATH: path.join(dir, `startup-${run}.sqlite`) }));
    try {
      postgres = await startPostgres();
    } catch (error) {
      console.log(`  PostgreSQL: skipped, no server could be started here: ${(error as Error).message.split("\n")[0]}`);
    }
    if (postgres) {
      const server = postgres;
      await benchDatabase("PostgreSQL", async (run) => ({ DATABASE_URL: await server.createDatabase(`startup_${run}`) }));
    }
  } finally {
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("tests/bench/startup.ts")) {
  await benchStartup();
}
