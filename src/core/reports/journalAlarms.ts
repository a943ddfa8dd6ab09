import type { Journal, JournalEvent } from '../journal/index.js';
import type { Alarm, AlarmState } from '../model.js';

/**
 * The alarms as the journal knows them: what each watches (from the newest transition or observation that
 * recorded its definition) and the state it was last recorded in. Reports judge and chart alarms from this,
 * never from a source's current list, so the same journal gives the same report whenever it is made.
 */
export function alarmsFromJournal(
  journal: Journal,
  run: string,
  options: { readonly names?: readonly string[]; readonly until?: number } = {},
): Alarm[] {
  const wanted = options.names ? new Set(options.names) : undefined;
  type Ev = Extract<JournalEvent, { kind: 'alarm.transition' | 'alarm.observed' }>;
  const byName = new Map<string, { e: Ev; state: AlarmState; since: number }>();
  // What an alarm watches, from the newest event that says (observations carry it, older events may not).
  const definitions = new Map<string, Ev>();
  for (const e of journal.query({
    kinds: ['alarm.observed', 'alarm.transition'],
    ...(options.until !== undefined ? { until: options.until } : {}),
  })) {
    if (e.kind !== 'alarm.transition' && e.kind !== 'alarm.observed') continue;
    if ((e.payload.run ?? '') !== run) continue;
    const name = e.payload.alarmName;
    if (wanted && !wanted.has(name)) continue;
    const state = e.kind === 'alarm.transition' ? e.payload.to : e.payload.state;
    const since = e.kind === 'alarm.transition' ? e.at : e.payload.since;
    const prev = byName.get(name);
    if (!prev || since >= prev.since) byName.set(name, { e, state, since });
    if (e.payload.metric) definitions.set(name, e);
  }
  return [...byName.entries()].map(([name, { e: latest, state, since }]) => {
    const p = (definitions.get(name) ?? latest).payload;
    return {
      id: latest.payload.alarmId,
      name,
      kind: 'metric',
      state,
      level: p.level ?? 'warning',
      ...(p.metric ? { metric: p.metric } : {}),
      ...(p.threshold !== undefined ? { threshold: p.threshold } : {}),
      ...(p.unit ? { unit: p.unit } : {}),
      ...(p.comparison ? { comparison: p.comparison } : {}),
      ...(p.periodSeconds ? { periodSeconds: p.periodSeconds } : {}),
      ...(p.evaluationPeriods ? { evaluationPeriods: p.evaluationPeriods } : {}),
      ...(p.datapointsToAlarm ? { datapointsToAlarm: p.datapointsToAlarm } : {}),
      ...(p.ruleId ? { ruleId: p.ruleId } : {}),
      stateSince: since,
      actions: [],
    } satisfies Alarm;
  });
}

/** Sandbox runs that have ended, and when: their world is gone, and nothing of theirs is "now" any more. */
export function endedRuns(journal: Journal): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of journal.query({ kinds: ['run.ended'] })) if (e.kind === 'run.ended') out.set(e.payload.run, e.at);
  return out;
}

/** The newest sandbox run the journal holds ('' when there is none: real sources, or an older journal). */
export function latestRun(journal: Journal): string {
  const started = journal.query({ kinds: ['run.started'] }).filter((e) => e.kind === 'run.started');
  // Runs replay the same simulated times: the newest is the one recorded last.
  const last = started.sort((a, b) => a.seq - b.seq).pop();
  return last?.kind === 'run.started' ? last.payload.run : '';
}

/** "SANDBOX run mx3k9a (db-connections, seed 1)": what a sandbox report is about, from the journal itself. */
export function sandboxLabel(journal: Journal, run: string): string {
  if (!run) return 'SANDBOX';
  const started = journal
    .query({ kinds: ['run.started'] })
    .find((e) => e.kind === 'run.started' && e.payload.run === run);
  return started?.kind === 'run.started'
    ? `SANDBOX run ${run} (${started.payload.scenario}, seed ${started.payload.seed})`
    : `SANDBOX run ${run}`;
}
