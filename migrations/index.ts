// Static registry of migrations, so the bundled server and Vitest run the same list.
// Append new migrations; never edit one that has landed. The landed ones were written for
// SQLite and reach PostgreSQL through a translation (postgres.ts); new ones branch themselves
// where their SQL differs, and pass through the translation for their columns' types.
import type { Migration } from "kysely";
import { onBothDialects } from "./postgres";
import * as m001 from "./001-initial";
import * as m002 from "./002-editing";
import * as m003 from "./003-annotations-themes";
import * as m004 from "./004-request-hash";
import * as m005 from "./005-sealing-contributions";
import * as m006 from "./006-approvals-kept";
import * as m007 from "./007-consultations";
import * as m008 from "./008-review";
import * as m009 from "./009-report-indexes";
import * as m010 from "./010-several-servers";
import * as m011 from "./011-anchor-cache";
import * as m012 from "./012-clause-changes";

export const migrations: Record<string, Migration> = {
  "001-initial": onBothDialects(m001),
  "002-editing": onBothDialects(m002),
  "003-annotations-themes": onBothDialects(m003),
  "004-request-hash": onBothDialects(m004),
  "005-sealing-contributions": onBothDialects(m005),
  "006-approvals-kept": onBothDialects(m006),
  "007-consultations": onBothDialects(m007),
  "008-review": onBothDialects(m008),
  "009-report-indexes": onBothDialects(m009),
  "010-several-servers": onBothDialects(m010),
  "011-anchor-cache": onBothDialects(m011),
  "012-clause-changes": onBothDialects(m012),
};
