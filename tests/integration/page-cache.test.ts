// Cached public pages are dropped when anything changes, and when a consultation opens or closes
// or one of its events starts or ends, since the pages say so.
import "./app";
import { describe, expect, it } from "vitest";
import { currentStamp } from "~/page-cache.server";
import { getDatabase } from "~/models/app-database.server";

describe("the public page cache's stamp", () => {
  it("stays the same while nothing happens and moves when a consultation closes or an event ends", async () => {
    const db = await getDatabase();
    const engagement = await db.selectFrom("consultations").select("closes_at").where("id", "=", "radiotherapy-engagement-2016").executeTakeFirstOrThrow();
    const event = await db.selectFrom("consultation_events").select("ends_at").where("consultation_id", "=", "radiotherapy-engagement-2016").orderBy("position", "desc").executeTakeFirstOrThrow();
    const before = (iso: string) => new Date(Date.parse(iso) - 1);
    const after = (iso: string) => new Date(Date.parse(iso) + 1);
    expect(await currentStamp(before(event.ends_at))).toBe(await currentStamp(new Date(Date.parse(event.ends_at) - 1000)));
    expect(await currentStamp(after(event.ends_at))).not.toBe(await currentStamp(before(event.ends_at)));
    expect(await currentStamp(after(engagement.closes_at))).not.toBe(await currentStamp(before(engagement.closes_at)));
  });
});
