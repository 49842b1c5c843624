import { describe, expect, it } from "vitest";
import { guessTarget, mappingFromChoices, mappingProblems, parseMapping, parseSubmitted, problemLine, readRow, rowKey, scaleFromText, suggestCapacity, suggestConsent, type MappingChoices, type MappingContext, type ResponseMapping } from "~/domain/response-mapping";

const MAPPING = {
  id: "Response ID",
  submitted: "Submitted",
  capacity: { column: "Capacity", values: { "As an individual": "individual", "On behalf of an organisation": "organisation" } },
  organisation: "Organisation name",
  audience: "Which of these best describes you?",
  email: "Email address",
  consent: { column: "May we publish your response?", values: { "Publish my response in full": "full", "Publish my response anonymously": "anonymous", "Do not publish my response": "none" } },
  answers: { "Q1. To what extent do you agree?": "q1", "Q1. Please explain your answer": "q1-comment", "Q2. How could it be improved?": "q2" },
  clauses: { "Comments on travel": "travel-support" },
};

const CONTEXT: MappingContext = {
  questions: new Map([
    ["q1", "agree-scale"],
    ["q2", "free-text"],
  ]),
  clauseIds: new Set(["travel-support"]),
  audiences: [
    { code: "clinicians", name: "Clinicians" },
    { code: "carers", name: "Carers" },
  ],
};

function mapping(value: unknown = MAPPING): ResponseMapping {
  const parsed = parseMapping(value);
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.mapping;
}

const GOOD: Record<string, string> = {
  "Response ID": "ANON-1",
  Submitted: "2017-11-03T14:05:00Z",
  Capacity: "As an individual",
  "Organisation name": "",
  "Which of these best describes you?": "carers",
  "Email address": "someone@example.org",
  "May we publish your response?": "Publish my response anonymously",
  "Q1. To what extent do you agree?": "Strongly disagree",
  "Q1. Please explain your answer": "The journey is too long.\r\nTwice a day.",
  "Q2. How could it be improved?": "=HYPERLINK(\"http://x\",\"click\")",
  "Comments on travel": "Pay for parking",
};

const row = (changes: Record<string, string> = {}) => new Map(Object.entries({ ...GOOD, ...changes }));
const NOW = "2026-01-01T00:00:00.000Z";

