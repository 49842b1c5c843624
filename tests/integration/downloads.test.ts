// The download routes: a published version as Word and PDF, the changes between two published
// versions as PDF and as Word tracked changes (each change by whoever wrote it, each reason a
// comment). Drafts are never downloadable from these public addresses.
import "./app";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fileResponse, isFileDownload } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { comparisonAttribution } from "~/models/downloads.server";
import { findVersion } from "~/models/versions.server";
import { describeChanges, redline, redlineRows } from "~/domain/redline";
import { compareDocx } from "~/exports/compare-files.server";
import * as versionDocxRoute from "~/routes/specs.$slug.v.$version[.]docx";
import * as versionPdfRoute from "~/routes/specs.$slug.v.$version[.]pdf";
import * as comparePdfRoute from "~/routes/specs.$slug.compare.$range[.]pdf";
import * as compareDocxRoute from "~/routes/specs.$slug.compare.$range[.]docx";
import { ensureDebianTools } from "../support/debian";
import { docxParts } from "../unit/exports/docx-text";
import { pdfFacts } from "../unit/exports/pdf-reading";
import { call, signIn, type Handler } from "./app";
import { act, editClause, h, SLUG, startDraft } from "./drafting";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** The route's answer as the server sends it: a file (entry.server answers those) or a refusal. */
async function get(handler: unknown, url: string, params: Record<string, string>, cookie?: string, headers: Record<string, string> = {}): Promise<Response> {
  const request = new Request(`http://localhost:3000${url}`, { headers: { ...headers, ...(cookie ? { Cookie: cookie } : {}) } });
  try {
    const result = await (handler as Handler)({ request, params, context: {} } as never);
    if (isFileDownload(result)) return fileResponse(result);
    return call(handler as Handler, url, { params, cookie });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    return call(h(() => Promise.reject(thrown)), url);
  }
}

const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());
const wordText = (docx: Uint8Array) => Object.entries(docxParts(docx)).filter(([name]) => name.endsWith(".xml") || name.endsWith(".rels")).map(([, xml]) => xml).join("\n");

