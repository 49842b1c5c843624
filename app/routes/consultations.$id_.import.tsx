// Importing responses from another tool, step 1 (/consultations/:id/import): upload a CSV or
// XLSX export. The file waits, for the person who sent it, until its columns are mapped.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, MaxPartSizeExceededError, NodeOnDiskFile, redirect, unstable_createFileUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorPage } from "~/components/error-page";
import { FieldError, groupClass } from "~/components/fields";
import { Breadcrumbs, ErrorSummary } from "~/components/messages";
import { notFound, sentence } from "~/http.server";
import { getDatabase } from "~/models/app-database.server";
import { getConsultation } from "~/models/consultations.server";
import { keepUpload, listImports, MAX_UPLOAD_BYTES, privateUploadsDirectory } from "~/models/response-import.server";
import { ResponsiveTable } from "~/components/table";
import { londonDateTime } from "~/domain/london-time";
import { requirePermission } from "~/session.server";

export const meta: MetaFunction = () => [{ title: "Import responses – Specwork" }];

const PRIVATE = { "Cache-Control": "private, no-store" };

async function consultationFor(request: Request, id: string) {
  const user = await requirePermission(request, "importResponses");
  const consultation = await getConsultation(await getDatabase(), id);
  if (!consultation) throw notFound(`There is no consultation at /consultations/${id}.`);
  return { user, consultation };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { consultation } = await consultationFor(request, params.id ?? "");
  const imports = (await listImports(await getDatabase(), consultation.id)).map((i) => ({ id: i.id, fileName: i.fileName, status: i.status, imported: i.imported, present: i.present, problems: i.problems.length, at: londonDateTime(i.createdAt) }));
  return data({ consultation: { id: consultation.id, title: consultation.title }, limitMiB: MAX_UPLOAD_BYTES / 1024 / 1024, imports }, { headers: PRIVATE });
}

const failure = (error: string, status = 400) => data({ error }, { status, headers: PRIVATE });

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, consultation } = await consultationFor(request, params.id ?? "");
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "multipart/form-data") return failure("Choose a file to upload: the form sends it as multipart/form-data.", 415);
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_UPLOAD_BYTES) return failure(`The file is too large: the most this page takes is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split the export into smaller files.`, 413);
  const handler = unstable_createFileUploadHandler({
    directory: await privateUploadsDirectory(),
    maxPartSize: MAX_UPLOAD_BYTES,
    avoidFileConflicts: true,
    filter: ({ name }) => name === "file",
  });
  // The stored file gets a name of its own; the page shows the name it was sent with.
  let sentName = "";
  let form: FormData;
  // Files written before the form turned out to be broken hold responses: none is left behind.
  const written: NodeOnDiskFile[] = [];
  try {
    form = await unstable_parseMultipartFormData(request, async (part) => {
      if (part.name === "file") sentName = part.filename ?? "";
      const file = await handler(part);
      if (file instanceof NodeOnDiskFile) written.push(file);
      return file;
    });
  } catch (error) {
    await Promise.all(written.map((file) => file.remove().catch(() => {})));
    if (error instanceof MaxPartSizeExceededError) return failure(`The file is too large: the most this page takes is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split the export into smaller files.`, 413);
    return failure("The upload could not be read: its encoding is broken. Try again.");
  }
  const file = form.get("file") as NodeOnDiskFile | string | null;
  if (!file || typeof file === "string" || file.size === 0) {
    if (file && typeof file !== "string") await file.remove().catch(() => {});
    return failure("Choose a CSV or XLSX file to upload.");
  }
  const kept = await keepUpload(user, consultation.id, file.getFilePath(), sentName || "export");
  if (!kept.ok) return failure(sentence(`The file ${kept.problem.message}`));
  return redirect(`/consultations/${consultation.id}/import/map?upload=${kept.token}`, { headers: PRIVATE });
}

const OUTCOME: Record<string, (i: { imported: number; present: number; problems: number }) => string> = {
  checking: () => "Checking the rows",
  importing: () => "Storing the responses",
  done: (i) => `Imported ${i.imported.toLocaleString("en-GB")}, ${i.present.toLocaleString("en-GB")} already present`,
  failed: (i) => `Nothing imported: ${i.problems.toLocaleString("en-GB")} ${i.problems === 1 ? "problem" : "problems"}`,
  stopped: () => "Stopped when the service restarted; nothing imported",
};

export default function ImportUpload() {
  const { consultation, limitMiB, imports } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const error = result && "error" in result ? result.error : undefined;
  return (
    <>
      <Breadcrumbs items={[{ href: "/consultations", text: "Consultations" }, { href: `/consultations/${consultation.id}`, text: consultation.title }]} />
      <h1>Import responses</h1>
      <ErrorSummary errors={error ? [{ href: "#file", text: error }] : []} />
      <p>Import responses collected by another tool, such as an online survey, as one row per respondent with a header row.</p>
      <p>Next you will see the first rows and say what each column holds. Nothing is imported until you confirm, and a file with a problem in any row imports nothing.</p>
      <Form method="post" encType="multipart/form-data" className="sw-narrow-form">
        <div className={groupClass(error)}>
          <label className="nhsuk-label" htmlFor="file">
            Upload a file
          </label>
          <div className="nhsuk-hint" id="file-hint">
            A CSV file saved as UTF-8, or an Excel workbook (.xlsx), up to {limitMiB} MB. Only the first worksheet is read.
          </div>
          <FieldError id="file" message={error} />
          <input className={`nhsuk-file-upload${error ? " nhsuk-file-upload--error" : ""}`} id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby={`file-hint${error ? " file-error" : ""}`} />
        </div>
        <button className="nhsuk-button" type="submit">
          Upload and continue
        </button>
      </Form>
      <h2>Earlier imports</h2>
      {imports.length === 0 ? (
        <p>No files have been imported into this consultation yet.</p>
      ) : (
        <ResponsiveTable
          caption="The latest imports into this consultation"
          headings={["File", "Started", "Outcome"]}
          rows={imports.map((i) => ({
            key: i.id,
            cells: [
              <a key="file" href={`/consultations/${consultation.id}/import/${i.id}`}>
                {i.fileName}
              </a>,
              i.at,
              (OUTCOME[i.status] ?? OUTCOME.stopped!)(i),
            ],
          }))}
        />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
