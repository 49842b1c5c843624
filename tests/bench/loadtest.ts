// npm run loadtest: the production build on loopback, in three set-ups, each on a fresh database
// seeded by the app itself (with the 50,000-word benchmark specification added to the seed):
//
//   sqlite  one server on an SQLite file (the default);
//   pg      one server on a throw-away PostgreSQL (tests/support/postgres.ts);
//   pg2     two servers on one PostgreSQL database, started together (so they also race to
//           migrate), both ready before any load; each client is bound to one of them, half each.
//
// `LOADTEST_SETUPS=sqlite,pg,pg2` chooses (all three by default). For each set-up it measures
// requests per second and p50/p99 latency of the cached public version page, compare page and
// the benchmark's version page, each with gzip asked for and without (LOAD_CONNECTIONS
// keep-alive connections, 50 by default, as the issue's goal is stated), then
// draft saves with LOAD_EDITORS (20) concurrent editors: they sign in as the demo editor, share
// LOAD_DRAFTS (4) drafts with one clause each, and save back to back as the editor does: the
// revision they last saw as the base, a new requestId each time, the server's merged document
// kept, and on a 409 the draft read again and the save retried. It counts saves per second, the
// p50/p99 of a save, conflicts and errors, and afterwards checks that no acknowledged save was
// lost (each editor's clause holds its last saved text; each draft's revision count is the
// number of saves acknowledged on it). Each measurement lasts LOAD_SECONDS (10). The same page
// bytes from a bare node:http server are the yardstick, in the same run: the issue's goal is a
// cached page at 0.5 × or more of it, with p99 under 20 ms at 50 connections.
//
// What limits the figures: everything runs on this machine's cores, shared: the load generator
// (this process, one core at most), the app server(s), and PostgreSQL. A cached page costs the
// server a write of the stored bytes, answered before Express runs, and no query: the stamp that
// says whether the cache is still good is held in memory (on SQLite the latest audit entry, read
// every 50 ms and after each change the server commits; on PostgreSQL a count of the change
// notices heard through LISTEN/NOTIFY), see app/page-cache.server.ts. A save is CPU work in Node (checking, merging with
// what was saved since, hashing, the clause items) plus one write transaction: one writer at a
// time on SQLite; on PostgreSQL saves of one draft wait for each other on its row lock, while
// saves of different drafts run together. A second server on a 2-core machine adds no cores, so it
// cannot double anything: it splits the same CPUs between more processes. What it can show is
// that two servers on one database stay correct and are not much slower than one.
//
// Goals: the issue's, as ratios printed beside the figures: PostgreSQL with one or two servers
// not slower than SQLite by more than the above explains, and no errors and no lost saves
// anywhere. Loopback only; every loop is bounded in time and count.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { writeSpec } from "~/domain/source/write";
import type { DocJSON } from "~/domain/schema";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { generateSpecification } from "./generate";
import { freePort } from "../support/free-port";

const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS || 50);
/** The issue's goal for a cached public page: this share of a bare server's rate, and this p99. */
const GOAL_BARE_RATIO = 0.5;
const GOAL_P99_MS = 20;
const SECONDS = Number(process.env.LOAD_SECONDS || 10);
const EDITORS = Number(process.env.LOAD_EDITORS || 20);
const DRAFTS = Number(process.env.LOAD_DRAFTS || 4);
const MAX_REQUESTS = 200_000;
/** A busy 2-core machine may take a while to migrate and seed a new PostgreSQL database. */
const READY_BUDGET_MS = 180_000;
/** No single request may hold a measurement up for longer than this. */
const REQUEST_TIMEOUT_MS = 30_000;

const SLUG = "adult-external-beam-radiotherapy";
const EDITOR = { email: "editor@example.nhs.uk", password: "specwork-demo" };
const ALL_SETUPS = ["sqlite", "pg", "pg2"] as const;
type SetupName = (typeof ALL_SETUPS)[number];
const SETUP_LABEL: Record<SetupName, string> = { sqlite: "SQLite, 1 server", pg: "PostgreSQL, 1 server", pg2: "PostgreSQL, 2 servers" };


const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;

