// Signing in: the form, the answers to a wrong password or too many, and where people go next.
import { TextInput } from "~/components/fields";
import { ErrorSummary, fieldErrors } from "~/components/messages";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getDatabase } from "~/models/app-database.server";
import { signIn, WINDOW_MS } from "~/models/sign-in.server";
import { endSession } from "~/models/sessions.server";
import { getUser, safeNext, sessionCookie, sessionToken } from "~/session.server";
import { z } from "zod";
import { formFailure, readForm } from "~/forms.server";
import { parseForm, typedValues } from "~/forms";

export const meta: MetaFunction = () => [{ title: "Sign in – Specwork" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  if (await getUser(request)) throw redirect(next);
  // The form carries the checked path, so a hostile link cannot put another into it.
  return { next };
}

const SignInForm = z.object({
  email: z.string({ error: "Enter your email address" }).trim().min(1, "Enter your email address").max(320, "An email address has at most 320 characters"),
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(1000, "A password has at most 1,000 characters"),
  next: z.string().optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(form, SignInForm);
  // The email address typed is shown again; a password never is.
  const values = typedValues(form, ["email"]);
  if (!parsed.ok) return formFailure(parsed.errors, 400, values);
  const { email, password } = parsed.data;
  // Checked before signing in, so a bad address can never fail after a session exists.
  const next = safeNext(parsed.data.next ?? null);
  const address = context.clientAddress ?? "unknown";
  const result = await signIn(await getDatabase(), email, password, address);
  if (!result.ok) {
    return result.reason === "limited"
      ? data({ error: `Too many failed attempts. Wait ${WINDOW_MS / 60000} minutes, then try again.`, values }, { status: 429 })
      : data({ error: "The email address or password is not right.", values }, { status: 401 });
  }
  // A new session every sign-in; any session the browser already had ends here.
  const previous = sessionToken(request);
  if (previous) await endSession(await getDatabase(), previous);
  return redirect(next, { headers: { "Set-Cookie": sessionCookie(request, result.token) } });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const { next } = useLoaderData<typeof loader>();
  const fields: Record<string, string> | undefined = result && "fields" in result ? result.fields : undefined;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary message={result?.error} errors={fieldErrors(fields, { email: "email", password: "password" })} />
        <h1>Sign in</h1>
        <p>For the expert group, commissioners and administrators. Everyone can read published versions without signing in.</p>
        <Form method="post" noValidate>
          <input type="hidden" name="next" value={next} />
          <TextInput id="email" name="email" label="Email address" type="email" autoComplete="username" error={fields?.email} defaultValue={result?.values?.email} />
          <TextInput id="password" name="password" label="Password" type="password" autoComplete="current-password" error={fields?.password} />
          <button className="nhsuk-button" type="submit">
            Sign in
          </button>
        </Form>
      </div>
    </div>
  );
}
