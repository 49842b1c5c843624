// The draft API: GET a draft's revision and document, PUT a save (merged, or a 409 with both versions).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDatabase } from "~/models/app-database.server";
import { findDraft, saveDraft } from "~/models/drafts.server";
import { DomainError } from "~/domain/errors";
import { can } from "~/domain/permissions";
import { jsonFailure, jsonProblem, readJsonBody } from "~/http.server";
import { requireApiUser } from "~/session.server";

const MAX_BODY_BYTES = 3 * 1024 * 1024;

const SaveBody = z.object({
  baseRevision: z.number().int().min(0),
  doc: z.unknown(),
  requestId: z.string().min(1).max(200).optional(),
});

const problem = jsonProblem;

function draftId(params: LoaderFunctionArgs["params"]): number | null {
  const id = Number(params.draftId);
  return Number.isSafeInteger(id) && id > 0 && String(id) === params.draftId ? id : null;
}

// GET /api/drafts/:draftId → { revision, doc }
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireApiUser(request);
  const id = draftId(params);
  const draft = id === null ? undefined : await findDraft(await getDatabase(), id);
  if (!draft) return problem(`there is no draft ${params.draftId}`, 404);
  if (!can(user.role, "read", draft.status)) return problem("your role cannot read this draft", 403);
  return Response.json({ revision: draft.revision, status: draft.status, doc: draft.doc });
}

// PUT /api/drafts/:draftId with { baseRevision, doc, requestId } → 200 { revision } | 409 | 400
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PUT") return problem(`use PUT to save a draft, not ${request.method}`, 405);
  const user = await requireApiUser(request);
  const id = draftId(params);
  if (id === null) return problem(`there is no draft ${params.draftId}`, 404);
  const read = await readJsonBody(request, MAX_BODY_BYTES);
  if (!read.ok) return read.response;
  const body = SaveBody.safeParse(read.json);
  if (!body.success) {
    const issue = body.error.issues[0]!;
    return problem(`${issue.path.join(".") || "body"}: ${issue.message}`, 400);
  }
  if (body.data.doc === undefined) return problem("doc: a document is required", 400);
  try {
    const result = await saveDraft(await getDatabase(), user, id, { baseRevision: body.data.baseRevision, doc: body.data.doc, requestId: body.data.requestId ?? null });
    if (result.status === 409) return jsonProblem(result.error, 409, { conflict: result.conflict });
    return Response.json(result.doc ? { revision: result.revision, doc: result.doc } : { revision: result.revision });
  } catch (error) {
    if (error instanceof DomainError) return jsonFailure(error);
    throw error;
  }
}