function pandoc(docx: Uint8Array, args: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "specwork-dl-"));
  try {
    writeFileSync(path.join(dir, "f.docx"), docx);
    return execFileSync("pandoc", [...args, "--from=docx", "--to=markdown", "--wrap=none", path.join(dir, "f.docx")], { encoding: "utf8", timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(() => ensureDebianTools([{ command: "pandoc", pkg: "pandoc" }]));

describe("a published version as a file", () => {
  it("is a Word document under a readable name, cached like the public page, and private once signed in", async () => {
    const response = await get(versionDocxRoute.loader, `/specs/${SLUG}/v/1.0.docx`, { slug: SLUG, version: "1.0" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe(DOCX);
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${SLUG}-1.0.docx"`);
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const docx = await bytesOf(response);
    const markdown = pandoc(docx, []);
    expect(markdown).toContain("# 1 Population needs");
    expect(markdown).toMatch(/\*\*3\.2\.9\*\* /);
    const cookie = await signIn("editor@example.nhs.uk");
    const signedIn = await get(versionDocxRoute.loader, `/specs/${SLUG}/v/1.0.docx`, { slug: SLUG, version: "1.0" }, cookie);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("Cache-Control")).toBe("private, no-store");
    expect(signedIn.headers.get("ETag")).toBeNull();
  });

  it("answers 304 with no body when the reader already has the same file", async () => {
    for (const [route, ext] of [[versionDocxRoute.loader, "docx"], [versionPdfRoute.loader, "pdf"]] as const) {
      const first = await get(route, `/specs/${SLUG}/v/1.0.${ext}`, { slug: SLUG, version: "1.0" });
      const etag = first.headers.get("ETag")!;
      expect(etag).toMatch(/^"[\w-]{32}"$/);
      const again = await get(route, `/specs/${SLUG}/v/1.0.${ext}`, { slug: SLUG, version: "1.0" }, undefined, { "If-None-Match": etag });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("ETag")).toBe(etag);
      // Another version is another file.
      const other = await get(route, `/specs/${SLUG}/v/0.9.${ext}`, { slug: SLUG, version: "0.9" }, undefined, { "If-None-Match": etag });
      expect(other.status).toBe(200);
      expect(other.headers.get("ETag")).not.toBe(etag);
    }
    const compare = await get(comparePdfRoute.loader, `/specs/${SLUG}/compare/0.9...1.0.pdf`, { slug: SLUG, range: "0.9...1.0" });
    const again = await get(comparePdfRoute.loader, `/specs/${SLUG}/compare/0.9...1.0.pdf`, { slug: SLUG, range: "0.9...1.0" }, undefined, { "If-None-Match": compare.headers.get("ETag")! });
    expect(again.status).toBe(304);
  });

  it("is a tagged PDF with its title and language", async () => {
    const response = await get(versionPdfRoute.loader, `/specs/${SLUG}/v/0.9.pdf`, { slug: SLUG, version: "0.9" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${SLUG}-0.9.pdf"`);
    const facts = await pdfFacts(await bytesOf(response));
    expect(facts.marked).toBe(true);
    expect(facts.lang).toBe("en-GB");
    expect(facts.title).toContain("version 0.9");
    expect(facts.text).toContain("Superseded");
  });

  it("answers 404 with a clear message for a version that does not exist, and for a draft", async () => {
    const editor = await signIn("editor@example.nhs.uk");
    const draft = await startDraft(editor, "1.0");
    const db = await getDatabase();
    const number = (await db.selectFrom("versions").select("number").where("id", "=", draft).executeTakeFirstOrThrow()).number;
    for (const [route, ext] of [[versionDocxRoute.loader, "docx"], [versionPdfRoute.loader, "pdf"]] as const) {
      for (const version of ["9.9", number]) {
        // Not even staff get a draft from the public address.
        for (const cookie of [undefined, editor]) {
          const response = await get(route, `/specs/${SLUG}/v/${version}.${ext}`, { slug: SLUG, version }, cookie);
          expect(response.status, `${version}.${ext}`).toBe(404);
          const body = (await response.json()) as { message: string };
          expect(body.message).toContain(`has no published version “${version}” to download`);
        }
      }
      const unknown = await get(route, `/specs/no-such-spec/v/1.0.${ext}`, { slug: "no-such-spec", version: "1.0" });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { message: string }).message).toContain("There is no specification called “no-such-spec”");
    }
  });
});

describe("the changes between two published versions as a file", () => {
  it("are a PDF naming both versions and their dates, with each reason beneath its change", async () => {
    const response = await get(comparePdfRoute.loader, `/specs/${SLUG}/compare/0.9...1.0.pdf`, { slug: SLUG, range: "0.9...1.0" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${SLUG}-0.9-to-1.0.pdf"`);
    const facts = await pdfFacts(await bytesOf(response));
    expect(facts.marked).toBe(true);
    expect(facts.text).toContain("Changes from version 0.9 to 1.0");
    expect(facts.text).toContain("Version 1.0 – Consultation draft, published 18 October 2017");
    expect(facts.text).toContain("Added words are underlined");
    expect(facts.text).toMatch(/Why \(version 1\.0\): /);
    expect(facts.text).not.toMatch(/sha256|@/);
  });

  it("are Word tracked changes by NHS England on the version's date for the seeded versions, each reason a comment", async () => {
    const response = await get(compareDocxRoute.loader, `/specs/${SLUG}/compare/0.9...1.0.docx`, { slug: SLUG, range: "0.9...1.0" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe(DOCX);
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="${SLUG}-0.9-to-1.0.docx"`);
    const docx = await bytesOf(response);
    const parts = docxParts(docx);
    expect(parts["word/document.xml"]).toMatch(/<w:ins w:id="\d+" w:author="NHS England" w:date="2017-10-18T00:00:00Z">/);
    const db = await getDatabase();
    const v10 = (await findVersion(db, SLUG, "1.0"))!;
    const notes = await db.selectFrom("change_notes").select(["clause_id", "rationale"]).where("version_id", "=", v10.id).execute();
    const comments = [...parts["word/comments.xml"]!.matchAll(/<w:comment w:id="(\d+)" w:author="([^"]+)" w:date="([^"]+)"/g)];
    expect(comments.length).toBe(notes.filter((n) => n.rationale.trim()).length);
    expect(new Set(comments.map((c) => `${c[2]} ${c[3]}`))).toEqual(new Set(["NHS England 2017-10-18T00:00:00Z"]));
    // Each comment is anchored in the document.
    for (const [, id] of comments) expect(parts["word/document.xml"]).toContain(`<w:commentReference w:id="${id}"/>`);
    const all = pandoc(docx, ["--track-changes=all"]);
    expect(all).toContain(`{.comment-start id="${comments[0]![1]}" author="NHS England" date="2017-10-18T00:00:00Z"}`);
    expect(all).toContain(`Why this changed (version 1.0): ${notes.find((n) => n.rationale.trim())!.rationale.split(" ").slice(0, 5).join(" ")}`);
    expect(wordText(docx)).not.toContain("@");
  });

  it("answer 404 when either version is a draft or does not exist", async () => {
    const editor = await signIn("editor@example.nhs.uk");
    const draft = await startDraft(editor, "1.0");
    const db = await getDatabase();
    const number = (await db.selectFrom("versions").select("number").where("id", "=", draft).executeTakeFirstOrThrow()).number;
    for (const [route, ext] of [[comparePdfRoute.loader, "pdf"], [compareDocxRoute.loader, "docx"]] as const) {
      for (const range of [`1.0...${number}`, "0.9...7.0", "nonsense"]) {
        const response = await get(route, `/specs/${SLUG}/compare/${range}.${ext}`, { slug: SLUG, range }, editor);
        expect(response.status, `${range}.${ext}`).toBe(404);
        expect(((await response.json()) as { message: string }).message).toMatch(/has no published version|is not a pair of versions/);
      }
    }
  });
});

describe("who wrote each change, and why", () => {
  it("names the editor who wrote a change and the commissioner who wrote its reason, with their times, and no email address", async () => {
    const editor = await signIn("editor@example.nhs.uk");
    const commissioner = await signIn("commissioner@example.nhs.uk");
    const id = await startDraft(editor, "1.0");
    expect(await editClause(id, editor, "host-provider", "Each network has one host provider, chosen by its members.")).toBe(200);
    expect((await act(id, commissioner, { intent: "note", clauseId: "host-provider", rationale: "Members asked to choose their own host." })).status).toBe(200);
    const db = await getDatabase();
    const from = (await findVersion(db, SLUG, "1.0"))!;
    const number = (await db.selectFrom("versions").select("number").where("id", "=", id).executeTakeFirstOrThrow()).number;
    const to = (await findVersion(db, SLUG, number))!;
    const result = redline({ version: from.number, doc: from.doc, hash: from.content_hash }, { version: to.number, doc: to.doc, hash: to.content_hash });
    const rows = redlineRows(result, from.doc, to.doc);
    const comparison = { specification: { slug: SLUG, title: to.title, reference: to.reference }, from, to, redline: result, rows, described: describeChanges(rows, from.doc, to.doc) };

    const attribution = await comparisonAttribution(db, comparison);
    const saved = await db.selectFrom("contributions").select("at").where("version_id", "=", id).where("part", "=", "host-provider").executeTakeFirstOrThrow();
    expect(attribution.items.get("host-provider")).toEqual({ author: "Demo Editor", date: saved.at });
    const note = await db.selectFrom("change_notes").select("updated_at").where("version_id", "=", id).executeTakeFirstOrThrow();
    expect(attribution.reasons.get("host-provider")).toEqual([{ clauseId: "host-provider", rationale: "Members asked to choose their own host.", version: number, author: "Demo Commissioner", date: note.updated_at }]);

    const docx = await compareDocx(comparison, attribution);
    const xml = docxParts(docx)["word/document.xml"]!;
    expect(xml).toContain(`w:author="Demo Editor" w:date="${saved.at}"`);
    // Unchanged by anyone here, the rest of the document has no revisions at all.
    expect(xml).not.toContain('w:author="NHS England"');
    const all = pandoc(docx, ["--track-changes=all"]);
    expect(all).toMatch(new RegExp(`\\{\\.insertion author="Demo Editor" date="${saved.at.replace(/\./g, "\\.")}"\\}`));
    // The reason is a comment by its writer, anchored on the changed clause.
    expect(all).toMatch(new RegExp(`\\[Why this changed \\(version ${number.replace(".", "\\.")}\\): Members asked to choose their own host\\.\\]\\{\\.comment-start id="\\d+" author="Demo Commissioner" date="${note.updated_at.replace(/\./g, "\\.")}"\\}\\*\\*3\\.6\\.2\\*\\*`));
    expect(wordText(docx)).not.toMatch(/@example|specwork\.invalid/);
  });
});

describe("a seeded version's changes", () => {
  it("are by the commissioner who published the version, when that is known", async () => {
    const db = await getDatabase();
    const commissioner = await db.selectFrom("users").select("id").where("email", "=", "commissioner@example.nhs.uk").executeTakeFirstOrThrow();
    await db.updateTable("versions").set({ published_by: commissioner.id, published_at: "2017-10-18T09:30:00.000Z" }).where("number", "=", "1.0").execute();
    try {
      const response = await get(compareDocxRoute.loader, `/specs/${SLUG}/compare/0.9...1.0.docx`, { slug: SLUG, range: "0.9...1.0" });
      const parts = docxParts(await bytesOf(response));
      expect(parts["word/document.xml"]).toMatch(/<w:ins w:id="\d+" w:author="Demo Commissioner" w:date="2017-10-18T00:00:00Z">/);
      expect(parts["word/document.xml"]).not.toContain('w:author="NHS England"');
      expect(parts["word/comments.xml"]).toContain('w:author="Demo Commissioner"');
    } finally {
      await db.updateTable("versions").set({ published_by: null, published_at: null }).where("number", "=", "1.0").execute();
    }
  });
});
