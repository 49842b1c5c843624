// A throw-away PostgreSQL server for the tests, the load test and CI: `initdb` into a fresh
// temporary folder, `pg_ctl start` on a free loopback port, and gone again (process and folder)
// after `stop()`. Debian's server binaries are used; they are installed with apt-get when the tests
// run as root and missing, otherwise the tests stop and name the one command that installs them.
//
// PostgreSQL refuses to run as root, so when we are root the server runs as the `postgres` system
// user that Debian's package creates (or `nobody`), in a folder handed over to that user.
import { execFile, spawn, spawnSync } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureDebianTools } from "./debian";
import { freePort } from "./free-port";

/** The superuser of every throw-away server; it signs in without a password (trust, loopback only). */
export const POSTGRES_USER = "specwork";

export interface PostgresInstall {
  /** The folder holding `initdb`, `pg_ctl`, `postgres`, and the matching `pg_dump`, `pg_restore`, `psql`. */
  binDir: string;
  major: number;
}

export interface PostgresServer {
  /** A postgres:// URL for the `postgres` maintenance database. */
  url: string;
  port: number;
  /** The binaries this server runs, e.g. for a `pg_dump` of the same major version. */
  install: PostgresInstall;
  /** The URL of database `dbName` on this server (whether or not it exists yet). */
  urlFor(dbName: string): string;
  /**
   * Creates database `name`, as a copy of `template` when given (which must have no other
   * connections open: close its pool first), and returns its URL.
   */
  createDatabase(name: string, template?: string): Promise<string>;
  /** Drops database `name` if it exists, cutting off anyone still connected to it. */
  dropDatabase(name: string): Promise<void>;
  /** Stops the server and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

// Settings for a server whose data is thrown away: nothing waits for the disk, and there is room
// for several app servers' pools plus the tests' own connections.
const SETTINGS: Record<string, string> = {
  listen_addresses: "'127.0.0.1'",
  max_connections: "300",
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  wal_level: "minimal",
  max_wal_senders: "0",
};

// Generous: a busy 2-core machine may take a while to initdb and start, and a slow start is not
// a failure. `pg_ctl -w` waits for the server to report itself ready, not for a fixed time.
const START_BUDGET_SECONDS = 120;

function highestDebianInstall(): PostgresInstall | null {
  const override = process.env.POSTGRES_BIN_DIR;
  if (override) return hasServer(override) ? { binDir: override, major: majorOf(override) } : null;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .sort((a, b) => b - a);
  for (const major of majors) {
    const binDir = path.join(root, String(major), "bin");
    if (hasServer(binDir)) return { binDir, major };
  }
  return null;
}

function hasServer(binDir: string): boolean {
  return ["initdb", "pg_ctl", "postgres"].every((name) => existsSync(path.join(binDir, name)));
}

function majorOf(binDir: string): number {
  const out = spawnSync(path.join(binDir, "postgres"), ["--version"], { encoding: "utf8" }).stdout ?? "";
  return Number(/(\d+)/.exec(out)?.[1] ?? 0);
}

/**
 * Finds PostgreSQL's server binaries (Debian's, the highest major version under
 * /usr/lib/postgresql, or `POSTGRES_BIN_DIR`), installing Debian's `postgresql` package first
 * when they are missing and we are root; otherwise throws naming the command that installs it.
 */
export function ensurePostgres(): PostgresInstall {
  const found = highestDebianInstall();
  if (found) return found;
  if (process.env.POSTGRES_BIN_DIR) {
    throw new Error(`POSTGRES_BIN_DIR=${process.env.POSTGRES_BIN_DIR} holds no initdb, pg_ctl and postgres.`);
  }
  // `postgresql` brings the matching client tools (pg_dump, pg_restore, psql) with it.
  ensureDebianTools([{ command: "initdb", pkg: "postgresql", found: () => highestDebianInstall() !== null }]);
  const installed = highestDebianInstall();
  if (!installed) throw new Error("Debian's postgresql package is installed but no initdb was found under /usr/lib/postgresql.");
  return installed;
}

/** Who runs the server: ourselves, or an unprivileged user when we are root. */
interface RunAs {
  user: string;
  uid: number;
  gid: number;
}

function unprivilegedUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ["postgres", "nobody"]) {
    const uid = spawnSync("id", ["-u", user], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", user], { encoding: "utf8" });
    if (uid.status === 0 && gid.status === 0) return { user, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error("PostgreSQL will not run as root, and there is neither a 'postgres' nor a 'nobody' user to run it as.");
}

/** The program and arguments that run `binary` as `runAs` (or as ourselves). */
function command(runAs: RunAs | null, binary: string, args: string[]): [string, string[]] {
  if (!runAs) return [binary, args];
  if (existsSync("/usr/sbin/runuser") || existsSync("/sbin/runuser")) return ["runuser", ["-u", runAs.user, "--", binary, ...args]];
  return ["setpriv", [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, "--clear-groups", binary, ...args]];
}

function run(runAs: RunAs | null, cwd: string, binary: string, args: string[]): Promise<void> {
  const [program, argv] = command(runAs, binary, args);
  return new Promise((resolve, reject) => {
    // The working folder is ours to give: the unprivileged user may not be able to enter the
    // caller's (PostgreSQL's programs look up their own location through it).
    execFile(program, argv, { cwd, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(binary)} ${args[0] ?? ""} failed: ${(stderr || stdout || error.message).trim()}`));
      else resolve();
    });
  });
}


function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, "utf8").trim().split("\n").slice(-15).join("\n");
  } catch {
    return "";
  }
}

// Servers still running in this process, stopped on the way out even if nobody called stop().
const running = new Set<() => void>();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const stopNow of running) stopNow();
  });
}

/** Starts a fresh PostgreSQL server in a temporary folder on a free loopback port. */
export async function startPostgres(): Promise<PostgresServer> {
  const install = ensurePostgres();
  const runAs = unprivilegedUser();
  const bin = (name: string) => path.join(install.binDir, name);

  // Short paths: the socket's path must fit in about 100 bytes.
  const folder = mkdtempSync(path.join(os.tmpdir(), "specwork-pg-"));
  const dataDir = path.join(folder, "data");
  const socketDir = path.join(folder, "run");
  const logFile = path.join(folder, "server.log");
  mkdirSync(socketDir);
  if (runAs) {
    for (const dir of [folder, socketDir]) chownSync(dir, runAs.uid, runAs.gid);
    const [program, argv] = command(runAs, "test", ["-w", folder]);
    if (spawnSync(program, argv, { cwd: "/" }).status !== 0) {
      rmSync(folder, { recursive: true, force: true });
      throw new Error(`The '${runAs.user}' user cannot reach ${folder}; point TMPDIR at a folder every user can enter (such as /tmp).`);
    }
  }

  let port = 0;
  let watchdog: ReturnType<typeof spawn> | null = null;
  let gone = false;
  const stopArgs = ["stop", "-D", dataDir, "-m", "immediate", "-w"];

  // Synchronous, so that it also serves the process 'exit' hook, where nothing asynchronous runs.
  const removeNow = () => {
    if (gone) return;
    gone = true;
    running.delete(removeNow);
    if (existsSync(path.join(dataDir, "postmaster.pid"))) {
      const [program, argv] = command(runAs, bin("pg_ctl"), stopArgs);
      spawnSync(program, argv, { cwd: folder, stdio: "ignore" });
    }
    if (watchdog?.pid) {
      try {
        process.kill(-watchdog.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    rmSync(folder, { recursive: true, force: true });
  };

  let admin: pg.Pool | null = null;
  try {
    await run(runAs, folder, bin("initdb"), ["-D", dataDir, "-U", POSTGRES_USER, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
    const settings = { ...SETTINGS, unix_socket_directories: `'${socketDir.replaceAll("'", "''")}'` };
    appendFileSync(
      path.join(dataDir, "postgresql.conf"),
      `\n# Throw-away server for Specwork's tests\n${Object.entries(settings).map(([name, value]) => `${name} = ${value}`).join("\n")}\n`,
    );
    running.add(removeNow);
    installExitHook();

    // Another program may take the free port between our look and the server's bind: try again.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await run(runAs, folder, bin("pg_ctl"), ["start", "-D", dataDir, "-l", logFile, "-w", "-t", String(START_BUDGET_SECONDS), "-o", `-p ${port}`]);
        break;
      } catch (error) {
        const log = logTail(logFile);
        if (attempt < 5 && /could not (bind|create listen socket)|already in use/i.test(log)) continue;
        throw new Error(`${(error as Error).message}\n${log}`);
      }
    }

    // If this process dies without running its exit hook (killed outright), a small watcher stops
    // the server and removes the folder once it sees we are gone.
    const [stopProgram, stopArgv] = command(runAs, bin("pg_ctl"), stopArgs);
    const script = [
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
      `${[stopProgram, ...stopArgv].map(shellQuote).join(" ")} >/dev/null 2>&1`,
      `rm -rf ${shellQuote(folder)}`,
    ].join("; ");
    watchdog = spawn("sh", ["-c", script], { cwd: "/", detached: true, stdio: "ignore" });
    watchdog.unref();

    // One small pool for the server's own chores (creating and dropping databases).
    admin = new pg.Pool({ connectionString: urlFor("postgres"), max: 2 });
    // An idle connection cut off by the server's stop must not bring the whole process down.
    admin.on("error", () => {});
    await admin.query("select 1");
  } catch (error) {
    await admin?.end().catch(() => {});
    removeNow();
    throw error;
  }
  const pool = admin;

  function urlFor(dbName: string) {
    return `postgres://${POSTGRES_USER}@127.0.0.1:${port}/${encodeURIComponent(dbName)}`;
  }

  let stopping: Promise<void> | null = null;
  return {
    url: urlFor("postgres"),
    port,
    install,
    urlFor,
    async createDatabase(name, template) {
      await pool.query(`create database ${quoteIdent(name)}${template ? ` template ${quoteIdent(template)}` : ""}`);
      return urlFor(name);
    },
    async dropDatabase(name) {
      await pool.query(`drop database if exists ${quoteIdent(name)} with (force)`);
    },
    stop() {
      stopping ??= (async () => {
        await pool.end().catch(() => {});
        // Asynchronous here so that the caller's event loop keeps turning while the server stops;
        // whatever is left (the folder, a server that would not stop) goes in removeNow.
        if (!gone) await run(runAs, folder, bin("pg_ctl"), stopArgs).catch(() => {});
        removeNow();
      })();
      return stopping;
    },
  };
}
