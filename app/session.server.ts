// Who is asking: the session cookie, and guards named by what they do when the answer is no.
// getUser may return null; requireUser redirects to sign-in; requirePermission throws 403.
import { redirect } from "@remix-run/node";
import { getDatabase } from "~/models/app-database.server";
import { sessionUser } from "~/models/sessions.server";
import { ABSOLUTE_TIMEOUT_MS } from "~/models/sessions.server";
import type { PublicUser } from "~/models/users.server";
import { can, type Action } from "~/domain/permissions";
import type { VersionStatus } from "~/domain/workflow";
import { forbidden } from "~/http.server";

export const SESSION_COOKIE = "specwork_session";

export function sessionToken(request: Request): string | null {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return value.join("=") || null;
  }
  return null;
}

/** Secure when the request came over HTTPS (directly or through a proxy that says so). */
function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || request.headers.get("X-Forwarded-Proto") === "https";
}

export function sessionCookie(request: Request, token: string): string {
  const secure = isHttps(request) ? "; Secure" : "";
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ABSOLUTE_TIMEOUT_MS / 1000}${secure}`;
}

export function clearedSessionCookie(request: Request): string {
  const secure = isHttps(request) ? "; Secure" : "";
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
}

export async function getUser(request: Request): Promise<PublicUser | null> {
  const token = sessionToken(request);
  if (!token) return null;
  return (await sessionUser(await getDatabase(), token)) ?? null;
}

/** The signed-in user, or a redirect to the sign-in page that comes back here. */
export async function requireUser(request: Request): Promise<PublicUser> {
  const user = await getUser(request);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}

/** The signed-in user if the permission table allows the action; otherwise 403. */
export async function requirePermission(request: Request, action: Action, state: VersionStatus | null = null): Promise<PublicUser> {
  const user = await requireUser(request);
  if (!can(user.role, action, state)) throw forbidden(`Your role (${user.role}) cannot do this.`);
  return user;
}

/** For the JSON API: the signed-in user, or a 401 answer in JSON. */
export async function requireApiUser(request: Request): Promise<PublicUser> {
  const user = await getUser(request);
  if (!user) throw Response.json({ error: "sign in first: POST /login with email and password" }, { status: 401 });
  return user;
}

// Any origin will do: a path is judged by whether it stays on whichever site parses it.
const THIS_SITE = "http://this-site.invalid";
const REFUSED_IN_NEXT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/;

/**
 * Where a sign-in form may send people afterwards: a path on this site, or "/" for anything else.
 * Browsers drop tabs and line breaks from addresses and read a backslash as "/", so a path
 * holding any of them (or a control character), as typed or once percent-decoded, is refused
 * outright; what remains must parse as an address on this site whose path does not start "//".
 * The result is the parsed form, safe to put in a Location header as it is.
 */
export function safeNext(next: FormDataEntryValue | string | null): string {
  if (typeof next !== "string" || next.length > 2000 || !next.startsWith("/")) return "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return "/";
  }
  if (REFUSED_IN_NEXT.test(next) || REFUSED_IN_NEXT.test(decoded)) return "/";
  if (next.startsWith("//") || decoded.startsWith("//")) return "/";
  let url: URL;
  try {
    url = new URL(next, THIS_SITE);
  } catch {
    return "/";
  }
  const path = url.pathname + url.search + url.hash;
  // "/.//evil" parses to the path "//evil", which a browser would read as another host.
  return url.origin === THIS_SITE && !path.startsWith("//") ? path : "/";
}
