// The page frame every route shares: NHS.UK header and footer, account links, styles and scripts.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { nhsukVersion } from "~/assets.server";
import { getUser } from "~/session.server";
import { ErrorPage } from "~/components/error-page";
import { useNonce } from "~/nonce";
import specworkStyles from "~/styles/specwork.css";
import editorStyles from "~/styles/editor.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: specworkStyles },
  { rel: "stylesheet", href: editorStyles },
  { rel: "icon", href: "data:," },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  return {
    nhsukVersion: nhsukVersion(),
    user: user ? { name: user.name, email: user.email, role: user.role } : null,
  };
}

export const meta: MetaFunction = () => [{ title: "Specwork – NHS service specifications" }];

// Page-chrome ids contain "_", which specification ids cannot, so a clause can never clash.
export const MAIN_ID = "sw_main";

const NHS_LOGO_PATH =
  "M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z";

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <NhsukStylesheet />
        <Links />
      </head>
      <body>
        <a className="nhsuk-skip-link" href={`#${MAIN_ID}`}>
          Skip to main content
        </a>
        <header className="nhsuk-header" role="banner">
          <div className="nhsuk-header__container nhsuk-width-container">
            <div className="nhsuk-header__service">
              <a className="nhsuk-header__service-logo" href="/" aria-label="NHS Specwork homepage">
                <svg className="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" aria-hidden="true">
                  <path fill="currentcolor" d={NHS_LOGO_PATH} />
                </svg>
                <span className="nhsuk-header__service-name">Specwork</span>
              </a>
            </div>
            <Account />
          </div>
        </header>
        <div className="nhsuk-width-container">
          <main className="nhsuk-main-wrapper" id={MAIN_ID}>
            {children}
          </main>
        </div>
        <footer className="nhsuk-footer" role="contentinfo">
          <div className="nhsuk-width-container">
            <div className="nhsuk-footer__meta">
              <p className="nhsuk-body-s">
                Specwork keeps NHS service specifications as numbered, versioned documents and shows what changed between
                versions. The sample radiotherapy specification is illustrative: its wording is not NHS England policy.
              </p>
            </div>
          </div>
        </footer>
        <ScrollRestoration getKey={scrollKey} nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/** Who is signed in, with staff links and sign-out; or a sign-in link. */
function Account() {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user;
  return (
    <nav className="sw-account" aria-label="Account">
      {user ? (
        <ul className="sw-account__list">
          <li>
            <a href="/consultations">Consultations</a>
          </li>
          <li>
            <a href="/themes">Themes</a>
          </li>
          <li>
            {user.name} <span className="sw-account__role">({user.role})</span>
          </li>
          <li>
            <a href="/audit">Audit log</a>
          </li>
          {user.role === "admin" ? (
            <>
              <li>
                <a href="/admin/users">Accounts</a>
              </li>
              <li>
                <a href="/admin/themes">Theme register</a>
              </li>
              <li>
                <a href="/admin/audiences">Audiences</a>
              </li>
            </>
          ) : null}
          <li>
            <form method="post" action="/logout">
              <button type="submit" className="sw-link-button">
                Sign out
              </button>
            </form>
          </li>
        </ul>
      ) : (
        <ul className="sw-account__list">
          <li>
            <a href="/consultations">Consultations</a>
          </li>
          <li>
            <a href="/themes">Themes</a>
          </li>
          <li>
            <a href="/login">Sign in</a>
          </li>
        </ul>
      )}
    </nav>
  );
}

/** The NHS.UK stylesheet comes first so that Specwork's own rules can refine it. */
function NhsukStylesheet() {
  const data = useRouteLoaderData<typeof loader>("root");
  return <link rel="stylesheet" href={`/assets/nhsuk.css?v=${data?.nhsukVersion ?? "0"}`} />;
}

// Positions are remembered per address including its #fragment, so moving to a clause anchor
// (typed, or by back and forward) scrolls to the clause instead of restoring an old position.
function scrollKey(location: { pathname: string; search: string; hash: string }): string {
  return location.pathname + location.search + location.hash;
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
