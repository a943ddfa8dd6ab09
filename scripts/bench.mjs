// `npm run bench`: the performance budgets, measured (medians of several runs and ratios against a
// baseline run in the same go). Not a test: these machines are shared and noisy.
import { benchStartup } from '../test/bench/startup.mjs';
import { benchJournal } from '../test/bench/journal.mjs';

// Sub-10 ms figures (the journal's) need more than one decimal; larger ones print as before. Rows
// that are not times (the cockpit's memory and CPU) say their unit.
const fmt = (v, unit = 'ms') => `${v < 10 ? v.toFixed(3) : v.toFixed(1)} ${unit}`;
const runs = Number(process.env.BENCH_RUNS ?? 11);
let failed = 0;

function report(title, rows) {
  console.log(`\n${title}`);
  for (const r of rows) {
    const verdict = r.budget ? (r.budget.ok ? `ok   (budget ${r.budget.text})` : `OVER (budget ${r.budget.text})`) : '';
    if (r.budget && !r.budget.ok) failed += 1;
    console.log(
      `  ${r.name.padEnd(56)} median ${fmt(r.median, r.unit).padStart(10)}  min ${fmt(r.min, r.unit).padStart(10)}  ${r.ratio.toFixed(2)}×  ${verdict}`,
    );
  }
}

console.log(`vitascope-oncall benchmarks: ${runs} runs each, node ${process.version}, ${new Date().toISOString()}`);
report('Startup (whole process, ratio against node -e 0)', benchStartup(runs));
// The cockpit (issue 4): its first frame in a pseudo-terminal, then keypress latency, memory and idle
// CPU with 10,000 alarms and 500 services.
{
  const { benchCockpit } = await import('../test/bench/cockpit.mjs');
  const cockpit = await benchCockpit(runs);
  report('Cockpit (first frame: ratio against node printing in a pty; load: ratio against the budget)', cockpit);
  if (cockpit.note) console.log(`  (${cockpit.note})`);
}
const journal = await benchJournal(runs);
report('Journal (synchronous=FULL, WAL; ratio against the budget)', journal);
if (journal.note) console.log(`  (${journal.note})`);
// Reports (issue 6): the handoff of a week with 1,000 incidents and 100,000 journal events.
{
  const { benchReports } = await import('../test/bench/reports.mjs');
  report('Reports (handoff of a busy week; ratio against the budget)', await benchReports(runs));
}
// Logs (issue 17): 100,000 lines grouped into patterns, against reading them.
{
  const { benchLogs } = await import('../test/bench/logs.mjs');
  const logs = await benchLogs(runs);
  report('Logs (pattern grouping of 100,000 lines; ratio against reading them)', logs);
  if (logs.note) console.log(`  (${logs.note})`);
}
// The team timeline (issue 16): push throughput and replication latency through PostgreSQL.
{
  const { benchTeam } = await import('../test/bench/team.mjs');
  const team = await benchTeam(runs);
  report('Team timeline (PostgreSQL 15 on loopback; whole commands)', team);
  if (team.note) console.log(`  (${team.note})`);
}
// The scenarios (issue 15): keys from the overview to a verified recovery, at 80x24 in tmux.
{
  const { benchScenarios } = await import('../test/bench/scenarios.mjs');
  const scenarios = await benchScenarios();
  console.log(
    '\nScenarios (keys from overview to verified recovery; 80x24 in tmux, typed confirmations and values apart)',
  );
  for (const r of scenarios.rows) {
    if (r.budget && !r.budget.ok) failed += 1;
    const verdict = r.budget ? (r.budget.ok ? `ok   (budget ${r.budget.text})` : `OVER (budget ${r.budget.text})`) : '';
    if (r.failed) console.log(`  ${r.name.padEnd(24)} no verified recovery: ${r.failed}  ${verdict}`);
    else
      console.log(
        `  ${r.name.padEnd(24)} ${String(r.keys).padStart(3)} keys + ${r.typed} typed   recovered in ${r.seconds.toFixed(1).padStart(5)} s   ${r.problems ? `${r.problems} frame problem(s)   ` : ''}${verdict}`,
      );
  }
  if (scenarios.note) console.log(`  (${scenarios.note})`);
}
if (failed) console.log(`\n${failed} budget(s) over`);
process.exitCode = failed ? 1 : 0;
