// Reports budget (issue 6): a week with 1,000 incidents and 100,000 journal events → the handoff (gathered
// from the journal and an in-memory incident source holding the same incidents plus their log entries,
// analysed, redacted and rendered as Markdown) in ≤ 1 s, median of several runs. The TypeScript modules are
// bundled on the fly with esbuild (better-sqlite3 stays external, loaded from this repository's
// node_modules) into a temp dir; the journal file goes to BENCH_JOURNAL_DIR or the OS temp dir.
import { NODE_BUNDLE_WITH_SQLITE } from '../../scripts/esbuildPlugins.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(new URL('../..', import.meta.url).pathname);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Monday 2026-01-05 10:00 Asia/Tokyo. */
const WEEK_START = Date.UTC(2026, 0, 5, 1);
const INCIDENTS = 1_000;
const EVENTS_PER_INCIDENT = 100;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function bundle(outDir) {
  const outfile = path.join(outDir, 'reports.mjs');
  const src = (p) => JSON.stringify(path.join(root, p));
  await build({
    stdin: {
      contents: [
        `export { openJournal } from ${src('src/core/journal/index.ts')};`,
        `export { produceHandoff } from ${src('src/core/reports/index.ts')};`,
        `export { DEFAULT_POLICY } from ${src('src/core/policy/overrides.ts')};`,
        `export { loadRunbooks } from ${src('src/core/runbooks/load.ts')};`,
        `export { shiftsBetween } from ${src('src/sources/sandbox/oncall.ts')};`,
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'bench-reports-entry.ts',
    },
    outfile,
    ...NODE_BUNDLE_WITH_SQLITE,
  });
  return outfile;
}

const ALARMS = [
  'vitascope-api-high-cpu-warning',
  'vitascope-api-high-cpu-critical',
  'vitascope-worker-high-memory-warning',
  'vitascope-api-high-latency-warning',
  'vitascope-api-error-rate-warning',
  'vitascope-db-connections-warning',
  'vitascope-sync-queue-depth-warning',
  'vitascope-sync-failures-warning',
  'vitascope-api-auth-failures-warning',
  'legacy-batch-export-stalled',
];
const PRIORITIES = ['P1', 'P2', 'P2', 'P3', 'P3', 'P3', 'P4'];
const aiko = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };
const kenji = { kind: 'pagerduty', id: 'PUKENJ', name: 'Kenji Sato' };

