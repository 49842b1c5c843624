import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getDatabase } from "~/models/app-database.server";
import { listThemes, themeLinks } from "~/models/themes.server";

export const meta: MetaFunction = () => [{ title: "Themes – Specwork" }];

export async function loader() {
  const db = await getDatabase();
  const themes = await listThemes(db);
  return {
    themes: await Promise.all(
      themes.map(async (t) => {
        const links = await themeLinks(db, t.code);
        return { code: t.code, title: t.title, source: t.source, changes: links.changes.length, annotations: links.annotations.length };
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
      {themes.length === 0 ? (
        <p>No themes have been recorded yet.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption">Themes</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">Theme</th>
              <th className="nhsuk-table__header" scope="col">From</th>
              <th className="nhsuk-table__header" scope="col">Clause changes</th>
              <th className="nhsuk-table__header" scope="col">Public comments</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {themes.map((t) => (
              <tr className="nhsuk-table__row" key={t.code}>
                <td className="nhsuk-table__cell">
                  <a href={`/themes/${t.code}`}>
                    {t.code} {t.title}
                  </a>
                </td>
                <td className="nhsuk-table__cell">{t.source}</td>
                <td className="nhsuk-table__cell">{t.changes}</td>
                <td className="nhsuk-table__cell">{t.annotations}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
