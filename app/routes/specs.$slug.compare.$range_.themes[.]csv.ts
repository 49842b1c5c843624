// "You said, we did" as CSV, with cells that could run as formulas made plain text.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { csv } from "~/exports/csv";
import { getDatabase } from "~/models/app-database.server";
import { themeReport } from "~/models/compare.server";

// One row per clause change made for a theme, and one per theme that led to no change.
export async function loader({ params }: LoaderFunctionArgs) {
  const report = await themeReport(await getDatabase(), params.slug ?? "", params.range ?? "");
  if (!report.ok) return new Response(`${report.message}\n`, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const rows: (string | null)[][] = [["theme", "theme title", "clause id", "old number", "new number", "what changed and why"]];
  for (const theme of report.themes) {
    for (const change of theme.changes) rows.push([theme.code, theme.title, change.clauseId, change.fromNumber, change.toNumber, change.rationale]);
    if (theme.outcome || theme.changes.length === 0) rows.push([theme.code, theme.title, null, null, null, theme.outcome ?? "No change recorded"]);
  }
  const name = `${params.slug}-${params.range}-themes.csv`.replace(/[^A-Za-z0-9._-]/g, "_");
  return new Response(csv(rows), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}"`, "X-Content-Type-Options": "nosniff" },
  });
}
