// Signing out: ends the session on the server and clears the cookie.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDatabase } from "~/models/app-database.server";
import { endSession } from "~/models/sessions.server";
import { clearedSessionCookie, sessionToken } from "~/session.server";

// Signing out ends the session on the server, not only in the browser.
export async function action({ request }: ActionFunctionArgs) {
  const token = sessionToken(request);
  if (token) await endSession(await getDatabase(), token);
  return redirect("/", { headers: { "Set-Cookie": clearedSessionCookie(request) } });
}

export async function loader() {
  return redirect("/");
}
