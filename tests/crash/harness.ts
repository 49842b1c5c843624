// Kills a writing process after a random number of its acknowledged writes and checks, after
// each kill, that the database is intact and that every acknowledged write is there.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { migrateToLatest, openDatabase } from "~/models/db.server";
import { createDraft } from "~/models/drafts.server";
import { seedIfEmpty } from "~/models/library.server";
import { ensureDemoUsers, findUserByEmail } from "~/models/users.server";
import { verifyChain } from "~/models/workflow.server";
import { bundle } from "../support/bundle";
import { seededRandom } from "../unit/random";

export interface CrashReport {
  kills: number;
  acknowledged: number;
  problems: string[];
}

export async function crashTest(kills: number, seed = 1): Promise<CrashReport> {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-crash-"));
  const file = path.join(dir, "crash.sqlite");
  // One bundle, so each restart is a plain node start.
  const worker = bundle("tests/crash/worker.ts", "crash-worker");
  const db = openDatabase(file);
  await migrateToLatest(db);
  await seedIfEmpty(db, path.resolve("specs"));
  await ensureDemoUsers(db, "specwork-demo");
  const user = (await findUserByEmail(db, "editor@example.nhs.uk"))!;
  const draft = await createDraft(db, { ...user }, "adult-external-beam-radiotherapy", "1.0");
  await db.destroy();

  const random = seededRandom(seed);
  const saves = new Set<number>();
  const annotations = new Set<number>();
  const notes: string[] = [];
  const problems: string[] = [];
  for (let k = 0; k < kills && problems.length === 0; k++) {
    const child = spawn(process.execPath, [worker.file], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_PATH: file, CRASH_DRAFT_ID: String(draft.id), CRASH_USER_ID: String(user.id), SPECWORK_DEMO: "off" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Listen at once: a worker that fails at start-up exits before any later listener.
    const exited = new Promise((r) => child.once("exit", r));
    let out = "";
    let err = "";
    // Kill by progress, not by the clock: after a random number of acknowledged writes the
    // worker is already inside its next one, however fast or slow the machine is today.
    const killAfter = 1 + random.int(4);
    let acknowledgedHere = 0;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      acknowledgedHere = out.split("\n").length - 1;
      if (acknowledgedHere >= killAfter) child.kill("SIGKILL");
    });
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    await exited;
    for (const line of out.split("\n")) {
      const [kind, value] = line.split(" ");
      if (kind === "save") saves.add(Number(value));
      else if (kind === "annotation") annotations.add(Number(value));
      else if (kind === "note" && value) notes.push(value);
    }
    if (acknowledgedHere < killAfter) problems.push(`kill ${k + 1}: the worker exited after ${acknowledgedHere} writes, before it was killed`);
    if (err.trim()) problems.push(`kill ${k + 1}: the worker wrote to stderr: ${err.trim().split("\n")[0]}`);

    const raw = new SQLite(file);
    try {
      const integrity = raw.pragma("integrity_check", { simple: true });
      if (integrity !== "ok") problems.push(`kill ${k + 1}: integrity_check says ${String(integrity)}`);
      const broken = raw.pragma("foreign_key_check") as unknown[];
      if (broken.length) problems.push(`kill ${k + 1}: ${broken.length} foreign keys point nowhere`);
      const revisions = new Set((raw.prepare("select revision from draft_revisions where version_id = ?").all(draft.id) as { revision: number }[]).map((r) => r.revision));
      for (const revision of saves) if (!revisions.has(revision)) problems.push(`kill ${k + 1}: acknowledged save revision ${revision} is missing`);
      const ids = new Set((raw.prepare("select id from annotations").all() as { id: number }[]).map((r) => r.id));
      for (const id of annotations) if (!ids.has(id)) problems.push(`kill ${k + 1}: acknowledged annotation ${id} is missing`);
    } finally {
      raw.close();
    }
    const check = openDatabase(file);
    try {
      for (const problem of await verifyChain(check)) problems.push(`kill ${k + 1}: ${problem}`);
    } finally {
      await check.destroy();
    }
  }
  rmSync(dir, { recursive: true, force: true });
  worker.remove();
  return { kills, acknowledged: saves.size + annotations.size + notes.length, problems };
}
