// Bench: a suggestion for one response over 100,000 coded responses. A fresh database seeded
// from specs/, then 100,000 generated responses on the 2017 consultation (stored in batches and
// coded with direct inserts, in one transaction), the theme index rebuilt, and many
// suggestThemes calls timed. A script, not a test: it prints figures beside the goal.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sampleResponses } from "~/domain/sample-responses";
import { codeResponse, rebuildAllThemeSearch } from "~/models/codings.server";
import { findUser } from "~/models/users.server";
import { storeResponses } from "~/models/consultation-responses.server";
import { getConsultation } from "~/models/consultations.server";
import { inTransaction, migrateToLatest, openDatabase } from "~/models/db.server";
import { seedIfEmpty } from "~/models/library.server";
import { suggestThemes } from "~/models/suggestions.server";
import { listResponses, queueItem } from "~/models/coding-queue.server";

const CONSULTATION = "radiotherapy-consultation-2017";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

export async function benchSuggestions({ responses = 100_000, calls = 200 } = {}): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-bench-"));
  const db = openDatabase(path.join(dir, "bench.sqlite"));
  try {
    await migrateToLatest(db);
    await seedIfEmpty(db, path.resolve("specs"));
    const consultation = (await getConsultation(db, CONSULTATION))!;
    const register = JSON.parse(readFileSync("specs/themes.json", "utf8")) as { themes: { code: string; clauses: string[] }[] };
    const clausesByTheme = Object.fromEntries(register.themes.map((t) => [t.code, t.clauses]));
    const coder = (await db.selectFrom("users").select("id").orderBy("id").executeTakeFirstOrThrow()).id;

    const started = performance.now();
    const sample = sampleResponses({ seed: 2017, count: responses, opensAt: consultation.opensAt, closesAt: consultation.closesAt, questions: consultation.questions, clausesByTheme });
    await inTransaction(db, async (trx) => {
      const { references } = await storeResponses(trx, CONSULTATION, sample.map((s) => s.input));
      const idOf = new Map((await trx.selectFrom("consultation_responses").select(["id", "reference"]).where("consultation_id", "=", CONSULTATION).execute()).map((r) => [r.reference, r.id]));
      const at = new Date().toISOString();
      const rows = sample.flatMap((s, i) =>
        s.codings.map((c) => ({ response_id: idOf.get(references[i]!)!, consultation_id: CONSULTATION, theme_code: c.theme, pass: 1 as const, stance: c.stance, evidence_rich: c.evidenceRich ? (1 as const) : (0 as const), origin: c.origin, coded_by: coder, coded_at: at, removed_by: null, removed_at: null })),
      );
      for (let i = 0; i < rows.length; i += 500) await trx.insertInto("codings").values(rows.slice(i, i + 500)).execute();
      await rebuildAllThemeSearch(trx);
    });
    const ids = (await db.selectFrom("consultation_responses").select("id").where("consultation_id", "=", CONSULTATION).execute()).map((r) => r.id);
    const codings = (await db.selectFrom("codings").select((eb) => eb.fn.countAll<number>().as("n")).where("consultation_id", "=", CONSULTATION).executeTakeFirstOrThrow()).n;
    console.log(`  set-up: ${ids.length.toLocaleString("en-GB")} responses and ${codings.toLocaleString("en-GB")} codings stored and the theme index rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // Responses spread over the whole consultation, the same every run.
    const picks = Array.from({ length: calls }, (_, i) => ids[Math.floor(((i * 7919) % calls) * (ids.length / calls))]!);
    await suggestThemes(db, CONSULTATION, picks[0]!); // warm up
    const samples: number[] = [];
    let empty = 0;
    for (const id of picks) {
      const t = performance.now();
      const suggestions = await suggestThemes(db, CONSULTATION, id);
      samples.push(performance.now() - t);
      if (!suggestions.length) empty++;
    }
    console.log(
      `  suggestThemes for one response over ${ids.length.toLocaleString("en-GB")}: median_ms=${percentile(samples, 0.5).toFixed(2)} p95_ms=${percentile(samples, 0.95).toFixed(2)} ` +
        `(goal: median < 50 ms; ${calls} calls, ${empty} with no suggestion)`,
    );

    // The coding pages' own reads at the same scale (not goals of the issue; shown for sight).
    const timed = async (name: string, run: () => Promise<unknown>) => {
      await run();
      const runs: number[] = [];
      for (let i = 0; i < 21; i++) {
        const t = performance.now();
        await run();
        runs.push(performance.now() - t);
      }
      console.log(`  ${name.padEnd(52)} median_ms=${percentile(runs, 0.5).toFixed(2)}`);
    };
    const middle = ids[Math.floor(ids.length / 2)]!;
    await timed("coding queue, one response (first coding)", () => queueItem(db, consultation, { pass: 1, coderId: coder + 1, responseId: middle }));
    await timed("coding queue, first uncoded response", () => queueItem(db, consultation, { pass: 1, coderId: coder + 1, responseId: null }));
    await timed("coding queue, second coding", () => queueItem(db, consultation, { pass: 2, coderId: coder + 1, responseId: null }));
    await timed("responses list, a page filtered by theme", () => listResponses(db, CONSULTATION, { coded: null, theme: "T07", page: 40 }));
    // A coding change rewrites its theme's search document in the same transaction.
    const user = (await findUser(db, coder))!;
    let flip = 0;
    await timed("code a response (audit entry, theme index rebuilt)", () =>
      codeResponse(db, user, { consultationId: CONSULTATION, responseId: middle, themeCode: "T15", pass: 1, stance: flip++ % 2 ? "supports" : "opposes", evidenceRich: false, origin: "coder" }),
    );
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
