// The theme register for everyone: each theme with its status and where it came from.
import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ResponsiveTable } from "~/components/table";
import { getDatabase } from "~/models/app-database.server";
import { listThemes, themeLinks } from "~/models/themes.server";
import { responsesByTheme } from "~/models/reports.server";

export const meta: MetaFunction = () => [{ title: "Themes – Specwork" }];

export async function loader() {
  const db = await getDatabase();
  const themes = await listThemes(db);
  const raised = await responsesByTheme(db);
  return {
    themes: await Promise.all(
      themes.map(async (t) => {
        const links = await themeLinks(db, t.code);
        return { code: t.code, title: t.title, source: t.source, responses: raised.get(t.code) ?? 0, changes: links.changes.length, annotations: links.annotations.length };
      }),
    ),
  };
}

export default function Themes() {
  const { themes } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Themes</h1>
      <p className="nhsuk-lede-text">What people told us in engagement and consultation, and where each theme changed the specification.</p>
      <p>The responses are counted from the published reports of each engagement and consultation.</p>
      {themes.length === 0 ? (
        <p>No themes have been recorded yet.</p>
      ) : (
        <ResponsiveTable
          caption="Themes"
          headings={["Theme", "From", "Responses that raised it", "Clause changes", "Public comments"]}
          rows={themes.map((t) => ({
            key: t.code,
            cells: [
              <a href={`/themes/${t.code}`}>
                {t.code} {t.title}
              </a>,
              t.source,
              t.responses.toLocaleString("en-GB"),
              t.changes,
              t.annotations,
            ],
          }))}
        />
      )}
    </>
  );
}
