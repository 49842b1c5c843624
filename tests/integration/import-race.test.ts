// An import of thousands of responses while people send theirs through the site: on SQLite one
// writer at a time; on PostgreSQL the import runs on one snapshot beside the submissions, and
// must neither be cancelled again and again nor lose a row of either.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { parseMapping } from "~/domain/response-mapping";
import { seedIfEmpty } from "~/models/library.server";
import { importResponsesFile } from "~/models/response-import.server";
import { submitResponse } from "~/models/consultation-responses.server";
import { createConsultation } from "~/models/consultations.server";
import { freshDatabase } from "./database";

const ROWS = 6000;
const dir = mkdtempSync(path.join(tmpdir(), "specwork-import-race-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("imports 6,000 responses while others arrive through the site every 20 ms, losing none of either", async () => {
  const { db } = await freshDatabase();
  await seedIfEmpty(db, path.resolve("specs"));
  const user = await db.insertInto("users").values({ email: "c@example.nhs.uk", name: "C", role: "commissioner", password_hash: "!", created_at: "2026-01-01T00:00:00.000Z", disabled_at: null }).returning(["id", "email", "name", "role", "created_at", "disabled_at"]).executeTakeFirstOrThrow();
  const day = 86_400_000;
  await createConsultation(db, user, {
    id: "open-now",
    slug: "adult-external-beam-radiotherapy",
    versionNumber: "1.0",
    fields: { title: "Open", kind: "consultation", summary: "s", whyItMatters: "w", opensAt: new Date(Date.now() - day).toISOString(), closesAt: new Date(Date.now() + 30 * day).toISOString() },
    events: [],
    audiences: ["carers"],
    questions: [{ id: "q1", text: "Do you agree?", kind: "agree-scale", itemId: null }],
  });
  const parsed = parseMapping({ id: "ID", submitted: "Submitted", capacity: { column: "Capacity", values: { Individual: "individual" } }, consent: { column: "Consent", values: { Full: "full" } }, answers: { Q1: "q1" } });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  const file = path.join(dir, "responses.csv");
  writeFileSync(file, ["ID,Submitted,Capacity,Consent,Q1", ...Array.from({ length: ROWS }, (_, i) => `r${i},2017-11-01,Individual,Full,Agree`)].join("\n"));

  let done = false;
  const importing = importResponsesFile(db, { id: null, email: "test" }, "open-now", { file, format: "csv", mapping: parsed.mapping }).finally(() => (done = true));
  let submitted = 0;
  // Submissions go on for as long as the import does: progress, not the clock, ends them.
  while (!done) {
    await submitResponse(
      db,
      "open-now",
      { channel: "online", source: "form", capacity: "individual", organisation: null, respondentName: null, audienceCode: "carers", audienceText: null, email: null, consent: "anonymous", submittedAt: new Date().toISOString(), answers: [{ questionId: "q1", scale: "agree", text: null }], comments: [] },
      { addressHash: `address-${submitted}` },
    );
    submitted++;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const result = await importing;
  expect(result).toMatchObject({ ok: true, imported: ROWS, present: 0 });
  expect(submitted).toBeGreaterThan(0);
  const stored = await db.selectFrom("consultation_responses").select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.count<number>("external_key").as("imported")]).where("consultation_id", "=", "open-now").executeTakeFirstOrThrow();
  expect(stored).toEqual({ n: ROWS + submitted, imported: ROWS });
}, 300_000);
