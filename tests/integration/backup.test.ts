import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "~/models/audit.server";
import { openDatabase } from "~/models/db.server";
import { seedIfEmpty } from "~/models/library.server";
import { verifyChain } from "~/models/workflow.server";
import { bundle } from "../support/bundle";
import { freshDatabase } from "./database";

let cli: ReturnType<typeof bundle>;
beforeAll(() => {
  cli = bundle("app/cli/spec.ts", "backup-cli");
}, 120_000);
afterAll(() => cli.remove());

function spec(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli.file, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("backup and restore", () => {
  it("backs up a database while writes continue, and restores it, keeping the database it replaces", async () => {
    const { db, file } = await freshDatabase();
    await seedIfEmpty(db, path.resolve("specs"));
    const count = async (d = db) => Number((await d.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await recordAudit(db, { actor: { id: null, email: "load" }, action: "test.write", objectType: "row", objectId: String(written) });
        written++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    // The backup starts once writing is under way (by progress, not by the clock).
    while (written < 20) await new Promise((r) => setImmediate(r));
    const before = await count();
    const backupFile = path.join(path.dirname(file), "backup.sqlite");
    const result = await spec(["backup", backupFile], { DATABASE_PATH: file });
    const after = await count();
    writing = false;
    await writer;
    expect(result).toMatchObject({ status: 0, stdout: `backed up ${file} to ${backupFile}; it checks out\n` });
    expect(written).toBeGreaterThan(0);

    const copy = openDatabase(backupFile);
    try {
      const inCopy = await count(copy);
      // The copy is one consistent moment between the start and the end of the backup.
      expect(inCopy).toBeGreaterThanOrEqual(before);
      expect(inCopy).toBeLessThanOrEqual(after);
      expect(await verifyChain(copy)).toEqual([]);
    } finally {
      await copy.destroy();
    }

    const restored = await spec(["restore", backupFile], { DATABASE_PATH: file });
    expect(restored.status).toBe(0);
    const kept = readdirSync(path.dirname(file)).find((name) => name.startsWith("test.sqlite.before-restore-"));
    expect(kept).toBeDefined();
    expect(existsSync(path.join(path.dirname(file), kept!))).toBe(true);
    expect(restored.stdout).toContain("the database it replaced is kept at");
  }, 120_000);

  it("refuses to restore a file that is not a Specwork database, and changes nothing", async () => {
    const { file } = await freshDatabase();
    const result = await spec(["restore", path.resolve("package.json")], { DATABASE_PATH: file });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/package\.json: not a usable database \(file is not a database\)/);
  }, 120_000);
});
