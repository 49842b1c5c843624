import { signIn } from "./app";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { DocJSON } from "~/domain/schema";
import { getDatabase } from "~/models/app-database.server";
import { importLibraryFiles } from "~/models/library.server";
import { clauseText, getDraft, put, SLUG, startDraft, withClauseText } from "./drafting";

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
});
