// `spec responses import` exactly as format §5 defines it: the success line, idempotence, exit
// codes, and one stderr line per problem naming the file, the row and the column's header.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openDatabase } from "~/models/db.server";
import { seedIfEmpty } from "~/models/library.server";
import { bundle } from "../support/bundle";
import { createDatabaseFrom, dropDatabase, MIGRATED_TEMPLATE, SEEDED_TEMPLATE, testPostgresURL } from "../support/test-postgres";

const CONSULTATION = "radiotherapy-consultation-2017";
const BUDGET = 120_000;

let cli: ReturnType<typeof bundle>;
let dir: string;
/** The database the commands run on: a SQLite file, or a PostgreSQL database's URL. */
let databaseFile: string;
const server = testPostgresURL();
const made: string[] = [];

/** How a child process is told which database to use. */
function databaseEnv(target: string): Record<string, string> {
  return server ? { DATABASE_URL: target } : { DATABASE_PATH: target };
}

beforeAll(async () => {
  cli = bundle("app/cli/spec.ts", "spec-cli-responses");
  dir = mkdtempSync(path.join(tmpdir(), "specwork-responses-cli-"));
  if (server) {
    databaseFile = await createDatabaseFrom(server, SEEDED_TEMPLATE);
    made.push(databaseFile);
    return;
  }
  databaseFile = path.join(dir, "db.sqlite");
  const db = openDatabase(databaseFile);
  await migrateToLatest(db);
  await seedIfEmpty(db, path.resolve("specs"));
  await db.destroy();
}, 180_000);
afterAll(async () => {
  cli.remove();
  for (const url of made) await dropDatabase(server!, url);
});

function spec(args: string[]) {
  const result = spawnSync(process.execPath, [cli.file, ...args], { encoding: "utf8", env: { ...process.env, ...databaseEnv(databaseFile) }, timeout: BUDGET });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function count(table: "consultation_responses" | "response_answers" | "response_clause_comments" | "audit_log"): Promise<number> {
  const db = openDatabase(databaseFile, { poolSize: 1 });
  try {
    const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    return row.rows[0]!.n;
  } finally {
    await db.destroy();
  }
}

const MAPPING = {
  id: "Response ID",
  submitted: "Submitted",
  capacity: { column: "In what capacity are you responding?", values: { "As an individual": "individual", "On behalf of an organisation": "organisation" } },
  organisation: "Organisation name",
  audience: "Which of these best describes you?",
  email: "Email address",
  consent: { column: "May we publish your response?", values: { "Publish my response in full": "full", "Publish my response anonymously": "anonymous", "Do not publish my response": "none" } },
  answers: { "Q1. To what extent do you agree?": "q1", "Q1. Please explain your answer": "q1-comment", "Q2. How could it be improved?": "q2" },
};

const HEADER = `Response ID,Submitted,In what capacity are you responding?,Organisation name,Which of these best describes you?,Email address,May we publish your response?,"Q1. To what extent do you agree?",Q1. Please explain your answer,Q2. How could it be improved?`;

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}
const mapFile = (mapping: unknown = MAPPING, name = "mapping.json") => write(name, JSON.stringify(mapping));

