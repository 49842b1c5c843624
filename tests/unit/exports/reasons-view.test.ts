// Why a change was made, as the compare page shows it: one reason as it is; reasons recorded in
// several versions each with the version it came from; else why none is needed.
import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RevisionSummaries } from "~/components/revision-summary";
import { Why } from "~/components/redline-view";

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
const travel = { code: "T01", title: "Travel and access" };

describe("why a change was made", () => {
  it("gives a single reason as it is, with its themes", () => {
    const html = renderToStaticMarkup(h(Why, { reasons: [{ version: "1.0", rationale: "Treatment stays local.", themes: [travel] }] }));
    expect(text(html)).toBe("Why: Treatment stays local. In response to: T01 Travel and access");
    expect(html).toContain('href="/themes/T01"');
  });

  it("names the version of each reason when the comparison spans several, oldest first", () => {
    const html = renderToStaticMarkup(
      h(Why, {
        byVersion: true,
        reasons: [
          { version: "1.0", rationale: "Treatment stays local.", themes: [travel] },
          { version: "1.1", rationale: "Advice within two days.", themes: [] },
        ],
      }),
    );
    expect(text(html)).toBe("Why: In version 1.0: Treatment stays local. In response to: T01 Travel and access In version 1.1: Advice within two days.");
  });

  it("says why none is needed when only the number changed, and otherwise that none was recorded", () => {
    expect(text(renderToStaticMarkup(h(Why, { reasons: [], noReason: "Only its number changed, because a clause was added before it." })))).toBe("Why: Only its number changed, because a clause was added before it.");
    expect(text(renderToStaticMarkup(h(Why, { reasons: [] })))).toBe("Why: No reason was recorded for this change.");
  });
});

describe("the revision summary", () => {
  it("shows one revision's summary in brief, and each version's under its own heading for a longer range", () => {
    const one = renderToStaticMarkup(h(RevisionSummaries, { revisions: [{ number: "1.0", label: "Consultation draft", date: "2017-10-18", summary: "We changed less." }] }));
    expect(text(one)).toBe("In brief: We changed less.");
    const two = renderToStaticMarkup(
      h(RevisionSummaries, {
        revisions: [
          { number: "1.0", label: "Consultation draft", date: "2017-10-18", summary: "We changed less." },
          { number: "1.1", label: null, date: null, summary: "" },
          { number: "2.0", label: null, date: "2018-03-01", summary: "Faster advice.\n\nAnd a second paragraph." },
        ],
      }),
    );
    expect(text(two)).toBe("In brief Version 1.0 – Consultation draft (18 October 2017) We changed less. Version 2.0 (1 March 2018) Faster advice. And a second paragraph.");
    expect(renderToStaticMarkup(h(RevisionSummaries, { revisions: [{ number: "1.1", label: null, date: null, summary: " " }] }))).toBe("");
  });
});
