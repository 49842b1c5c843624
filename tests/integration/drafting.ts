// Drafting through the app's own loaders and actions, for the integration tests: start a draft,
// read it, save it, act on it. Import "./app" before this module.
import { expect } from "vitest";
import type { DocJSON } from "~/domain/schema";
import * as apiDraft from "~/routes/api.drafts.$draftId";
import * as draftPage from "~/routes/specs.$slug.drafts_.$draftId";
import * as drafts from "~/routes/specs.$slug.drafts";
import * as submitPage from "~/routes/specs.$slug.drafts_.$draftId_.submit";
import * as approvePage from "~/routes/specs.$slug.drafts_.$draftId_.approve";
import * as publishPage from "~/routes/specs.$slug.drafts_.$draftId_.publish";
import { call, type Handler } from "./app";
import { withClauseText } from "../support/documents";

export { withClauseText };

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

const PAGES = { submit: submitPage, approve: approvePage, publish: publishPage } as const;

/**
 * A form action on a draft (note, summary, withdraw, return on the draft page; submit, approve
 * and publish on their own pages); pairs when a field repeats. Submitting confirms the changes
 * left without a note, as the person ticking the box on check your answers would; publishing
 * keeps the draft's number unless one is given.
 */
export async function act(id: number, cookie: string, form: Record<string, string> | [string, string][]) {
  const params = { slug: SLUG, draftId: String(id) };
  const fields = Array.isArray(form) ? Object.fromEntries(form) : form;
  const intent = fields.intent as keyof typeof PAGES | undefined;
  if (!Array.isArray(form) && intent && intent in PAGES) {
    const page = PAGES[intent];
    const url = `/specs/${SLUG}/drafts/${id}/${intent}`;
    const extra: Record<string, string> = {};
    if (intent !== "approve") {
      const shown = await call(h(page.loader), url, { cookie, params });
      if (shown.status === 200) {
        const body = (await shown.json()) as { draft: { number: string }; review: { unexplained: number } };
        if (intent === "submit" && body.review.unexplained > 0) extra.confirmUnexplained = String(body.review.unexplained);
        if (intent === "publish") extra.number = body.draft.number;
      }
    }
    const sent = intent === "publish" ? { ...extra, ...form } : { ...form, ...extra };
    delete sent.intent;
    return call(h(page.action), url, { cookie, form: intent === "publish" ? { ...sent, intent: "publish" } : sent, params });
  }
  return call(h(draftPage.action), `/specs/${SLUG}/drafts/${id}`, { cookie, form, params });
}


/** The first text of a clause in a document. */
export function clauseText(doc: DocJSON, clauseId: string): string {
  const json = JSON.stringify(doc);
  const at = json.indexOf(`"id":"${clauseId}"`);
  return /"text":"([^"]*)"/.exec(json.slice(at))![1]!;
}
