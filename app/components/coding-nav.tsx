// The staff pages about a consultation's responses, as one set of links at the top of each.
import { can, type Role } from "~/domain/permissions";

const PAGES = [
  { path: "responses", text: "Responses", action: "readResponses" },
  { path: "coding", text: "Coding queue", action: "codeResponses" },
  { path: "coding/groups", text: "Uncoded responses by shared words", action: "readResponses" },
  { path: "agreement", text: "Agreement between coders", action: "readResponses" },
  { path: "moderation", text: "Moderation", action: "moderateResponses" },
] as const;

export function CodingNav({ consultationId, title, role, current }: { consultationId: string; title: string; role: Role; current: (typeof PAGES)[number]["path"] }) {
  const base = `/consultations/${encodeURIComponent(consultationId)}`;
  return (
    <>
      <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
        <ol className="nhsuk-breadcrumb__list">
          <li className="nhsuk-breadcrumb__list-item">
            <a className="nhsuk-breadcrumb__link" href={base}>
              {title}
            </a>
          </li>
        </ol>
      </nav>
      <nav className="sw-coding-nav" aria-label="Responses and coding">
        <ul className="sw-coding-nav__list">
          {PAGES.filter((p) => can(role, p.action)).map((p) => (
            <li key={p.path}>
              {p.path === current ? <span aria-current="page">{p.text}</span> : <a href={`${base}/${p.path}`}>{p.text}</a>}
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}
