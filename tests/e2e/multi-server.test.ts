// Two Specwork servers on one PostgreSQL database behave as one: they start together on an empty
// database (migrated once, seeded once), saves racing across both give one winner, a retried
// save is stored once, a publication on one is served by the other's page cache within a second,
// the sign-in limit counts attempts made on either, and a scheduled publication goes out once.
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../../migrations";
import { openDatabase, type Database } from "~/models/db.server";
import { todayInLondon } from "~/models/workflow.server";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { withClauseText } from "../support/documents";
import { startServer } from "./server";

const SLUG = "adult-external-beam-radiotherapy";
const CLAUSE = "host-provider";
const DATABASE = "specwork_multi";

type Server = Awaited<ReturnType<typeof startServer>>;

let postgres: PostgresServer;
let url: string;
let db: Kysely<Database>;
let a: Server;
let b: Server;

/** Both servers on the one database, started at the same moment. */
function startBoth(): Promise<[Server, Server]> {
  const env = { DATABASE_URL: url, DATABASE_POOL_SIZE: "5" };
  return Promise.all([startServer(env), startServer(env)]);
}

async function ready(server: Server): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${server.baseURL}/readyz`);
    if (response.status === 200) return;
    if (Date.now() > deadline) throw new Error(`/readyz answered ${response.status}:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** What either server wrote that looks like something going wrong. */
function troubles(server: Server): string[] {
  return server
    .output()
    .split("\n")
    .filter((line) => /error|fail|could not|exception|unhandled/i.test(line));
}

beforeAll(async () => {
  postgres = await startPostgres();
  url = await postgres.createDatabase(DATABASE);
  [a, b] = await startBoth();
  await Promise.all([ready(a), ready(b)]);
  // The test's own look at the database, beside the servers' pools.
  db = openDatabase(url, { poolSize: 2 });
}, 240_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.destroy();
  await postgres?.stop();
}, 120_000);

async function signIn(server: Server, email: string): Promise<string> {
  const response = await fetch(`${server.baseURL}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ email, password: "specwork-demo" }), redirect: "manual" });
  expect(response.status, await response.clone().text()).toBe(302);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

function post(server: Server, path: string, cookie: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${server.baseURL}${path}`, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form), redirect: "manual" });
}

async function newDraft(server: Server, cookie: string, from: string): Promise<number> {
  const response = await post(server, `/specs/${SLUG}/drafts`, cookie, { from });
  expect(response.status).toBe(302);
  return Number(/(\d+)$/.exec(response.headers.get("location")!)![1]);
}

async function readDraft(server: Server, cookie: string, id: number): Promise<{ revision: number; doc: unknown }> {
  const response = await fetch(`${server.baseURL}/api/drafts/${id}`, { headers: { Cookie: cookie } });
  expect(response.status).toBe(200);
  return (await response.json()) as { revision: number; doc: unknown };
}

function save(server: Server, cookie: string, id: number, body: { baseRevision: number; doc: unknown; requestId: string }): Promise<Response> {
  return fetch(`${server.baseURL}/api/drafts/${id}`, { method: "PUT", headers: { Cookie: cookie, "Content-Type": "application/json" }, body: JSON.stringify(body) });
}


/** A draft from `from` with one clause changed and explained, saved through `server`. */
async function changedDraft(server: Server, cookie: string, from: string, text: string): Promise<number> {
  const id = await newDraft(server, cookie, from);
  const { revision, doc } = await readDraft(server, cookie, id);
  expect((await save(server, cookie, id, { baseRevision: revision, doc: withClauseText(doc, CLAUSE, text), requestId: `${text}-1` })).status).toBe(200);
  const noted = await post(server, `/specs/${SLUG}/drafts/${id}`, cookie, { intent: "note", clauseId: CLAUSE, rationale: "Changed by the multi-server test." });
  expect(noted.status).toBe(200);
  return id;
}

async function revisionsOf(id: number): Promise<{ revision: number; request_id: string | null }[]> {
  return db.selectFrom("draft_revisions").select(["revision", "request_id"]).where("version_id", "=", id).orderBy("revision").execute();
}

