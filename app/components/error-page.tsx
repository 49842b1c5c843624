// What any route shows when its loader refuses or fails: the reason in words and a link back.
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { ErrorInfo } from "~/http.server";

function isErrorInfo(value: unknown): value is ErrorInfo {
  return typeof value === "object" && value !== null && "message" in value && "back" in value;
}

/** What any route shows when its loader refuses: the reason in words, and a link back. */
export function ErrorPage() {
  const error = useRouteError();
  let status = 500;
  let info: ErrorInfo = {
    title: "Sorry, there is a problem with the service",
    message: "Something went wrong on our side. Try again later.",
    back: { href: "/", text: "Go to the list of specifications" },
  };
  if (isRouteErrorResponse(error)) {
    status = error.status;
    if (isErrorInfo(error.data)) info = error.data;
    else if (status === 404) info = { ...info, title: "Page not found", message: "There is no page at this address." };
    else info = { ...info, title: `${status} ${error.statusText}`, message: String(error.data ?? "") };
  } else if (error instanceof Error) {
    console.error(error);
  }
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>{info.title}</h1>
        <p data-status={status}>{info.message}</p>
        <p>
          <a href={info.back.href}>{info.back.text}</a>
        </p>
      </div>
    </div>
  );
}
