// npm run bench, "uncached pages proportional to what they show": builds a benchmark history in a
// fresh SQLite database (the 50,000-word specification in 30 published versions, each changing a
// few per cent of the words of the one before, 2,000 annotations over the versions and 12,000
// coded consultation responses), then times the loaders of the version page, a clause history,
// the draft page, the compare page for two adjacent versions and the consultation report.
//
// The loaders are called directly with real Requests, as tests/integration/app.ts does, so the
// page cache in server.js is never in the way: every request is uncached. Rendering the React
// tree is not included (the loader is where a page's cost grows with the history).
//
// Run alone: npx tsx tests/bench/pages.ts (BENCH_PAGE_RUNS sets the requests per page).
// Profile one page: BENCH_PAGE_ONLY=clause node --cpu-prof --import tsx tests/bench/pages.ts
import { call, signIn, type Handler } from "../integration/app";
import { closeDatabase, getDatabase } from "~/models/app-database.server";
import { addAnnotation } from "~/models/annotations.server";
import { inTransaction } from "~/models/db.server";
import { createDraft } from "~/models/drafts.server";
import { findUser } from "~/models/users.server";
import { findVersion, importVersion, sealFixedVersions } from "~/models/versions.server";
import { ANNOTATION_KINDS } from "~/domain/annotations";
import { itemTexts } from "~/domain/document";
import { seededRandom } from "../unit/random";
import { changeWords, generateSpecification } from "./generate";
import { storeCodedResponses } from "./report";

const P50_GOAL_MS = 100;
const P99_GOAL_MS = 250;
const VERSIONS = Number(process.env.BENCH_PAGE_VERSIONS || 30);
const ANNOTATIONS = Number(process.env.BENCH_PAGE_ANNOTATIONS || 2000);
const RESPONSES = Number(process.env.BENCH_PAGE_RESPONSES || 12_000);
const RUNS = Number(process.env.BENCH_PAGE_RUNS || 30);
const CONSULTATION = "radiotherapy-consultation-2017";

