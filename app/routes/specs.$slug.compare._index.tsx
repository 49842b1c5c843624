// The compare form's target: sends /compare?from=…&to=… on to the compare page's own address.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { ErrorPage } from "~/components/error-page";
import { isPublic } from "~/domain/workflow";
import { badRequest, notFound } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { findSpecification } from "~/models/specifications.server";
import { findVersion } from "~/models/versions.server";
import { rangeOrder } from "~/domain/version-number";

// The compare form on a specification's page sends ?from=…&to=… here.
export async function loader({ params, request }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const db = await getDatabase();
  const spec = await findSpecification(db, slug);
  if (!spec) throw notFound(`There is no specification called “${slug}”.`);
  const url = new URL(request.url);
  const back = { href: `/specs/${slug}#sw_compare`, text: "Choose versions to compare" };
  const from = url.searchParams.get("from")?.trim() ?? "";
  const to = url.searchParams.get("to")?.trim() ?? "";
  if (!from || !to) throw badRequest("Choose two versions to compare: an older one and a newer one.", back);
  for (const number of [from, to]) {
    const version = await findVersion(db, slug, number);
    if (!version || !isPublic(version.status)) throw badRequest(`${spec.title} has no published version “${number}”.`, back);
  }
  if (from === to) throw badRequest(`You chose version ${from} twice. Choose two different versions to compare.`, back);
  // Whichever way round they were chosen, the page reads from the older to the newer.
  const [older, newer] = rangeOrder(from, to) === "reversed" ? [to, from] : [from, to];
  return redirect(`/specs/${slug}/compare/${older}...${newer}`);
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
