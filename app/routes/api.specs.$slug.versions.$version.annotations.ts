// The annotations API: GET what the caller may see of a version's annotations, POST a new one.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { can } from "~/domain/permissions";
import { ANNOTATION_KINDS, VISIBILITIES } from "~/domain/annotations";
import { getDatabase } from "~/models/app-database.server";
import { addAnnotation, listAnnotations } from "~/models/annotations.server";
import { DomainError } from "~/domain/errors";
import { findVersion } from "~/models/versions.server";
import { jsonFailure, jsonProblem, readJsonBody } from "~/http.server";
import { getUser, requireApiUser } from "~/session.server";
import type { PublicUser } from "~/models/users.server";

const MAX_BODY_BYTES = 64 * 1024;

const NewAnnotationBody = z
  .object({
    clauseId: z.string().min(1).max(100),
    start: z.number().int().min(0).optional(),
    end: z.number().int().min(0).optional(),
    quote: z.string().max(5000).optional(),
    kind: z.enum(ANNOTATION_KINDS),
    body: z.string().max(10_000),
    visibility: z.enum(VISIBILITIES),
    themes: z.array(z.string().max(20)).max(20).optional(),
    parentId: z.number().int().positive().optional(),
  })
  .strict();

const problem = jsonProblem;

/** The version in the address, if the person asking may read it (work in progress is staff's). */
async function versionFor(slug: string, number: string, user: PublicUser | null) {
  const version = await findVersion(await getDatabase(), slug, number);
  if (!version || !can(user?.role ?? "public", "read", version.status)) return null;
  return version;
}

// GET: the annotations the caller may see; the public only ever sees public ones.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const version = await versionFor(params.slug ?? "", params.version ?? "", user);
  if (!version) return problem(`there is no published version ${params.version} of ${params.slug}`, 404);
  return Response.json({ annotations: await listAnnotations(await getDatabase(), version.id, user) });
}

// POST { clauseId, start?, end?, quote?, kind, body, visibility, themes? } → 201 { id }
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(`use POST to add an annotation, not ${request.method}`, 405);
  const user = await requireApiUser(request);
  const version = await versionFor(params.slug ?? "", params.version ?? "", user);
  if (!version) return problem(`there is no version ${params.version} of ${params.slug}`, 404);
  if (!can(user.role, "annotate", version.status)) return problem(`version ${version.number} is ${version.status}: annotations are made on published versions`, 409);
  const read = await readJsonBody(request, MAX_BODY_BYTES);
  if (!read.ok) return read.response;
  const body = NewAnnotationBody.safeParse(read.json);
  if (!body.success) {
    const issue = body.error.issues[0]!;
    return problem(`${issue.path.join(".") || "body"}: ${issue.message}`, 400);
  }
  try {
    const id = await addAnnotation(await getDatabase(), { id: version.id, doc: version.doc, slug: version.slug, number: version.number }, { id: user.id, name: user.name, email: user.email }, body.data);
    return Response.json({ id }, { status: 201 });
  } catch (error) {
    if (error instanceof DomainError) return jsonFailure(error);
    throw error;
  }
}
