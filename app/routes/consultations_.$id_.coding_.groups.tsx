// Uncoded responses grouped by the words they share (/consultations/:id/coding/groups), so that
// staff can see what the themes miss and propose a new theme from a group.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CodingNav } from "~/components/coding-nav";
import { ErrorPage } from "~/components/error-page";
import { can } from "~/domain/permissions";
import { getDatabase } from "~/models/app-database.server";
import { uncodedGroups } from "~/models/coding-queue.server";
import { staffConsultation } from "~/staff-consultation.server";

export const meta: MetaFunction = () => [{ title: "Uncoded responses by shared words – Specwork" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, consultation } = await staffConsultation(request, params.id, "readResponses");
  const { uncoded, grouped, groups } = await uncodedGroups(await getDatabase(), consultation.id);
  return {
    consultation: { id: consultation.id, title: consultation.title },
    role: user.role,
    mayCode: can(user.role, "codeResponses"),
    mayAddTheme: can(user.role, "manageThemes"),
    uncoded,
    grouped,
    groups: groups.map((g) => ({ words: g.terms.map((t) => t.word), count: g.count, excerpts: g.excerpts })),
  };
}

/** A starting title and description for a theme proposed from a group's words. */
export function proposal(words: readonly string[], count: number): { title: string; description: string } {
  const list = words.length > 1 ? `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}` : (words[0] ?? "");
  return {
    title: list.charAt(0).toUpperCase() + list.slice(1),
    description: `${count} ${count === 1 ? "response" : "responses"} not yet coded to any theme mention ${list}. Say here what they said.`,
  };
}

export default function Groups() {
  const { consultation, role, mayCode, mayAddTheme, uncoded, grouped, groups } = useLoaderData<typeof loader>();
  const base = `/consultations/${encodeURIComponent(consultation.id)}`;
  return (
    <>
      <CodingNav consultationId={consultation.id} title={consultation.title} role={role} current="coding/groups" />
      <h1>Uncoded responses by shared words</h1>
      <p>
        Responses not yet coded to any theme, grouped by the words many of them use. A large group may be something the themes do not cover yet. {uncoded.toLocaleString("en-GB")}{" "}
        {uncoded === 1 ? "response is" : "responses are"} not yet coded.
        {grouped < uncoded ? ` The groups are made from the first ${grouped.toLocaleString("en-GB")} of them; code some to see the rest grouped.` : ""}
      </p>
      {groups.length === 0 ? (
        <p>{uncoded === 0 ? "Every response is coded to at least one theme." : "No words are shared by three or more uncoded responses, so there are no groups to show."}</p>
      ) : (
        groups.map((g, i) => {
          const proposed = proposal(g.words, g.count);
          return (
            <section className="sw-group" key={g.words.join(" ")} aria-labelledby={`sw_group-${i}`}>
              <h2 className="nhsuk-heading-m" id={`sw_group-${i}`}>
                {g.words.join(", ")}
              </h2>
              <p>
                {g.count.toLocaleString("en-GB")} {g.count === 1 ? "response" : "responses"}
                {g.count > g.excerpts.length ? `, of which the first ${g.excerpts.length} are:` : ":"}
              </p>
              <ul className="nhsuk-list">
                {g.excerpts.map((e) => (
                  <li key={e.id}>
                    <blockquote className="sw-answer">
                      <p>{e.text}</p>
                      <footer>{mayCode ? <a href={`${base}/coding?response=${e.id}`}>Code response {e.reference}</a> : `Response ${e.reference}`}</footer>
                    </blockquote>
                  </li>
                ))}
              </ul>
              {mayAddTheme ? (
                <p>
                  <a href={`/admin/themes?${new URLSearchParams(proposed).toString()}`}>
                    Propose a new theme from these<span className="nhsuk-u-visually-hidden">: {g.words.join(", ")}</span>
                  </a>
                </p>
              ) : (
                <p>To add a theme from this group, ask an admin: they can start from the words “{proposed.title}”.</p>
              )}
            </section>
          );
        })
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