describe("spec responses import", () => {
  it("imports an export with a BOM, CRLF endings, quoted commas and newlines, then finds every row already present", async () => {
    const csv =
      "\uFEFF" +
      [
        HEADER,
        `CLI-1,2017-11-03T14:05:00Z,As an individual,,Patients and the public,jo@example.org,Publish my response anonymously,Strongly disagree,"Too far, twice a day.\r\nEvery day.","=HYPERLINK(""http://x"",""y"")"`,
        `CLI-2,20/10/2017 09:00,On behalf of an organisation,"Carers Trust, North",carers,,Publish my response in full,Agree,,"+ more buses"`,
        `CLI-3,43028.5,As an individual,,Clinicians,,Do not publish my response,,,-`,
      ].join("\r\n") +
      "\r\n";
    const file = write("good.csv", csv);
    const map = mapFile();
    const before = await count("consultation_responses");
    const first = spec(["responses", "import", CONSULTATION, file, "--map", map]);
    expect(first).toMatchObject({ status: 0, stdout: "imported 3 responses, 0 already present\n", stderr: "" });
    expect(await count("consultation_responses")).toBe(before + 3);
    const again = spec(["responses", "import", CONSULTATION, file, "--map", map]);
    expect(again).toMatchObject({ status: 0, stdout: "imported 0 responses, 3 already present\n", stderr: "" });
    expect(await count("consultation_responses")).toBe(before + 3);

    const db = openDatabase(databaseFile, { poolSize: 1 });
    try {
      const rows = await db.selectFrom("consultation_responses").select(["id", "external_key", "capacity", "organisation", "audience_code", "consent", "submitted_at", "source"]).where("consultation_id", "=", CONSULTATION).orderBy("external_key").execute();
      expect(rows.map(({ id: _id, ...r }) => r)).toEqual([
        { external_key: "id:CLI-1", capacity: "individual", organisation: null, audience_code: "patients-public", consent: "anonymous", submitted_at: "2017-11-03T14:05:00.000Z", source: "import" },
        { external_key: "id:CLI-2", capacity: "organisation", organisation: "Carers Trust, North", audience_code: "carers", consent: "full", submitted_at: "2017-10-20T08:00:00.000Z", source: "import" },
        { external_key: "id:CLI-3", capacity: "individual", organisation: null, audience_code: "clinicians", consent: "none", submitted_at: "2017-10-20T11:00:00.000Z", source: "import" },
      ]);
      const answers = await db.selectFrom("response_answers").select(["question_id", "scale", "text"]).where("response_id", "=", rows[0]!.id).orderBy("question_id").execute();
      expect(answers).toEqual([
        { question_id: "q1", scale: "strongly-disagree", text: "Too far, twice a day.\nEvery day." },
        { question_id: "q2", scale: null, text: '=HYPERLINK("http://x","y")' },
      ]);
      const audit = await db.selectFrom("audit_log").select(["action", "details"]).where("action", "=", "responses.import").execute();
      expect(audit.length).toBeGreaterThanOrEqual(2);
      for (const entry of audit) expect(entry.details).not.toMatch(/jo@example\.org|Carers Trust/);
    } finally {
      await db.destroy();
    }
  }, BUDGET);

  it("without an id, a row imported twice is one response (a hash of its mapped cells)", async () => {
    const { id: _id, ...mapping } = MAPPING;
    const map = mapFile(mapping, "no-id.json");
    const row = `,2017-11-04T10:00:00Z,As an individual,,Carers,,Publish my response anonymously,Agree,Hashing works,`;
    const file = write("no-id.csv", [HEADER, row, row].join("\n") + "\n");
    const before = await count("consultation_responses");
    expect(spec(["responses", "import", CONSULTATION, file, "--map", map])).toMatchObject({ status: 0, stdout: "imported 1 responses, 1 already present\n" });
    const lf = write("no-id-crlf.csv", [HEADER, row].join("\r\n"));
    expect(spec(["responses", "import", CONSULTATION, lf, "--map", map])).toMatchObject({ status: 0, stdout: "imported 0 responses, 1 already present\n" });
    expect(await count("consultation_responses")).toBe(before + 1);
  }, BUDGET);

  it("exits 1 on bad rows, storing nothing, with one line per problem naming the file, the row and the header", async () => {
    const file = write(
      "bad.csv",
      [
        HEADER,
        `BAD-1,2017-11-03T14:05:00Z,As an individual,,Carers,,Publish my response anonymously,Agree,,`,
        `BAD-2,next Tuesday,Perhaps,,Carers,not-an-email,Publish my response anonymously,Agree,,`,
        `BAD-3,2017-11-03T14:05:00Z,As an individual,,Carers,,Yes,Sort of,,`,
      ].join("\n"),
    );
    const before = { responses: await count("consultation_responses"), audit: await count("audit_log") };
    const result = spec(["responses", "import", CONSULTATION, file, "--map", mapFile()]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      `${file}: row 2, column "In what capacity are you responding?": "Perhaps" is not one of the values the mapping lists for capacity ("As an individual", "On behalf of an organisation")`,
      `${file}: row 2, column "Email address": is not an email address (leave it empty if the respondent gave none)`,
      `${file}: row 2, column "Submitted": "next Tuesday" is not a date and time: use 2017-10-18T14:30:00Z, 18/10/2017 14:30 (London time) or a spreadsheet date`,
      `${file}: row 3, column "May we publish your response?": "Yes" is not one of the values the mapping lists for consent ("Publish my response in full", "Publish my response anonymously", "Do not publish my response")`,
      `${file}: row 3, column "Q1. To what extent do you agree?": "Sort of" is not an answer on the agree–disagree scale (Strongly agree, Agree, Neither agree nor disagree, Disagree, Strongly disagree, or empty)`,
    ]);
    expect(result.stderr).not.toContain("not-an-email");
    expect({ responses: await count("consultation_responses"), audit: await count("audit_log") }).toEqual(before);
  }, BUDGET);

  it("names a mapped header the file does not have", () => {
    const file = write("short.csv", "Response ID,Submitted\nX-1,2017-11-03T14:05:00Z\n");
    const result = spec(["responses", "import", CONSULTATION, file, "--map", mapFile({ id: "Response ID", submitted: "Submitted", email: "Email address" }, "email-map.json")]);
    expect(result).toMatchObject({ status: 1, stdout: "", stderr: `${file}: header row, column "Email address": the mapping names this column, but the file has no column with this header\n` });
  }, BUDGET);

  it("names questions the consultation does not have", () => {
    const file = write("q9.csv", "Q9\nhello\n");
    const result = spec(["responses", "import", CONSULTATION, file, "--map", mapFile({ answers: { Q9: "q9" } }, "q9.json")]);
    expect(result).toMatchObject({ status: 1, stderr: `${file}: header row, column "Q9": the consultation has no question q9\n` });
  }, BUDGET);

  it("exits 1 for an unknown consultation, a bad mapping file or a missing file", () => {
    const file = write("one.csv", `${HEADER}\n`);
    expect(spec(["responses", "import", "no-such-consultation", file, "--map", mapFile()])).toMatchObject({ status: 1, stderr: 'there is no consultation "no-such-consultation"\n' });
    const broken = write("broken.json", "{ not json");
    expect(spec(["responses", "import", CONSULTATION, file, "--map", broken])).toMatchObject({ status: 1, stderr: expect.stringMatching(new RegExp(`^${broken}: not valid JSON`)) });
    const wrong = mapFile({ capacity: "Capacity" }, "wrong.json");
    expect(spec(["responses", "import", CONSULTATION, file, "--map", wrong])).toMatchObject({ status: 1, stderr: expect.stringMatching(new RegExp(`^${wrong}: capacity: `)) });
    expect(spec(["responses", "import", CONSULTATION, path.join(dir, "nope.csv"), "--map", mapFile()])).toMatchObject({ status: 1, stderr: `${path.join(dir, "nope.csv")}: no such file\n` });
  }, BUDGET);

  it("on a new database, creates (on SQLite) and seeds it first, as the app's first start does", async () => {
    let fresh = path.join(mkdtempSync(path.join(tmpdir(), "specwork-responses-new-")), "data", "new.sqlite");
    if (server) {
      // On PostgreSQL the database itself must exist already: a migrated, empty one is seeded.
      fresh = await createDatabaseFrom(server, MIGRATED_TEMPLATE);
      made.push(fresh);
    }
    const file = write("fresh.csv", `${HEADER}\r\nNEW-1,2017-11-03T14:05:00Z,As an individual,,Carers,,Publish my response anonymously,Agree,,\r\n`);
    const run = spawnSync(process.execPath, [cli.file, "responses", "import", CONSULTATION, file, "--map", mapFile()], { encoding: "utf8", env: { ...process.env, ...databaseEnv(fresh) }, timeout: BUDGET });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: "imported 1 responses, 0 already present\n", stderr: "" });
  }, BUDGET);

  it("exits 2 on wrong usage", () => {
    const file = write("usage.csv", `${HEADER}\n`);
    expect(spec(["responses"]).status).toBe(2);
    expect(spec(["responses", "export", CONSULTATION, file, "--map", mapFile()]).status).toBe(2);
    expect(spec(["responses", "import", CONSULTATION, file]).status).toBe(2);
    expect(spec(["responses", "import", CONSULTATION, "--map", mapFile()]).status).toBe(2);
    expect(spec(["responses", "import", CONSULTATION, file, "--map"]).status).toBe(2);
    expect(spec(["responses", "import", CONSULTATION, file, "--map", mapFile(), "--force", "x"]).status).toBe(2);
    expect(spec(["--help"]).stdout).toContain("responses import <consultation> <file.csv|file.xlsx> --map <mapping.json>");
  }, BUDGET);
});