/** Version numbers 1.0 … 1.9, 2.0 …: ten minor versions to each major one. */
const versionNumber = (index: number) => `${1 + Math.floor(index / 10)}.${index % 10}`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function benchPages(): Promise<void> {
  const db = await getDatabase();
  const buildStart = performance.now();
  const editorEmail = "editor@example.nhs.uk";
  const editor = (await findUser(db, (await db.selectFrom("users").select("id").where("email", "=", editorEmail).executeTakeFirstOrThrow()).id))!;

  // The versions go in the way the library import stores files (importVersion, then sealing),
  // in one transaction; every one but the newest is superseded.
  let source = generateSpecification(2016);
  const slug = source.meta.slug;
  const numbers: string[] = [];
  await inTransaction(db, async (trx) => {
    for (let i = 0; i < VERSIONS; i++) {
      if (i > 0) source = changeWords(source, 0.03, 1000 + i);
      const number = versionNumber(i);
      numbers.push(number);
      const status = i === VERSIONS - 1 ? "published" : "superseded";
      await importVersion(trx, { meta: { ...source.meta, version: number, label: null, date: `2020-01-${String(1 + (i % 28)).padStart(2, "0")}`, status }, doc: source.doc }, "bench");
    }
    await sealFixedVersions(trx);
  });

  // Annotations on clauses of every version, public and internal, a few with a quoted range.
  const r = seededRandom(13);
  const versions = await Promise.all(numbers.map((n) => findVersion(db, slug, n).then((v) => v!)));
  const clausesOf = versions.map((v) => itemTexts(v.doc).filter((item) => item.kind === "clause"));
  for (let i = 0; i < ANNOTATIONS; i++) {
    const index = r.int(versions.length);
    const version = versions[index]!;
    const clause = r.pick(clausesOf[index]!);
    const ranged = r.chance(0.5) && clause.plainText.length > 40;
    const start = ranged ? r.int(clause.plainText.length - 30) : null;
    await addAnnotation(db, { id: version.id, doc: version.doc, slug, number: version.number }, { id: editor.id, name: editor.name, email: editor.email }, {
      clauseId: clause.id,
      start,
      end: start === null ? null : start + 25,
      kind: r.pick(ANNOTATION_KINDS),
      body: `Benchmark annotation ${i} on clause ${clause.id}.`,
      visibility: r.chance(0.7) ? "public" : "staff",
    });
  }
  const latest = numbers[numbers.length - 1]!;
  const draft = await createDraft(db, editor, slug, latest);
  const codings = await storeCodedResponses(db, CONSULTATION, RESPONSES, 12_000);
  console.log(
    `\nuncached pages (loaders called directly, no page cache; ${VERSIONS} versions of the 50k-word specification, ${ANNOTATIONS.toLocaleString("en-GB")} annotations, ` +
      `${RESPONSES.toLocaleString("en-GB")} responses with ${codings.toLocaleString("en-GB")} codings; built in ${((performance.now() - buildStart) / 1000).toFixed(1)} s)`,
  );

  const cookie = await signIn(editorEmail);
  const admin = await signIn("admin@example.nhs.uk");
  const clauseId = clausesOf[clausesOf.length - 1]![Math.floor(clausesOf[0]!.length / 2)]!.id;
  const previous = numbers[numbers.length - 2]!;
  const pages: { name: string; load: () => Promise<Response> }[] = [
    { name: `version page (${latest}, signed in)`, load: async () => call((await import("~/routes/specs.$slug.v.$version")).loader as Handler, `/specs/${slug}/v/${latest}`, { cookie, params: { slug, version: latest } }) },
    { name: `version page (${latest}, public)`, load: async () => call((await import("~/routes/specs.$slug.v.$version")).loader as Handler, `/specs/${slug}/v/${latest}`, { params: { slug, version: latest } }) },
    { name: `clause history (${clauseId})`, load: async () => call((await import("~/routes/specs.$slug.clauses.$clauseId")).loader as Handler, `/specs/${slug}/clauses/${clauseId}`, { params: { slug, clauseId } }) },
    { name: `draft page (${draft.number})`, load: async () => call((await import("~/routes/specs.$slug.drafts_.$draftId")).loader as Handler, `/specs/${slug}/drafts/${draft.id}`, { cookie, params: { slug, draftId: String(draft.id) } }) },
    { name: `compare ${previous}...${latest}`, load: async () => call((await import("~/routes/specs.$slug.compare.$range")).loader as Handler, `/specs/${slug}/compare/${previous}...${latest}`, { params: { slug, range: `${previous}...${latest}` } }) },
    { name: "consultation report (staff)", load: async () => call((await import("~/routes/consultations.$id_.report")).loader as Handler, `/consultations/${CONSULTATION}/report`, { cookie: admin, params: { id: CONSULTATION } }) },
  ];
  // BENCH_PAGE_ONLY=clause times only the pages whose name contains it (for a profile of one).
  for (const page of pages.filter((p) => p.name.includes(process.env.BENCH_PAGE_ONLY ?? ""))) {
    const first = await page.load(); // warm up, and check the page is really there
    if (first.status !== 200) throw new Error(`${page.name} answered ${first.status}: ${(await first.text()).slice(0, 300)}`);
    await first.arrayBuffer();
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const response = await page.load();
      await response.arrayBuffer(); // the JSON the page would carry, serialised
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const p50 = percentile(samples, 50);
    const p99 = percentile(samples, 99);
    const met = p50 < P50_GOAL_MS && p99 < P99_GOAL_MS;
    console.log(`  ${page.name.padEnd(34)} p50_ms=${p50.toFixed(1).padStart(7)}  p99_ms=${p99.toFixed(1).padStart(7)}  (goal p50 < ${P50_GOAL_MS}, p99 < ${P99_GOAL_MS}: ${met ? "met" : "NOT met"})`);
  }
  // spec verify reads every version of the history: timed too, without a goal of its own.
  if (!process.env.BENCH_PAGE_ONLY) {
    const { verifyChain } = await import("~/models/workflow.server");
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const problems = await verifyChain(db);
      samples.push(performance.now() - start);
      if (problems.length) throw new Error(`spec verify found problems: ${problems.join("; ")}`);
    }
    const stored = (await db.selectFrom("versions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    console.log(`  ${`spec verify (${stored} versions)`.padEnd(34)} median_ms=${samples.sort((a, b) => a - b)[1]!.toFixed(1)}`);
  }
  console.log(`  over ${RUNS} requests each; load average ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  await closeDatabase();
}

// Run on its own: npx tsx tests/bench/pages.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  await benchPages();
  process.exit(0);
}
