// npm run crash -- [kills]: the crash-safety check with as many kills as you like.
import { crashTest } from "../crash/harness";

const kills = Number(process.argv[2] ?? process.env.KILLS ?? 500);
const started = performance.now();
const report = await crashTest(kills, Date.now() % 100_000);
console.log(`${report.kills} kills in ${((performance.now() - started) / 1000).toFixed(0)} s, ${report.acknowledged} acknowledged writes`);
if (report.problems.length) {
  console.log(report.problems.join("\n"));
  process.exitCode = 1;
} else {
  console.log("no problems: the database was intact and kept every acknowledged write after every kill");
}
