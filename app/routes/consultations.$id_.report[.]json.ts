// The published engagement report as data: exactly the snapshot fixed when it was published.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDatabase } from "~/models/app-database.server";
import { publishedReport } from "~/models/reports.server";
import { reportFileHeaders } from "~/exports/report-files";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const published = await publishedReport(await getDatabase(), params.id ?? "");
  if (!published) return Response.json({ error: "the report of this consultation has not been published" }, { status: 404 });
  return new Response(JSON.stringify({ publishedAt: published.publishedAt, ...published.report }, null, 2) + "\n", {
    headers: reportFileHeaders(request, "application/json; charset=utf-8", `${params.id}-report.json`, "inline"),
  });
}
