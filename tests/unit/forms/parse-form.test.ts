// Reading forms with zod: repeated fields as lists, problems by field, and the NHS.UK date input.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { dateInput, parseForm, repeated, typedText, typedValues, wholeNumber } from "~/forms";

const form = (pairs: [string, string][]) => {
  const data = new FormData();
  for (const [name, value] of pairs) data.append(name, value);
  return data;
};

describe("parseForm", () => {
  const Schema = z.object({ title: z.string().trim().min(1, "Enter a title"), themes: repeated(z.string()), id: wholeNumber("Choose one") });

  it("gives the fields, a repeated field as a list however often it was sent", () => {
    expect(parseForm(form([["title", " T "], ["id", "7"]]), Schema)).toEqual({ ok: true, data: { title: "T", themes: [], id: 7 } });
    expect(parseForm(form([["title", "T"], ["themes", "T01"], ["id", "7"]]), Schema)).toEqual({ ok: true, data: { title: "T", themes: ["T01"], id: 7 } });
    expect(parseForm(form([["title", "T"], ["themes", "T01"], ["themes", "T02"], ["id", "7"]]), Schema)).toEqual({ ok: true, data: { title: "T", themes: ["T01", "T02"], id: 7 } });
  });

  it("gives each field's first problem, by field", () => {
    expect(parseForm(form([["title", "  "], ["id", "x"]]), Schema)).toEqual({ ok: false, errors: { title: "Enter a title", id: "Choose one" } });
    expect(parseForm(form([["title", "T"], ["id", "-3"]]), Schema)).toEqual({ ok: false, errors: { id: "Choose one" } });
  });
});

describe("the date input", () => {
  const optional = dateInput("date", { label: "publication date", optional: true });
  const required = dateInput("date", { label: "start date", optional: false });
  const date = (day: string, month: string, year: string) => form([["date-day", day], ["date-month", month], ["date-year", year]]);

  it("reads day, month and year as an ISO date", () => {
    expect(parseForm(date("18", "10", "2017"), optional)).toEqual({ ok: true, data: "2017-10-18" });
    expect(parseForm(date(" 1", "2 ", "2019"), optional)).toEqual({ ok: true, data: "2019-02-01" });
  });

  it("lets an optional date be left empty, and says when a required one is", () => {
    expect(parseForm(date("", "", ""), optional)).toEqual({ ok: true, data: "" });
    expect(parseForm(form([]), optional)).toEqual({ ok: true, data: "" });
    expect(parseForm(date("", "", ""), required)).toEqual({ ok: false, errors: { date: "Enter the start date" } });
  });

  it.each([
    [["18", "", "2017"], "The publication date must include a month"],
    [["", "", "2017"], "The publication date must include a day and month"],
    [["31", "2", "2017"], "The publication date must be a real date, such as 18 10 2017"],
    [["18", "13", "2017"], "The publication date must be a real date, such as 18 10 2017"],
    [["18", "10", "17"], "The publication date must be a real date, such as 18 10 2017"],
    [["x", "10", "2017"], "The publication date must be a real date, such as 18 10 2017"],
  ])("refuses %j: %s", (parts, message) => {
    const [d, m, y] = parts as [string, string, string];
    expect(parseForm(date(d, m, y), optional)).toEqual({ ok: false, errors: { date: message } });
  });
});

describe("what was typed, shown again after a problem", () => {
  it("gives each named field's text, and an empty string for one not sent", () => {
    expect(typedValues(form([["name", "Siân O’Neill 👩🏽‍⚕️"], ["email", "x@example.nhs.uk"]]), ["name", "email", "role"])).toEqual({ name: "Siân O’Neill 👩🏽‍⚕️", email: "x@example.nhs.uk", role: "" });
  });

  it("leaves out the characters the text policy refuses, so none reaches the page, and keeps line breaks", () => {
    expect(typedText("Before\u202eafter")).toBe("Beforeafter");
    expect(typedText("a\u200bb\u2028c\ud800d")).toBe("abcd");
    expect(typedText("line one\r\nline two")).toBe("line one\r\nline two");
  });

  it("keeps at most the given number of characters", () => {
    expect(typedText("x".repeat(50), 10)).toBe("x".repeat(10));
    expect(typedText(null)).toBe("");
  });
});