describe("the mapping file", () => {
  it("accepts the mapping exactly as §5 shows it, with online as the channel", () => {
    const m = mapping();
    expect(m.channel).toBe("online");
    expect(m.capacity?.values["On behalf of an organisation"]).toBe("organisation");
  });
  it.each([
    [{ ...MAPPING, respondent: "Name" }, /Unrecognized key/i],
    [{ ...MAPPING, capacity: { column: "Capacity", values: { Me: "person" } } }, /capacity\.values\.Me: each value must become one of individual, organisation/],
    [{ ...MAPPING, consent: { column: "Consent", values: {} } }, /consent\.values: list at least one value/],
    [{ ...MAPPING, answers: { "Q1": "question one" } }, /answers\.Q1: an answer column maps to a question id/],
    [{ ...MAPPING, answers: { A: "q1", B: "q1" } }, /both "A" and "B" map to q1/],
    [{ ...MAPPING, channel: "post" }, /channel is "online" or "other"/],
    [{ ...MAPPING, id: "" }, /id: a column's header cannot be empty/],
  ])("refuses a mapping that breaks a rule (%#)", (value, message) => {
    const parsed = parseMapping(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.join("\n")).toMatch(message);
  });
  it("names questions and clauses the consultation does not have", () => {
    const m = mapping({ ...MAPPING, answers: { A: "q9", B: "q2-comment" }, clauses: { C: "no-such-clause" } });
    expect(mappingProblems(m, CONTEXT)).toEqual([
      { column: "A", message: "the consultation has no question q9" },
      { column: "B", message: "q2 is a free-text question, so it has no separate comment: map the column to q2" },
      { column: "C", message: "the consultation's version has no clause no-such-clause" },
    ]);
  });
});

describe("a row becomes a response", () => {
  it("reads every mapped column", () => {
    const result = readRow(mapping(), CONTEXT, row(), 1, NOW);
    expect(result).toEqual({
      ok: true,
      key: "id:ANON-1",
      input: {
        channel: "online",
        source: "import",
        capacity: "individual",
        organisation: null,
        respondentName: null,
        audienceCode: "carers",
        audienceText: null,
        email: "someone@example.org",
        consent: "anonymous",
        submittedAt: "2017-11-03T14:05:00.000Z",
        answers: [
          { questionId: "q1", scale: "strongly-disagree", text: "The journey is too long.\nTwice a day." },
          { questionId: "q2", scale: null, text: "=HYPERLINK(\"http://x\",\"click\")" },
        ],
        comments: [{ clauseId: "travel-support", start: null, end: null, quote: null, prefix: null, suffix: null, body: "Pay for parking" }],
      },
    });
  });

  it.each([
    ["Clinicians", "clinicians", null],
    ["  CLINICIANS ", "clinicians", null],
    ["Hospital porter", null, "Hospital porter"],
    ["", null, null],
  ])("matches the audience %j to the list ignoring case, else keeps the words", (cell, code, text) => {
    const result = readRow(mapping(), CONTEXT, row({ "Which of these best describes you?": cell }), 1, NOW);
    expect(result.ok && [result.input.audienceCode, result.input.audienceText]).toEqual([code, text]);
  });

  it.each([
    ["Capacity", "Maybe", /"Maybe" is not one of the values the mapping lists for capacity \("As an individual", "On behalf of an organisation"\)/],
    ["Capacity", "", /is empty, and the mapping lists no empty value for capacity/],
    ["May we publish your response?", "Yes please", /not one of the values the mapping lists for consent/],
    ["Email address", "not-an-address", /^is not an email address/],
    ["Submitted", "yesterday", /"yesterday" is not a date and time/],
    ["Submitted", "31/02/2017 10:00", /is not a date and time/],
    ["Submitted", "", /is empty/],
    ["Q1. To what extent do you agree?", "Sort of", /"Sort of" is not an answer on the agree–disagree scale/],
    ["Q2. How could it be improved?", "bad\u0000byte", /has a control character U\+0000 \(null\) at character 4; remove it/],
    ["Organisation name", "Two\nlines", /line break/],
    ["Q2. How could it be improved?", "x".repeat(10_001), /is 10,001 characters long; the most a cell may hold is 10,000/],
  ])("a bad %s (%j) is a problem naming the row and the column", (column, cell, message) => {
    const result = readRow(mapping(), CONTEXT, row({ [column]: cell }), 7, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ row: 7, column });
    expect(result.problems[0]!.message).toMatch(message);
  });

  it("never repeats an email address in a problem", () => {
    const result = readRow(mapping(), CONTEXT, row({ "Email address": "jo.bloggs@@example.org" }), 2, NOW);
    expect(JSON.stringify(result)).not.toContain("jo.bloggs");
  });

  it("never repeats an email address found in another column, such as one shifted into the consent, capacity, date or scale column", () => {
    const result = readRow(
      mapping(),
      CONTEXT,
      row({ "May we publish your response?": "jo.bloggs@example.org", Capacity: "Me (contact sam.smith@example.org)", Submitted: `${"x".repeat(30)} jo.bloggs@example.org`, "Q1. To what extent do you agree?": "ask x@y.org" }),
      4,
      NOW,
    );
    expect(result.ok ? [] : result.problems.map((p) => p.column).sort()).toEqual(["Capacity", "May we publish your response?", "Q1. To what extent do you agree?", "Submitted"]);
    for (const secret of ["jo.bloggs", "sam.smith", "x@y.org", "example.org"]) expect(JSON.stringify(result)).not.toContain(secret);
    expect(result.ok ? "" : result.problems.find((p) => p.column === "Capacity")!.message).toMatch(/^"Me \(contact \(an email address\)\)" is not one of the values/);
  });

  it("collects every problem of a row, not only the first", () => {
    const result = readRow(mapping(), CONTEXT, row({ Capacity: "?", Submitted: "?", "Email address": "?" }), 3, NOW);
    expect(result.ok ? [] : result.problems.map((p) => p.column)).toEqual(["Capacity", "Email address", "Submitted"]);
  });

  it("matches listed values ignoring case and surrounding spaces", () => {
    const result = readRow(mapping(), CONTEXT, row({ Capacity: " on behalf of an ORGANISATION ", "Organisation name": "Carers Trust" }), 1, NOW);
    expect(result.ok && [result.input.capacity, result.input.organisation]).toEqual(["organisation", "Carers Trust"]);
  });

  it("keeps a blank scale answer blank and the cells that look like formulas as text", () => {
    const result = readRow(mapping(), CONTEXT, row({ "Q1. To what extent do you agree?": "", "Q1. Please explain your answer": "+44 is the code; -1 for this; @all" }), 1, NOW);
    expect(result.ok && result.input.answers[0]).toEqual({ questionId: "q1", scale: null, text: "+44 is the code; -1 for this; @all" });
  });

  it("without capacity or consent columns, reads an organisation's name as speaking for it and publishes nothing", () => {
    const m = mapping({ organisation: "Org", answers: { Q: "q2" } });
    const result = readRow(m, CONTEXT, new Map([["Org", "Carers Trust"], ["Q", "Hello"]]), 1, NOW);
    expect(result.ok && [result.input.capacity, result.input.consent, result.input.submittedAt]).toEqual(["organisation", "none", NOW]);
  });

  it("takes the channel from the mapping", () => {
    const result = readRow(mapping({ ...MAPPING, channel: "other" }), CONTEXT, row(), 1, NOW);
    expect(result.ok && result.input.channel).toBe("other");
  });
});

