import { call, signIn } from "./app";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { DocJSON } from "~/domain/schema";
import { getDatabase } from "~/models/app-database.server";
import { importLibraryFiles } from "~/models/library.server";
import { MAX_CLAUSES } from "~/domain/document";
import * as draftPage from "~/routes/specs.$slug.drafts_.$draftId";
import { clauseText, getDraft, h, put, SLUG, startDraft, withClauseText } from "./drafting";

let editor: string;
let commissioner: string;

beforeAll(async () => {
  editor = await signIn("editor@example.nhs.uk");
  commissioner = await signIn("commissioner@example.nhs.uk");
});

/** The document with a second paragraph added to a clause. */
function withSecondParagraph(doc: DocJSON, clauseId: string, text: string): DocJSON {
  const copy = structuredClone(doc);
  const visit = (nodes: unknown[]): void => {
    for (const node of nodes as { type: string; attrs?: { id?: string }; content?: unknown[] }[]) {
      if (node.type === "clause" && node.attrs?.id === clauseId) node.content!.splice(1, 0, { type: "paragraph", content: [{ type: "text", text }] });
      else if (node.content) visit(node.content);
    }
  };
  visit(copy.content ?? []);
  return copy;
}

describe("saving drafts, whatever was typed or imported", () => {
  it("merges a late save into a draft imported from a file, instead of failing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "specwork-import-"));
    const file = path.join(dir, "1.1.md");
    writeFileSync(file, readFileSync(`specs/${SLUG}/1.0.md`, "utf8").replace("version: 1.0", "version: 1.1").replace("status: published", "status: draft").replace("label: Consultation draft\n", ""));
    const result = await importLibraryFiles(await getDatabase(), [file], "test import");
    expect(result.ok).toBe(true);
    const db = await getDatabase();
    const id = (await db.selectFrom("versions").select("id").where("number", "=", "1.1").executeTakeFirstOrThrow()).id;
    const { doc } = await getDraft(id, editor);
    expect((await put(id, { baseRevision: 0, doc: withClauseText(doc, "host-provider", "First late save.") }, editor)).status).toBe(200);
    const second = await put(id, { baseRevision: 0, doc: withClauseText(doc, "oversight-group", "Second late save.") }, commissioner);
    expect(second.status).toBe(200);
    const merged = (await second.json()) as { revision: number; doc: DocJSON };
    expect(merged.revision).toBe(2);
    expect([clauseText(merged.doc, "host-provider"), clauseText(merged.doc, "oversight-group")]).toEqual(["First late save.", "Second late save."]);
  });

  it("answers a retried save with the first answer whole, merged document included", async () => {
    const id = await startDraft(editor, "1.0");
    const { doc } = await getDraft(id, editor);
    expect((await put(id, { baseRevision: 0, doc: withClauseText(doc, "host-provider", "Someone else's change.") }, commissioner)).status).toBe(200);
    const body = { baseRevision: 0, doc: withClauseText(doc, "oversight-group", "My change."), requestId: "retry-1" };
    const first = await put(id, body, editor);
    const again = await put(id, body, editor);
    const [a, b] = [await first.json(), await again.json()] as { revision: number; doc: DocJSON }[];
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(b).toEqual(a);
    expect(clauseText(b!.doc, "host-provider")).toBe("Someone else's change.");
    expect((await getDraft(id, editor)).revision).toBe(2);
  });

  it("saves paragraphs that start like Markdown the format refuses, and reads them back as written", async () => {
    const id = await startDraft(editor, "1.0");
    let { revision, doc } = await getDraft(id, editor);
    for (const start of ["+ a plus", "1) a bracket", "---", "===", "___", "* a star", "  # spaces then a hash", "\ta tab"]) {
      const response = await put(id, { baseRevision: revision, doc: withSecondParagraph(doc, "host-provider", start) }, editor);
      expect(response.status, JSON.stringify(start)).toBe(200);
      ({ revision, doc } = await getDraft(id, editor));
      expect(JSON.stringify(doc)).toContain(JSON.stringify(start.trim()));
    }
  });

  it("answers 409 with both versions, never 500, when the base revision is not kept", async () => {
    const id = await startDraft(editor, "1.0");
    const { doc } = await getDraft(id, editor);
    expect((await put(id, { baseRevision: 0, doc: withClauseText(doc, "host-provider", "One.") }, editor)).status).toBe(200);
    const db = await getDatabase();
    await sql`DELETE FROM draft_revisions WHERE version_id = ${id} AND revision = 0`.execute(db);
    const response = await put(id, { baseRevision: 0, doc: withClauseText(doc, "oversight-group", "Two.") }, editor);
    expect(response.status).toBe(409);
    const answer = (await response.json()) as { error: string; conflict: { items: { id: string }[]; revision: number } };
    expect(answer.error).toMatch(/revision 0 of this draft is not kept/);
    expect(answer.conflict.revision).toBe(1);
    expect(answer.conflict.items.map((i) => i.id).sort()).toEqual(["host-provider", "oversight-group"]);
  });

  it("refuses a document over the clause limit, and keeps the page of a draft at the limit proportionate", async () => {
    const id = await startDraft(editor, "1.0");
    const { doc } = await getDraft(id, editor);
    const withClauses = (count: number): DocJSON => {
      const copy = structuredClone(doc);
      const extra = Array.from({ length: count }, (_, i) => ({ type: "clause", attrs: { id: `bulk-${i}` }, content: [{ type: "paragraph", content: [{ type: "text", text: `Bulk clause number ${i}, added to test the size limit.` }] }] }));
      copy.content!.push({ type: "section", attrs: { id: "bulk", appendix: false }, content: [{ type: "heading", content: [{ type: "text", text: "Bulk" }] }, ...extra] } as never);
      return copy;
    };
    const existing = JSON.stringify(doc).match(/"type":"clause"/g)!.length;
    const over = await put(id, { baseRevision: 0, doc: withClauses(10_000) }, editor);
    expect(over.status).toBe(400);
    expect(((await over.json()) as { error: string }).error).toBe(`the document has ${existing + 10_000} clauses; the limit is ${MAX_CLAUSES}`);
    expect((await getDraft(id, editor)).revision).toBe(0);

    const atLimit = withClauses(MAX_CLAUSES - existing);
    expect((await put(id, { baseRevision: 0, doc: atLimit }, editor)).status).toBe(200);
    const page = await call(h(draftPage.loader), `/specs/${SLUG}/drafts/${id}`, { cookie: editor, params: { slug: SLUG, draftId: String(id) } });
    expect(page.status).toBe(200);
    const body = await page.text();
    const data = JSON.parse(body) as { changes: unknown[]; paging: { total: number; pages: number } };
    expect(data.changes).toHaveLength(25);
    expect(data.paging).toMatchObject({ total: MAX_CLAUSES - existing, pages: Math.ceil((MAX_CLAUSES - existing) / 25) });
    // The page's data is the document once, plus one page of changes: not the changes of every clause.
    expect(body.length).toBeLessThan(JSON.stringify(atLimit).length * 1.5);
  }, 120_000);
});
