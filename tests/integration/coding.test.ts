// Coding responses to themes: the staff pages' access rules, the queue's commands and their
// audit entries, suggestions, the second coding, agreement and moderation, on the seeded data.
import { call, signIn, type Handler } from "./app";
import { beforeAll, describe, expect, it } from "vitest";
import { getDatabase } from "~/models/app-database.server";
import { storeResponses } from "~/models/consultation-responses.server";
import { suggestThemes } from "~/models/suggestions.server";
import { termsOf } from "~/domain/coding";
import type { ResponseInput } from "~/domain/consultations";

const ENGAGEMENT = "radiotherapy-engagement-2016";
const h = (fn: unknown) => fn as Handler;

function response(text: string, overrides: Partial<ResponseInput> = {}): ResponseInput {
  return {
    channel: "online",
    source: "form",
    capacity: "individual",
    organisation: null,
    respondentName: "Ada Testperson",
    audienceCode: "patients-public",
    audienceText: null,
    email: "ada.testperson@example.org",
    consent: "full",
    submittedAt: "2016-12-01T10:00:00.000Z",
    answers: [{ questionId: "q2", scale: null, text }],
    comments: [],
    ...overrides,
  };
}

async function addResponse(text: string, overrides: Partial<ResponseInput> = {}): Promise<number> {
  const db = await getDatabase();
  const { references } = await storeResponses(db, ENGAGEMENT, [response(text, overrides)]);
  return (await db.selectFrom("consultation_responses").select("id").where("reference", "=", references[0]!).executeTakeFirstOrThrow()).id;
}

describe("suggestions", () => {
  it("suggests Transport and costs first for a response about parking costs, and says which of its words it shares", async () => {
    const text = "The parking charges at the hospital are far too expensive, and the petrol for a daily drive over four weeks costs a fortune.";
    const id = await addResponse(text);
    const suggestions = await suggestThemes(await getDatabase(), ENGAGEMENT, id);
    expect(suggestions[0]!.themeCode).toBe("T02");
    expect(suggestions.length).toBeGreaterThanOrEqual(3);
    expect(suggestions.length).toBeLessThanOrEqual(5);
    const words = new Set(termsOf(text).map((t) => t.word));
    for (const s of suggestions) {
      expect(s.sharedWords.length).toBeGreaterThan(0);
      for (const w of s.sharedWords) expect(words.has(w), w).toBe(true);
    }
    expect(suggestions[0]!.sharedWords).toEqual(expect.arrayContaining(["parking"]));
  });
});