describe("the idempotence key", () => {
  it("is the other tool's id when it is given", () => {
    expect(rowKey(mapping(), row())).toBe("id:ANON-1");
  });
  it("is a hash of the mapped cells otherwise, the same whatever the line endings, unmapped columns or spacing", () => {
    const { id: _id, ...withoutId } = MAPPING;
    const m = mapping(withoutId);
    const key = rowKey(m, row());
    expect(key).toMatch(/^row:[0-9a-f]{64}$/);
    expect(rowKey(m, row({ "Q1. Please explain your answer": "The journey is too long.\nTwice a day.  ", Unmapped: "x" }))).toBe(key);
    expect(rowKey(m, row({ "Q1. Please explain your answer": "Something else" }))).not.toBe(key);
  });
  it("falls back to the hash when the id cell is empty", () => {
    expect(rowKey(mapping(), row({ "Response ID": "" }))).toMatch(/^row:/);
  });
});

describe("the time a response was sent", () => {
  it.each([
    ["2017-11-03T14:05:00Z", "2017-11-03T14:05:00.000Z"],
    ["2017-11-03T14:05:00.250Z", "2017-11-03T14:05:00.250Z"],
    ["2017-10-20T09:00:00+01:00", "2017-10-20T08:00:00.000Z"],
    ["2017-10-20T09:00:00", "2017-10-20T08:00:00.000Z"],
    ["2017-10-20 09:00", "2017-10-20T08:00:00.000Z"],
    ["2017-12-01", "2017-12-01T00:00:00.000Z"],
    ["20/10/2017 09:00", "2017-10-20T08:00:00.000Z"],
    ["20/10/2017 09:00:30", "2017-10-20T08:00:30.000Z"],
    ["1/12/2017 9:05", "2017-12-01T09:05:00.000Z"],
    ["20/10/2017", "2017-10-19T23:00:00.000Z"],
    ["43028.5", "2017-10-20T11:00:00.000Z"],
    ["43070", "2017-12-01T00:00:00.000Z"],
    ["18 October 2017", "2017-10-17T23:00:00.000Z"],
    ["18 Oct 2017 14:30", "2017-10-18T13:30:00.000Z"],
    ["1st December 2017, 09:05:10", "2017-12-01T09:05:10.000Z"],
    ["3 Sept 2017", "2017-09-02T23:00:00.000Z"],
  ])("reads %s as %s", (cell, instant) => {
    expect(parseSubmitted(cell)).toBe(instant);
  });
  it.each(["", "soon", "2017-13-01", "2017-02-29T10:00:00Z", "32/01/2017", "10/20/2017 09:00", "25:00", "0", "2017-10-20T25:00:00Z", "18 Octobre 2017", "31 February 2017", "18 Mo 2017"])("refuses %j", (cell) => {
    expect(parseSubmitted(cell)).toBeNull();
  });
});

