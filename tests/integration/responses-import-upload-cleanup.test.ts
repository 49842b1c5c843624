// Uploaded files hold people's responses: an upload whose form breaks after its file was written
// (the closing boundary missing) leaves no copy behind, and the folder is the service's alone.
import { signIn } from "./app";
import { chmodSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as upload from "~/routes/consultations.$id_.import";

const ID = "radiotherapy-consultation-2017";
const uploads = mkdtempSync(path.join(tmpdir(), "specwork-uploads-"));
process.env.SPECWORK_UPLOADS = uploads;
let commissioner: string;

beforeAll(async () => {
  commissioner = await signIn("commissioner@example.nhs.uk");
}, 120_000);

async function post(body: string): Promise<number> {
  const request = new Request(`http://localhost:3000/consultations/${ID}/import`, {
    method: "POST",
    body,
    headers: { Cookie: commissioner, "Content-Type": "multipart/form-data; boundary=xyz" },
  });
  try {
    const result = await upload.action({ request, params: { id: ID }, context: { clientAddress: "127.0.0.1" } });
    return result instanceof Response ? result.status : ((result as { init?: ResponseInit }).init?.status ?? 200);
  } catch (thrown) {
    return thrown instanceof Response ? thrown.status : ((thrown as { init?: ResponseInit }).init?.status ?? 500);
  }
}

describe("a broken upload", () => {
  it("is refused with 400 and no file of it stays in the uploads folder", async () => {
    const file = "Response ID,Email address\r\nR-1,someone@example.org\r\n";
    // The file part is complete; the form never ends with its closing boundary.
    const body = `--xyz\r\nContent-Disposition: form-data; name="file"; filename="export.csv"\r\nContent-Type: text/csv\r\n\r\n${file}\r\n--xyz\r\nContent-Disposition: form-data; name="other"\r\n\r\nunfinished`;
    expect(await post(body)).toBe(400);
    expect(readdirSync(uploads)).toEqual([]);
  });

  it("a good upload is kept in a folder only the service can read, even one that was open to all", async () => {
    chmodSync(uploads, 0o755);
    const file = "Response ID,Email address\r\nR-1,someone@example.org\r\n";
    const body = `--xyz\r\nContent-Disposition: form-data; name="file"; filename="export.csv"\r\nContent-Type: text/csv\r\n\r\n${file}\r\n--xyz--\r\n`;
    expect(await post(body)).toBe(302);
    expect(readdirSync(uploads).some((name) => name.endsWith(".csv"))).toBe(true);
    expect(statSync(uploads).mode & 0o077).toBe(0);
  });
});
