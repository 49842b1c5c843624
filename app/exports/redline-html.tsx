// The tracked revision as one self-contained HTML file (spec redline --format html).
import { readFileSync } from "node:fs";
import { renderToStaticMarkup } from "react-dom/server";
import { ChangeList, RedlineBody, SummaryTable } from "~/components/redline-view";
import type { Redline, RedlineRow } from "~/domain/redline";

export interface RedlineHtmlInput {
  title: string;
  redline: Redline;
  rows: RedlineRow[];
  /** Specwork's stylesheet, inlined so the file stands alone. */
  stylesheetPath: string;
}

export function redlineHtml({ title, redline, rows, stylesheetPath }: RedlineHtmlInput): string {
  const css = readFileSync(stylesheetPath, "utf8");
  const heading = `${title}: changes from version ${redline.from.version} to ${redline.to.version}`;
  const body = renderToStaticMarkup(
    <main className="sw-standalone">
      <h1>{heading}</h1>
      <p>
        What changed from version {redline.from.version} to version {redline.to.version}.
      </p>
      <h2>Summary</h2>
      <SummaryTable summary={redline.summary} formatted={rows.filter((row) => row.formatting).length} />
      <h2>Changes</h2>
      <ChangeList rows={rows} />
      <h2>The whole document, with changes marked</h2>
      <RedlineBody rows={rows} mode="all" />
    </main>,
  );
  const escapedTitle = heading.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapedTitle}</title>
<style>
body { font-family: Arial, sans-serif; line-height: 1.5; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #212b32; }
.nhsuk-u-visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important; padding: 0 !important; overflow: hidden !important; clip: rect(0 0 0 0) !important; border: 0 !important; white-space: nowrap !important; }
.nhsuk-tag { display: inline-block; border: 1px solid currentColor; padding: 0 6px; font-size: 0.875rem; }
${css}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
