// Any address no other route answers: a worded 404 page.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ErrorPage } from "~/components/error-page";
import { notFound } from "~/http.server";

export const meta: MetaFunction = () => [{ title: "Page not found – Specwork" }];

// Any address no other route claims.
export async function loader({ request }: LoaderFunctionArgs) {
  throw notFound(`There is no page at ${new URL(request.url).pathname}.`);
}

export default function CatchAll() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