/** The events of the i-th incident of the week: 100 of them, an incident room's worth. */
function incidentEvents(i) {
  const id = `INC-${String(i).padStart(4, '0')}`;
  const created = WEEK_START + Math.floor((i * 7 * DAY) / INCIDENTS);
  const alarm = ALARMS[i % ALARMS.length];
  const who = i % 3 ? aiko : kenji;
  const at = (k) => created + k * 20_000;
  const ev = [];
  const base = (k, kind, payload, extra = {}) => ev.push({ kind, at: at(k), who, incidentId: id, payload, ...extra });
  ev.push({
    kind: 'alarm.transition',
    at: created - 30_000,
    who,
    incidentId: id,
    payload: {
      alarmId: alarm,
      alarmName: alarm,
      from: 'OK',
      to: 'ALARM',
      value: 91 + (i % 9),
      threshold: 90,
      unit: 'percent',
    },
  });
  base(0, 'incident.created', {
    title: `ALARM: ${alarm} (${i})`,
    priority: PRIORITIES[i % PRIORITIES.length],
    source: 'pagerduty',
    service: { id: 'PSVCAPI', name: 'Vitascope API' },
  });
  if (i % 10 !== 9) base(1 + (i % 7), 'incident.acknowledged', {});
  let k = 10;
  for (const phase of ['triage', 'investigate', 'resolve']) base(k++, 'phase.entered', { phase });
  for (let s = 0; s < 24; s++) {
    base(k++, 'step.started', { runbookId: 'cpu-utilization', stepId: `s${s}`, title: `Step ${s}` });
    base(k++, 'step.done', {
      runbookId: 'cpu-utilization',
      stepId: `s${s}`,
      output: `checked: value ${s}, user usr_${(i * 31 + s).toString(16).padStart(6, '0')} fine`,
    });
  }
  for (let r = 0; r < 5; r++) {
    const run = {
      runId: `${id}-r${r}`,
      actionId: r % 2 ? 'ecs.set-desired-count' : 'autoscaling.set-limits',
      target: 'vitascope-api',
    };
    base(k++, 'action.planned', { ...run, plan: { summary: 'desired 2 → 4', changes: ['desired 2 → 4'] } });
    base(k++, 'action.confirmed', run);
    base(k++, 'action.applied', { ...run, output: 'UpdateService 200' });
    base(
      k++,
      r === 4 && i % 13 === 0 ? 'action.failed' : 'action.verified',
      r === 4 && i % 13 === 0
        ? { ...run, stage: 'verify', error: 'alarm still in ALARM' }
        : {
            ...run,
            output: `alarm ${alarm} OK: before ALARM (95 percent), after OK (40 percent), 2m after the change`,
          },
    );
  }
  while (ev.length < EVENTS_PER_INCIDENT - 3)
    base(k++, 'note', { text: `looked at the dashboards (${ev.length}); reporter mail ops${i}@example.com` });
  const end = at(k + 5);
  ev.push({
    kind: 'alarm.transition',
    at: end - 10_000,
    who,
    incidentId: id,
    payload: { alarmId: alarm, alarmName: alarm, from: 'ALARM', to: 'OK' },
  });
  if (i % 17 !== 0) ev.push({ kind: 'incident.resolved', at: end, who, incidentId: id, payload: {} });
  else ev.push({ kind: 'note', at: end, who, incidentId: id, payload: { text: 'still watching' } });
  // Noise: a flapping alarm between incidents, with no incident.
  ev.push({
    kind: 'alarm.transition',
    at: created + 3 * MIN,
    who,
    payload: {
      alarmId: 'noisy',
      alarmName: 'vitascope-worker-high-cpu-warning',
      from: 'OK',
      to: i % 2 ? 'OK' : 'ALARM',
      value: 71,
      threshold: 70,
      unit: 'percent',
    },
  });
  return { id, created, alarm, events: ev.slice(0, EVENTS_PER_INCIDENT) };
}

/** The week in a journal file: 1,000 incidents, 100,000 events, follow-ups and handoff notes. */
function buildWeek(mod, file) {
  const journal = mod.openJournal(file);
  const incidents = [];
  let events = 0;
  for (let i = 0; i < INCIDENTS; i++) {
    const inc = incidentEvents(i);
    events += journal.appendMany(inc.events).length;
    incidents.push(inc);
  }
  for (let f = 0; f < 200; f++) {
    const fu = journal.addFollowUp({
      text: `follow-up ${f}`,
      owner: f % 2 ? 'Kenji Sato' : 'Maya Chen',
      who: aiko,
      incidentId: incidents[f * 5].id,
      at: incidents[f * 5].created + HOUR,
      ...(f % 3 ? { dueAt: WEEK_START + 3 * DAY } : {}),
    });
    if (f % 4 === 0) journal.closeFollowUp(fu.id, { who: aiko, at: incidents[f * 5].created + 2 * HOUR });
  }
  journal.addHandoff({
    text: 'The reporting job again; call me on +81 90-1234-5678.',
    who: aiko,
    at: WEEK_START + 7 * DAY - HOUR,
  });
  return { journal, incidents, events };
}

