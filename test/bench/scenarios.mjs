// The scenario key counts (issue 15): the same scripted key sequences the tmux tests replay
// (test/e2e/scenarios/scripts.ts), run through the same harness (test/harness/scenarioRun.ts, bundled
// here by esbuild) against the built binary at 80x24. Each count is keys from the overview to a verified
// recovery (the alarms back to OK and the room's checks passed, read back from the run's journal);
// typed confirmations and values are counted apart. Not timings: a count is the same on any machine.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** Key budgets by scenario (keys besides typed confirmations). */
const BUDGETS = { 'api-cpu-spike': 6 };

export async function benchScenarios() {
  if (spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status !== 0) {
    return { rows: [], note: 'tmux is not installed: no scenario was run (apt-get install tmux)' };
  }
  const dir = path.resolve('node_modules/.cache/vitascope-bench');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'scenarios.mjs');
  await build({
    stdin: {
      contents: [
        "export { SCRIPTS } from './test/e2e/scenarios/scripts.ts';",
        "export { runScenario } from './test/harness/scenarioRun.ts';",
      ].join('\n'),
      resolveDir: path.resolve('.'),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    external: ['better-sqlite3'],
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    logLevel: 'error',
  });
  const { SCRIPTS, runScenario } = await import(`${out}?${Date.now()}`);
  const rows = [];
  for (const [name, script] of Object.entries(SCRIPTS)) {
    const budget = BUDGETS[name];
    try {
      const r = await runScenario(script, { width: 80, height: 24 });
      rows.push({
        name,
        keys: r.keys,
        typed: r.typed,
        seconds: r.ms / 1000,
        problems: r.problems.length,
        ...(budget !== undefined ? { budget: { ok: r.keys <= budget, text: `≤ ${budget} keys` } } : {}),
      });
    } catch (error) {
      rows.push({
        name,
        failed: String(error instanceof Error ? error.message : error).split('\n')[0],
        budget: { ok: false, text: budget !== undefined ? `≤ ${budget} keys` : 'a verified recovery' },
      });
    }
  }
  return { rows };
}
