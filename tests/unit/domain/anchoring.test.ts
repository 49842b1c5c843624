import { describe, expect, it } from "vitest";
import { editDistance, makeAnchor, reanchor } from "~/domain/anchoring";
import type { DocJSON } from "~/domain/schema";
import { buildCorpus, scoreCorpus } from "../../bench/anchoring-corpus";
import { clause, doc, section } from "../builders";

const TEXT = "Treatment is delivered at fixed centres. Each centre must publish its opening hours.";
const from = doc(section("s", "S", clause("c-provision", TEXT), clause("c-other", "Transport advice is offered.")));
const anchorOn = (quote: string, id = "a1") => makeAnchor(id, "c-provision", TEXT, TEXT.indexOf(quote), TEXT.indexOf(quote) + quote.length);
const place = (to: DocJSON, quote = "fixed centres") => reanchor([anchorOn(quote)], from, to)[0];

describe("carrying an annotation to another version", () => {
  it("makes the contract's anchor: offsets in UTF-16 units, quote, and 32 characters either side", () => {
    expect(anchorOn("fixed centres")).toEqual({
      id: "a1",
      clauseId: "c-provision",
      start: 26,
      end: 39,
      quote: "fixed centres",
      prefix: "Treatment is delivered at ",
      suffix: ". Each centre must publish its o",
    });
  });

  it("is exact when the quote stands where it stood", () => {
    expect(place(from)).toEqual({ id: "a1", status: "exact", clauseId: "c-provision", start: 26, end: 39 });
  });

  it("is exact when only the clause's number changed", () => {
    const to = doc(section("s", "S", clause("c-new", "A new first clause."), clause("c-provision", TEXT), clause("c-other", "Transport advice is offered.")));
    expect(place(to)).toMatchObject({ status: "exact", start: 26, end: 39 });
  });

  it("shifts with edits before the quote", () => {
    const to = doc(section("s", "S", clause("c-provision", `Radiotherapy treatment ${TEXT.slice(10)}`)));
    expect(place(to)).toEqual({ id: "a1", status: "shifted", clauseId: "c-provision", start: 39, end: 52 });
  });

  it("follows a small edit of the quote itself", () => {
    const to = doc(section("s", "S", clause("c-provision", TEXT.replace("fixed centres", "fixed Centres"))));
    expect(place(to)).toEqual({ id: "a1", status: "shifted", clauseId: "c-provision", start: 26, end: 39 });
  });

  it("finds the quote moved within its clause", () => {
    const to = doc(section("s", "S", clause("c-provision", "Each centre must publish its opening hours. Treatment is delivered at fixed centres.")));
    expect(place(to)).toEqual({ id: "a1", status: "shifted", clauseId: "c-provision", start: 70, end: 83 });
  });

  it("moves with its text into the clause that took it over when the clause was split", () => {
    const to = doc(section("s", "S", clause("c-provision", "Treatment is delivered at fixed centres."), clause("c-hours", "Each centre must publish its opening hours.")));
    expect(place(to, "publish its opening hours")).toEqual({ id: "a1", status: "moved", clauseId: "c-hours", start: 17, end: 42 });
  });

  it("is orphaned when its clause is deleted", () => {
    expect(place(doc(section("s", "S", clause("c-other", "Transport advice is offered."))))).toEqual({ id: "a1", status: "orphaned", clauseId: null, start: null, end: null });
  });

  it("never jumps to a lookalike in a clause that was already there", () => {
    const fromTwin = doc(section("s", "S", clause("c-provision", TEXT), clause("c-other", "Some services use fixed centres too.")));
    const to = doc(section("s", "S", clause("c-provision", "Treatment is delivered in each network. Each centre must publish its opening hours."), clause("c-other", "Some services use fixed centres too.")));
    expect(reanchor([anchorOn("fixed centres")], fromTwin, to)[0]!.status).toBe("orphaned");
  });

  it("never jumps to a lookalike elsewhere in its own clause when its own words are gone", () => {
    const twin = `${TEXT} Other fixed centres also exist.`;
    const fromTwin = doc(section("s", "S", clause("c-provision", twin)));
    const anchor = makeAnchor("a1", "c-provision", twin, twin.indexOf("fixed centres"), twin.indexOf("fixed centres") + 13);
    const to = doc(section("s", "S", clause("c-provision", twin.replace("delivered at fixed centres", "delivered across the network"))));
    expect(reanchor([anchor], fromTwin, to)[0]!.status).toBe("orphaned");
  });

  it("keeps a whole-clause annotation on its clause while the clause exists", () => {
    expect(reanchor([{ id: "w", clauseId: "c-other" }], from, from)).toEqual([{ id: "w", status: "exact", clauseId: "c-other", start: null, end: null }]);
  });

  it("counts UTF-16 code units, as JavaScript does, for emoji and accents", () => {
    const text = "Zoë said 🙂 fixed centres work.";
    const accented = doc(section("s", "S", clause("c", text)));
    const anchor = makeAnchor("e", "c", text, text.indexOf("fixed"), text.indexOf("fixed") + 13);
    expect(anchor.start).toBe(12);
    const to = doc(section("s", "S", clause("c", `Now ${text}`)));
    expect(reanchor([anchor], accented, to)[0]).toMatchObject({ status: "shifted", start: 16, end: 29 });
  });

  it("measures edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});

describe("the anchoring corpus", () => {
  it("keeps every anchor in unchanged text, places at least 95% of slightly edited quotes, and never places one wrongly", () => {
    const score = scoreCorpus(buildCorpus(1000));
    console.log(
      `anchoring corpus: ${score.cases} cases; unchanged text kept ${(score.unchangedSurvival * 100).toFixed(1)}%; ` +
        `quotes changed ≤10% placed ${(score.smallEditPlacement * 100).toFixed(1)}%; wrong placements ${score.wrongPlacements}`,
    );
    expect(score.cases).toBeGreaterThanOrEqual(1000);
    expect(score.unchangedSurvival).toBe(1);
    expect(score.smallEditPlacement).toBeGreaterThanOrEqual(0.95);
    expect(score.wrongPlacements).toBe(0);
  }, 60_000);
});
