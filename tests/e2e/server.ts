// Starts the built app (server.js) on a free loopback port with a fresh database: a SQLite
// file, or in the projects that run on PostgreSQL a new database on the throw-away server.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isPostgresTarget } from "~/models/db.server";
import { createDatabaseFrom, MIGRATED_TEMPLATE, SEEDED_TEMPLATE, testPostgresURL } from "../support/test-postgres";
import { freePort } from "../support/free-port";

/** How a child process is told which database to open: DATABASE_URL or DATABASE_PATH. */
export function databaseEnv(database: string): Record<string, string> {
  return isPostgresTarget(database) ? { DATABASE_URL: database } : { DATABASE_PATH: database };
}

/**
 * A new database for a test to prepare before a server opens it: on PostgreSQL (in the "-pg"
 * projects) migrated and empty, its URL; on SQLite the path of a file not yet made.
 */
export async function newDatabase(): Promise<string> {
  const postgres = testPostgresURL();
  if (postgres) return createDatabaseFrom(postgres, MIGRATED_TEMPLATE);
  return path.join(mkdtempSync(path.join(tmpdir(), "specwork-e2e-db-")), "e2e.sqlite");
}


async function waitForServer(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${log()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the app did not answer at ${url} within 60 s:\n${log()}`);
}

/**
 * `env` adds to or overrides the server's environment, such as TRUST_PROXY, or names its
 * database (DATABASE_PATH or DATABASE_URL). `databasePath` is what it opened: the SQLite file or
 * the PostgreSQL URL, either of which openDatabase takes.
 */
export async function startServer(env: Record<string, string> = {}): Promise<{ baseURL: string; databasePath: string; pid: number; exited: Promise<number | null>; output: () => string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-e2e-"));
  const postgres = testPostgresURL();
  const databasePath =
    env.DATABASE_URL ??
    env.DATABASE_PATH ??
    // A server that seeds from a folder of its own (SPECS_DIR) starts from an empty database.
    (postgres ? await createDatabaseFrom(postgres, env.SPECS_DIR ? MIGRATED_TEMPLATE : SEEDED_TEMPLATE) : path.join(dir, "e2e.sqlite"));
  const port = await freePort();
  let output = "";
  const { DATABASE_URL: _url, DATABASE_PATH: _path, ...inherited } = process.env;
  const child = spawn(process.execPath, ["server.js"], {
    env: { ...inherited, PORT: String(port), HOST: "127.0.0.1", ...databaseEnv(databasePath), NODE_ENV: "production", SPECWORK_DEMO: "on", DEMO_PASSWORD: "specwork-demo", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // The exit code, for tests of how the server stops.
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const baseURL = `http://127.0.0.1:${port}`;
  await waitForServer(baseURL, child, () => output);
  return {
    baseURL,
    databasePath,
    pid: child.pid!,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
