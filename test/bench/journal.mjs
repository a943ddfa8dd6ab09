// Journal budgets (issue 5): a durable append (synchronous=FULL, WAL) p99 ≤ 1 ms over 5,000 appends, and
// resuming an incident room with 100,000 events (incidentState) ≤ 200 ms. The TypeScript journal module is
// bundled on the fly with esbuild (better-sqlite3 stays external, loaded from this repository's
// node_modules) into a temp dir. Files go to BENCH_JOURNAL_DIR or the OS temp dir: put it on the disk the
// real journal lives on, since fsync cost is the disk's.
import { NODE_BUNDLE_WITH_SQLITE } from '../../scripts/esbuildPlugins.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(new URL('../..', import.meta.url).pathname);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** Bundles src/core/journal/index.ts into outDir/journal.mjs and returns the file's path. */
export async function bundleJournal(outDir, entry = path.join(root, 'src/core/journal/index.ts')) {
  const outfile = path.join(outDir, `${path.basename(entry, path.extname(entry))}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    ...NODE_BUNDLE_WITH_SQLITE,
  });
  return outfile;
}

const who = { kind: 'local', id: 'bench', name: 'Bench' };

/** The i-th event of a plausible incident room: notes, steps, the lifecycle of actions, phases. */
function eventAt(i, incidentId, at) {
  const base = { at, who, incidentId };
  switch (i % 8) {
    case 0:
      return {
        ...base,
        kind: 'note',
        payload: { text: `checked the dashboards, error rate ${i % 7}.${i % 10} % (iteration ${i})` },
      };
    case 1:
      return {
        ...base,
        kind: 'step.started',
        payload: { runbookId: 'api-cpu-high', stepId: `s${i % 40}`, title: `Step ${i % 40}` },
      };
    case 2:
      return {
        ...base,
        kind: 'step.done',
        payload: {
          runbookId: 'api-cpu-high',
          stepId: `s${i % 40}`,
          output: 'desired 4, running 4, pending 0\n'.repeat(3),
        },
      };
    case 3:
      return {
        ...base,
        kind: 'action.planned',
        payload: {
          runId: `r${i >> 3}`,
          actionId: 'autoscaling.set-limits',
          target: 'api',
          params: { service: 'api', min: 4, max: 8 },
          plan: { summary: 'min 2 → 4, max 4 → 8' },
        },
      };
    case 4:
      return {
        ...base,
        kind: 'action.confirmed',
        payload: { runId: `r${i >> 3}`, actionId: 'autoscaling.set-limits', target: 'api' },
      };
    case 5:
      return {
        ...base,
        kind: 'action.applied',
        payload: {
          runId: `r${i >> 3}`,
          actionId: 'autoscaling.set-limits',
          target: 'api',
          output: 'RegisterScalableTarget: 200 OK',
        },
      };
    case 6:
      return {
        ...base,
        kind: 'action.verified',
        payload: { runId: `r${i >> 3}`, actionId: 'autoscaling.set-limits', target: 'api', output: 'CPU 62 %' },
      };
    default:
      return {
        ...base,
        kind: 'phase.entered',
        payload: { phase: ['detect', 'triage', 'investigate', 'resolve'][i % 4] },
      };
  }
}

/** Linux pressure stall counters (µs some task waited on CPU / IO), to tell a slow disk from a busy machine. */
function stalls() {
  const read = (what) => {
    try {
      const m = /^some .*total=(\d+)/m.exec(fs.readFileSync(`/proc/pressure/${what}`, 'utf8'));
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  };
  return { at: performance.now(), cpu: read('cpu'), io: read('io') };
}

/** "cpu 31 %, io 12 %" of the wall time between two stalls() readings, when the kernel reports them. */
function stallNote(a, b) {
  const wallUs = (b.at - a.at) * 1000;
  const pct = (x, y) => (x === undefined || y === undefined ? undefined : `${Math.round((100 * (y - x)) / wallUs)} %`);
  const cpu = pct(a.cpu, b.cpu);
  const io = pct(a.io, b.io);
  return cpu && io
    ? `other work stalled this machine during the append runs: cpu ${cpu}, io ${io} of the time (fsync latency follows the disk)`
    : undefined;
}

/** Per-append latencies (ms) of `count` appends to a fresh journal, after a short warm-up. */
function appendLatencies(mod, dir, count) {
  const journal = mod.openJournal(path.join(dir, `append-${Date.now()}-${Math.random().toString(16).slice(2)}.db`));
  try {
    journal.upsertIncident({ id: 'INC-1', title: 'API CPU high', status: 'triggered', source: 'local', createdAt: 0 });
    const t0 = Date.now();
    for (let i = 0; i < 200; i++) journal.append(eventAt(i, 'INC-1', t0 + i));
    const samples = new Array(count);
    for (let i = 0; i < count; i++) {
      const e = eventAt(i, 'INC-1', t0 + 200 + i);
      const start = process.hrtime.bigint();
      journal.append(e);
      samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
    }
    return samples;
  } finally {
    journal.close();
  }
}

/**
 * A journal holding one incident with `count` events one second apart (a 28-hour incident at 100,000),
 * plus a little noise from another incident. The last `tail` events are appended after the snapshot
 * refresh that appending schedules has run (resume.ts refreshes every 5,000 events), so a resume folds
 * the snapshot plus those and the watermark's lag: the most a resume folds in normal running.
 */
export async function buildResumeJournal(mod, file, count = 100_000, tail = 4_999) {
  const journal = mod.openJournal(file);
  journal.upsertIncident({
    id: 'INC-BIG',
    title: 'DB connections exhausted',
    status: 'acknowledged',
    source: 'local',
    createdAt: 0,
  });
  const t0 = 1_700_000_000_000;
  const chunk = 2_000;
  const append = (from, to) => {
    for (let start = from; start < to; start += chunk) {
      const events = [];
      for (let i = start; i < Math.min(to, start + chunk); i++) events.push(eventAt(i, 'INC-BIG', t0 + i * 1_000));
      events.push(eventAt(start, 'INC-OTHER', t0 + start * 1_000));
      journal.appendMany(events);
    }
  };
  append(0, count - tail);
  await new Promise((resolve) => setImmediate(resolve)); // the scheduled snapshot refresh runs here
  append(count - tail, count);
  return journal;
}

export async function benchJournal(runs = 11) {
  const parent = process.env.BENCH_JOURNAL_DIR ?? os.tmpdir();
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, 'vo-journal-bench-'));
  try {
    const mod = await import(pathToFileURL(await bundleJournal(dir)).href);
    const appendRuns = Math.max(3, Math.min(runs, 7));
    const p50s = [];
    const p99s = [];
    const before = stalls();
    for (let r = 0; r < appendRuns; r++) {
      const samples = appendLatencies(mod, dir, 5_000);
      p50s.push(percentile(samples, 50));
      p99s.push(percentile(samples, 99));
    }
    const note = stallNote(before, stalls());

    const journal = await buildResumeJournal(mod, path.join(dir, 'resume.db'));
    const resume = [];
    const rebuild = [];
    try {
      journal.incidentState('INC-BIG'); // warm the page cache and the JIT
      for (let r = 0; r < runs; r++) {
        let start = process.hrtime.bigint();
        const state = journal.incidentState('INC-BIG');
        resume.push(Number(process.hrtime.bigint() - start) / 1e6);
        if (state.eventCount !== 100_000) throw new Error(`resume saw ${state.eventCount} events, expected 100000`);
        if (r < Math.min(runs, 5)) {
          start = process.hrtime.bigint();
          journal.incidentState('INC-BIG', { rebuild: true });
          rebuild.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
      }
    } finally {
      journal.close();
    }

    const row = (name, samples, budgetMs) => ({
      name,
      median: median(samples),
      min: Math.min(...samples),
      ratio: median(samples) / budgetMs,
      budget: budgetMs === undefined ? undefined : { ok: median(samples) <= budgetMs, text: `≤ ${budgetMs} ms` },
    });
    const rows = [
      { ...row(`durable append p50 (5,000 appends × ${appendRuns} runs)`, p50s, 1), budget: undefined },
      row(`durable append p99 (5,000 appends × ${appendRuns} runs)`, p99s, 1),
      row('resume a 100,000-event incident (snapshot + newer)', resume, 200),
      // The fallback when no snapshot is usable (first resume after an upgrade, an old event recorded late).
      { ...row('  the same, folding all 100,000 events (no snapshot)', rebuild, 200), budget: undefined },
    ];
    return Object.assign(rows, { note: [`files in ${parent}`, note].filter(Boolean).join('; ') });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
