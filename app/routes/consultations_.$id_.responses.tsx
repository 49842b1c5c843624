// A consultation's responses for staff (/consultations/:id/responses): a page at a time,
// filtered by whether they are coded and by theme, each linking to the coding queue.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CodingNav } from "~/components/coding-nav";
import { ErrorPage } from "~/components/error-page";
import { Pagination } from "~/components/pagination";
import { ResponsiveTable } from "~/components/table";
import { Select } from "~/components/fields";
import { CAPACITY_TEXT, CONSENT_TEXT, MODERATION_TEXT } from "~/domain/consultations";
import { londonDate } from "~/domain/london-time";
import { can } from "~/domain/permissions";
import { getDatabase } from "~/models/app-database.server";
import { codingThemes, listResponses } from "~/models/coding-queue.server";
import { responseCounts } from "~/models/consultation-responses.server";
import { staffConsultation } from "~/staff-consultation.server";

export const meta: MetaFunction = () => [{ title: "Responses – Specwork" }];

// A filter that makes no sense is ignored rather than refused: the page still lists responses.
const FilterSchema = z.object({
  coded: z.enum(["coded", "uncoded"]).nullable().catch(null),
  theme: z.string().regex(/^[A-Z][A-Z0-9-]{0,19}$/).nullable().catch(null),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, consultation } = await staffConsultation(request, params.id, "readResponses");
  const url = new URL(request.url);
  const filter = FilterSchema.parse({ coded: url.searchParams.get("coded") || null, theme: url.searchParams.get("theme") || null, page: url.searchParams.get("page") ?? 1 });
  const db = await getDatabase();
  const themes = await codingThemes(db);
  const theme = themes.some((t) => t.code === filter.theme) ? filter.theme : null;
  const [list, counts] = await Promise.all([listResponses(db, consultation.id, { ...filter, theme }), responseCounts(db, consultation.id)]);
  return { consultation: { id: consultation.id, title: consultation.title }, role: user.role, mayCode: can(user.role, "codeResponses"), filter: { ...filter, theme, page: Math.min(filter.page, list.pages) }, themes, list, counts };
}

export default function Responses() {
  const { consultation, role, mayCode, filter, themes, list, counts } = useLoaderData<typeof loader>();
  const base = `/consultations/${encodeURIComponent(consultation.id)}`;
  const query = (page: number) => {
    const q = new URLSearchParams();
    if (filter.coded) q.set("coded", filter.coded);
    if (filter.theme) q.set("theme", filter.theme);
    if (page > 1) q.set("page", String(page));
    const text = q.toString();
    return `${base}/responses${text ? `?${text}` : ""}`;
  };
  const title = (code: string) => themes.find((t) => t.code === code)?.title ?? code;
  return (
    <>
      <CodingNav consultationId={consultation.id} title={consultation.title} role={role} current="responses" />
      <h1>Responses</h1>
      <p>Responses are personal data: only staff see this page. Email addresses and names are never shown here.</p>
      <dl className="nhsuk-summary-list sw-counts">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Responses received</dt>
          <dd className="nhsuk-summary-list__value">{counts.total.toLocaleString("en-GB")}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Coded to at least one theme</dt>
          <dd className="nhsuk-summary-list__value">{counts.coded.toLocaleString("en-GB")}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Not yet coded</dt>
          <dd className="nhsuk-summary-list__value">{(counts.total - counts.coded).toLocaleString("en-GB")}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Waiting for moderation</dt>
          <dd className="nhsuk-summary-list__value">{counts.pendingModeration.toLocaleString("en-GB")}</dd>
        </div>
      </dl>
      <form method="get" className="sw-compare-form" aria-label="Filter the responses">
        <Select
          id="sw_filter-coded"
          name="coded"
          label="Coding"
          defaultValue={filter.coded ?? ""}
          options={[
            { value: "", text: "Coded or not" },
            { value: "coded", text: "Coded" },
            { value: "uncoded", text: "Not yet coded" },
          ]}
        />
        <Select id="sw_filter-theme" name="theme" label="Theme" defaultValue={filter.theme ?? ""} options={[{ value: "", text: "Any theme" }, ...themes.map((t) => ({ value: t.code, text: `${t.code} ${t.title}` }))]} />
        <div className="nhsuk-form-group">
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Filter
          </button>
        </div>
      </form>
      {list.rows.length === 0 ? (
        <p>No responses match. {filter.coded || filter.theme ? <a href={`${base}/responses`}>Show every response</a> : null}</p>
      ) : (
        <ResponsiveTable
          className="sw-responses"
          caption={`${list.matching.toLocaleString("en-GB")} ${list.matching === 1 ? "response matches" : "responses match"}${list.pages > 1 ? ` (page ${filter.page} of ${list.pages})` : ""}`}
          headings={["Reference", "Submitted", "Capacity", "Audience", "Consent", "Moderation", "Themes"]}
          rows={list.rows.map((r) => ({
            key: r.id,
            cells: [
              mayCode ? (
                <a href={`${base}/coding?response=${r.id}`}>
                  {r.reference}
                  <span className="nhsuk-u-visually-hidden">: code this response</span>
                </a>
              ) : (
                r.reference
              ),
              londonDate(r.submittedAt),
              CAPACITY_TEXT[r.capacity],
              r.audience ?? "Not given",
              CONSENT_TEXT[r.consent],
              r.consent === "none" ? "Not to be published" : MODERATION_TEXT[r.moderation],
              r.themes.length ? r.themes.map((code) => `${code} ${title(code)}`).join("; ") : "Not yet coded",
            ],
          }))}
        />
      )}
      <Pagination page={filter.page} pages={list.pages} href={query} label="Pages of responses" />
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
