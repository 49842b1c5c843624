import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { can } from "~/domain/permissions";
import { AnnotationKinds, Visibilities } from "~/domain/responses";
import { getDatabase } from "~/models/app-database.server";
import { addAnnotation, AnnotationError, listAnnotations } from "~/models/annotations.server";
import { findVersion } from "~/models/versions.server";
import { readJsonBody } from "~/http.server";
import { getUser, requireApiUser } from "~/session.server";

const MAX_BODY_BYTES = 64 * 1024;

const NewAnnotationBody = z
  .object({
    clauseId: z.string().min(1).max(100),
    start: z.number().int().min(0).optional(),
    end: z.number().int().min(0).optional(),
    quote: z.string().max(5000).optional(),
    kind: z.enum(AnnotationKinds),
    body: z.string().max(10_000),
    visibility: z.enum(Visibilities),
    themes: z.array(z.string().max(20)).max(20).optional(),
    parentId: z.number().int().positive().optional(),
  })
  .strict();

const problem = (error: string, status: number) => Response.json({ error }, { status });

async function versionFor(slug: string, number: string, staff: boolean) {
  const version = await findVersion(await getDatabase(), slug, number);
  // Work in progress does not exist for the public.
  if (!version || !can(staff ? "editor" : "public", "read", version.status)) return null;
  return version;
}

// GET: the annotations the caller may see; the public only ever sees public ones.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const version = await versionFor(params.slug ?? "", params.version ?? "", user !== null);
  if (!version) return problem(`there is no published version ${params.version} of ${params.slug}`, 404);
  return Response.json({ annotations: await listAnnotations(await getDatabase(), version.id, user) });
}

// POST { clauseId, start?, end?, quote?, kind, body, visibility, themes? } → 201 { id }
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return problem(`use POST to add an annotation, not ${request.method}`, 405);
  const user = await requireApiUser(request);
  const version = await versionFor(params.slug ?? "", params.version ?? "", true);
  if (!version) return problem(`there is no version ${params.version} of ${params.slug}`, 404);
  const read = await readJsonBody(request, MAX_BODY_BYTES);
  if (!read.ok) return read.response;
  const body = NewAnnotationBody.safeParse(read.json);
  if (!body.success) {
    const issue = body.error.issues[0]!;
    return problem(`${issue.path.join(".") || "body"}: ${issue.message}`, 400);
  }
  try {
    const db = await getDatabase();
    const id = await db.transaction().execute((trx) =>
      addAnnotation(trx, { id: version.id, doc: version.doc, slug: version.slug, number: version.number }, { id: user.id, name: user.name, email: user.email }, body.data),
    );
    return Response.json({ id }, { status: 201 });
  } catch (error) {
    if (error instanceof AnnotationError) return problem(error.message, error.status);
    throw error;
  }
}
