// What /healthz and /readyz are built on: a health check of the database, and the
// application database's life from opening to closing as the server shuts down.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it, vi } from "vitest";
import { closeDatabase, getDatabase } from "~/models/app-database.server";
import { migrateToLatest, openDatabase } from "~/models/db.server";
import { checkDatabase, databaseReady, health } from "~/models/health.server";
import { freshDatabase } from "./database";

const unavailable = { status: "unavailable", error: "the database did not answer" };

describe("the health check", () => {
  it("is ok while the database answers", async () => {
    const { db } = await freshDatabase();
    expect(await checkDatabase(db)).toEqual({ status: "ok" });
  });

  it("says in plain words that the database did not answer once its connection is gone, and logs why", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-health-"));
    try {
      const db = openDatabase(path.join(dir, "gone.sqlite"));
      await migrateToLatest(db);
      await db.destroy();
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const answer = await checkDatabase(db);
      expect(answer).toEqual(unavailable);
      expect(JSON.stringify(answer)).not.toMatch(/driver|destroy|at \w+ \(/i);
      expect(warn.mock.calls.flat().join(" ")).toMatch(/health check's query failed/);
      warn.mockRestore();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives up on a database that does not answer within the bound", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    // A database that never finishes opening, as when PostgreSQL cannot be reached.
    expect(await checkDatabase(new Promise(() => {}), 50)).toEqual(unavailable);
    expect(warn.mock.calls.flat().join(" ")).toMatch(/did not finish within 50 ms/);
    warn.mockRestore();
  });
});

describe("the application database, from start to shutdown", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-lifecycle-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is ready once opened, migrated and seeded; once closed it is not ready, its connection is released and health says so", async () => {
    vi.stubEnv("DATABASE_PATH", path.join(dir, "app.sqlite"));
    vi.stubEnv("SPECWORK_DEMO", "off");
    vi.spyOn(console, "log").mockImplementation(() => {});
    expect(databaseReady()).toBe(false);
    // Asking for health does not open the database.
    vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await health()).toEqual(unavailable);
    expect(databaseReady()).toBe(false);
    const db = await getDatabase();
    expect(databaseReady()).toBe(true);
    expect(await health()).toEqual({ status: "ok" });
    expect(Number((await db.selectFrom("specifications").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);

    await Promise.all([closeDatabase(), closeDatabase()]);
    expect(databaseReady()).toBe(false);
    await expect(sql`select 1`.execute(db)).rejects.toThrow();
    await expect(getDatabase()).rejects.toThrow(/closed/);
    expect(await health()).toEqual(unavailable);
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });
});