/** An in-memory PagerDuty: the same incidents (as the team's system of record) and five log entries each. */
function fakeSources(mod, incidents) {
  const list = incidents.map(({ id, created, alarm }, i) => ({
    id,
    title: `ALARM: ${alarm} (${i})`,
    status: i % 17 === 0 ? 'acknowledged' : 'resolved',
    urgency: 'high',
    priority: PRIORITIES[i % PRIORITIES.length],
    service: { id: 'PSVCAPI', name: 'Vitascope API' },
    createdAt: created,
    acknowledgedAt: i % 10 !== 9 ? created + 60_000 : undefined,
    resolvedAt: i % 17 === 0 ? undefined : created + 40 * MIN,
    assignees: [{ id: 'PUAIKO', name: 'Aiko Tanaka' }],
    escalationLevel: 1,
    escalatedAt: created,
    alarmNames: [alarm],
  }));
  const byId = new Map(list.map((i) => [i.id, i]));
  return {
    environment: { kind: 'aws', label: 'BENCH', production: true },
    now: () => WEEK_START + 7 * DAY,
    incidents: {
      listIncidents: async (f = {}) =>
        list.filter(
          (i) =>
            (!f.statuses || f.statuses.includes(i.status)) &&
            (!f.since || i.createdAt >= f.since) &&
            (!f.until || i.createdAt < f.until),
        ),
      getIncident: async (id) => byId.get(id),
      timeline: async (id) => {
        const i = byId.get(id);
        return [
          {
            id: `${id}-1`,
            at: i.createdAt,
            kind: 'incident.triggered',
            summary: 'Triggered',
            who: 'CloudWatch',
            incidentId: id,
          },
          {
            id: `${id}-2`,
            at: i.createdAt + 60_000,
            kind: 'incident.acknowledged',
            summary: 'Acknowledged',
            who: 'Aiko Tanaka',
            incidentId: id,
          },
          {
            id: `${id}-3`,
            at: i.createdAt + 5 * MIN,
            kind: 'note',
            summary: '[vitascope-oncall vo-000000000000] incident journal, 3 events:',
            who: 'Aiko Tanaka',
            incidentId: id,
          },
          {
            id: `${id}-4`,
            at: i.createdAt + 6 * MIN,
            kind: 'note',
            summary: 'Maya: looks like the batch job',
            who: 'Maya Chen',
            incidentId: id,
          },
          {
            id: `${id}-5`,
            at: i.createdAt + 40 * MIN,
            kind: 'incident.resolved',
            summary: 'Resolved',
            who: 'Aiko Tanaka',
            incidentId: id,
          },
        ];
      },
    },
    onCall: {
      onCallNow: async () => [],
      rotation: async (from, to) => mod.shiftsBetween(from, to),
      escalationPolicies: async () => [],
    },
    close: async () => {},
  };
}

export async function benchReports(runs = 11) {
  const parent = process.env.BENCH_JOURNAL_DIR ?? os.tmpdir();
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, 'vo-reports-bench-'));
  try {
    const mod = await import(pathToFileURL(await bundle(dir)).href);
    const { journal, incidents, events } = buildWeek(mod, path.join(dir, 'week.db'));
    if (events !== INCIDENTS * EVENTS_PER_INCIDENT)
      throw new Error(`the week holds ${events} events, expected ${INCIDENTS * EVENTS_PER_INCIDENT}`);
    try {
      const runbooks = mod.loadRunbooks({ shipped: path.join(root, 'runbooks') }).runbooks;
      const sources = fakeSources(mod, incidents);
      const period = { from: WEEK_START, to: WEEK_START + 7 * DAY };
      const ctx = {
        journal,
        sources,
        policy: mod.DEFAULT_POLICY,
        now: period.to,
        environment: 'BENCH + PagerDuty',
        logOrigin: 'pagerduty',
        runbooks,
        timelineLimit: INCIDENTS,
      };
      const once = async () => {
        const start = process.hrtime.bigint();
        const { report, text } = await mod.produceHandoff(ctx, period, { lang: 'en', format: 'md', redact: true });
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (report.totals.incidents !== INCIDENTS)
          throw new Error(`the handoff counted ${report.totals.incidents} incidents, expected ${INCIDENTS}`);
        if (!text.includes('## 8. Next week')) throw new Error('the handoff is incomplete');
        return ms;
      };
      await once(); // warm the page cache and the JIT
      const samples = [];
      for (let r = 0; r < runs; r++) samples.push(await once());
      const budgetMs = 1_000;
      return [
        {
          name: `handoff: ${INCIDENTS.toLocaleString('en')} incidents, ${events.toLocaleString('en')} events, PD log`,
          median: median(samples),
          min: Math.min(...samples),
          ratio: median(samples) / budgetMs,
          budget: { ok: median(samples) <= budgetMs, text: `≤ ${budgetMs} ms` },
        },
      ];
    } finally {
      journal.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
