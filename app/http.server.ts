// How failures become answers: the error pages' one shape (a status, a message and a way back),
// a form action's failure, and the JSON APIs' one error shape, { "error": "…" }.
import { data } from "@remix-run/node";
import type { DomainError, FailureKind } from "~/domain/errors";

export interface ErrorInfo {
  title: string;
  message: string;
  back: { href: string; text: string };
}

export function badRequest(message: string, back: ErrorInfo["back"]) {
  return data<ErrorInfo>({ title: "There is a problem", message, back }, { status: 400 });
}

export function forbidden(message: string, back: ErrorInfo["back"] = { href: "/", text: "Go to the list of specifications" }) {
  return data<ErrorInfo>({ title: "You cannot do this", message, back }, { status: 403 });
}

export function notFound(message: string, back: ErrorInfo["back"] = { href: "/", text: "Go to the list of specifications" }) {
  return data<ErrorInfo>({ title: "Page not found", message, back }, { status: 404 });
}

const STATUS: Record<FailureKind, 400 | 403 | 404 | 409> = { invalid: 400, forbidden: 403, "not-found": 404, conflict: 409 };

/** The HTTP status for a kind of domain failure. */
export function statusOf(kind: FailureKind): 400 | 403 | 404 | 409 {
  return STATUS[kind];
}

/** A model's message ("the comment may …") as a page shows it: a capitalised sentence. */
export function sentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  const capital = text[0]!.toUpperCase() + text.slice(1);
  return /[.!?”)]$/.test(capital) ? capital : `${capital}.`;
}

/** A form action's failure, for the page's error summary: { error } with the failure's status. */
export function actionFailure(error: DomainError) {
  return data({ error: sentence(error.message) }, { status: statusOf(error.kind) });
}

/** The JSON APIs' one error shape: { "error": "…" } (and any details), with a status. */
export function jsonProblem(error: string, status: number, details: Record<string, unknown> = {}): Response {
  return Response.json({ error, ...details }, { status });
}

/** A domain failure answered by a JSON API. */
export function jsonFailure(error: DomainError): Response {
  return jsonProblem(error.message, statusOf(error.kind));
}

// A page URL that must answer with a file (such as /specs/:slug/v/:version.md, which shares its
// route with the page) returns this from its loader; entry.server sends it as the response.
// (Routes such as specs.$slug.v.$version[.]pdf.tsx match a static suffix and answer the same way.)
const FILE_MARK = "__specworkFile";

export interface FileDownload {
  [FILE_MARK]: true;
  body: string | Uint8Array;
  contentType: string;
  filename: string;
  /** Set when the request is known: a public file is cached like a public page, a signed-in one never. */
  cacheControl?: string;
  etag?: string;
  /** The request already holds this file (If-None-Match): the answer is 304 with no body. */
  notModified?: boolean;
}

/**
 * A file to send. Given the request (and the file's ETag), it is cached like the page it
 * comes from: public and revalidated for everyone, `private, no-store` once signed in.
 */
export function fileDownload(body: string | Uint8Array, contentType: string, filename: string, request?: Request, etag?: string): FileDownload {
  const file: FileDownload = { [FILE_MARK]: true, body, contentType, filename };
  if (!request) return file;
  const signedIn = (request.headers.get("Cookie") ?? "").includes("specwork_session=");
  file.cacheControl = signedIn ? "private, no-store" : "public, max-age=0, must-revalidate";
  if (etag && !signedIn) {
    file.etag = etag;
    file.notModified = request.headers.get("If-None-Match") === etag;
  }
  return file;
}

export function isFileDownload(value: unknown): value is FileDownload {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[FILE_MARK] === true;
}

export function fileResponse(file: FileDownload): Response {
  const safeName = file.filename.replace(/[^A-Za-z0-9._-]/g, "_");
  const caching: Record<string, string> = {
    ...(file.cacheControl ? { "Cache-Control": file.cacheControl } : {}),
    ...(file.etag ? { ETag: file.etag } : {}),
  };
  if (file.notModified) return new Response(null, { status: 304, headers: caching });
  // slice() gives a copy backed by a plain ArrayBuffer, which is what a Response body takes.
  return new Response(typeof file.body === "string" ? file.body : file.body.slice(), {
    status: 200,
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${safeName}"`,
      "X-Content-Type-Options": "nosniff",
      ...caching,
    },
  });
}

/** A JSON request body within `limit` bytes, or the 4xx answer that says what is wrong. */
export async function readJsonBody(request: Request, limit: number): Promise<{ ok: true; json: unknown } | { ok: false; response: Response }> {
  const problem = (error: string, status: number) => ({ ok: false as const, response: jsonProblem(error, status) });
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (length > limit) return problem(`the request is ${length} bytes; the limit is ${limit}`, 413);
  const text = await request.text();
  if (new TextEncoder().encode(text).length > limit) return problem(`the request is over the limit of ${limit} bytes`, 413);
  if (nestingDepth(text) > MAX_JSON_DEPTH) return problem(`the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`, 400);
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch {
    return problem("the body is not valid JSON", 400);
  }
}

// Well above the deepest document the document check accepts (40 nodes, about 85 levels of
// JSON), and low enough that code walking a parsed value recursively can never overflow.
const MAX_JSON_DEPTH = 128;

/** How deeply the arrays and objects of JSON text nest (brackets inside strings do not count). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "[" || ch === "{") deepest = Math.max(deepest, ++depth);
    else if (ch === "]" || ch === "}") depth--;
  }
  return deepest;
}
