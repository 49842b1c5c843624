// /specs/:slug/v/:version.pdf — a published version as a tagged, accessible PDF.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPage } from "~/components/error-page";
import { PDF_TYPE, versionDownload } from "~/exports/download-route.server";
import { versionPdf, versionPdfName } from "~/exports/version-pdf.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => versionDownload(request, params, { type: PDF_TYPE, name: versionPdfName, write: versionPdf });

// The file is answered by entry.server before rendering; only a refusal renders.
export default function VersionPdf() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
