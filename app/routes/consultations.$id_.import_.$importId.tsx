// Importing responses, step 3 (/consultations/:id/import/:importId): the import's progress, which
// refreshes itself (no JavaScript needed) until it ends, then what was imported or each problem.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { Breadcrumbs } from "~/components/messages";
import { ResponsiveTable } from "~/components/table";
import { notFound, sentence } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { getConsultation } from "~/models/consultations.server";
import { getImport } from "~/models/response-import.server";
import { requirePermission } from "~/session.server";

const REFRESH_SECONDS = 2;

export const meta: MetaFunction<typeof loader> = ({ data: page }) => {
  const running = page && (page.import.status === "checking" || page.import.status === "importing");
  return [{ title: `${running ? "Importing responses" : "Import finished"} – Specwork` }, ...(running ? [{ httpEquiv: "refresh", content: String(REFRESH_SECONDS) } as const] : [])];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "importResponses");
  const db = await getDatabase();
  const consultation = await getConsultation(db, params.id ?? "");
  if (!consultation) throw notFound(`There is no consultation at /consultations/${params.id}.`);
  const id = /^[1-9][0-9]{0,9}$/.test(params.importId ?? "") ? Number(params.importId) : null;
  const found = id === null ? null : await getImport(db, consultation.id, id);
  if (!found) throw notFound("There is no such import of this consultation.", { href: `/consultations/${consultation.id}/import`, text: "Import responses" });
  // Messages are made sentences here: http.server is not in the browser's bundle.
  const shown = { ...found, problems: found.problems.map((p) => ({ ...p, message: sentence(p.message) })) };
  return data({ consultation: { id: consultation.id, title: consultation.title }, import: shown }, { headers: { "Cache-Control": "private, no-store" } });
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

export default function ImportProgress() {
  const { consultation, import: run } = useLoaderData<typeof loader>();
  const base = [
    { href: "/consultations", text: "Consultations" },
    { href: `/consultations/${consultation.id}`, text: consultation.title },
    { href: `/consultations/${consultation.id}/import`, text: "Import responses" },
  ];
  const again = (
    <p>
      <a href={`/consultations/${consultation.id}/import`}>Import another file</a>
    </p>
  );
  return (
    <>
      <Breadcrumbs items={base} />
      <span className="nhsuk-caption-l">{run.fileName}</span>
      {run.status === "checking" || run.status === "importing" ? (
        <>
          <h1>Importing responses</h1>
          <div role="status">
            <p>{run.status === "checking" ? "Checking every row before anything is stored." : "Every row checks out. Storing the responses."}</p>
            <p>
              <strong>{plural(run.rowsRead, "row", "rows")} read</strong>
              {run.status === "importing" ? " of the file, the second time" : ""}.
            </p>
          </div>
          <p>This page updates itself every {REFRESH_SECONDS} seconds. You can leave it: the import carries on.</p>
          <p>
            <a href={`/consultations/${consultation.id}/import/${run.id}`}>Update now</a>
          </p>
        </>
      ) : run.status === "done" ? (
        <>
          <div className="nhsuk-panel">
            <h1 className="nhsuk-panel__title">Responses imported</h1>
            <div className="nhsuk-panel__body">
              Imported {plural(run.imported, "response", "responses")}, {run.present.toLocaleString("en-GB")} already present
            </div>
          </div>
          {run.present > 0 ? <p>Rows already present were imported before (the same response reference, or exactly the same answers), so they were not stored again.</p> : null}
          {again}
        </>
      ) : run.status === "stopped" ? (
        <>
          <h1>The import stopped</h1>
          <p>The service restarted while this file was being imported. Nothing was imported: upload the file again.</p>
          {again}
        </>
      ) : (
        <>
          <h1>Nothing was imported</h1>
          <p>
            {run.problems.length >= 100 ? "The file has at least 100 problems. These are the first 100." : `The file has ${plural(run.problems.length, "problem", "problems")}.`} Correct {run.problems.length === 1 ? "it" : "them"} in the file, or change the mapping, and import it again. Nothing is stored until every row checks out.
          </p>
          <ResponsiveTable
            caption="Problems in the file (row 1 is the first row after the header)"
            headings={["Row", "Column", "Problem"]}
            rows={run.problems.map((p, i) => ({ key: i, cells: [p.row === 0 ? "Header" : p.row.toLocaleString("en-GB"), p.column ?? "The whole row", p.message] }))}
          />
          {again}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
