import { describe, expect, it } from "vitest";
import { cohensKappa, groupBySharedTerms, kappaText, stem, termsOf } from "~/domain/coding";
import { consultationState, eventState, inDoubleCodingSample, inSentence, mayQuote, newReference, questionsFrozen, quoteAttribution } from "~/domain/consultations";
import { fromLondon, londonDate, londonDateTime, londonFields } from "~/domain/london-time";
import { sampleResponses } from "~/domain/sample-responses";

describe("a consultation's state by the clock", () => {
  const window = { opensAt: "2016-10-27T23:00:00.000Z", closesAt: "2016-12-23T23:59:00.000Z" };
  it.each([
    ["2016-10-27T22:59:59.999Z", "upcoming"],
    ["2016-10-27T23:00:00.000Z", "open"],
    ["2016-12-23T23:58:59.000Z", "open"],
    ["2016-12-23T23:59:00.000Z", "closed"],
  ])("at %s it is %s", (at, state) => {
    expect(consultationState(window, new Date(at))).toBe(state);
  });
  it("freezes its questions from the moment it opens", () => {
    expect(questionsFrozen(window, new Date("2016-10-27T22:59:00Z"))).toBe(false);
    expect(questionsFrozen(window, new Date("2016-10-27T23:00:00Z"))).toBe(true);
  });
  it("says an event has ended once its end time has passed", () => {
    const event = { startsAt: "2016-11-10T10:00:00Z", endsAt: "2016-11-10T13:00:00Z" };
    expect(eventState(event, new Date("2016-11-10T09:00:00Z"))).toBe("upcoming");
    expect(eventState(event, new Date("2016-11-10T11:00:00Z"))).toBe("under-way");
    expect(eventState(event, new Date("2016-11-10T13:00:00Z"))).toBe("ended");
  });
});

describe("London time", () => {
  it("reads a summer date as British Summer Time and a winter one as GMT", () => {
    expect(fromLondon("2017-10-18", "00:00")).toBe("2017-10-17T23:00:00.000Z");
    expect(fromLondon("2016-12-23", "23:59")).toBe("2016-12-23T23:59:00.000Z");
  });
  it("takes the later reading of a time the spring clock change skips, and the first of a repeated one", () => {
    expect(fromLondon("2017-03-26", "01:30")).toBe("2017-03-26T01:30:00.000Z");
    expect(fromLondon("2017-10-29", "01:30")).toBe("2017-10-29T00:30:00.000Z");
  });
  it("shows times the GOV.UK way and round-trips the form's fields", () => {
    expect(londonDate("2017-10-17T23:00:00.000Z")).toBe("18 October 2017");
    expect(londonDateTime("2016-12-23T23:59:00.000Z")).toBe("11:59pm on 23 December 2016");
    expect(londonDateTime("2016-11-10T12:00:00.000Z")).toBe("midday on 10 November 2016");
    expect(londonFields("2017-10-17T23:00:00.000Z")).toEqual({ date: "2017-10-18", time: "00:00" });
    // The hour after noon and the one after midnight, which engines' 12-hour clocks disagree on.
    expect(londonDateTime("2026-12-01T12:11:00.000Z")).toBe("12:11pm on 1 December 2026");
    expect(londonDateTime("2026-12-01T00:05:00.000Z")).toBe("12:05am on 1 December 2026");
    expect(londonDateTime("2026-07-01T12:30:00.000Z")).toBe("1:30pm on 1 July 2026");
  });
});

describe("what the public may see of a response", () => {
  it("quotes only a moderated response whose respondent agreed", () => {
    expect(mayQuote({ consent: "full", moderation: "approved" })).toBe(true);
    expect(mayQuote({ consent: "anonymous", moderation: "approved" })).toBe(true);
    expect(mayQuote({ consent: "none", moderation: "approved" })).toBe(false);
    expect(mayQuote({ consent: "full", moderation: "pending" })).toBe(false);
    expect(mayQuote({ consent: "full", moderation: "rejected" })).toBe(false);
  });
  it("names an organisation only with full consent, and never an individual", () => {
    expect(quoteAttribution({ consent: "full", capacity: "organisation", organisation: "Fenmarsh Cancer Support Group", audienceName: "Patient groups" })).toBe("Fenmarsh Cancer Support Group");
    expect(quoteAttribution({ consent: "anonymous", capacity: "organisation", organisation: "Fenmarsh Cancer Support Group", audienceName: "Patient groups" })).toBe("An organisation (patient groups)");
    expect(quoteAttribution({ consent: "full", capacity: "individual", organisation: "Somewhere", audienceName: "Carers" })).toBe("Carers");
    // Without a description, an anonymous organisation is only that, said once.
    expect(quoteAttribution({ consent: "anonymous", capacity: "organisation", organisation: "Fenmarsh Cancer Support Group", audienceName: null })).toBe("An organisation");
  });
});

describe("reference numbers and the double-coding sample", () => {
  it("makes references from an alphabet without look-alike characters", () => {
    const ref = newReference(() => new Uint8Array([0, 1, 2, 3, 31, 32, 33, 255]));
    expect(ref).toMatch(/^RT-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  });
  it("puts about the asked-for share of responses in the sample, always the same ones", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const chosen = ids.filter((id) => inDoubleCodingSample(id, 10));
    expect(chosen.length).toBeGreaterThan(900);
    expect(chosen.length).toBeLessThan(1100);
    expect(ids.filter((id) => inDoubleCodingSample(id, 10))).toEqual(chosen);
    expect(ids.filter((id) => inDoubleCodingSample(id, 0))).toEqual([]);
  });
});

