// Startup budgets (issue 2): `--version` under 1.5 × `node -e 0`, `status --demo --json` under 400 ms.
// Whole processes are timed, interleaved round-robin so that machine noise hits every command alike.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

const bin = path.resolve('bin/vitascope-oncall.js');

function env() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-bench-'));
  return { ...process.env, HOME: home, VITASCOPE_ONCALL_CONFIG_DIR: path.join(home, 'config'), NO_COLOR: '1' };
}

function time(args, e) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status === null || r.status > 2) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

export function benchStartup(runs = 11) {
  const e = env();
  const commands = [
    { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
    { name: 'vitascope-oncall --version', args: [bin, '--version'] },
    { name: 'vitascope-oncall status --demo --json', args: [bin, 'status', '--demo', '--json'] },
    {
      name: 'status --demo --json --scenario db-connections --at 2h',
      args: [bin, 'status', '--demo', '--json', '--scenario', 'db-connections', '--at', '2h'],
    },
  ];
  for (const c of commands) time(c.args, e); // warm the file cache
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i++) commands.forEach((c, j) => samples[j].push(time(c.args, e)));
  const base = median(samples[0]);
  const rows = commands.map((c, j) => ({
    name: c.name,
    median: median(samples[j]),
    min: Math.min(...samples[j]),
    ratio: median(samples[j]) / base,
  }));
  const budgets = [
    undefined,
    { ok: rows[1].ratio <= 1.5, text: '≤ 1.5 × node -e 0' },
    { ok: rows[2].median <= 400, text: '≤ 400 ms' },
    { ok: rows[3].median <= 400, text: '≤ 400 ms' },
  ];
  return rows.map((r, j) => ({ ...r, budget: budgets[j] }));
}
