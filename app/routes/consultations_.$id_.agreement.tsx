// Agreement between the first and second codings of the sample (/consultations/:id/agreement):
// Cohen's kappa per theme and overall, with the counts behind each figure, in plain words.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CodingNav } from "~/components/coding-nav";
import { ErrorPage } from "~/components/error-page";
import { ResponsiveTable } from "~/components/table";
import { kappaText } from "~/domain/coding";
import { getDatabase } from "~/models/app-database.server";
import { agreement } from "~/models/coding-queue.server";
import { staffConsultation } from "~/staff-consultation.server";

export const meta: MetaFunction = () => [{ title: "Agreement between coders – Specwork" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, consultation } = await staffConsultation(request, params.id, "readResponses");
  return { consultation: { id: consultation.id, title: consultation.title, doubleCodePercent: consultation.doubleCodePercent }, role: user.role, agreement: await agreement(await getDatabase(), consultation) };
}

const figure = (kappa: number | null) => (kappa === null ? "–" : kappa.toFixed(2));

export default function Agreement() {
  const { consultation, role, agreement: a } = useLoaderData<typeof loader>();
  const base = `/consultations/${encodeURIComponent(consultation.id)}`;
  return (
    <>
      <CodingNav consultationId={consultation.id} title={consultation.title} role={role} current="agreement" />
      <h1>Agreement between coders</h1>
      <p>
        About {consultation.doubleCodePercent}% of coded responses are chosen for a second, independent coding by someone who cannot see the first. Comparing the two shows whether
        the themes are clear enough for different people to apply them the same way.
      </p>
      <p>
        The figure used is Cohen’s kappa. For each theme it compares how often the two coders agreed (both gave the theme, or neither did) with how often they would agree by
        chance. 1 means they always agreed, 0 means no better than chance, and below 0 worse than chance. As a rule of thumb, above 0.8 is almost perfect, 0.6 to 0.8
        substantial, 0.4 to 0.6 moderate, and below 0.4 a sign that the theme needs a clearer description or that coders need to talk it through.
      </p>
      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>
          {a.responses === 0 ? (
            <>No response has been coded twice yet, so there is nothing to compare.</>
          ) : (
            <>
              Overall agreement over {a.responses.toLocaleString("en-GB")} {a.responses === 1 ? "response" : "responses"} coded twice (of {a.sample.toLocaleString("en-GB")} in the
              sample): kappa <strong data-overall-kappa="">{figure(a.overall.kappa)}</strong>, {kappaText(a.overall.kappa)}.
            </>
          )}{" "}
          <a href={`${base}/coding?pass=2`}>Do the second coding</a>
        </p>
      </div>
      {a.responses > 0 ? (
        <ResponsiveTable
          className="sw-agreement"
          caption="Agreement by theme"
          headings={["Theme", "First coding gave it", "Second coding gave it", "Both agreed", "Kappa", "Reading"]}
          rows={a.themes.map((t) => ({
            key: t.code,
            cells: [
              `${t.code} ${t.title}`,
              t.first.toLocaleString("en-GB"),
              t.second.toLocaleString("en-GB"),
              `${t.agreed.toLocaleString("en-GB")} of ${t.responses.toLocaleString("en-GB")}`,
              figure(t.kappa),
              t.kappa === null ? "Not measurable: neither coding gave this theme, or both gave it to every response" : kappaText(t.kappa),
            ],
          }))}
        />
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