describe("agreement between two coders", () => {
  it("computes Cohen's kappa for a known table", () => {
    // 20 both, 15 neither, 5 only the first, 10 only the second: po = 0.7, pe = 0.5, kappa = 0.4.
    const pairs: [boolean, boolean][] = [
      ...Array.from({ length: 20 }, () => [true, true] as [boolean, boolean]),
      ...Array.from({ length: 15 }, () => [false, false] as [boolean, boolean]),
      ...Array.from({ length: 5 }, () => [true, false] as [boolean, boolean]),
      ...Array.from({ length: 10 }, () => [false, true] as [boolean, boolean]),
    ];
    const agreement = cohensKappa(pairs);
    expect(agreement.responses).toBe(50);
    expect(agreement.agreed).toBe(35);
    expect(agreement.kappa).toBeCloseTo(0.4, 10);
    expect(kappaText(agreement.kappa)).toBe("fair");
  });
  it("has no kappa when both coders gave every response the same answer", () => {
    expect(cohensKappa([[true, true], [true, true]]).kappa).toBeNull();
    expect(cohensKappa([]).kappa).toBeNull();
  });
  it("is 1 for perfect agreement and negative for systematic disagreement", () => {
    expect(cohensKappa([[true, true], [false, false], [true, true], [false, false]]).kappa).toBe(1);
    expect(cohensKappa([[true, false], [false, true], [true, false], [false, true]]).kappa).toBe(-1);
  });
});

describe("terms", () => {
  it("meets word forms at one stem and drops common words", () => {
    expect(stem("journeys")).toBe(stem("journey"));
    expect(stem("travelling")).toBe(stem("travel"));
    expect(termsOf("The journeys are long, and the JOURNEY is tiring for patients").map((t) => t.word)).toEqual(["journeys", "long", "tiring", "patients"]);
  });
  it("folds accents, so that café and cafe are one term", () => {
    expect(termsOf("café")[0]!.stem).toBe(termsOf("cafe")[0]!.stem);
  });
  it("groups responses by the terms they share", () => {
    const responses = [
      { id: 1, text: "Hospital parking charges are too high" },
      { id: 2, text: "Parking charges should be waived for patients" },
      { id: 3, text: "The parking charges every day add up" },
      { id: 4, text: "More radiographers are needed" },
    ];
    const [group] = groupBySharedTerms(responses, { minSize: 3 });
    expect(group!.responseIds).toEqual([1, 2, 3]);
    expect(group!.terms.map((t) => t.word)).toEqual(expect.arrayContaining(["parking", "charges"]));
  });
});

describe("the sample responses", () => {
  const settings = {
    seed: 7,
    count: 300,
    opensAt: "2016-10-27T23:00:00.000Z",
    closesAt: "2016-12-23T23:59:00.000Z",
    questions: [
      { id: "q1", kind: "agree-scale" as const },
      { id: "q2", kind: "free-text" as const },
    ],
    clausesByTheme: { T01: ["travel-transport-accommodation"] },
  };
  it("are the same for the same seed and differ for another", () => {
    expect(sampleResponses(settings)).toEqual(sampleResponses(settings));
    expect(sampleResponses({ ...settings, seed: 8 })[0]).not.toEqual(sampleResponses(settings)[0]);
  });
  it("go on in lower case after an opening such as “Speaking from experience,”, and only staff write as staff", () => {
    for (const r of sampleResponses({ ...settings, count: 1000 })) {
      const comment = r.input.answers.find((a) => a.questionId === "q1")?.text ?? "";
      expect(comment).not.toMatch(/^[^.,]+, (?!I\b)\p{Lu}\p{Ll}+ \p{Ll}/u);
      if (comment.startsWith("As a member of staff")) expect(["clinicians", "radiologists", "nhs-staff", "service-providers", "crgs", "nice"]).toContain(r.input.audienceCode);
    }
  });

  it("cover every consent choice, both capacities, many audiences and all fifteen themes", () => {
    const sample = sampleResponses(settings);
    expect(new Set(sample.map((r) => r.input.consent))).toEqual(new Set(["full", "anonymous", "none"]));
    expect(new Set(sample.map((r) => r.input.capacity))).toEqual(new Set(["individual", "organisation"]));
    expect(new Set(sample.map((r) => r.input.audienceCode)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(sample.flatMap((r) => r.codings.map((c) => c.theme))).size).toBe(15);
    for (const r of sample) {
      expect(Date.parse(r.input.submittedAt)).toBeGreaterThanOrEqual(Date.parse(settings.opensAt));
      expect(Date.parse(r.input.submittedAt)).toBeLessThan(Date.parse(settings.closesAt));
      if (r.input.consent === "none") expect(r.approved).toBe(false);
    }
  });
});

describe("names inside a sentence", () => {
  it.each([
    ["Patients and the public", "patients and the public"],
    ["NHS England staff", "NHS England staff"],
    ["National Institute for Health and Care Excellence", "National Institute for Health and Care Excellence"],
    ["Clinical Reference Groups (CRGs)", "Clinical Reference Groups (CRGs)"],
    ["Travel and access", "travel and access"],
  ])("%s reads as %s", (name, read) => {
    expect(inSentence(name)).toBe(read);
  });
});