interface Result {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Keeps CONNECTIONS requests in flight for SECONDS over keep-alive connections, each bound to one of the urls in turn. */
async function load(urls: string[], gzip = true): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const one = (url: string) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = http.get(url, { agent, timeout: REQUEST_TIMEOUT_MS, headers: gzip ? { "Accept-Encoding": "gzip" } : {} }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode === 200) latencies.push(performance.now() - started);
          else errors++;
          resolve();
        });
      });
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", () => {
        errors++;
        resolve();
      });
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, i) => {
      const url = urls[i % urls.length]!;
      while (performance.now() < deadline && latencies.length + errors < MAX_REQUESTS) await one(url);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, rps: latencies.length / elapsed, p50: at(latencies, 0.5), p99: at(latencies, 0.99), errors };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? "GET", agent: options.agent, timeout: REQUEST_TIMEOUT_MS, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${options.method ?? "GET"} ${url} timed out after ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

const fetchRaw = (url: string, gzip = true) => send(url, { headers: gzip ? { "Accept-Encoding": "gzip" } : {} });

interface AppServer {
  base: string;
  /** The last lines the server printed, for when something goes wrong. */
  output: string[];
  child: ChildProcess;
}

function startServer(env: Record<string, string>, port: number): AppServer {
  const child = spawn(process.execPath, ["server.js"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", SPECWORK_DEMO: "on", DEMO_PASSWORD: EDITOR.password, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (output.length > 2000) output.splice(0, output.length - 2000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return { base: `http://127.0.0.1:${port}`, output, child };
}

/** Waits until /readyz answers 200: the database is open, migrated and seeded. */
async function waitReady(server: AppServer): Promise<void> {
  const until = Date.now() + READY_BUDGET_MS;
  while (Date.now() < until) {
    if (server.child.exitCode !== null) throw new Error(`the server at ${server.base} exited with ${server.child.exitCode}:\n${server.output.slice(-20).join("\n")}`);
    try {
      if ((await send(`${server.base}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server at ${server.base} was not ready within ${READY_BUDGET_MS / 1000} s:\n${server.output.slice(-20).join("\n")}`);
}

async function stopServer(server: AppServer): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once("exit", r));
  server.child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (server.child.exitCode === null) server.child.kill("SIGKILL");
}

// --- Draft saves -------------------------------------------------------------------------------

interface ClauseNode {
  type: string;
  attrs?: { id?: string };
  content?: ClauseNode[];
}

/** Clauses with no clauses inside them whose first child is a paragraph: each editor changes one. */
function leafClauses(doc: DocJSON): string[] {
  const found: string[] = [];
  const visit = (nodes: ClauseNode[]) => {
    for (const node of nodes) {
      if (node.type === "clause" && node.attrs?.id) {
        const children = node.content ?? [];
        if (children[0]?.type === "paragraph" && !children.some((c) => c.type === "clause" || JSON.stringify(c).includes('"type":"clause"'))) found.push(node.attrs.id);
      }
      if (node.content) visit(node.content);
    }
  };
  visit(((doc as unknown as ClauseNode).content ?? []) as ClauseNode[]);
  return found;
}

/** The document with one clause's first paragraph replaced (as tests/integration/drafting.ts does). */
function withClauseText(doc: DocJSON, clauseId: string, text: string): DocJSON {
  const copy = structuredClone(doc);
  const visit = (nodes: ClauseNode[]): void => {
    for (const node of nodes) {
      if (node.type === "clause" && node.attrs?.id === clauseId) (node.content as { content?: unknown }[])[0]!.content = [{ type: "text", text }];
      else if (node.content) visit(node.content);
    }
  };
  visit(((copy as unknown as ClauseNode).content ?? []) as ClauseNode[]);
  return copy;
}

function clauseText(doc: DocJSON, clauseId: string): string | undefined {
  let text: string | undefined;
  const visit = (nodes: ClauseNode[]): void => {
    for (const node of nodes) {
      if (node.type === "clause" && node.attrs?.id === clauseId) {
        const first = (node.content?.[0]?.content ?? []) as { text?: string }[];
        text = first.map((t) => t.text ?? "").join("");
      } else if (node.content) visit(node.content);
    }
  };
  visit(((doc as unknown as ClauseNode).content ?? []) as ClauseNode[]);
  return text;
}

async function signIn(base: string): Promise<string> {
  const body = new URLSearchParams({ email: EDITOR.email, password: EDITOR.password, next: "/" }).toString();
  const answer = await send(`${base}/login`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
  const cookie = ([] as string[]).concat(answer.headers["set-cookie"] ?? []).find((c) => c.startsWith("specwork_session="));
  if (answer.status !== 302 || !cookie) throw new Error(`signing in as ${EDITOR.email} answered ${answer.status}: ${answer.body.toString("utf8").slice(0, 300)}`);
  return cookie.split(";")[0]!;
}

async function startDraft(base: string, cookie: string, from: string): Promise<number> {
  const answer = await send(`${base}/specs/${SLUG}/drafts`, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ from }).toString() });
  const id = /\/drafts\/(\d+)$/.exec(String(answer.headers.location ?? ""))?.[1];
  if (answer.status !== 302 || !id) throw new Error(`starting a draft from ${from} answered ${answer.status}: ${answer.body.toString("utf8").slice(0, 300)}`);
  return Number(id);
}

async function readDraft(base: string, cookie: string, id: number, agent?: http.Agent): Promise<{ revision: number; doc: DocJSON }> {
  const answer = await send(`${base}/api/drafts/${id}`, { headers: { Cookie: cookie }, agent });
  if (answer.status !== 200) throw new Error(`GET /api/drafts/${id} answered ${answer.status}: ${answer.body.toString("utf8").slice(0, 300)}`);
  return JSON.parse(answer.body.toString("utf8"));
}

interface SaveResult extends Result {
  saves: number;
  conflicts: number;
  /** Distinct unexpected answers, with how often each came. */
  failures: Map<string, number>;
  lost: string[];
}

/** EDITORS editors saving back to back for SECONDS, spread over DRAFTS drafts and over the servers. */
async function saveLoad(bases: string[]): Promise<SaveResult> {
  const cookie = await signIn(bases[0]!);
  const drafts: number[] = [];
  for (let i = 0; i < DRAFTS; i++) drafts.push(await startDraft(bases[i % bases.length]!, cookie, "1.0"));
  const first = await readDraft(bases[0]!, cookie, drafts[0]!);
  const clauses = leafClauses(first.doc);
  const perDraft = Math.ceil(EDITORS / DRAFTS);
  if (clauses.length < perDraft) throw new Error(`version 1.0 has ${clauses.length} clauses to change; ${perDraft} are needed`);
  // Spread over the document, so that neighbouring editors do not touch neighbouring clauses.
  const chosen = Array.from({ length: perDraft }, (_, i) => clauses[Math.floor((i * clauses.length) / perDraft)]!);

  const agents = bases.map(() => new http.Agent({ keepAlive: true, maxSockets: EDITORS }));
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const fail = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
  let conflicts = 0;
  let errors = 0;
  const acknowledged = new Map<number, number>(drafts.map((d) => [d, 0]));
  const lastSaved: { draft: number; clause: string; text: string | null }[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();

  await Promise.all(
    Array.from({ length: EDITORS }, async (_, e) => {
      const draft = drafts[e % DRAFTS]!;
      const clause = chosen[Math.floor(e / DRAFTS)]!;
      const which = e % bases.length;
      const base = bases[which]!;
      const agent = agents[which]!;
      const mine = { draft, clause, text: null as string | null };
      lastSaved.push(mine);
      let { revision, doc } = await readDraft(base, cookie, draft, agent);
      for (let n = 1; performance.now() < deadline && latencies.length + errors < MAX_REQUESTS; n++) {
        const text = `Load test: editor ${e + 1}, save ${n}.`;
        const sent = withClauseText(doc, clause, text);
        const t0 = performance.now();
        let answer: Answer;
        try {
          answer = await send(`${base}/api/drafts/${draft}`, {
            method: "PUT",
            agent,
            headers: { Cookie: cookie, "Content-Type": "application/json" },
            body: JSON.stringify({ baseRevision: revision, doc: sent, requestId: randomUUID() }),
          });
        } catch (error) {
          errors++;
          fail(`no answer: ${(error as Error).message}`);
          continue;
        }
        const ms = performance.now() - t0;
        if (answer.status === 200) {
          const body = JSON.parse(answer.body.toString("utf8")) as { revision: number; doc?: DocJSON };
          latencies.push(ms);
          acknowledged.set(draft, acknowledged.get(draft)! + 1);
          mine.text = text;
          revision = body.revision;
          // The server answers with the document when it merged in what others saved since.
          doc = body.doc ?? sent;
          continue;
        }
        if (answer.status === 409) conflicts++;
        else {
          errors++;
          fail(`${answer.status} ${answer.body.toString("utf8").slice(0, 300)}`);
        }
        // As the editor does after a conflict: start again from what is saved now.
        try {
          ({ revision, doc } = await readDraft(base, cookie, draft, agent));
        } catch (error) {
          errors++;
          fail((error as Error).message);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  for (const agent of agents) agent.destroy();

  // Nothing acknowledged may be missing: read each draft back (from the first server).
  const lost: string[] = [];
  for (const draft of drafts) {
    const now = await readDraft(bases[0]!, cookie, draft);
    if (now.revision !== acknowledged.get(draft)) lost.push(`draft ${draft} is at revision ${now.revision} after ${acknowledged.get(draft)} acknowledged saves`);
    for (const editor of lastSaved.filter((m) => m.draft === draft && m.text !== null)) {
      const there = clauseText(now.doc, editor.clause);
      if (there !== editor.text) lost.push(`draft ${draft} clause ${editor.clause} holds “${there}”, not the last acknowledged “${editor.text}”`);
    }
  }
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, saves: latencies.length, rps: latencies.length / elapsed, p50: at(latencies, 0.5), p99: at(latencies, 0.99), errors, conflicts, failures, lost };
}

// --- The run -------------------------------------------------------------------------------------

interface Row {
  setup: string;
  measurement: string;
  result: Result | null;
  note: string;
}

const PAGES = (benchSlug: string, benchVersion: string): [string, string][] => [
  ["version page (1.0)", `/specs/${SLUG}/v/1.0`],
  ["compare page (0.9...1.0)", `/specs/${SLUG}/compare/0.9...1.0`],
  ["50k-word benchmark version page", `/specs/${benchSlug}/v/${benchVersion}`],
];
const SAVES = `draft saves, ${EDITORS} editors`;

/** The same bytes and headers from a bare node:http server, as the yardstick. */
async function yardstick(page: Answer, gzip: boolean): Promise<Result> {
  const port = await freePort();
  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Encoding": String(page.headers["content-encoding"] ?? "identity"), ETag: String(page.headers.etag ?? "") });
    res.end(page.body);
  });
  await new Promise<void>((r) => bare.listen(port, "127.0.0.1", r));
  try {
    return await load([`http://127.0.0.1:${port}/`], gzip);
  } finally {
    await new Promise((r) => bare.close(r));
  }
}

async function measure(setup: SetupName, servers: AppServer[], pages: [string, string][], rows: Row[], bare: Row[] | null) {
  const label = SETUP_LABEL[setup];
  const bases = servers.map((s) => s.base);
  console.log(`\n${label}`);
  for (const [page, url] of pages) {
    // Rendered once on each server, so that every server answers from its own cache.
    for (const base of bases) {
      const first = await fetchRaw(base + url);
      if (first.status !== 200) throw new Error(`${base}${url} answered ${first.status}`);
    }
    for (const gzip of [true, false]) {
      const name = `${page}, ${gzip ? "gzip" : "no gzip"}`;
      const cached = await fetchRaw(bases[0]! + url, gzip);
      const kib = `${(cached.body.length / 1024).toFixed(0)} KiB${gzip ? " gzipped" : ""}`;
      const result = await load(bases.map((b) => b + url), gzip);
      console.log(`  ${name.padEnd(44)} rps=${result.rps.toFixed(0)}  p50_ms=${result.p50.toFixed(2)}  p99_ms=${result.p99.toFixed(2)}  errors=${result.errors}  (${kib}, cache ${cached.headers["x-specwork-cache"] ?? "miss"})`);
      rows.push({ setup: label, measurement: name, result, note: "" });
      if (bare) {
        const same = await yardstick(cached, gzip);
        console.log(`  ${"  the same bytes, bare node:http".padEnd(44)} rps=${same.rps.toFixed(0)}  p50_ms=${same.p50.toFixed(2)}  p99_ms=${same.p99.toFixed(2)}`);
        bare.push({ setup: "bare node:http", measurement: name, result: same, note: kib });
      }
    }
  }
  const saves = await saveLoad(bases);
  console.log(
    `  ${SAVES.padEnd(34)} saves/s=${saves.rps.toFixed(0)}  p50_ms=${saves.p50.toFixed(1)}  p99_ms=${saves.p99.toFixed(1)}  saves=${saves.saves}  conflicts=${saves.conflicts}  errors=${saves.errors}  lost=${saves.lost.length}`,
  );
  for (const [what, count] of saves.failures) console.log(`    ${count}× ${what}`);
  for (const what of saves.lost.slice(0, 10)) console.log(`    LOST: ${what}`);
  if (saves.errors > 0) {
    for (const server of servers) {
      const said = serverErrors(server.output);
      if (said.size) console.log(`    server ${server.base} printed:\n${[...said].map(([line, n]) => `      ${n}× ${line}`).join("\n")}`);
    }
  }
  rows.push({ setup: label, measurement: SAVES, result: saves, note: `${saves.conflicts} conflicts, ${saves.lost.length} lost` });
}

/**
 * The errors a server printed, each distinct one once with its count: the first line of each
 * (such as "error: could not serialize access …"), with a PostgreSQL error's code, detail, the
 * trigger or function it came from, and the routine that raised it, from the inspected object.
 */
function serverErrors(output: string[]): Map<string, number> {
  const found = new Map<string, number>();
  let current: string[] | null = null;
  const finish = () => {
    if (current) found.set(current.join("; "), (found.get(current.join("; ")) ?? 0) + 1);
    current = null;
  };
  for (const line of output) {
    if (/^\S/.test(line) && /error|exception/i.test(line) && !line.startsWith("Specwork: ")) {
      finish();
      current = [line.trim().slice(0, 200)];
      continue;
    }
    if (!current) continue;
    const field = /^\s+(code|detail|where|routine): (.+?),?$/.exec(line);
    if (field && !field[2]!.startsWith("undefined")) current.push(`${field[1]} ${field[2]!.replace(/\s*\+$/, "").slice(0, 160)}`);
    if (/^\s*\}$/.test(line)) finish();
  }
  finish();
  return found;
}

function printTable(rows: Row[]) {
  const sqlite = new Map(rows.filter((r) => r.setup === SETUP_LABEL.sqlite && r.result).map((r) => [r.measurement, r.result!]));
  const bare = new Map(rows.filter((r) => r.setup === "bare node:http" && r.result).map((r) => [r.measurement, r.result!]));
  const header = ["set-up", "measurement", "rps", "p50 ms", "p99 ms", "errors", "× SQLite rps", "× bare rps", `goal ≥ ${GOAL_BARE_RATIO.toFixed(2)} × bare, p99 < ${GOAL_P99_MS} ms`, "note"];
  const lines = rows.map((r) => {
    if (!r.result) return [r.setup, r.measurement, "–", "–", "–", "–", "–", "–", "–", r.note];
    const s = sqlite.get(r.measurement);
    const b = bare.get(r.measurement);
    const ratio = (x: Result | undefined) => (x && r.setup !== "bare node:http" ? (r.result!.rps / x.rps).toFixed(2) : "");
    // The goal is the issue's for cached public pages (a bare server beside it); saves have none here.
    const goal = b && r.setup !== "bare node:http" ? (r.result.rps / b.rps >= GOAL_BARE_RATIO && r.result.p99 < GOAL_P99_MS && r.result.errors === 0 ? "met" : "NOT met") : "";
    // A p99 over the goal that the bare server sending the same bytes also has is the bytes' (a
    // megabyte to each of 50 connections), not the app's: said so beside it.
    const note = goal === "NOT met" && b && r.result.p99 >= GOAL_P99_MS && r.result.p99 <= b.p99 && r.result.rps / b.rps >= GOAL_BARE_RATIO
      ? [r.note, `p99 within the bare server's own (${b.p99.toFixed(1)} ms)`].filter(Boolean).join("; ")
      : r.note;
    return [r.setup, r.measurement, r.result.rps.toFixed(0), r.result.p50.toFixed(2), r.result.p99.toFixed(2), String(r.result.errors), r.setup === SETUP_LABEL.sqlite ? "" : ratio(s), ratio(b), goal, note];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 8 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  console.log(`\n${format(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const l of lines) console.log(format(l));
  console.log(
    [
      "",
      `Goals (the issue's): a cached public page at ${GOAL_BARE_RATIO} × a bare node:http server's rate or more, on the same bytes,`,
      `with and without gzip, and its p99 under ${GOAL_P99_MS} ms at 50 connections (this run: ${CONNECTIONS});`,
      "PostgreSQL with one or two servers not slower than SQLite by more than can be explained",
      "(× SQLite near 1, or the cause named below), no errors, no lost saves. Saves: rps is acknowledged saves per second;",
      "p50/p99 are of one acknowledged save; a conflict (409) is read again and retried, as the editor does.",
      `Two servers on ${os.cpus().length} cores: the load generator, both servers and PostgreSQL share the same cores, so a`,
      "second server adds no capacity here; expect about one server's figures, minus the cost of more processes.",
      "Cached pages are answered before Express runs and cost no query: the stamp saying the cache is still good is in",
      "memory (SQLite: the latest audit entry, read every 50 ms and after each own change; PostgreSQL: LISTEN/NOTIFY).",
      "The load generator is this one Node process, on one core at most: near the bare server's rate it may be the limit.",
    ].join("\n"),
  );
}

async function main() {
  if (!existsSync("build/index.js")) throw new Error("No build: run npm run build first.");
  const chosen = (process.env.LOADTEST_SETUPS || ALL_SETUPS.join(","))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = chosen.filter((s) => !(ALL_SETUPS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`LOADTEST_SETUPS: unknown set-up ${unknown.join(", ")}; choose from ${ALL_SETUPS.join(", ")}`);
  const setups = ALL_SETUPS.filter((s) => chosen.includes(s));

  const dir = mkdtempSync(path.join(tmpdir(), "specwork-load-"));
  const specs = path.join(dir, "specs");
  cpSync("specs", specs, { recursive: true });
  const bench = generateSpecification(2016);
  writeFileSync(path.join(specs, "benchmark.md"), writeSpec(bench));
  const pages = PAGES(bench.meta.slug, bench.meta.version);
  const rows: Row[] = [];
  const bareRows: Row[] = [];
  const servers: AppServer[] = [];
  let postgres: PostgresServer | null = null;
  let postgresProblem: string | null = null;

  console.log(
    `load: ${CONNECTIONS} keep-alive connections for ${SECONDS} s per page, with gzip asked for and without, loopback; saves: ${EDITORS} editors on ${DRAFTS} drafts for ${SECONDS} s; ` +
      `node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`,
  );
  try {
    for (const setup of setups) {
      const env: Record<string, string> = { SPECS_DIR: specs };
      let count = 1;
      if (setup === "sqlite") env.DATABASE_PATH = path.join(dir, "load.sqlite");
      else {
        if (!postgres && !postgresProblem) {
          try {
            postgres = await startPostgres();
          } catch (error) {
            postgresProblem = (error as Error).message.split("\n")[0]!;
          }
        }
        if (!postgres) {
          console.log(`\n${SETUP_LABEL[setup]}: skipped, PostgreSQL is not available here: ${postgresProblem}`);
          for (const [name] of pages) rows.push({ setup: SETUP_LABEL[setup], measurement: name, result: null, note: "skipped: no PostgreSQL" });
          rows.push({ setup: SETUP_LABEL[setup], measurement: SAVES, result: null, note: "skipped: no PostgreSQL" });
          continue;
        }
        env.DATABASE_URL = await postgres.createDatabase(`load_${setup}`);
        count = setup === "pg2" ? 2 : 1;
      }
      // Together: two servers on a new PostgreSQL database migrate once and start up in turn.
      const started: AppServer[] = [];
      for (let i = 0; i < count; i++) {
        const server = startServer(env, await freePort());
        started.push(server);
        servers.push(server);
      }
      await Promise.all(started.map(waitReady));
      // The yardstick once, beside the first set-up's pages.
      await measure(setup, started, pages, rows, bareRows.length === 0 ? bareRows : null);
      await Promise.all(started.map(stopServer));
    }

    printTable([...rows, ...bareRows]);
  } finally {
    await Promise.all(servers.map(stopServer));
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
