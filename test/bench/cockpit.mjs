// Cockpit budgets (issue 4): first frame on the sandbox ≤ 400 ms from process start (median);
// keypress to updated frame p95 ≤ 16 ms with 10,000 alarms and 500 services; resident memory
// ≤ 150 MB with that load; CPU near zero while nothing changes.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { inkOutputWithLastingCaches } from '../../scripts/esbuildPlugins.mjs';

const bin = path.resolve('bin/vitascope-oncall.js');
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

/** Time from spawning the process in a pseudo-terminal (util-linux `script`) to a pattern on screen. */
function timeToScreen(command, pattern, env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, TERM: 'xterm-256color', COLUMNS: '120', LINES: '40' }, stdio: ['pipe', 'pipe', 'ignore'] });
    let seen = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no "${pattern}" within 10 s`)), 10_000);
    function finish(error, ms) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdin.write('q');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      if (error) reject(error);
      else resolve(ms);
    }
    child.stdout.on('data', (d) => {
      seen += d.toString();
      if (seen.includes(pattern)) finish(undefined, Number(process.hrtime.bigint() - start) / 1e6);
    });
  });
}

export async function benchCockpit(runs = 7) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-bench-'));
  const env = { ...process.env, HOME: home, VITASCOPE_ONCALL_CONFIG_DIR: path.join(home, 'config') };
  const rows = [];
  if (spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0) {
    const base = [];
    const first = [];
    await timeToScreen(`node ${bin} --demo`, 'SOURCES', env); // warm the file cache
    for (let i = 0; i < runs; i++) {
      base.push(await timeToScreen(`node -e "process.stdout.write('READY')"`, 'READY', env));
      first.push(await timeToScreen(`node ${bin} --demo`, 'SOURCES', env));
    }
    const b = median(base);
    rows.push({ name: 'node printing one line in a pty (baseline)', median: b, min: Math.min(...base), ratio: 1 });
    rows.push({ name: 'first frame of the cockpit (sandbox)', median: median(first), min: Math.min(...first), ratio: median(first) / b, budget: { ok: median(first) <= 400, text: '≤ 400 ms' } });
  }
  const out = path.join(home, 'cockpitLoad.mjs');
  await build({
    entryPoints: ['test/bench/cockpitLoad.tsx'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    minify: true,
    alias: { 'react-devtools-core': './scripts/stubs/react-devtools-core.js' },
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    logLevel: 'error',
    plugins: [inkOutputWithLastingCaches],
  });
  const r = spawnSync(process.execPath, [out], { env: { ...env, NODE_ENV: 'production' }, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`cockpit load bench failed: ${r.stderr}`);
  const result = JSON.parse(r.stdout.trim().split('\n').pop());
  for (const [label, xs] of Object.entries(result.latencies)) {
    rows.push({ name: `keypress → frame, ${label} (p95; 10,000 alarms, 500 services)`, median: p95(xs), min: Math.min(...xs), ratio: p95(xs) / 16, budget: { ok: p95(xs) <= 16, text: 'p95 ≤ 16 ms' } });
  }
  const rssMb = result.rss / 1024 / 1024;
  rows.push({ name: 'resident memory with that load (MB, shown as ms column)', median: rssMb, min: rssMb, ratio: rssMb / 150, budget: { ok: rssMb <= 150, text: '≤ 150 MB' } });
  rows.push({ name: 'CPU while nothing changes (% of one core)', median: result.idleCpuPercent, min: result.idleCpuPercent, ratio: result.idleCpuPercent / 2, budget: { ok: result.idleCpuPercent <= 2, text: '≤ 2 % (near zero)' } });
  fs.rmSync(home, { recursive: true, force: true });
  return rows;
}
