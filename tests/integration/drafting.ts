// Drafting through the app's own loaders and actions, for the integration tests: start a draft,
// read it, save it, act on it. Import "./app" before this module.
import { expect } from "vitest";
import type { DocJSON } from "~/domain/schema";
import * as apiDraft from "~/routes/api.drafts.$draftId";
import * as draftPage from "~/routes/specs.$slug.drafts_.$draftId";
import * as drafts from "~/routes/specs.$slug.drafts";
import { call, type Handler } from "./app";

export const SLUG = "adult-external-beam-radiotherapy";
export const h = (fn: unknown) => fn as Handler;

/** Starts a draft from a version through the drafts form; its id. */
export async function startDraft(cookie: string, from: string): Promise<number> {
  const response = await call(h(drafts.action), `/specs/${SLUG}/drafts`, { cookie, form: { from }, params: { slug: SLUG } });
  expect(response.status).toBe(302);
  const match = /\/drafts\/(\d+)$/.exec(response.headers.get("Location") ?? "");
  return Number(match![1]);
}

export async function getDraft(id: number, cookie: string): Promise<{ revision: number; doc: DocJSON }> {
  const response = await call(h(apiDraft.loader), `/api/drafts/${id}`, { cookie, params: { draftId: String(id) } });
  expect(response.status).toBe(200);
  return response.json();
}

export function put(id: number, body: unknown, cookie: string) {
  return call(h(apiDraft.action), `/api/drafts/${id}`, { method: "PUT", cookie, json: body, params: { draftId: String(id) } });
}

/** Reads the draft, changes one clause's first paragraph, and saves it; the answer's status. */
export async function editClause(id: number, cookie: string, clauseId: string, text: string): Promise<number> {
  const { revision, doc } = await getDraft(id, cookie);
  return (await put(id, { baseRevision: revision, doc: withClauseText(doc, clauseId, text) }, cookie)).status;
}

/** A form action on the draft page (submit, approve, note …); pairs when a field repeats. */
export function act(id: number, cookie: string, form: Record<string, string> | [string, string][]) {
  return call(h(draftPage.action), `/specs/${SLUG}/drafts/${id}`, { cookie, form, params: { slug: SLUG, draftId: String(id) } });
}

/** The document with one clause's first paragraph replaced. */
export function withClauseText(doc: DocJSON, clauseId: string, text: string): DocJSON {
  const copy = structuredClone(doc);
  const visit = (nodes: unknown[]): void => {
    for (const node of nodes as { type: string; attrs?: { id?: string }; content?: unknown[] }[]) {
      if (node.type === "clause" && node.attrs?.id === clauseId) {
        (node.content as { content?: unknown }[])[0]!.content = [{ type: "text", text }];
      } else if (node.content) visit(node.content);
    }
  };
  visit(copy.content ?? []);
  return copy;
}

/** The first text of a clause in a document. */
export function clauseText(doc: DocJSON, clauseId: string): string {
  const json = JSON.stringify(doc);
  const at = json.indexOf(`"id":"${clauseId}"`);
  return /"text":"([^"]*)"/.exec(json.slice(at))![1]!;
}
