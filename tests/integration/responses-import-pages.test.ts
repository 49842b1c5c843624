// The import pages, called with real Requests: who may use them, the upload's refusals (a 1 GB
// Content-Length, not a form, not a spreadsheet), and a whole import from upload to result.
import { call, signIn, type Handler } from "./app";
import { beforeAll, describe, expect, it } from "vitest";
import * as upload from "~/routes/consultations.$id_.import";
import * as map from "~/routes/consultations.$id_.import_.map";
import * as progress from "~/routes/consultations.$id_.import_.$importId";
import { getDatabase } from "~/models/app-database.server";

const ID = "radiotherapy-consultation-2017";
const h = (f: unknown) => f as Handler;
let commissioner: string;
let editor: string;

beforeAll(async () => {
  commissioner = await signIn("commissioner@example.nhs.uk");
  editor = await signIn("editor@example.nhs.uk");
}, 120_000);

/** Posts a multipart form with a file, as the upload page's form does. */
async function send(file: { name: string; content: string | Uint8Array<ArrayBuffer> } | null, { cookie = commissioner, headers = {} as Record<string, string> } = {}): Promise<Response> {
  const form = new FormData();
  if (file) form.set("file", new Blob([file.content]), file.name);
  const request = new Request(`http://localhost:3000/consultations/${ID}/import`, { method: "POST", body: form, headers: { Cookie: cookie, ...headers } });
  try {
    const result = await upload.action({ request, params: { id: ID }, context: { clientAddress: "127.0.0.1" } });
    return result instanceof Response ? result : Response.json((result as { data: unknown }).data, (result as { init?: ResponseInit }).init);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    const value = thrown as { data: unknown; init?: ResponseInit };
    return Response.json(value.data, value.init);
  }
}

const CSV = [
  "Response ID,Submitted,Capacity,Organisation name,Email address,May we publish your response?,Q1. Do you agree?,Q1. Please explain,Q2. Improvements,Comment on travel",
  'PAGE-1,2017-11-03T14:05:00Z,Individual,,a@example.org,Yes anonymously,Agree,"Closer, please",More buses,Pay for parking',
  "PAGE-2,04/11/2017 10:00,Organisation,Carers Trust,,Publish in full,Disagree,,=SUM(A1),",
].join("\r\n");

