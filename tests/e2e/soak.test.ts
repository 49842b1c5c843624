import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectOf, openDatabase } from "~/models/db.server";
import { verifyChain } from "~/models/workflow.server";
import { withClauseText } from "../support/documents";
import { startServer } from "./server";

// Parallel clients over HTTP against the real server and its own database.
const SECONDS = Number(process.env.SOAK_SECONDS || 6);
const SLUG = "adult-external-beam-radiotherapy";
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

async function signIn(email: string): Promise<string> {
  const response = await fetch(`${server.baseURL}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `email=${encodeURIComponent(email)}&password=specwork-demo`, redirect: "manual" });
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

/** The clauses the savers write to; each new draft has a change note on every one. */
const CLAUSES = ["host-provider", "oversight-group", "annual-work-plan", "network-membership"];

async function newDraft(cookie: string): Promise<number> {
  const response = await fetch(`${server.baseURL}/specs/${SLUG}/drafts`, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: "from=1.0", redirect: "manual" });
  const id = Number(/(\d+)$/.exec(response.headers.get("location")!)![1]);
  // Notes up front, so that no change is left unexplained when the draft is submitted.
  for (const clauseId of CLAUSES) {
    const noted = await fetch(`${server.baseURL}/specs/${SLUG}/drafts/${id}`, { method: "POST", headers: { Cookie: cookie }, body: new URLSearchParams({ intent: "note", clauseId, rationale: "Changed in the soak." }), redirect: "manual" });
    if (noted.status !== 200) throw new Error(`note answered ${noted.status}`);
  }
  return id;
}


describe("a soak of parallel clients", () => {
  it("keeps every acknowledged save exactly once, a valid hash chain, and no approval of changed content", async () => {
    const editor = await signIn("editor@example.nhs.uk");
    const commissioner = await signIn("commissioner@example.nhs.uk");
    const drafts = [await newDraft(editor), await newDraft(editor), await newDraft(editor)];
    const acknowledged: { draft: number; requestId: string; revision: number }[] = [];
    const annotations: number[] = [];
    let conflicts = 0;
    let approvals = 0;
    const deadline = Date.now() + SECONDS * 1000;
    const clauses = CLAUSES;

    const saver = async (worker: number) => {
      for (let n = 0; Date.now() < deadline && n < 2000; n++) {
        const draft = drafts[(worker + n) % drafts.length];
        if (draft === undefined) continue;
        const current = (await (await fetch(`${server.baseURL}/api/drafts/${draft}`, { headers: { Cookie: editor } })).json()) as { revision: number; doc: unknown; status: string };
        if (current.status !== "draft" && current.status !== "submitted") continue;
        const requestId = `w${worker}-${n}`;
        const body = { baseRevision: current.revision, doc: withClauseText(current.doc, clauses[(worker + n) % clauses.length]!, `Worker ${worker} write ${n}.`), requestId };
        const response = await fetch(`${server.baseURL}/api/drafts/${draft}`, { method: "PUT", headers: { Cookie: editor, "Content-Type": "application/json" }, body: JSON.stringify(body) });
        if (response.status === 200) acknowledged.push({ draft, requestId, revision: ((await response.json()) as { revision: number }).revision });
        else if (response.status === 409) conflicts++;
        else if (response.status !== 409) throw new Error(`save answered ${response.status}: ${await response.text()}`);
      }
    };
    const annotator = async () => {
      for (let n = 0; Date.now() < deadline && n < 2000; n++) {
        const response = await fetch(`${server.baseURL}/api/specs/${SLUG}/versions/1.0/annotations`, { method: "POST", headers: { Cookie: editor, "Content-Type": "application/json" }, body: JSON.stringify({ clauseId: "host-provider", kind: "comment", body: `Soak ${n}`, visibility: n % 2 ? "public" : "staff" }) });
        if (response.status !== 201) throw new Error(`annotation answered ${response.status}`);
        annotations.push(((await response.json()) as { id: number }).id);
      }
    };
    // The reviewer approves the oldest live draft while others save to it, then opens a new one,
    // so saves and approvals keep racing on the same drafts.
    const reviewer = async () => {
      // Submitting and approving each post from their own page (an unchanged draft is refused).
      const post = (draft: number, step: "submit" | "approve", cookie: string) =>
        fetch(`${server.baseURL}/specs/${SLUG}/drafts/${draft}/${step}`, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: "", redirect: "manual" });
      for (let n = 0; Date.now() < deadline && n < 500; n++) {
        const draft = drafts[0]!;
        await post(draft, "submit", editor);
        await new Promise((r) => setTimeout(r, 30));
        const approve = await post(draft, "approve", commissioner);
        if (approve.status === 302) {
          approvals++;
          drafts.shift();
          drafts.push(await newDraft(editor));
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await Promise.all([saver(1), saver(2), saver(3), saver(4), annotator(), reviewer()]);
    console.log(`soak: ${SECONDS} s, ${acknowledged.length} saves acknowledged, ${conflicts} conflicts, ${annotations.length} annotations, ${approvals} approvals`);
    expect(acknowledged.length).toBeGreaterThan(10);

    const db = openDatabase(server.databasePath);
    try {
      if (dialectOf(db) === "sqlite") expect(Object.values((await sql.raw("pragma integrity_check").execute(db)).rows[0] as object)[0]).toBe("ok");
      for (const save of acknowledged) {
        const rows = await db.selectFrom("draft_revisions").select("revision").where("version_id", "=", save.draft).where("request_id", "=", save.requestId).execute();
        expect(rows, `${save.requestId}`).toEqual([{ revision: save.revision }]);
      }
      const ids = new Set((await db.selectFrom("annotations").select("id").execute()).map((r) => r.id));
      expect(annotations.every((id) => ids.has(id))).toBe(true);
      // No live approval of content that changed after it was approved.
      const stale = await db
        .selectFrom("approvals as a")
        .innerJoin("versions as v", "v.id", "a.version_id")
        .select("a.id")
        .where("a.voided_at", "is", null)
        .whereRef("a.content_hash", "!=", "v.content_hash")
        .execute();
      expect(stale).toEqual([]);
      expect(await verifyChain(db)).toEqual([]);
    } finally {
      await db.destroy();
    }
  }, 60_000);
});
