// Specifications: the documents Specwork keeps, each with many versions.
import type { Db, SpecificationRow } from "./db.server";
import { PUBLIC_STATUSES } from "~/domain/workflow";
import { compareVersionNumbers } from "~/domain/version-number";
import { inTextOrder } from "~/domain/text-order";

export interface SpecificationSummary {
  slug: string;
  title: string;
  reference: string;
  latestPublished: { number: string; label: string | null; date: string | null } | null;
}

export async function findSpecification(db: Db, slug: string): Promise<SpecificationRow | undefined> {
  return db.selectFrom("specifications").selectAll().where("slug", "=", slug).executeTakeFirst();
}

/** Every specification, with its latest publicly readable version. */
export async function listSpecifications(db: Db): Promise<SpecificationSummary[]> {
  const specs = inTextOrder(await db.selectFrom("specifications").selectAll().orderBy("id").execute(), (s) => s.title);
  const versions = await db
    .selectFrom("versions")
    .select(["specification_id", "number", "label", "date"])
    .where("status", "in", PUBLIC_STATUSES)
    .execute();
  return specs.map((spec) => {
    const latest = versions
      .filter((v) => v.specification_id === spec.id)
      .sort((a, b) => compareVersionNumbers(b.number, a.number))[0];
    return {
      slug: spec.slug,
      title: spec.title,
      reference: spec.reference,
      latestPublished: latest ? { number: latest.number, label: latest.label, date: latest.date } : null,
    };
  });
}
