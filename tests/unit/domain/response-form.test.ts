import { describe, expect, it } from "vitest";
import { MAX_CLAUSE_COMMENTS, nextClockChange } from "~/domain/consultations";
import { anchorQuote, commentSlots, readResponse, valuesFromLink, valuesOf, type ResponseFormContext } from "~/domain/response-form";

const context: ResponseFormContext = {
  questions: [
    { id: "q1", kind: "agree-scale", text: "Agree?", itemId: null },
    { id: "q2", kind: "free-text", text: "Why?", itemId: null },
  ],
  audiences: [
    { code: "carers", name: "Carers" },
    { code: "clinicians", name: "Clinicians" },
  ],
  clauses: [{ id: "travel", number: "3.2.20", label: "3.2.20 – Travel", plainText: "Travel support for travel to treatment, and travel costs." }],
};

const base = { capacity: "individual", audience: "carers", consent: "none" };

describe("reading a response from the form", () => {
  it.each([
    ["a scale answer alone", { "scale-q1": "agree" }, [{ questionId: "q1", scale: "agree", text: null }]],
    ["a scale answer with its comment", { "scale-q1": "disagree", "answer-q1": "Too far." }, [{ questionId: "q1", scale: "disagree", text: "Too far." }]],
    ["a free-text answer, trimmed", { "answer-q2": "  Buses.  " }, [{ questionId: "q2", scale: null, text: "Buses." }]],
  ])("takes %s", (_, fields, answers) => {
    const read = readResponse({ ...base, ...fields }, context);
    expect(read).toMatchObject({ ok: true, input: { answers } });
  });

  it("takes a response to a consultation that lists no audiences, asking for none", () => {
    const read = readResponse({ capacity: "individual", consent: "none", "answer-q2": "Buses." }, { ...context, audiences: [] });
    expect(read).toMatchObject({ ok: true, input: { audienceCode: null, answers: [{ questionId: "q2", scale: null, text: "Buses." }] } });
    const sent = readResponse({ capacity: "individual", consent: "none", audience: "carers", "answer-q2": "Buses." }, { ...context, audiences: [] });
    expect(sent).toMatchObject({ ok: true, input: { audienceCode: null } });
  });

  it.each([
    ["no capacity", { capacity: "" }, "capacity"],
    ["an organisation without its name", { capacity: "organisation" }, "organisation"],
    ["an audience the consultation does not list", { audience: "nice" }, "audience"],
    ["a malformed email address", { email: "someone@" }, "email"],
    ["a scale answer off the scale", { "scale-q1": "very" }, "scale-q1"],
    ["a name with a control character", { respondentName: "Sam\u0007" }, "respondentName"],
    ["a comment with no clause", { "comment-0-body": "Hello" }, "comment-0-clause"],
    ["a clause with no comment", { "comment-0-clause": "travel" }, "comment-0-body"],
    ["a clause not in the version", { "comment-0-clause": "nowhere", "comment-0-body": "Hi" }, "comment-0-clause"],
    ["no consent answer", { consent: "" }, "consent"],
  ])("refuses %s, on its field", (_, fields, field) => {
    const read = readResponse({ ...base, "answer-q2": "Something.", ...fields }, context);
    expect(read.ok).toBe(false);
    expect(Object.keys(read.ok ? {} : read.errors)).toEqual([field]);
  });

  it("drops the organisation's name from an individual's response", () => {
    const read = readResponse({ ...base, organisation: "Left over", "answer-q2": "x" }, context);
    expect(read.ok && read.input.organisation).toBe(null);
  });
});

describe("anchoring a quoted passage", () => {
  const text = context.clauses[0]!.plainText;
  it("takes the occurrence nearest the browser's offset, with context from the clause", () => {
    const second = text.indexOf("travel ", 10);
    expect(anchorQuote(text, "travel", second + 2)).toEqual({ start: second, end: second + 6, quote: "travel", prefix: text.slice(0, second), suffix: text.slice(second + 6, second + 38) });
    expect(anchorQuote(text, "travel", null).start).toBe(text.indexOf("travel"));
  });

  it("keeps a quote the clause does not hold, without offsets", () => {
    expect(anchorQuote(text, "parking", 3)).toEqual({ start: null, end: null, quote: "parking", prefix: null, suffix: null });
  });
});

describe("the form's values", () => {
  it("carry only the form's own fields", () => {
    const form = new URLSearchParams({ capacity: "individual", "answer-q2": "x", injected: "y", "answer-q9": "z" });
    expect(valuesOf(form, context)).toEqual({ capacity: "individual", "answer-q2": "x" });
  });

  it(`hold between 1 and ${MAX_CLAUSE_COMMENTS} comment slots`, () => {
    expect([commentSlots({}), commentSlots({ commentSlots: "0" }), commentSlots({ commentSlots: "999" }), commentSlots({ commentSlots: "x" })]).toEqual([1, 1, MAX_CLAUSE_COMMENTS, 1]);
  });

  it("start a comment on the clause a link names, and ignore a clause the version lacks", () => {
    expect(valuesFromLink(new URLSearchParams("clause=travel&quote=costs&start=40"), context)).toEqual({ "comment-0-clause": "travel", "comment-0-quote": "costs", "comment-0-start": "40" });
    expect(valuesFromLink(new URLSearchParams("clause=elsewhere"), context)).toEqual({});
  });
});

describe("the next change by the clock", () => {
  const c = { opensAt: "2030-01-01T00:00:00.000Z", closesAt: "2030-02-01T00:00:00.000Z", events: [{ startsAt: "2030-01-10T10:00:00.000Z", endsAt: "2030-01-10T12:00:00.000Z" }] };
  it.each([
    ["2029-12-31T00:00:00.000Z", "2030-01-01T00:00:00.000Z"],
    ["2030-01-05T00:00:00.000Z", "2030-01-10T10:00:00.000Z"],
    ["2030-01-10T11:00:00.000Z", "2030-01-10T12:00:00.000Z"],
    ["2030-01-20T00:00:00.000Z", "2030-02-01T00:00:00.000Z"],
    ["2030-03-01T00:00:00.000Z", null],
  ])("at %s is %s", (at, next) => {
    expect(nextClockChange([c], new Date(at))).toBe(next);
  });
});
