import path from "node:path";
import { prepareTemplates } from "./support/postgres-global-setup";
await prepareTemplates(process.argv[2]!);
console.log("templates ready");
