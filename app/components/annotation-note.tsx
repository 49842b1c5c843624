// One annotation as a list of them shows it: who and where, the words it quotes, what it says.

/** One annotation in a list: who and where, the words it quotes, and what it says. */
export function AnnotationNote({ meta, quote, body }: { meta: React.ReactNode; quote: string | null; body: string }) {
  return (
    <li className="sw-annotation">
      <p className="sw-annotation__meta">{meta}</p>
      {quote ? <blockquote className="sw-said__quote">{quote}</blockquote> : null}
      <p>{body}</p>
    </li>
  );
}
