// /specs/:slug/v/:version.docx — a published version as a clean Word document.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPage } from "~/components/error-page";
import { DOCX_TYPE, versionDownload } from "~/exports/download-route.server";
import { versionDocx, versionDocxName } from "~/exports/version-docx.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => versionDownload(request, params, { type: DOCX_TYPE, name: versionDocxName, write: versionDocx });

// The file is answered by entry.server before rendering; only a refusal renders.
export default function VersionDocx() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
