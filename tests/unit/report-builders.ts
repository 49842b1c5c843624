// A small engagement report for tests, with any field overridden.
import type { EngagementReport, ReportTheme } from "~/domain/engagement-report";

export function reportTheme(overrides: Partial<ReportTheme> = {}): ReportTheme {
  return {
    code: "T01",
    title: "Travel and access",
    description: "Longer journeys.",
    responses: 12,
    byAudience: [{ label: "Carers", count: 5 }, { label: "Patients and the public", count: 7 }],
    byCapacity: [{ label: "Individuals", count: 10 }, { label: "Organisations", count: 2 }],
    stances: { supports: 1, opposes: 9, mixed: 2, unclear: 0 },
    evidenceRich: 3,
    quotes: [{ text: "The bus takes two hours.", attribution: "Carers", context: "Is there anything else?" }],
    decision: { decision: "adopted", reason: "Common cancers stay local." },
    changes: [{ clauseId: "c-travel", fromNumber: "3.2.9", toNumber: "3.2.10", rationale: "Travel help named.", href: "/specs/s/compare/0.9...1.0#c_c-travel", version: "1.0" }],
    outcome: null,
    agreement: { responses: 4, kappa: 0.8 },
    ...overrides,
  };
}

export function report(themes: ReportTheme[] = [reportTheme()]): EngagementReport {
  return {
    consultation: {
      id: "a-consultation",
      title: "A consultation",
      kind: "engagement",
      summary: "What we proposed.\n\nA second paragraph.",
      whyItMatters: "Why.",
      opensAt: "2016-10-27T23:00:00.000Z",
      closesAt: "2016-12-23T23:59:00.000Z",
      events: [{ kind: "webinar", place: "Online", startsAt: "2016-11-03T13:00:00.000Z", endsAt: "2016-11-03T14:30:00.000Z" }],
      audiences: ["Carers"],
      questions: [{ id: "q1", text: "Is there anything else?" }],
    },
    specification: { slug: "s", title: "A specification", reference: "SAMPLE-1", version: "0.9", versionLabel: "Draft" },
    revisions: [{ version: "1.0", label: null, compareHref: "/specs/s/compare/0.9...1.0" }],
    respondents: { total: 14, stored: 12, online: 11, otherFormats: 3, byCapacity: [{ label: "Individuals", count: 10 }, { label: "Organisations", count: 2 }], byAudience: [{ label: "Carers", count: 5 }, { label: "Patients and the public", count: 7 }] },
    coding: { coded: 12, doubleCoded: 4, kappa: 0.8 },
    themes,
    builtAt: "2017-01-05T00:00:00.000Z",
  };
}
