// The published engagement report as a Word document.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDatabase } from "~/models/app-database.server";
import { publishedReport } from "~/models/reports.server";
import { reportDocx, reportFileHeaders } from "~/exports/report-files";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const published = await publishedReport(await getDatabase(), params.id ?? "");
  if (!published) return new Response("The report of this consultation has not been published.\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const body = reportDocx(published.report, published.publishedAt);
  return new Response(body.slice(), { headers: reportFileHeaders(request, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", `${params.id}-report.docx`) });
}
