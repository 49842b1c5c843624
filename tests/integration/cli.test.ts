import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../support/bundle";
import { testPostgresURL } from "../support/test-postgres";
import { freshDatabase } from "./database";

const SPEC = "specs/adult-external-beam-radiotherapy";

// The command line is bundled once for this file, so each run below is a plain `node` start;
// the first test runs it exactly as the README says (npm run -s spec), through tsx.
let cli: ReturnType<typeof bundle>;
beforeAll(() => {
  cli = bundle("app/cli/spec.ts", "spec-cli");
}, 120_000);
afterAll(() => cli.remove());

function run(command: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `spec` with the given arguments, as `npm run -s spec -- …` would. */
function spec(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [cli.file, ...args], env);
}

// Budgets for a busy machine: each command starts Node and reads the specification.
const BUDGET = 120_000;

describe("npm run -s spec", () => {
  it("runs the command line as the README shows it", () => {
    const viaNpm = run("npm", ["run", "-s", "spec", "--", "check", `${SPEC}/1.0.md`], {});
    expect(viaNpm.stderr).toBe("");
    expect(viaNpm.status).toBe(0);
    expect(viaNpm.stdout).toBe(spec(["check", `${SPEC}/1.0.md`]).stdout);
  }, BUDGET);
});

describe("spec check", () => {
  it("prints the numbered outline of a valid file and exits 0", () => {
    const { status, stdout, stderr } = spec(["check", `${SPEC}/0.9.md`]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toMatch(/^specs\/adult-external-beam-radiotherapy\/0\.9\.md: adult-external-beam-radiotherapy 0\.9 \(Engagement draft\), 72 clauses, sha256:[0-9a-f]{64}\n/);
    expect(stdout).toMatch(/\n3\.2\.9 +Radical radiotherapy for less common cancers.* \{#less-common-cancers\}\n/);
    expect(stdout).toMatch(/\nA +Glossary \{#glossary\}\n/);
  }, BUDGET);

  it("exits 1 with one file:line:column line per problem", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-cli-"));
    const file = path.join(dir, "bad.md");
    writeFileSync(file, "---\nslug: x\ntitle: X\nversion: 1.0\nowner: me\n---\n\n# S {#s}\n\n### T {#t}\n");
    const { status, stdout, stderr } = spec(["check", file]);
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([
      `${file}:5:1: unknown front-matter key "owner": expected one of slug, title, reference, version, label, date, status`,
      `${file}:10:1: heading level skipped: found ### where the deepest allowed is ##`,
    ]);
  }, BUDGET);

  it("exits 2 on wrong usage", () => {
    expect(spec([]).status).toBe(2);
    expect(spec(["frobnicate"]).status).toBe(2);
    expect(spec(["redline", `${SPEC}/0.9.md`]).status).toBe(2);
    expect(spec(["redline", `${SPEC}/0.9.md`, `${SPEC}/1.0.md`, "--format", "pdf"]).status).toBe(2);
  }, BUDGET);
});

describe("spec redline", () => {
  it("prints the same JSON every time, and the median time last on standard error with --time", () => {
    const first = spec(["redline", `${SPEC}/0.9.md`, `${SPEC}/1.0.md`, "--time", "5"]);
    const second = spec(["redline", `${SPEC}/0.9.md`, `${SPEC}/1.0.md`]);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    const redline = JSON.parse(first.stdout);
    expect(redline.summary).toEqual({ inserted: 4, deleted: 1, modified: 25, moved: 1, renumbered: 12, unchanged: 69 });
    expect(first.stderr.trimEnd().split("\n").pop()).toMatch(/^median_ms=\d+(\.\d+)?$/);
    expect(second.stderr).toBe("");
  }, BUDGET);

  it("writes HTML and Word files with --out, and refuses two different specifications", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-cli-"));
    expect(spec(["redline", `${SPEC}/0.9.md`, `${SPEC}/1.0.md`, "--format", "html", "--out", path.join(dir, "r.html")]).status).toBe(0);
    expect(readFileSync(path.join(dir, "r.html"), "utf8")).toMatch(/^<!DOCTYPE html>[\s\S]*<del>/);
    expect(spec(["redline", `${SPEC}/0.9.md`, `${SPEC}/1.0.md`, "--format", "docx", "--out", path.join(dir, "r.docx")]).status).toBe(0);
    expect(readFileSync(path.join(dir, "r.docx")).subarray(0, 2).toString()).toBe("PK");
    const other = path.join(dir, "other.md");
    writeFileSync(other, "---\nslug: other\ntitle: Other\nversion: 2.0\n---\n");
    const mixed = spec(["redline", `${SPEC}/0.9.md`, other]);
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toContain('is specification "other", but');
    const unwritable = spec(["redline", `${SPEC}/0.9.md`, `${SPEC}/1.0.md`, "--out", path.join(dir, "no", "such", "dir.json")]);
    expect(unwritable).toMatchObject({ status: 1, stderr: `cannot write ${path.join(dir, "no", "such", "dir.json")}: its folder does not exist\n` });
  }, BUDGET);
});

describe("spec reanchor", () => {
  it("places annotations on the newer version, keeping the input's shape, and refuses malformed ones", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-cli-"));
    const file = path.join(dir, "annotations.json");
    writeFileSync(file, JSON.stringify({ annotations: [
      { id: "a1", clauseId: "less-common-cancers", start: 0, end: 20, quote: "Radical radiotherapy", prefix: "", suffix: " for less common can" },
      { id: "a2", clauseId: "aim-concentrate-expertise", start: 0, end: 8, quote: "Networks" },
    ] }));
    const result = spec(["reanchor", `${SPEC}/0.9.md`, `${SPEC}/1.0.md`, file]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ annotations: [
      { id: "a1", status: "exact", clauseId: "less-common-cancers", start: 0, end: 20 },
      { id: "a2", status: "orphaned", clauseId: null, start: null, end: null },
    ] });
    writeFileSync(file, JSON.stringify([{ id: "a3", clauseId: "x", start: 9, end: 2 }]));
    const bad = spec(["reanchor", `${SPEC}/0.9.md`, `${SPEC}/1.0.md`, file]);
    expect(bad).toMatchObject({ status: 1, stderr: `${file}: annotation 1: annotation: start must not be after end\n` });
  }, BUDGET);
});

describe("spec import and export", () => {
  it("imports, says unchanged the second time, and exports the same bytes", async () => {
    // The project's database: a SQLite file, or a PostgreSQL database named by DATABASE_URL.
    const { env } = await freshDatabase();
    const first = spec(["import", `${SPEC}/0.9.md`, `${SPEC}/1.0.md`, "specs/themes.json"], env);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^created adult-external-beam-radiotherapy 0\.9 sha256:\w+\ncreated adult-external-beam-radiotherapy 1\.0 sha256:\w+\nthemes: 15 created, 0 unchanged\n$/);
    expect(spec(["import", `${SPEC}/1.0.md`], env).stdout).toMatch(/^unchanged adult-external-beam-radiotherapy 1\.0 /);
    const exported = spec(["export", "adult-external-beam-radiotherapy", "1.0"], env);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toBe(readFileSync(`${SPEC}/1.0.md`, "utf8"));
  }, BUDGET);

  it.skipIf(testPostgresURL() !== undefined)("does not create a database when exporting from a mistyped path", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-cli-"));
    const missing = path.join(dir, "nope", "db.sqlite");
    const result = spec(["export", "x", "1.0"], { DATABASE_PATH: missing });
    expect(result).toMatchObject({ status: 1, stderr: `there is no database at ${missing} (set DATABASE_PATH, or import files first)\n` });
    expect(existsSync(path.join(dir, "nope"))).toBe(false);
  }, BUDGET);
});
