// Exactness with many connections, through the app's own actions and commands, run at once. On
// SQLite one writer at a time makes these hold; on PostgreSQL (integration-pg) row locks and
// serializable transactions that run again when they lose a race must.
import { call, signIn } from "./app";
import { describe, expect, it } from "vitest";
import * as login from "~/routes/login";
import { getDatabase } from "~/models/app-database.server";
import { codeResponse } from "~/models/codings.server";
import { findUserByEmail } from "~/models/users.server";
import { clauseText, getDraft, h, put, startDraft, withClauseText } from "./drafting";

const CLAUSE = "host-provider";
const ENGAGEMENT = "radiotherapy-engagement-2016";

describe("commands run at the same time", () => {
  it("20 saves of one clause from one base: exactly one is taken, the rest are conflicts, one revision is stored", async () => {
    const editor = await signIn("editor@example.nhs.uk");
    const id = await startDraft(editor, "1.0");
    const { revision, doc } = await getDraft(id, editor);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => put(id, { baseRevision: revision, doc: withClauseText(doc, CLAUSE, `Saved by editor number ${i}.`) }, editor)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(409)]);
    const winner = answers.findIndex((a) => a.status === 200);
    const after = await getDraft(id, editor);
    expect(after.revision).toBe(revision + 1);
    expect(clauseText(after.doc, CLAUSE)).toBe(`Saved by editor number ${winner}.`);
    const db = await getDatabase();
    const revisions = await db.selectFrom("draft_revisions").select("revision").where("version_id", "=", id).where("revision", ">", revision).execute();
    expect(revisions).toEqual([{ revision: revision + 1 }]);
  });

  it("one save sent 6 times at once under one requestId is stored once, and every copy gets the same answer", async () => {
    const editor = await signIn("editor@example.nhs.uk");
    const id = await startDraft(editor, "1.0");
    const { revision, doc } = await getDraft(id, editor);
    const body = { baseRevision: revision, requestId: "same-save-1", doc: withClauseText(doc, CLAUSE, "Sent six times.") };
    const answers = await Promise.all(Array.from({ length: 6 }, () => put(id, body, editor)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    const texts = new Set(await Promise.all(answers.map((a) => a.text())));
    expect(texts.size).toBe(1);
    const db = await getDatabase();
    expect(await db.selectFrom("draft_revisions").select("revision").where("version_id", "=", id).where("request_id", "=", "same-save-1").execute()).toEqual([{ revision: revision + 1 }]);
  });

  it("12 wrong passwords at once for one account: 5 are checked, the rest refused as too many", async () => {
    const attempt = () => call(login.action as never, "/login", { form: { email: "admin@example.nhs.uk", password: "not-the-password", next: "/" }, address: "192.0.2.7" });
    const statuses = (await Promise.all(Array.from({ length: 12 }, attempt))).map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
    const right = await call(login.action as never, "/login", { form: { email: "admin@example.nhs.uk", password: "specwork-demo", next: "/" }, address: "192.0.2.8" });
    expect(right.status).toBe(429);
  });

  it("20 codings of one response to one theme at once leave exactly one current coding, the last one taken", async () => {
    const db = await getDatabase();
    const coder = (await findUserByEmail(db, "editor@example.nhs.uk"))!;
    const { id } = await db.selectFrom("consultation_responses").select("id").where("consultation_id", "=", ENGAGEMENT).orderBy("id", "desc").executeTakeFirstOrThrow();
    const stances = ["supports", "opposes", "mixed", "unclear"] as const;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        codeResponse(db, { ...coder, password_hash: undefined } as never, { consultationId: ENGAGEMENT, responseId: id, themeCode: "T05", pass: 1, stance: stances[i % 4]!, evidenceRich: i % 2 === 0, origin: "coder" }),
      ),
    );
    const current = await db.selectFrom("codings").selectAll().where("response_id", "=", id).where("theme_code", "=", "T05").where("pass", "=", 1).where("removed_at", "is", null).execute();
    expect(current).toHaveLength(1);
    // Every coding that was replaced was replaced by the next: a chain, none lost or doubled.
    const all = await db.selectFrom("codings").selectAll().where("response_id", "=", id).where("theme_code", "=", "T05").where("pass", "=", 1).orderBy("id").execute();
    expect(all.filter((c) => c.removed_at === null)).toEqual([all[all.length - 1]]);
  });
});
