import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDate } from "~/components/format";
import { getDatabase } from "~/models/app-database.server";
import { listSpecifications } from "~/models/specifications.server";

export const meta: MetaFunction = () => [{ title: "Service specifications – Specwork" }];

export async function loader() {
  const db = await getDatabase();
  return { specifications: await listSpecifications(db) };
}

export default function Index() {
  const { specifications } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Service specifications</h1>
      <p className="nhsuk-lede-text">
        Every published version of each specification, numbered clause by clause, with what changed between versions.
      </p>
      {specifications.length === 0 ? (
        <div className="nhsuk-inset-text">
          <p>
            There are no specifications yet. Load one with <code>npm run spec -- import file.md</code>, or start Specwork
            on an empty database to load the sample specification from <code>specs/</code>.
          </p>
        </div>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption">Specifications</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th className="nhsuk-table__header" scope="col">Specification</th>
              <th className="nhsuk-table__header" scope="col">Reference</th>
              <th className="nhsuk-table__header" scope="col">Latest published version</th>
              <th className="nhsuk-table__header" scope="col">Date</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {specifications.map((spec) => (
              <tr className="nhsuk-table__row" key={spec.slug}>
                <td className="nhsuk-table__cell">
                  <a href={`/specs/${spec.slug}`}>{spec.title}</a>
                </td>
                <td className="nhsuk-table__cell">{spec.reference}</td>
                <td className="nhsuk-table__cell">
                  {spec.latestPublished ? (
                    <a href={`/specs/${spec.slug}/v/${spec.latestPublished.number}`}>
                      Version {spec.latestPublished.number}
                      {spec.latestPublished.label ? ` – ${spec.latestPublished.label}` : ""}
                    </a>
                  ) : (
                    "Not yet published"
                  )}
                </td>
                <td className="nhsuk-table__cell">{formatDate(spec.latestPublished?.date ?? null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
