// The published engagement report's figures as CSV, with cells that could run as formulas made text.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDatabase } from "~/models/app-database.server";
import { publishedReport } from "~/models/reports.server";
import { reportCsv, reportFileHeaders } from "~/exports/report-files";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const published = await publishedReport(await getDatabase(), params.id ?? "");
  if (!published) return new Response("The report of this consultation has not been published.\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(reportCsv(published.report), { headers: reportFileHeaders(request, "text/csv; charset=utf-8", `${params.id}-report.csv`) });
}
