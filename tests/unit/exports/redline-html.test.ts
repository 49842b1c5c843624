import { describe, expect, it } from "vitest";
import { describeFormatting } from "~/components/redline-view";
import { redline, redlineRows } from "~/domain/redline";
import type { DocJSON } from "~/domain/schema";
import { redlineHtml } from "~/exports/redline-html";
import { clause, doc, em, li, link, p, section, strong, ul } from "../builders";
import { HAND_MADE } from "./pairs";

function html(from: DocJSON, to: DocJSON): string {
  const result = redline({ version: "1", doc: from }, { version: "2", doc: to });
  return redlineHtml({ title: "Sample", redline: result, rows: redlineRows(result, from, to), stylesheetPath: "app/styles/specwork.css" });
}

/** The markup of the whole-document view, where every item stands. */
const wholeDocument = (page: string) => page.slice(page.indexOf("<h2>The whole document"));

describe("formatting changes on the compare page and in the HTML file", () => {
  const pair = HAND_MADE.find((p) => p.name.startsWith("formatting only"))!;
  const page = html(pair.from, pair.to);

  it("lists a clause whose only change is formatting among the changes, tagged as such", () => {
    expect(page).toContain('<a href="#c_g">1.2 S: See the dataset for details.</a> <span class="sw-change-list__what"><strong class="nhsuk-tag nhsuk-tag--yellow">Formatting changed</strong></span>');
    expect(page).toMatch(/<dt>Formatting changed<\/dt><dd>2<\/dd>/);
    // The contract's counts are unchanged: the words of both clauses are the same.
    expect(page).toMatch(/<dt>Not changed<\/dt><dd>3<\/dd>/);
  });

  it("marks the text with a dotted underline and words for screen readers, and says what changed", () => {
    const body = wholeDocument(page);
    expect(body).toContain('<span class="sw-format-change"><span class="nhsuk-u-visually-hidden">[formatting changed: </span>must<span class="nhsuk-u-visually-hidden">]</span></span>');
    expect(body).toContain("<li>“must”: no longer bold, now in italics.</li>");
    expect(body).toContain("<li>“NICE guidance”: now links to https://www.nice.org.uk/guidance instead of https://www.nice.org.uk/.</li>");
    expect(body).toContain("<li>“national strategy”: no longer in italics, now links to https://www.england.nhs.uk/.</li>");
    expect(body).toContain("<li>“the dataset”: no longer links to https://example.org/old.</li>");
    expect(body).toContain("<li>“details”: now bold.</li>");
  });

  it("says which versions it compares in words, without content hashes", () => {
    expect(page).toContain("<p>What changed from version 1 to version 2.</p>");
    expect(page).not.toContain("sha256");
  });

  it("escapes the words and addresses it describes", () => {
    const from = doc(section("s", "S", clause("c", p("See <b>x</b> & ", link("y", "https://example.org/a?b=1&c=<2>")))));
    const to = doc(section("s", "S", clause("c", p("See ", strong("<b>x</b>"), " & ", link("y", "https://example.org/a?b=1&c=<3>")))));
    const body = wholeDocument(html(from, to));
    expect(body).toContain("“&lt;b&gt;x&lt;/b&gt;”: now bold.");
    expect(body).toContain("now links to https://example.org/a?b=1&amp;c=&lt;3&gt; instead of");
    expect(body).not.toContain("<b>x</b>");
  });

  it("shows formatting changed inside a list item, beside words that changed", () => {
    const from = doc(section("s", "S", clause("c", p("Uses:"), ul(li("to cure;"), li("to relieve.")))));
    const to = doc(section("s", "S", clause("c", p("Uses:"), ul(li(em("to cure;")), li("to ease.")))));
    const body = wholeDocument(html(from, to));
    expect(body).toContain('• <span class="sw-format-change"><span class="nhsuk-u-visually-hidden">[formatting changed: </span>to cure;<span class="nhsuk-u-visually-hidden">]</span></span>');
    expect(body).toContain('<strong class="nhsuk-tag nhsuk-tag--blue">Changed</strong>');
    expect(body).toContain("<li>“to cure;”: now in italics.</li>");
  });
});

describe("describing a formatting change", () => {
  const change = (fromMarks: object[], toMarks: object[]) => describeFormatting({ text: " host ", from: { start: 0, end: 6, marks: fromMarks as never }, to: { start: 0, end: 6, marks: toMarks as never } });

  it("says what was added and what went, in plain words", () => {
    expect(change([], [{ type: "strong" }, { type: "em" }])).toBe("“host”: now bold, now in italics");
    expect(change([{ type: "link", attrs: { href: "mailto:a@example.org" } }], [])).toBe("“host”: no longer links to mailto:a@example.org");
  });
});
