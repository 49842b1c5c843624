// npm run bench, "uncached pages proportional to what they show": builds a benchmark history in a
// fresh SQLite database (the 50,000-word specification in 30 published versions, each changing a
// few per cent of the words of the one before, 2,000 annotations over the versions and 12,000
// coded consultation responses), then times the loaders of the version page, a clause history,
// the draft page, the compare page for two adjacent versions and the consultation report.
//
// Each page is timed twice: its loader called directly with a real Request, as
// tests/integration/app.ts does (where a page's cost grows with the history), and the whole page
// rendered to HTML by the built app's Remix request handler (build/index.js; `npm run build`
// first), which is what the goal is judged on. Neither goes through server.js, so the page cache
// is never in the way: every request is uncached.
//
// Run alone: npx tsx tests/bench/pages.ts (BENCH_PAGE_RUNS sets the requests per page).
// Profile one page: BENCH_PAGE_ONLY=clause node --cpu-prof --import tsx tests/bench/pages.ts
import "./production";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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
  const pages: { name: string; url: string; cookie?: string; load: () => Promise<Response> }[] = [
    { name: `version page (${latest}, signed in)`, url: `/specs/${slug}/v/${latest}`, cookie, load: async () => call((await import("~/routes/specs.$slug.v.$version")).loader as Handler, `/specs/${slug}/v/${latest}`, { cookie, params: { slug, version: latest } }) },
    { name: `version page (${latest}, public)`, url: `/specs/${slug}/v/${latest}`, load: async () => call((await import("~/routes/specs.$slug.v.$version")).loader as Handler, `/specs/${slug}/v/${latest}`, { params: { slug, version: latest } }) },
    { name: `clause history (${clauseId})`, url: `/specs/${slug}/clauses/${clauseId}`, load: async () => call((await import("~/routes/specs.$slug.clauses.$clauseId")).loader as Handler, `/specs/${slug}/clauses/${clauseId}`, { params: { slug, clauseId } }) },
    { name: `draft page (${draft.number})`, url: `/specs/${slug}/drafts/${draft.id}`, cookie, load: async () => call((await import("~/routes/specs.$slug.drafts_.$draftId")).loader as Handler, `/specs/${slug}/drafts/${draft.id}`, { cookie, params: { slug, draftId: String(draft.id) } }) },
    { name: `compare ${previous}...${latest}`, url: `/specs/${slug}/compare/${previous}...${latest}`, load: async () => call((await import("~/routes/specs.$slug.compare.$range")).loader as Handler, `/specs/${slug}/compare/${previous}...${latest}`, { params: { slug, range: `${previous}...${latest}` } }) },
    { name: "consultation report (staff)", url: `/consultations/${CONSULTATION}/report`, cookie: admin, load: async () => call((await import("~/routes/consultations.$id_.report")).loader as Handler, `/consultations/${CONSULTATION}/report`, { cookie: admin, params: { id: CONSULTATION } }) },
  ];
  // The built app renders each page whole; without a build, only the loaders are timed.
  const render = await builtHandler();
  if (!render) console.log("  (no build/index.js: run `npm run build` to time the rendered pages too; loaders only below)");
  // BENCH_PAGE_ONLY=clause times only the pages whose name contains it (for a profile of one).
  for (const page of pages.filter((p) => p.name.includes(process.env.BENCH_PAGE_ONLY ?? ""))) {
    const loader = await timed(page.name, page.load);
    const rendered = render
      ? await timed(page.name, () => render(new Request(`http://localhost:3000${page.url}`, { headers: page.cookie ? { Cookie: page.cookie } : {} })), true)
      : null;
    const judged = rendered ?? loader;
    const met = judged.p50 < P50_GOAL_MS && judged.p99 < P99_GOAL_MS;
    console.log(
      `  ${page.name.padEnd(34)} loader p50_ms=${loader.p50.toFixed(1).padStart(6)} p99_ms=${loader.p99.toFixed(1).padStart(6)}` +
        (rendered ? `   rendered p50_ms=${rendered.p50.toFixed(1).padStart(6)} p99_ms=${rendered.p99.toFixed(1).padStart(6)} (${(rendered.bytes / 1024).toFixed(0)} KiB)` : "") +
        `  (goal p50 < ${P50_GOAL_MS}, p99 < ${P99_GOAL_MS}${rendered ? ", rendered" : ", loader only"}: ${met ? "met" : "NOT met"})`,
    );
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

/** p50 and p99 of RUNS requests after one to warm up (which must answer 200, and HTML when rendered). */
async function timed(name: string, load: () => Promise<Response>, html = false): Promise<{ p50: number; p99: number; bytes: number }> {
  const first = await load();
  const body = await first.text();
  if (first.status !== 200) throw new Error(`${name} answered ${first.status}: ${body.slice(0, 300)}`);
  if (html && !/^<!DOCTYPE html>/i.test(body)) throw new Error(`${name} did not render a page: ${body.slice(0, 300)}`);
  // BENCH_PAGE_DUMP=<folder> keeps each rendered page, to see what makes it the size it is.
  if (html && process.env.BENCH_PAGE_DUMP) writeFileSync(path.join(process.env.BENCH_PAGE_DUMP, `${name.replace(/[^\w.-]+/g, "-")}.html`), body);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const response = await load();
    await response.arrayBuffer(); // the whole answer: the JSON the page carries, or its HTML
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), bytes: body.length };
}

/** The built app's request handler (what server.js runs behind its page cache), or null with no build. */
async function builtHandler(): Promise<((request: Request) => Promise<Response>) | null> {
  const file = path.resolve(fileURLToPath(import.meta.url), "../../../build/index.js");
  if (!existsSync(file)) return null;
  const { createRequestHandler } = await import("@remix-run/node");
  const build = await import(pathToFileURL(file).href);
  return createRequestHandler(build, "production");
}

// Run on its own: npx tsx tests/bench/pages.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  await benchPages();
  process.exit(0);
}
