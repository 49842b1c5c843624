import Database from "better-sqlite3";
const db = new Database("/tmp/h-report-bench2.sqlite");
db.exec(`DROP INDEX IF EXISTS codings_report; DROP INDEX IF EXISTS codings_report_by_response;
CREATE INDEX IF NOT EXISTS codings_report2 ON codings (consultation_id, pass, response_id, theme_code, stance, evidence_rich, removed_at) WHERE removed_at IS NULL;
CREATE INDEX IF NOT EXISTS responses_profile ON consultation_responses (consultation_id, id, audience_code, capacity, channel);`);
db.exec("ANALYZE");
const id = "radiotherapy-consultation-2017";
const t = (name: string, q: string, ...a: unknown[]) => { for (let i = 0; i < 3; i++) { const s = performance.now(); const st = db.prepare(q); const r = st.all(...a); if (i==2) console.log(name, (performance.now() - s).toFixed(1), r.length); } console.log("   ", db.prepare("EXPLAIN QUERY PLAN " + q).all(...a).map((x: any) => x.detail).join(" | ")); };
t("themes-nojoin", `select c.theme_code, c.stance, count(*) n, sum(c.evidence_rich) from codings c where c.consultation_id = ? and c.pass = 1 and c.removed_at is null group by 1,2`, id);
t("themes-join", `select c.theme_code, r.audience_code, r.capacity, c.stance, count(*) n, sum(c.evidence_rich) from codings c join consultation_responses r on r.id = c.response_id where c.consultation_id = ? and c.pass = 1 and c.removed_at is null group by 1,2,3,4`, id);
t("themes-merge", `select c.theme_code, r.audience_code, r.capacity, c.stance, count(*) n, sum(c.evidence_rich) from consultation_responses r cross join codings c on c.consultation_id = r.consultation_id and c.pass = 1 and c.response_id = r.id and c.removed_at is null where r.consultation_id = ? group by 1,2,3,4`, id);
t("themes-materialised", `with r as materialized (select id, audience_code, capacity from consultation_responses where consultation_id = ?) select c.theme_code, r.audience_code, r.capacity, c.stance, count(*) n, sum(c.evidence_rich) from codings c join r on r.id = c.response_id where c.consultation_id = ? and c.pass = 1 and c.removed_at is null group by 1,2,3,4`, id, id);
for (let i = 0; i < 3; i++) {
  const s = performance.now();
  const prof = new Map<number, number>();
  for (const [rid, a, c] of db.prepare("select id, audience_code, capacity from consultation_responses where consultation_id = ?").raw().iterate(id) as any) prof.set(rid, 1);
  let n = 0;
  for (const row of db.prepare("select response_id, theme_code, stance, evidence_rich from codings where consultation_id = ? and pass = 1 and removed_at is null").raw().iterate(id) as any) { if (prof.has(row[0])) n++; }
  if (i == 2) console.log("js raw", (performance.now() - s).toFixed(1), n);
}
for (let i = 0; i < 3; i++) {
  const s = performance.now();
  const a = db.prepare("select id, audience_code, capacity from consultation_responses where consultation_id = ?").all(id);
  const b = db.prepare("select response_id, theme_code, stance, evidence_rich from codings where consultation_id = ? and pass = 1 and removed_at is null").all(id);
  if (i == 2) console.log("js objects", (performance.now() - s).toFixed(1), a.length, b.length);
}
