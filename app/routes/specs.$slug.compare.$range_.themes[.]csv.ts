// "You said, we did" as CSV, with cells that could run as formulas made plain text.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { csv } from "~/exports/csv";
import { getDatabase } from "~/models/app-database.server";
import { themeReport } from "~/models/compare.server";

// One row per clause change made for a theme, and one per theme that led to no change.
export async function loader({ params }: LoaderFunctionArgs) {
  const report = await themeReport(await getDatabase(), params.slug ?? "", params.range ?? "");
  if (!report.ok) return new Response(`${report.message}\n`, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  // The last three columns come from the published report of the consultation on the earlier version.
  const rows: (string | number | null)[][] = [["theme", "theme title", "clause id", "old number", "new number", "what changed and why", "responses that raised it", "what people said", "who said it"]];
  for (const theme of report.themes) {
    const said = report.said?.byTheme[theme.code] ?? null;
    const responses = said ? said.responses : null;
    for (const change of theme.changes) rows.push([theme.code, theme.title, change.clauseId, change.fromNumber, change.toNumber, change.rationale, responses, null, null]);
    if (theme.outcome || theme.changes.length === 0) rows.push([theme.code, theme.title, null, null, null, theme.outcome ?? "No change recorded", responses, null, null]);
    for (const quote of said?.quotes ?? []) rows.push([theme.code, theme.title, null, null, null, null, responses, quote.text, quote.attribution]);
  }
  const name = `${params.slug}-${params.range}-themes.csv`.replace(/[^A-Za-z0-9._-]/g, "_");
  return new Response(csv(rows), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"`, "X-Content-Type-Options": "nosniff" },
  });
}
