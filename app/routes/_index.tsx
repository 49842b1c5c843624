// The home page: every specification with its reference and latest published version.
import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { formatDate } from "~/components/format";
import { ResponsiveTable } from "~/components/table";
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
        <ResponsiveTable
          caption="Specifications"
          headings={["Specification", "Reference", "Latest published version", "Date"]}
          rows={specifications.map((spec) => ({
            key: spec.slug,
            cells: [
              <a href={`/specs/${spec.slug}`}>{spec.title}</a>,
              spec.reference,
              spec.latestPublished ? (
                <a href={`/specs/${spec.slug}/v/${spec.latestPublished.number}`}>
                  Version {spec.latestPublished.number}
                  {spec.latestPublished.label ? ` – ${spec.latestPublished.label}` : ""}
                </a>
              ) : (
                "Not yet published"
              ),
              formatDate(spec.latestPublished?.date ?? null),
            ],
          }))}
        />
      )}
    </>
  );
}
