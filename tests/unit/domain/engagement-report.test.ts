import { describe, expect, it } from "vitest";
import { cohensKappa, termsOf } from "~/domain/coding";
import { excerptFor, kappaFromCounts, leadingStance, notChanged, orderThemes, percentText, shorten, stanceMixText } from "~/domain/engagement-report";

describe("the engagement report's arithmetic", () => {
  it("orders themes by how many raised them, then by code", () => {
    expect(orderThemes([{ code: "T02", responses: 5 }, { code: "T03", responses: 9 }, { code: "T01", responses: 5 }]).map((t) => t.code)).toEqual(["T03", "T01", "T02"]);
  });

  it("writes shares as whole percentages, and a small share as less than 1%", () => {
    expect(percentText(85, 360)).toBe("24%");
    expect(percentText(1, 360)).toBe("less than 1%");
    expect(percentText(0, 360)).toBe("0%");
    expect(percentText(3, 0)).toBe("0%");
  });

  it("says the stance mix in words, largest first, and finds the leading stance", () => {
    expect(stanceMixText({ supports: 2, opposes: 30, mixed: 12, unclear: 0 })).toBe("30 opposed the proposals, 12 had mixed views and 2 supported the proposals.");
    expect(stanceMixText({ supports: 1, opposes: 0, mixed: 0, unclear: 0 })).toBe("1 supported the proposals.");
    expect(stanceMixText({ supports: 0, opposes: 0, mixed: 0, unclear: 0 })).toBe("No stance was recorded.");
    expect(leadingStance({ supports: 2, opposes: 30, mixed: 12, unclear: 0 })).toBe("opposes");
    expect(leadingStance({ supports: 0, opposes: 0, mixed: 0, unclear: 0 })).toBeNull();
  });

  it("gives the same kappa from counts as from the pairs they count", () => {
    const pairs: [boolean, boolean][] = [...Array(20).fill([true, true]), ...Array(5).fill([true, false]), ...Array(3).fill([false, true]), ...Array(72).fill([false, false])];
    const expected = cohensKappa(pairs).kappa!;
    expect(kappaFromCounts(100, 25, 23, 20)).toBeCloseTo(expected, 12);
    expect(kappaFromCounts(0, 0, 0, 0)).toBeNull();
    expect(kappaFromCounts(10, 10, 10, 10)).toBeNull();
  });

  it("takes the sentence that says most about a theme, or the first sentence, scoring nothing, when none does", () => {
    const terms = new Set(termsOf("Transport, parking and accommodation costs").map((t) => t.stem));
    expect(excerptFor("Thank you. Parking costs a fortune over four weeks. I hope this helps.", terms, termsOf)).toEqual({ text: "Parking costs a fortune over four weeks.", score: 2 });
    expect(excerptFor("A coder saw the theme here. Nothing else.", terms, termsOf)).toEqual({ text: "A coder saw the theme here.", score: 0 });
    expect(excerptFor("   ", terms, termsOf)).toBeNull();
  });

  it("lists as unchanged the themes not adopted, and those without a change unless adopted", () => {
    const decision = (d: "adopted" | "partly-adopted" | "not-adopted") => ({ decision: d, reason: "R" });
    const change = [{}] as never[];
    const themes = [
      { id: "adopted, changed", changes: change, decision: decision("adopted") },
      { id: "adopted, no change yet", changes: [], decision: decision("adopted") },
      { id: "partly, no change", changes: [], decision: decision("partly-adopted") },
      { id: "not adopted, changed anyway", changes: change, decision: decision("not-adopted") },
      { id: "undecided, no change", changes: [], decision: null },
    ];
    expect(notChanged(themes).map((t) => t.id)).toEqual(["partly, no change", "not adopted, changed anyway", "undecided, no change"]);
  });

  it("calls a tie at the top mixed", () => {
    expect(leadingStance({ supports: 0, opposes: 1, mixed: 0, unclear: 1 })).toBe("mixed");
    expect(leadingStance({ supports: 3, opposes: 1, mixed: 0, unclear: 1 })).toBe("supports");
    expect(leadingStance({ supports: 0, opposes: 0, mixed: 0, unclear: 0 })).toBeNull();
  });

  it("shortens a long excerpt at a word, with an ellipsis", () => {
    expect(shorten("one two three four five", 12)).toBe("one two…");
    expect(shorten("short", 12)).toBe("short");
  });
});

describe("who a quote is attributed to", () => {
  it("names an anonymous organisation only by its kind, keeping the capitals of a name like CRGs", async () => {
    const { quoteAttribution } = await import("~/domain/consultations");
    expect(quoteAttribution({ consent: "anonymous", capacity: "organisation", organisation: "Fenmarsh Cancer Support Group", audienceName: "Clinical Reference Groups (CRGs)" })).toBe("An organisation (Clinical Reference Groups (CRGs))");
    expect(quoteAttribution({ consent: "anonymous", capacity: "organisation", organisation: "Fenmarsh Cancer Support Group", audienceName: "Service providers" })).toBe("An organisation (service providers)");
    expect(quoteAttribution({ consent: "anonymous", capacity: "individual", organisation: "Fenmarsh Cancer Support Group", audienceName: "Carers" })).toBe("Carers");
  });
});
