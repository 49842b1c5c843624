// The pages about one draft (its redline, check your answers, approve, publish) answer the same
// way for who may see them: sign in first; a draft of another specification, or none, is a 404;
// a role that cannot read drafts is a 403. Their answers are never cached.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainError } from "~/domain/errors";
import { refusedCharacters, type TextRules } from "~/domain/text-policy";
import { forbidden, notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import type { PublicUser } from "~/models/users.server";
import { requireUser } from "~/session.server";

export const PRIVATE = { "Cache-Control": "private, no-store" } as const;

export function draftIdOf(params: LoaderFunctionArgs["params"]): number | null {
  const id = Number(params.draftId);
  return Number.isSafeInteger(id) && id > 0 && String(id) === params.draftId ? id : null;
}

export function missingDraft(params: LoaderFunctionArgs["params"]) {
  return notFound(`There is no draft ${params.draftId} of this specification.`, { href: `/specs/${params.slug}/drafts`, text: "See the drafts" });
}

/**
 * Runs `read` for the signed-in person and the draft named in the address, turning the model's
 * refusals into the page's 404 or 403.
 */
export async function forDraft<T>(
  request: Request,
  params: LoaderFunctionArgs["params"],
  read: (db: Awaited<ReturnType<typeof getDatabase>>, user: PublicUser, slug: string, id: number) => Promise<T>,
): Promise<{ user: PublicUser; db: Awaited<ReturnType<typeof getDatabase>>; id: number; value: T }> {
  const user = await requireUser(request);
  const id = draftIdOf(params);
  if (id === null) throw missingDraft(params);
  const db = await getDatabase();
  try {
    return { user, db, id, value: await read(db, user, params.slug ?? "", id) };
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not-found") throw missingDraft(params);
    if (error instanceof DomainError && error.kind === "forbidden") throw forbidden(error.message);
    throw error;
  }
}

/**
 * What was typed, to put back into a form after an error, without the characters the text
 * policy refuses: the message names them, and the page never carries them.
 */
export function keptText(text: string, rules: TextRules = {}): string {
  const refused = new Set(refusedCharacters(text, rules).map((r) => r.index));
  if (!refused.size) return text;
  let out = "";
  let index = 0;
  for (const ch of text) {
    if (!refused.has(index)) out += ch;
    index += ch.length;
  }
  return out;
}