describe("suggestions for the mapping page", () => {
  it.each([
    ["Strongly agree", "strongly-agree"],
    ["neither agree nor disagree", "neither"],
    ["DISAGREE", "disagree"],
    ["Meh", undefined],
  ])("reads the scale word %j", (cell, scale) => expect(scaleFromText(cell)).toBe(scale));
  it.each([
    ["As an individual", "individual"],
    ["Individual", "individual"],
    ["On behalf of an organisation", "organisation"],
    ["Organization", "organisation"],
    ["Other", undefined],
  ])("suggests capacity for %j", (cell, capacity) => expect(suggestCapacity(cell)).toBe(capacity));
  it.each([
    ["Publish my response in full", "full"],
    ["Yes, anonymously", "anonymous"],
    ["Do not publish my response", "none"],
    ["No", "none"],
    ["Yes", "full"],
  ])("suggests consent for %j", (cell, consent) => expect(suggestConsent(cell)).toBe(consent));
});

describe("problem lines", () => {
  it("name the file, the row and the column's header", () => {
    expect(problemLine("export.csv", { row: 3, column: "Capacity", message: "is empty" })).toBe('export.csv: row 3, column "Capacity": is empty');
    expect(problemLine("export.csv", { row: 0, column: "Email", message: "the mapping names this column, but the file has no such header" })).toBe('export.csv: header row, column "Email": the mapping names this column, but the file has no such header');
    expect(problemLine("export.csv", { row: 4, column: null, message: "has 3 cells" })).toBe("export.csv: row 4: has 3 cells");
    expect(problemLine("export.xlsx", { row: 0, column: null, message: "is cut short" })).toBe("export.xlsx: is cut short");
  });
});

describe("the mapping page's guesses and choices", () => {
  it.each([
    ["Response ID", "id"],
    ["Submitted", "submitted"],
    ["In what capacity are you responding?", "capacity"],
    ["Organisation name", "organisation"],
    ["Which of these best describes you?", "audience"],
    ["Email address", "email"],
    ["May we publish your response?", "consent"],
    ["Q1. To what extent do you agree?", "q:q1"],
    ["Q1. Please explain your answer", "q:q1-comment"],
    ["Q2 comments", "q:q2"],
    ["Q9. Not a question here", ""],
    ["Favourite colour", ""],
  ])("guesses %j holds %j", (header, target) => {
    expect(guessTarget(header, CONTEXT.questions)).toBe(target);
  });

  const choices = (targets: string[], extra: Partial<MappingChoices> = {}): MappingChoices => ({
    headers: ["Ref", "Capacity", "Consent", "Q1", "Travel"],
    targets,
    channel: "online",
    capacityValues: [["Me", "individual"], ["Us", "organisation"]],
    consentValues: [["Yes", "full"], ["No", ""]],
    ...extra,
  });

  it("builds the same mapping a file would give", () => {
    const result = mappingFromChoices(choices(["id", "capacity", "consent", "q:q1", "c:travel-support"], { channel: "other" }), CONTEXT);
    expect(result).toEqual({
      ok: true,
      mapping: {
        id: "Ref",
        capacity: { column: "Capacity", values: { Me: "individual", Us: "organisation" } },
        consent: { column: "Consent", values: { Yes: "full" } },
        answers: { Q1: "q1" },
        clauses: { Travel: "travel-support" },
        channel: "other",
      },
    });
  });

  it.each([
    [["id", "id", "", "q:q1", ""], { "col-1": "Only one column can hold the other tool's response reference: “Ref” already does" }],
    [["", "", "", "q:q1", "q:q1"], { "col-4": "Another column already holds the answers to q1" }],
    [["id", "", "", "", ""], { form: "Choose at least one column that holds answers or comments" }],
    [["", "", "", "q:q1", "nonsense"], { "col-4": "Choose what this column holds from the list" }],
    [["", "", "", "q:q2-comment", ""], { form: "“Q1”: q2 is a free-text question, so it has no separate comment: map the column to q2" }],
  ])("names the field of a bad choice (%#)", (targets, errors) => {
    expect(mappingFromChoices(choices(targets), CONTEXT)).toEqual({ ok: false, errors });
  });

  it("asks what at least one capacity value means", () => {
    expect(mappingFromChoices(choices(["", "capacity", "", "q:q1", ""], { capacityValues: [["Me", ""]] }), CONTEXT)).toEqual({ ok: false, errors: { capacity: "Say what at least one of the capacity column's values means" } });
  });
});
