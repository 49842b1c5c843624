// The public page cache with several servers on one PostgreSQL database. Audit entries are
// numbered as they are written, not as they commit, so the latest number alone can miss a
// change; the cache also counts the notices PostgreSQL sends as each change commits.
import "./app";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { databaseTarget, getDatabase } from "~/models/app-database.server";
import { recordAudit } from "~/models/audit.server";
import { dialectOf, inTransaction, openDatabase } from "~/models/db.server";
import { signIn } from "~/models/sign-in.server";
import { cachedPage, cachedPageNow, currentStamp, remember, stampNow } from "~/page-cache.server";
import { testPostgresURL } from "../support/test-postgres";

const PAGE = "/a-public-page";

async function until<T>(what: string, value: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  // Progress-driven: as long as it takes, within a budget far beyond a busy machine's delays.
  for (let tries = 0; tries < 600; tries++) {
    const v = await value();
    if (ok(v)) return v;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${what} did not happen`);
}

const listening = () => until("hearing changes", currentStamp, (s) => s !== null) as Promise<string>;
const highestEntry = async () => Number((await (await getDatabase()).selectFrom("audit_log").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow()).id);

describe.runIf(testPostgresURL())("the public page cache on PostgreSQL", () => {
  it("goes stale when a change commits after a later-numbered one, though the highest entry stays the same", async () => {
    await listening();
    // Another server's change writes its audit entry and has not committed yet.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("INSERT INTO audit_log (at, actor, action, object_type, object_id) VALUES ($1, 'system', 'test.slow-change', 'test', '1')", [new Date().toISOString()]);
      // Meanwhile a quicker change on a third server commits, with the higher number, and is heard.
      const before = await listening();
      const third = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await third.connect();
      await third.query("INSERT INTO audit_log (at, actor, action, object_type, object_id) VALUES ($1, 'system', 'test.quick-change', 'test', '2')", [new Date().toISOString()]);
      await third.end();
      const heard = (await until("the quick change being heard", currentStamp, (s) => s !== null && s !== before)) as string;
      const highest = await highestEntry();
      remember(PAGE, heard, 200, new Headers(), Buffer.from("the page before the slow change"));
      expect(await cachedPage(PAGE)).toBeDefined();
      await other.query("COMMIT");
      // The slow change is now visible, its number lower than the highest: the number alone
      // would keep serving the page; the notice sent at its commit does not.
      expect(await highestEntry()).toBe(highest);
      await until("the page going stale", () => cachedPage(PAGE), (page) => page === undefined);
    } finally {
      await other.end();
    }
  });

  it("serves nothing from the cache while it cannot hear changes, and caches again once it hears them", async () => {
    const db = await getDatabase();
    remember(PAGE, await listening(), 200, new Headers(), Buffer.from("a page"));
    expect(await cachedPage(PAGE)).toBeDefined();
    // The server loses its listening connection (a restart of PostgreSQL, a network fault).
    const cut = await db.selectNoFrom((eb) => eb.fn<number>("pg_backend_pid").as("pid")).executeTakeFirstOrThrow();
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND datname = current_database() AND pid <> $1", [cut.pid]);
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await until("the cache noticing", () => cachedPage(PAGE), (page) => page === undefined);
    // While it is not listening nothing is kept; once it listens again, pages are kept again.
    const stamp = await listening();
    remember(PAGE, stamp, 200, new Headers(), Buffer.from("a page"));
    expect(await cachedPage(PAGE)).toBeDefined();
  });

  it("goes stale at once on the server that made the change, before the notice comes", async () => {
    const db = await getDatabase();
    expect(dialectOf(db)).toBe("postgres");
    remember(PAGE, await listening(), 200, new Headers(), Buffer.from("a page"));
    await recordAudit(db, { actor: { id: null, email: "system" }, action: "test.change-here", objectType: "test", objectId: "3" });
    expect(await cachedPage(PAGE)).toBeUndefined();
  });
});

// What server.js answers a hit with, before Express runs: the stamp held in memory, on both databases.
describe("the page cache's stamp in memory", () => {
  it("is the stamp a miss reads, so a page kept on a miss is served from memory at once", async () => {
    const stamp = await listening();
    expect(stampNow()).toBe(stamp);
    remember(PAGE, stamp, 200, new Headers(), Buffer.from("a page"));
    expect(cachedPageNow(PAGE)?.body.toString()).toBe("a page");
    expect(cachedPageNow("/a-page-never-rendered")).toBeUndefined();
  });

  it("goes stale at once for a change this process commits", async () => {
    remember(PAGE, await listening(), 200, new Headers(), Buffer.from("a page"));
    expect(cachedPageNow(PAGE)).toBeDefined();
    await recordAudit(await getDatabase(), { actor: { id: null, email: "system" }, action: "test.change-here", objectType: "test", objectId: "4" });
    // No waiting at all: the count of this process's commits is part of the stamp.
    expect(cachedPageNow(PAGE)).toBeUndefined();
  });

  it("counts as this process's change only a transaction that writes an audit entry, not one that changes nothing public", async () => {
    const db = await getDatabase();
    // The part of the stamp this process's own commits make (notices and entries from earlier
    // tests may still be arriving, and change the rest of it).
    const madeHere = () => Number(/made (\d+)/.exec(stampNow() ?? "")?.[1]);
    await listening();
    const before = madeHere();
    expect(Number.isInteger(before)).toBe(true);
    // A failed sign-in commits its attempt row and no audit entry: anyone can send one.
    expect(await signIn(db, "editor@example.nhs.uk", "not the password", "198.51.100.7")).toEqual({ ok: false, reason: "invalid" });
    expect(madeHere()).toBe(before);
    await inTransaction(db, (trx) => recordAudit(trx, { actor: { id: null, email: "system" }, action: "test.change-here", objectType: "test", objectId: "6" }));
    expect(madeHere()).toBe(before + 1);
  });

  it("goes stale for a change another process commits, without anyone asking the database", async () => {
    remember(PAGE, await listening(), 200, new Headers(), Buffer.from("a page"));
    expect(cachedPageNow(PAGE)).toBeDefined();
    // A connection of its own, as the command line or another server has.
    const other = openDatabase(databaseTarget());
    try {
      await other.insertInto("audit_log").values({ at: new Date().toISOString(), actor: "system", action: "test.outside-change", object_type: "test", object_id: "5" }).execute();
    } finally {
      await other.destroy();
    }
    // Only the synchronous look-up is used while waiting: the timer (SQLite) or the notice
    // (PostgreSQL) must bring the change in by itself.
    let polls = 0;
    while (cachedPageNow(PAGE) !== undefined && polls++ < 2000) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(cachedPageNow(PAGE)).toBeUndefined();
  });
});