describe("spec responses import, files that are not what they claim", () => {
  it("names the file and what is wrong with it: not a workbook, an open quote, Latin-1 text", () => {
    const map = mapFile(MAPPING, "files.json");
    const fake = write("fake.xlsx", "Response ID,Submitted\n");
    expect(spec(["responses", "import", CONSULTATION, fake, "--map", map])).toMatchObject({ status: 1, stdout: "", stderr: `${fake}: is not an XLSX workbook (it is not a zip file): save it from the spreadsheet as .xlsx or as CSV UTF-8\n` });
    const open = write("open.csv", `${HEADER}\nOPEN-1,2017-11-03T14:05:00Z,As an individual,,,,Do not publish my response,,"never closed,\n`);
    expect(spec(["responses", "import", CONSULTATION, open, "--map", map])).toMatchObject({ status: 1, stderr: `${open}: row 1: a quoted cell is never closed: a " opens a cell that runs to the end of the file\n` });
    const latin = write("latin.csv", Buffer.concat([Buffer.from(`${HEADER}\nLAT-1,2017-11-03T14:05:00Z,As an individual,,,,Do not publish my response,,,Caf`), Buffer.from([0xe9]), Buffer.from("\n")]));
    const result = spec(["responses", "import", CONSULTATION, latin, "--map", map]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${latin}: row 1, column "Q2. How could it be improved\\?": is not UTF-8 text`));
  }, BUDGET);
});
