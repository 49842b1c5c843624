// Static registry of migrations, so the bundled server and Vitest run the same list.
// Append new migrations; never edit one that has landed.
import type { Migration } from "kysely";
import * as m001 from "./001-initial";
import * as m002 from "./002-editing";
import * as m003 from "./003-annotations-themes";
import * as m004 from "./004-request-hash";
import * as m005 from "./005-sealing-contributions";
import * as m006 from "./006-approvals-kept";
import * as m007 from "./007-consultations";
import * as m008 from "./008-review";
import * as m009 from "./009-report-indexes";

export const migrations: Record<string, Migration> = {
  "001-initial": m001,
  "002-editing": m002,
  "003-annotations-themes": m003,
  "004-request-hash": m004,
  "005-sealing-contributions": m005,
  "006-approvals-kept": m006,
  "007-consultations": m007,
  "008-review": m008,
  "009-report-indexes": m009,
};
