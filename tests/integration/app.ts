// Calls the app's loaders and actions with real Requests on a fresh database, the way the
// server does. Import this first in a test file: it points DATABASE_PATH at a new SQLite file,
// or, when the project runs on PostgreSQL, DATABASE_URL at a new copy of the seeded template.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { createDatabaseFrom, MIGRATED_TEMPLATE, SEEDED_TEMPLATE, testPostgresURL } from "../support/test-postgres";

const postgres = testPostgresURL();
// A test that seeds from a folder of its own (SPECS_DIR, set by a module it imports first) gets
// an empty database, which the app seeds from that folder when it opens it, as on SQLite.
if (postgres) process.env.DATABASE_URL = await createDatabaseFrom(postgres, process.env.SPECS_DIR ? MIGRATED_TEMPLATE : SEEDED_TEMPLATE);
else process.env.DATABASE_PATH = path.join(mkdtempSync(path.join(tmpdir(), "specwork-app-")), "app.sqlite");
process.env.SPECWORK_DEMO = "on";
process.env.DEMO_PASSWORD = "specwork-demo";

const ORIGIN = "http://localhost:3000";
type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

export interface Call {
  method?: string;
  cookie?: string;
  /** Form fields; pairs when a field repeats (checkboxes). */
  form?: Record<string, string> | [string, string][];
  json?: unknown;
  /** A string is sent as text/plain; bytes are sent with no Content-Type at all. */
  body?: string | Uint8Array<ArrayBuffer>;
  /** Headers to send as well, such as a Content-Type other than the one the body implies. */
  headers?: Record<string, string>;
  params?: Record<string, string>;
  address?: string;
}

/** A Response whatever the handler did: returned or threw a Response, or returned data. */
export async function call(handler: Handler, url: string, options: Call = {}): Promise<Response> {
  const headers = new Headers();
  if (options.cookie) headers.set("Cookie", options.cookie);
  let body: BodyInit | undefined;
  if (options.form) body = new URLSearchParams(options.form);
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers.set("Content-Type", "application/json");
  }
  if (options.body !== undefined) body = typeof options.body === "string" ? options.body : options.body.slice();
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  const request = new Request(ORIGIN + url, { method: options.method ?? (body ? "POST" : "GET"), headers, body });
  try {
    const result = await handler({ request, params: options.params ?? {}, context: { clientAddress: options.address ?? "127.0.0.1" } });
    return toResponse(result);
  } catch (thrown) {
    return toResponse(thrown);
  }
}

function toResponse(value: unknown): Response {
  if (value instanceof Response) return value;
  // data() from @remix-run/node: { type: "DataWithResponseInit", data, init }
  if (value && typeof value === "object" && "type" in value && (value as { type: string }).type === "DataWithResponseInit") {
    const { data, init } = value as unknown as { data: unknown; init?: ResponseInit | null };
    return Response.json(data, init ?? undefined);
  }
  if (value instanceof Error) throw value;
  return Response.json(value);
}

/** Signs in through the login action and returns the session cookie to send back. */
export async function signIn(email: string, password = "specwork-demo"): Promise<string> {
  const { action } = await import("~/routes/login");
  const response = await call(action as Handler, "/login", { form: { email, password, next: "/" } });
  const cookie = response.headers.get("Set-Cookie");
  if (response.status !== 302 || !cookie) throw new Error(`could not sign in as ${email}: ${response.status}`);
  return cookie.split(";")[0]!;
}

export type { Handler };