/** The London date `days` after today. */
function dayAfter(today: string, days: number): string {
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe("two servers on one PostgreSQL database", () => {
  it("start together on an empty database, which is migrated once and seeded once", async () => {
    for (const server of [a, b]) expect(troubles(server), server.output()).toEqual([]);
    const applied = await sql<{ name: string; copies: number }>`select name, count(*) as copies from kysely_migration group by name order by name`.execute(db);
    expect(applied.rows).toEqual(Object.keys(migrations).sort().map((name) => ({ name, copies: 1 })));

    const specs = await db.selectFrom("specifications").select(["slug"]).execute();
    expect(specs.length).toBeGreaterThan(0);
    expect(new Set(specs.map((s) => s.slug)).size).toBe(specs.length);
    const versions = await db.selectFrom("versions").select(["specification_id", "number"]).execute();
    expect(new Set(versions.map((v) => `${v.specification_id} ${v.number}`)).size).toBe(versions.length);
    // Each seeded version was imported once, by one server.
    const imports = await db.selectFrom("audit_log").select("object_id").where("action", "=", "version.import").execute();
    expect(new Set(imports.map((i) => i.object_id)).size).toBe(imports.length);
    expect(imports.length).toBe(versions.length);
    const seeded = (a.output().match(/seeded /g)?.length ?? 0) + (b.output().match(/seeded /g)?.length ?? 0);
    expect(seeded, `${a.output()}\n${b.output()}`).toBe(1);

    // One set of demo accounts (beside the seed's own accounts that are not people's), each
    // created once.
    const users = await db.selectFrom("users").select("email").execute();
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
    const demo = ["admin@example.nhs.uk", "commissioner@example.nhs.uk", "editor@example.nhs.uk"];
    expect(users.map((u) => u.email).filter((e) => !e.endsWith("@specwork.invalid")).sort()).toEqual(demo);
    const creations = await db.selectFrom("audit_log").select("details").where("action", "=", "user.create").execute();
    const createdEmails = creations.map((c) => (typeof c.details === "string" ? (JSON.parse(c.details) as { email: string }) : (c.details as { email: string })).email);
    expect(createdEmails.filter((e) => demo.includes(e)).sort()).toEqual(demo);
    const created = (a.output().match(/created the demo accounts/g)?.length ?? 0) + (b.output().match(/created the demo accounts/g)?.length ?? 0);
    expect(created).toBe(1);
  });

  let draft: number;
  let editor: string;

  it("give exactly one winner of 20 simultaneous saves of one clause from one base, split between them", async () => {
    // Signed in on one server, working on both: the session lives in the database.
    editor = await signIn(a, "editor@example.nhs.uk");
    draft = await newDraft(b, editor, "1.0");
    const base = await readDraft(a, editor, draft);
    const before = await revisionsOf(draft);
    const attempts = Array.from({ length: 20 }, (_, n) => ({ server: n % 2 ? b : a, text: `Saved by writer ${n}.` }));
    const answers = await Promise.all(
      attempts.map(async ({ server, text }, n) => {
        const response = await save(server, editor, draft, { baseRevision: base.revision, doc: withClauseText(base.doc, CLAUSE, text), requestId: `race-${n}` });
        return { n, server: server === a ? "A" : "B", status: response.status, body: await response.text() };
      }),
    );
    const statuses = answers.map((x) => x.status);
    const summary = answers.map((x) => `${x.server}#${x.n} ${x.status}${x.status === 200 || x.status === 409 ? "" : ` ${x.body}`}`).join("\n");
    expect(statuses.filter((s) => s === 200).length, summary).toBe(1);
    expect(statuses.filter((s) => s === 409).length, summary).toBe(19);
    for (const x of answers.filter((x) => x.status === 409)) expect(JSON.parse(x.body)).toHaveProperty("conflict");

    const winner = answers.find((x) => x.status === 200)!;
    expect(JSON.parse(winner.body)).toMatchObject({ revision: base.revision + 1 });
    const after = await revisionsOf(draft);
    expect(after).toEqual([...before, { revision: base.revision + 1, request_id: `race-${winner.n}` }]);
    // The draft holds the winner's words, whichever server took them.
    expect(JSON.stringify((await readDraft(b, editor, draft)).doc)).toContain(attempts[winner.n]!.text);
  });

  it("store a save retried on both at once exactly once, and give each copy the same answer", async () => {
    for (let round = 1; round <= 3; round++) {
      const current = await readDraft(a, editor, draft);
      const body = { baseRevision: current.revision, doc: withClauseText(current.doc, CLAUSE, `Retried save, round ${round}.`), requestId: `retried-${round}` };
      const answers = await Promise.all([a, b, a, b].map(async (server) => {
        const response = await save(server, editor, draft, body);
        return { status: response.status, body: await response.text() };
      }));
      expect(answers.map((x) => x.status), JSON.stringify(answers)).toEqual([200, 200, 200, 200]);
      expect(new Set(answers.map((x) => x.body)).size, JSON.stringify(answers)).toBe(1);
      expect(JSON.parse(answers[0]!.body)).toMatchObject({ revision: current.revision + 1 });
      const stored = (await revisionsOf(draft)).filter((r) => r.request_id === body.requestId);
      expect(stored).toEqual([{ revision: current.revision + 1, request_id: body.requestId }]);
    }
  });

  it("serve a publication made on one from the other's page cache within one second", async () => {
    const commissioner = await signIn(b, "commissioner@example.nhs.uk");
    const noted = await post(a, `/specs/${SLUG}/drafts/${draft}`, editor, { intent: "note", clauseId: CLAUSE, rationale: "Changed by the multi-server test." });
    expect(noted.status).toBe(200);
    expect((await post(a, `/specs/${SLUG}/drafts/${draft}/submit`, editor, {})).status).toBe(302);
    expect((await post(b, `/specs/${SLUG}/drafts/${draft}/approve`, commissioner, {})).status).toBe(302);

    // B's cache holds the specification's public page as it is before the publication.
    const label = "Published across two servers";
    const page = `${b.baseURL}/specs/${SLUG}`;
    const first = await fetch(page);
    expect(first.status).toBe(200);
    expect(await first.text()).not.toContain(label);
    const second = await fetch(page);
    expect(second.headers.get("x-specwork-cache")).toBe("hit");
    expect(await second.text()).not.toContain(label);

    const published = await post(a, `/specs/${SLUG}/drafts/${draft}/publish`, commissioner, { intent: "publish", number: "1.1", label, "date-day": "", "date-month": "", "date-year": "" });
    const answeredAt = performance.now();
    expect(published.status, await published.clone().text()).toBe(302);
    expect(published.headers.get("location")).toBe(`/specs/${SLUG}/v/1.1`);

    // Every 50 ms until B shows it; the first fresh answer must come within a second of A's.
    let freshAt: number | null = null;
    const polls: string[] = [];
    while (freshAt === null && performance.now() - answeredAt < 5_000) {
      const response = await fetch(page);
      const body = await response.text();
      polls.push(`${Math.round(performance.now() - answeredAt)} ms: ${response.status} ${response.headers.get("x-specwork-cache") ?? "rendered"}${body.includes(label) ? " fresh" : " stale"}`);
      if (response.status === 200 && body.includes(label)) freshAt = performance.now();
      else await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`multi-server cache: ${polls.join("; ")}`);
    expect(freshAt, polls.join("\n")).not.toBeNull();
    expect(freshAt! - answeredAt, polls.join("\n")).toBeLessThanOrEqual(1000);
  });

  it("publish a scheduled version once when both start together on the day it is due", async () => {
    const commissioner = await signIn(a, "commissioner@example.nhs.uk");
    const id = await changedDraft(a, editor, "1.1", "Scheduled across two servers.");
    expect((await post(b, `/specs/${SLUG}/drafts/${id}/submit`, editor, {})).status).toBe(302);
    expect((await post(a, `/specs/${SLUG}/drafts/${id}/approve`, commissioner, {})).status).toBe(302);
    const tomorrow = dayAfter(todayInLondon(), 1);
    const [year, month, day] = tomorrow.split("-");
    const scheduled = await post(b, `/specs/${SLUG}/drafts/${id}/publish`, commissioner, { intent: "publish", number: "1.2", label: "Scheduled", "date-day": day!, "date-month": month!, "date-year": year! });
    expect(scheduled.status, await scheduled.clone().text()).toBe(302);
    expect(await db.selectFrom("versions").select(["status", "date"]).where("id", "=", id).executeTakeFirstOrThrow()).toEqual({ status: "approved", date: tomorrow });

    // With both servers down the day comes (the date is moved to today: a scheduled version is
    // still approved, so its date may change), and both start on it at once, each looking for
    // scheduled publications as its database opens.
    await Promise.all([a.stop(), b.stop()]);
    await db.updateTable("versions").set({ date: todayInLondon() }).where("id", "=", id).execute();
    [a, b] = await startBoth();
    await Promise.all([ready(a), ready(b)]);

    const published = await db.selectFrom("audit_log").select(["action", "actor"]).where("object_type", "=", "version").where("object_id", "=", String(id)).where("action", "=", "version.publish").execute();
    expect(published, `${a.output()}\n${b.output()}`).toEqual([{ action: "version.publish", actor: "commissioner@example.nhs.uk" }]);
    const superseded = await db.selectFrom("audit_log").select(["version_number", "details"]).where("action", "=", "version.supersede").execute();
    expect(superseded.filter((s) => (typeof s.details === "string" ? (JSON.parse(s.details) as { by?: string }) : (s.details as { by?: string })).by === "1.2").map((s) => s.version_number)).toEqual(["1.1"]);
    const statuses = await db.selectFrom("versions").innerJoin("specifications", "specifications.id", "versions.specification_id").select(["versions.number", "versions.status"]).where("specifications.slug", "=", SLUG).where("versions.status", "=", "published").execute();
    expect(statuses).toEqual([{ number: "1.2", status: "published" }]);
    // What the servers said matches: one of them published it.
    const said = [a, b].map((s) => s.output().match(/published adult-external-beam-radiotherapy 1\.2, as scheduled/g)?.length ?? 0);
    expect(said[0]! + said[1]!, `${a.output()}\n${b.output()}`).toBe(1);
    for (const server of [a, b]) expect(troubles(server), server.output()).toEqual([]);
  });

  it("hold the sign-in limit across both: a burst of wrong passwords on both checks no more than the limit", async () => {
    const email = "admin@example.nhs.uk";
    const attempt = async (server: Server, password: string) => {
      const response = await fetch(`${server.baseURL}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ email, password }), redirect: "manual" });
      const body = await response.text();
      const said = body.includes("The email address or password is not right.") ? "wrong" : body.includes("Too many failed attempts.") ? "limited" : "other";
      return { status: response.status, said };
    };
    // 12 wrong passwords at once, 6 to each server: only 5 may be checked.
    const burst = await Promise.all(Array.from({ length: 12 }, (_, n) => attempt(n % 2 ? b : a, `not-the-password-${n}`)));
    const wrong = burst.filter((x) => x.status === 401 && x.said === "wrong").length;
    const limited = burst.filter((x) => x.status === 429 && x.said === "limited").length;
    expect({ wrong, limited }, JSON.stringify(burst)).toEqual({ wrong: 5, limited: 7 });
    const recorded = await db.selectFrom("sign_in_attempts").select((eb) => eb.fn.countAll<number>().as("n")).where("key", "=", `account:${email}`).executeTakeFirstOrThrow();
    expect(Number(recorded.n)).toBe(5);

    // Now the right password is refused on both, as limited.
    const right = await Promise.all([attempt(a, "specwork-demo"), attempt(b, "specwork-demo")]);
    expect(right).toEqual([{ status: 429, said: "limited" }, { status: 429, said: "limited" }]);
  });
});
