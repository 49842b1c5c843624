// Runs commands side by side and reports each one's output whole, one after another, so that
// two test suites that wait on browsers and servers share the machine's cores without their
// lines interleaving. Exits with the first non-zero status, after every command has finished.
import { spawn } from "node:child_process";

const commands = process.argv.slice(2);
if (!commands.length) {
  console.error("usage: node tests/support/side-by-side.mjs '<command>' '<command>' …");
  process.exit(2);
}
const runs = commands.map((command, index) => {
  const chunks = [];
  const child = spawn(command, { shell: true, stdio: ["ignore", index === 0 ? "inherit" : "pipe", index === 0 ? "inherit" : "pipe"] });
  child.stdout?.on("data", (c) => chunks.push(c));
  child.stderr?.on("data", (c) => chunks.push(c));
  const done = new Promise((resolve) => child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  return { command, chunks, done };
});
// Ctrl+C stops them all.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));
let status = 0;
for (const [index, run] of runs.entries()) {
  const code = await run.done;
  if (index > 0) {
    process.stdout.write(`\n── ${run.command} ──\n`);
    process.stdout.write(Buffer.concat(run.chunks));
  }
  if (code !== 0) {
    console.error(`\n${run.command} failed (exit ${code})`);
    status ||= code;
  }
}
process.exit(status);
