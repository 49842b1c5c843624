// Signing in: the form, the answers to a wrong password or too many, and where people go next.
import { ErrorSummary } from "~/components/messages";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDatabase } from "~/models/app-database.server";
import { signIn, WINDOW_MS } from "~/models/sign-in.server";
import { endSession } from "~/models/sessions.server";
import { getUser, safeNext, sessionCookie, sessionToken } from "~/session.server";
import { readForm } from "~/forms.server";

export const meta: MetaFunction = () => [{ title: "Sign in – Specwork" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  if (await getUser(request)) throw redirect(next);
  // The form carries the checked path, so a hostile link cannot put another into it.
  return { next };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  // Checked before signing in, so a bad address can never fail after a session exists.
  const next = safeNext(form.get("next"));
  if (!email || !password) {
    return data({ error: "Enter your email address and your password." }, { status: 400 });
  }
  const address = context.clientAddress ?? "unknown";
  const result = await signIn(await getDatabase(), email, password, address);
  if (!result.ok) {
    return result.reason === "limited"
      ? data({ error: `Too many failed attempts. Wait ${WINDOW_MS / 60000} minutes, then try again.` }, { status: 429 })
      : data({ error: "The email address or password is not right." }, { status: 401 });
  }
  // A new session every sign-in; any session the browser already had ends here.
  const previous = sessionToken(request);
  if (previous) await endSession(await getDatabase(), previous);
  return redirect(next, { headers: { "Set-Cookie": sessionCookie(request, result.token) } });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const { next } = useLoaderData<typeof loader>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary message={result?.error} />
        <h1>Sign in</h1>
        <p>For the expert group, commissioners and administrators. Everyone can read published versions without signing in.</p>
        <Form method="post" noValidate>
          <input type="hidden" name="next" value={next} />
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="email">
              Email address
            </label>
            <input className="nhsuk-input" id="email" name="email" type="email" autoComplete="username" spellCheck={false} required />
          </div>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="password">
              Password
            </label>
            <input className="nhsuk-input" id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          <button className="nhsuk-button" type="submit">
            Sign in
          </button>
        </Form>
      </div>
    </div>
  );
}