describe("the import pages", () => {
  it("are for commissioners: a public visitor is sent to sign in, an editor is refused", async () => {
    const asPublic = await call(h(upload.loader), `/consultations/${ID}/import`, { params: { id: ID } });
    expect([302, 303, 401]).toContain(asPublic.status);
    const asEditor = await call(h(upload.loader), `/consultations/${ID}/import`, { cookie: editor, params: { id: ID } });
    expect(asEditor.status).toBe(403);
    expect((await send({ name: "x.csv", content: CSV }, { cookie: editor })).status).toBe(403);
    const unknown = await call(h(upload.loader), "/consultations/nope/import", { cookie: commissioner, params: { id: "nope" } });
    expect(unknown.status).toBe(404);
  });

  it("answers signed-in pages private, no-store", async () => {
    const page = await call(h(upload.loader), `/consultations/${ID}/import`, { cookie: commissioner, params: { id: ID } });
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("refuses a claimed 1 GB body with 413, a body that is not a form with 415, and a file that is not a spreadsheet with 400", async () => {
    const big = await send({ name: "x.csv", content: CSV }, { headers: { "Content-Length": String(1024 ** 3) } });
    expect(big.status).toBe(413);
    expect((await big.json()).error).toMatch(/too large: the most this page takes is 64 MB/);
    const notForm = await call(h(upload.action), `/consultations/${ID}/import`, { cookie: commissioner, params: { id: ID }, body: "hello" });
    expect(notForm.status).toBe(415);
    const none = await send(null);
    expect(none.status).toBe(400);
    expect((await none.json()).error).toBe("Choose a CSV or XLSX file to upload.");
    const picture = await send({ name: "photo.xlsx", content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) });
    expect(picture.status).toBe(400);
    expect((await picture.json()).error).toMatch(/^The file is not an XLSX workbook/);
  });

  it("imports a CSV from upload to result: map the columns, say what the values mean, follow the progress", async () => {
    const db = await getDatabase();
    const before = (await db.selectFrom("consultation_responses").select((eb) => eb.fn.countAll<number>().as("n")).where("consultation_id", "=", ID).executeTakeFirstOrThrow()).n;
    const uploaded = await send({ name: "survey.csv", content: CSV });
    expect(uploaded.status).toBe(302);
    const location = uploaded.headers.get("Location")!;
    const token = /upload=([0-9a-f]{32})$/.exec(location)![1]!;

    // Someone else cannot use the upload: it is kept for the person who sent it.
    const other = await signIn("admin@example.nhs.uk");
    expect((await call(h(map.loader), location, { cookie: other, params: { id: ID } })).status).toBe(403);

    const page = await call(h(map.loader), location, { cookie: commissioner, params: { id: ID } });
    expect(page.status).toBe(200);
    const data = await page.json();
    expect(data.headers).toHaveLength(10);
    expect(data.rows).toHaveLength(2);
    expect(data.guesses).toEqual(["id", "submitted", "capacity", "organisation", "email", "consent", "q:q1", "q:q1-comment", "q:q2", ""]);

    const columns: [string, string][] = data.guesses.map((g: string, i: number) => [`col-${i}`, i === 9 ? "c:travel-transport-accommodation" : g]);
    const step1 = await call(h(map.action), `/consultations/${ID}/import/map`, { cookie: commissioner, params: { id: ID }, form: [["upload", token], ["step", "columns"], ["channel", "online"], ...columns] });
    expect(step1.status).toBe(200);
    const values = (await step1.json()).values;
    expect(values.capacity).toEqual({ header: "Capacity", values: ["Individual", "Organisation"] });
    expect(values.consent).toEqual({ header: "May we publish your response?", values: ["Publish in full", "Yes anonymously"] });

    // A value left unlisted is a problem for the row that has it: nothing is imported.
    const start = (consentFull: string) =>
      call(h(map.action), `/consultations/${ID}/import/map`, {
        cookie: commissioner,
        params: { id: ID },
        form: [["upload", token], ["step", "start"], ["channel", "other"], ...columns, ["captext-0", "Individual"], ["cap-0", "individual"], ["captext-1", "Organisation"], ["cap-1", "organisation"], ["context-0", "Publish in full"], ["con-0", consentFull], ["context-1", "Yes anonymously"], ["con-1", "anonymous"]],
      });
    const started = await start("full");
    expect(started.status).toBe(302);
    const result = started.headers.get("Location")!;
    expect(result).toMatch(new RegExp(`^/consultations/${ID}/import/\\d+$`));
    const importId = result.split("/").pop()!;

    let status: { status: string; imported: number; present: number } = { status: "checking", imported: 0, present: 0 };
    for (let i = 0; i < 600 && (status.status === "checking" || status.status === "importing"); i++) {
      await new Promise((r) => setTimeout(r, 50));
      const shown = await call(h(progress.loader), result, { cookie: commissioner, params: { id: ID, importId } });
      expect(shown.headers.get("Cache-Control")).toBe("private, no-store");
      status = (await shown.json()).import;
    }
    expect(status).toMatchObject({ status: "done", imported: 2, present: 0 });
    const stored = await db.selectFrom("consultation_responses").select(["external_key", "channel", "consent", "email"]).where("consultation_id", "=", ID).where("external_key", "in", ["id:PAGE-1", "id:PAGE-2"]).orderBy("external_key").execute();
    expect(stored).toEqual([
      { external_key: "id:PAGE-1", channel: "other", consent: "anonymous", email: "a@example.org" },
      { external_key: "id:PAGE-2", channel: "other", consent: "full", email: null },
    ]);
    const total = (await db.selectFrom("consultation_responses").select((eb) => eb.fn.countAll<number>().as("n")).where("consultation_id", "=", ID).executeTakeFirstOrThrow()).n;
    expect(total).toBe(before + 2);
    // The upload is gone once imported.
    expect((await call(h(map.loader), location, { cookie: commissioner, params: { id: ID } })).status).toBe(404);
    // Another import's id, or one of another consultation, is not found.
    expect((await call(h(progress.loader), `/consultations/${ID}/import/999999`, { cookie: commissioner, params: { id: ID, importId: "999999" } })).status).toBe(404);
    expect((await call(h(progress.loader), `/consultations/${ID}/import/x`, { cookie: commissioner, params: { id: ID, importId: "x" } })).status).toBe(404);
  });

  it("shows each problem and imports nothing when a row is bad", async () => {
    const db = await getDatabase();
    const count = async () => (await db.selectFrom("consultation_responses").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    const before = await count();
    const bad = ["Response ID,Capacity,Q2", "BAD-1,Individual,Fine", "BAD-2,Robot,Fine"].join("\n");
    const uploaded = await send({ name: "bad.csv", content: bad });
    const token = /upload=([0-9a-f]{32})$/.exec(uploaded.headers.get("Location")!)![1]!;
    const started = await call(h(map.action), `/consultations/${ID}/import/map`, {
      cookie: commissioner,
      params: { id: ID },
      form: [["upload", token], ["step", "start"], ["channel", "online"], ["col-0", "id"], ["col-1", "capacity"], ["col-2", "q:q2"], ["captext-0", "Individual"], ["cap-0", "individual"], ["captext-1", "Robot"], ["cap-1", ""]],
    });
    expect(started.status).toBe(302);
    const result = started.headers.get("Location")!;
    const importId = result.split("/").pop()!;
    let shown: { status: string; problems: unknown[] } = { status: "checking", problems: [] };
    for (let i = 0; i < 600 && (shown.status === "checking" || shown.status === "importing"); i++) {
      await new Promise((r) => setTimeout(r, 50));
      shown = (await (await call(h(progress.loader), result, { cookie: commissioner, params: { id: ID, importId } })).json()).import;
    }
    expect(shown.status).toBe("failed");
    expect(shown.problems).toEqual([{ row: 2, column: "Capacity", message: "\"Robot\" is not one of the values the mapping lists for capacity (\"Individual\")" }]);
    expect(await count()).toBe(before);
  });

  it("says an import cut short by a restart stopped, with nothing imported", async () => {
    const db = await getDatabase();
    const row = await db
      .insertInto("response_imports")
      .values({ consultation_id: ID, file_name: "lost.csv", status: "importing", channel: "online", mapping: "{}", created_by: null, created_at: new Date().toISOString(), finished_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    const shown = await call(h(progress.loader), `/consultations/${ID}/import/${row.id}`, { cookie: commissioner, params: { id: ID, importId: String(row.id) } });
    expect((await shown.json()).import.status).toBe("stopped");
  });

  it("asks the browser to refresh the progress page only while the import runs", () => {
    const meta = progress.meta as unknown as (args: { data: { import: { status: string } } }) => Record<string, string>[];
    expect(meta({ data: { import: { status: "checking" } } })).toContainEqual({ httpEquiv: "refresh", content: "2" });
    expect(meta({ data: { import: { status: "importing" } } })).toContainEqual({ httpEquiv: "refresh", content: "2" });
    for (const status of ["done", "failed", "stopped"]) expect(meta({ data: { import: { status } } }).some((m) => "httpEquiv" in m)).toBe(false);
  });

  it("refuses a mapping that maps two columns to one role, naming the column", async () => {
    const uploaded = await send({ name: "two.csv", content: "A,B,Q2\n1,2,x\n" });
    const token = /upload=([0-9a-f]{32})$/.exec(uploaded.headers.get("Location")!)![1]!;
    const response = await call(h(map.action), `/consultations/${ID}/import/map`, { cookie: commissioner, params: { id: ID }, form: [["upload", token], ["step", "columns"], ["channel", "online"], ["col-0", "id"], ["col-1", "id"], ["col-2", "q:q2"]] });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ "col-1": "Only one column can hold the other tool's response reference: “A” already does" });
  });
});
