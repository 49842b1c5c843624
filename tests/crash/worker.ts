// The crash test's workload: realistic writes in a loop, each acknowledged on stdout only after
// its transaction has committed. The test kills this process at random moments.
import { getDatabase } from "~/models/app-database.server";
import { addAnnotation } from "~/models/annotations.server";
import { findDraft, saveDraft, setChangeNote } from "~/models/drafts.server";
import { findUser } from "~/models/users.server";
import type { DocJSON } from "~/domain/schema";
import { withClauseText } from "../support/documents";

const draftId = Number(process.env.CRASH_DRAFT_ID);
const userId = Number(process.env.CRASH_USER_ID);


async function main() {
  const db = await getDatabase();
  const user = (await findUser(db, userId))!;
  for (let n = 0; ; n++) {
    const draft = (await findDraft(db, draftId))!;
    const kind = n % 3;
    if (kind === 0) {
      const result = await saveDraft(db, user, draftId, { baseRevision: draft.revision, doc: withClauseText(draft.doc, "host-provider", `Crash test write ${process.pid}-${n}.`), requestId: `crash-${process.pid}-${n}` });
      if (result.status === 200) process.stdout.write(`save ${result.revision}\n`);
    } else if (kind === 1) {
      const id = await db.transaction().execute((trx) =>
        addAnnotation(trx, { id: draft.id, doc: draft.doc, slug: draft.slug, number: draft.number }, { id: user.id, name: user.name, email: user.email }, { clauseId: "oversight-group", kind: "comment", body: `Crash test note ${process.pid}-${n}`, visibility: "staff" }),
      );
      process.stdout.write(`annotation ${id}\n`);
    } else {
      await setChangeNote(db, user, draftId, "host-provider", `Why ${process.pid}-${n}`);
      process.stdout.write(`note ${process.pid}-${n}\n`);
    }
  }
}

await main();
