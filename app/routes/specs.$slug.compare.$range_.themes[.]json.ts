// "You said, we did" as JSON.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDatabase } from "~/models/app-database.server";
import { themeReport, themeReportJson } from "~/models/compare.server";

// Public: built only from published versions, public annotations and change notes.
export async function loader({ params }: LoaderFunctionArgs) {
  const report = await themeReport(await getDatabase(), params.slug ?? "", params.range ?? "");
  if (!report.ok) return Response.json({ error: report.message }, { status: 404 });
  return Response.json(themeReportJson(report.themes, report.said), {
    headers: { "Content-Disposition": `inline; filename="${params.slug}-${params.range}-themes.json"` },
  });
}
