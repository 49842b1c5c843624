// /specs/:slug/compare/:from...:to.docx — the tracked changes as a Word document: each change by
// whoever wrote it and when, each reason a Word comment on its change. (This route answers before
// the compare page's own .docx branch, which it replaces.)
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPage } from "~/components/error-page";
import { compareDocx } from "~/exports/compare-files.server";
import { compareDownload, DOCX_TYPE } from "~/exports/download-route.server";

export const loader = ({ request, params }: LoaderFunctionArgs) => compareDownload(request, params, { type: DOCX_TYPE, extension: ".docx", write: compareDocx });

// The file is answered by entry.server before rendering; only a refusal renders.
export default function CompareDocx() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
