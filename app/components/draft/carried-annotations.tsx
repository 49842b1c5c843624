// Annotations people made on published versions, shown where they fall in a draft.
import { AnnotationNote } from "~/components/annotation-note";

export interface CarriedNote {
  id: number;
  fromVersion: string;
  placement: string;
  number: string | null;
  quote: string | null;
  body: string;
  author: string;
  visibility: string;
  themes: string[];
}

export function CarriedAnnotations({ carried }: { carried: CarriedNote[] }) {
  if (!carried.length) return null;
  return (
    <section aria-labelledby="sw_carried">
      <h2 id="sw_carried">Annotations on published versions</h2>
      <p>Where each annotation falls in this draft. An orphaned one lost its words in the draft.</p>
      <ul className="sw-annotations__list">
        {carried.map((a) => (
          <AnnotationNote
            key={`${a.fromVersion}-${a.id}`}
            meta={`${a.number ? `Clause ${a.number}` : "Orphaned"} · from ${a.author} on version ${a.fromVersion} · ${a.placement}${a.visibility === "staff" ? " · staff only" : ""}${a.themes.length ? ` · ${a.themes.join(", ")}` : ""}`}
            quote={a.quote}
            body={a.body}
          />
        ))}
      </ul>
    </section>
  );
}
