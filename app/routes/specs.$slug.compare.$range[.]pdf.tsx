// /specs/:slug/compare/:from...:to.pdf — the changes between two published versions as a tagged PDF.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPage } from "~/components/error-page";
import { compareFilePdf } from "~/exports/compare-files.server";
import { compareDownload, PDF_TYPE } from "~/exports/download-route.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => compareDownload(request, params, { type: PDF_TYPE, extension: ".pdf", write: compareFilePdf });

// The file is answered by entry.server before rendering; only a refusal renders.
export default function ComparePdf() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
