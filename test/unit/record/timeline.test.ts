/**
 * The one timeline, end to end on the sandbox: a scripted responder works three scenarios while the
 * recorder looks at the world every simulated minute (as the cockpit's live model would). Things also
 * happen on the source's side: a teammate acknowledges in PagerDuty, PagerDuty escalates, the pager
 * resolves incidents by itself when their alarms are OK. The program is "killed" and restarted mid-incident
 * (the world goes on while it is away) and once more at the end.
 *
 * Then every report is made from the journal alone, through the CLI, and its facts are checked against the
 * sandbox's own ground truth (the pager's records, the alarms' history, the world's metrics), not against
 * strings the report code produced. The same reports come out byte for byte whatever --scenario, --seed
 * and --at say.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../harness/inProcess.js';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import { simulatedClock, type Clock } from '../../../src/core/actions/clock.js';
import {
  journalPath,
  openJournal,
  type Journal,
  type JournalEvent,
  type Who,
} from '../../../src/core/journal/index.js';
import type { AlarmHistoryItem, Incident, Person, Point, TimelineEntry } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/defaults.js';
import { impactQueries } from '../../../src/core/record/evidence.js';
import { TimelineRecorder } from '../../../src/core/record/recorder.js';
import { identity } from '../../../src/core/record/who.js';
import { createSandbox, type Sandbox } from '../../../src/sources/sandbox/sandbox.js';
import { isolatedEnv } from '../../harness/cli.js';

const MIN = 60_000;
const me: Person = { id: 'aiko', name: 'Aiko Tanaka', email: 'aiko@vitascope.example' };
const meWho: Who = { kind: 'local', id: 'aiko@vitascope.example', name: 'Aiko Tanaka' };
const kenji: Person = { id: 'PKENJI', name: 'Kenji Sato' };

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const cli = runInProcess;

/** One scenario played by the scripted responder; the world stays in memory for the ground truth. */
interface Played {
  readonly scenario: string;
  readonly run: string;
  readonly sandbox: Sandbox;
  readonly incident: Incident;
  readonly log: readonly TimelineEntry[];
  readonly history: ReadonlyMap<string, readonly AlarmHistoryItem[]>;
  /** When the responder's remedy was applied (the action's apply), if there was one. */
  readonly remedyAppliedAt?: number;
  /** When the remedy was verified (the end of its own outage, if it caused one). */
  readonly remedyVerifiedAt?: number;
  /** Every alarm's history in the world (for alarms outside the incident that fired through the remedy). */
  readonly worldHistory: ReadonlyMap<string, readonly AlarmHistoryItem[]>;
}

interface Script {
  readonly scenario: string;
  /** Who acknowledges, and how many minutes after the incident opened; none: nobody does. */
  readonly ack?: { readonly by: 'me' | 'teammate'; readonly after: number };
  /** Apply the scenario's remedy this many minutes after the incident opened. */
  readonly remedyAfter?: number;
  /** A note from the responder (a root cause), written after the remedy. */
  readonly note?: string;
  /** Kill the program this many minutes after the incident opened, and start it again this much later. */
  readonly restart?: { readonly after: number; readonly awayMinutes: number };
  /** Minutes to play at most. */
  readonly limit: number;
}

async function play(file: string, script: Script): Promise<Played> {
  const run = `t${script.scenario.slice(0, 4)}${Math.floor(Math.random() * 1e4)}`;
  const sandbox = createSandbox({
    seed: 1,
    scenario: script.scenario,
    speed: 1,
    startOffsetMs: 0,
    policy: DEFAULT_POLICY,
    user: me,
    frozen: true,
    run,
  });
  let journal: Journal = openJournal(file, { now: () => sandbox.now() });
  let recorder: TimelineRecorder | undefined = new TimelineRecorder({
    journal,
    sources: sandbox,
    policy: DEFAULT_POLICY,
    me: identity(meWho, me.email),
  });
  recorder.start('cockpit');
  const look = async () => {
    if (!recorder) return;
    const [alarms, incidents] = await Promise.all([sandbox.alarms!.listAlarms(), sandbox.incidents!.listIncidents({})]);
    await recorder.observe({ alarms, incidents });
  };
  // Every wait of the engine (its verification) moves the world a minute and lets the recorder look.
  const inner = simulatedClock(sandbox);
  const clock: Clock = {
    now: () => inner.now(),
    pollMs: inner.pollMs,
    wait: async (ms, signal) => (await inner.wait(ms, signal), await look()),
  };
  let incident: Incident | undefined;
  let acked = false;
  let remedied = false;
  let restarted = false;
  let remedyAppliedAt: number | undefined;
  let remedyVerifiedAt: number | undefined;
  const scenario = sandbox.scenario;
  const engineFor = (id: string) =>
    createActionEngine({
      sources: sandbox,
      actor: me,
      who: meWho,
      clock,
      readonly: false,
      journal,
      journalIncidentId: id,
      incidentId: id,
    });
  for (let minute = 0; minute < script.limit; minute++) {
    await clock.wait(MIN);
    incident ??= (await sandbox.incidents!.listIncidents({}))[0];
    if (!incident) continue;
    const since = (sandbox.now() - incident.createdAt) / MIN;
    if (script.restart && !restarted && since >= script.restart.after) {
      // Killed: no close, no goodbye. The world goes on without anyone looking.
      restarted = true;
      recorder = undefined;
      journal.close();
      for (let m = 0; m < script.restart.awayMinutes; m++) sandbox.advance(MIN);
      journal = openJournal(file, { now: () => sandbox.now() });
      recorder = new TimelineRecorder({
        journal,
        sources: sandbox,
        policy: DEFAULT_POLICY,
        me: identity(meWho, me.email),
      });
      await look();
    }
    if (script.ack && !acked && since >= script.ack.after) {
      acked = true;
      const current = (await sandbox.incidents!.getIncident(incident.id))!;
      if (current.status === 'triggered') {
        if (script.ack.by === 'teammate') sandbox.world.pager.acknowledge(incident.id, kenji, sandbox.now());
        else
          await engineFor(incident.id).run(
            { action: 'pagerduty.acknowledge', params: { incident: incident.id } },
            async () => ({ answer: 'confirm' }),
          );
      }
    }
    if (script.remedyAfter !== undefined && !remedied && since >= script.remedyAfter) {
      remedied = true;
      const remedy = scenario.remedyAction!;
      const recovers = scenario.recovers ?? [];
      const before = sandbox.now();
      const outcome = await engineFor(incident.id).run(
        {
          action: remedy.id,
          params: remedy.params,
          ...(recovers[0] ? { verify: { alarm: recovers[0], state: 'OK', timeoutMs: 30 * MIN } } : {}),
        },
        async () => ({ answer: 'confirm' }),
      );
      expect(outcome.status, JSON.stringify(outcome)).toBe('verified');
      remedyAppliedAt = journal
        .query({ incidentId: incident.id, kinds: ['action.applied'], since: before })
        .find((e) => e.kind === 'action.applied' && e.payload.actionId === remedy.id)?.at;
      remedyVerifiedAt = journal
        .query({ incidentId: incident.id, kinds: ['action.verified'], since: before })
        .find((e) => e.kind === 'action.verified')?.at;
      if (script.note)
        journal.append({ kind: 'note', who: meWho, incidentId: incident.id, payload: { text: script.note } });
    }
    const now = (await sandbox.incidents!.getIncident(incident.id))!;
    // Played until resolved, and the time after the recovery the evidence covers.
    if (now.status === 'resolved' && sandbox.now() >= now.resolvedAt! + 35 * MIN) break;
  }
  await recorder!.close('the test ended');
  journal.close();
  const final = (await sandbox.incidents!.getIncident(incident!.id))!;
  const names = [...new Set(final.alarmNames)];
  const history = new Map(
    await Promise.all(names.map(async (n) => [n, await sandbox.alarms!.alarmHistory(n)] as const)),
  );
  return {
    scenario: script.scenario,
    run,
    sandbox,
    incident: final,
    log: await sandbox.incidents!.timeline(incident!.id),
    history,
    worldHistory: new Map(
      await Promise.all(
        (await sandbox.alarms!.listAlarms()).map(
          async (a) => [a.name, await sandbox.alarms!.alarmHistory(a.name)] as const,
        ),
      ),
    ),
    ...(remedyAppliedAt !== undefined ? { remedyAppliedAt } : {}),
    ...(remedyVerifiedAt !== undefined ? { remedyVerifiedAt } : {}),
  };
}

function byKind(events: readonly JournalEvent[], kind: string): JournalEvent[] {
  return events.filter((e) => e.kind === kind);
}

describe('the one timeline, from a scripted shift on the sandbox', () => {
  const env = isolatedEnv({ VITASCOPE_ONCALL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'vo-timeline-')) });
  dirs.push(env.HOME!, env.VITASCOPE_ONCALL_DATA_DIR!);
  const file = journalPath(env, 'sandbox');
  const played: Played[] = [];

  beforeAll(async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // 1. The DB runs out of connections: the responder acknowledges, is killed and restarted mid-incident,
    //    reboots the database; the pager resolves the incident when the alarm is OK.
    played.push(
      await play(file, {
        scenario: 'db-connections',
        ack: { by: 'me', after: 2 },
        restart: { after: 4, awayMinutes: 6 },
        remedyAfter: 12,
        note: 'Root cause: the nightly report job leaks connections (owner: Kenji, by 2026-01-09)',
        limit: 240,
      }),
    );
    // 2. The API's CPU saturates: a teammate acknowledges in PagerDuty; the responder raises the limits.
    played.push(
      await play(file, { scenario: 'api-cpu-spike', ack: { by: 'teammate', after: 5 }, remedyAfter: 8, limit: 240 }),
    );
    // 3. The wearables gateway is down: nobody answers, PagerDuty escalates; the partner recovers and the
    //    pager resolves the incident by itself.
    played.push(await play(file, { scenario: 'dependency-outage', limit: 400 }));
  }, 240_000);

  it('records each change once, at its own time, by whoever made it', () => {
    const journal = openJournal(file);
    try {
      for (const p of played) {
        const events = journal.query({ incidentId: p.incident.id });
        const truth = p.incident;
        // Created once, when the pager opened it.
        expect(byKind(events, 'incident.created').map((e) => e.at)).toEqual([truth.createdAt]);
        // Acknowledged at the pager's time, by whoever the pager says did it.
        const acks = byKind(events, 'incident.acknowledged');
        const ackLog = p.log.filter((e) => e.kind === 'incident.acknowledged');
        expect(acks.map((e) => e.at)).toEqual(ackLog.map((e) => e.at));
        expect(acks.map((e) => e.who.name)).toEqual(ackLog.map((e) => e.who));
        // Escalations by PagerDuty's own rule, each once.
        const escalations = p.log.filter((e) => e.kind === 'incident.escalated');
        expect(byKind(events, 'incident.escalated').map((e) => [e.at, e.who.kind])).toEqual(
          escalations.map((e) => [e.at, 'system']),
        );
        // Resolved once, when the pager resolved it (by itself, when every alarm was OK).
        expect(truth.status).toBe('resolved');
        const resolved = byKind(events, 'incident.resolved');
        expect(resolved.map((e) => [e.at, e.who.kind])).toEqual([[truth.resolvedAt, 'system']]);
        expect(journal.incident(p.incident.id)).toMatchObject({
          status: 'resolved',
          resolvedAt: truth.resolvedAt,
          run: p.run,
        });
        // Every alarm transition of the incident's alarms, once each, with the real previous state.
        for (const [name, history] of p.history) {
          const inRun = journal
            .query({ kinds: ['alarm.transition'] })
            .filter(
              (e) =>
                e.kind === 'alarm.transition' &&
                e.payload.alarmName === name &&
                e.payload.run === p.run &&
                e.at >= p.incident.createdAt - 60 * MIN,
            );
          const truthIn = history.filter((h) => h.at >= p.incident.createdAt - 60 * MIN).sort((a, b) => a.at - b.at);
          expect(
            inRun.map((e) => (e.kind === 'alarm.transition' ? [e.at, e.payload.from, e.payload.to] : [])),
            name,
          ).toEqual(truthIn.map((h) => [h.at, h.from, h.to]));
        }
      }
      // The teammate's acknowledgement is Kenji's, from PagerDuty; the responder's own is local.
      expect(
        byKind(journal.query({ incidentId: played[1]!.incident.id }), 'incident.acknowledged')[0]!.who,
      ).toMatchObject({ kind: 'pagerduty', name: 'Kenji Sato' });
      expect(byKind(journal.query({ incidentId: played[0]!.incident.id }), 'incident.acknowledged')[0]!.who).toEqual(
        meWho,
      );
      // Nobody acknowledged the third.
      expect(byKind(journal.query({ incidentId: played[2]!.incident.id }), 'incident.acknowledged')).toEqual([]);
    } finally {
      journal.close();
    }
  });

  it('a restart at the end records nothing more', async () => {
    const journal = openJournal(file);
    try {
      const before = journal.query({}).length;
      for (const p of played) {
        // A new program looking at the same (finished) world: everything is already recorded.
        const recorder = new TimelineRecorder({
          journal,
          sources: p.sandbox,
          policy: DEFAULT_POLICY,
          me: identity(meWho, me.email),
        });
        await recorder.observe({
          alarms: await p.sandbox.alarms!.listAlarms(),
          incidents: await p.sandbox.incidents!.listIncidents({}),
        });
        await recorder.settled();
      }
      expect(journal.query({}).length).toBe(before);
    } finally {
      journal.close();
    }
  });

  it('reports say what happened: times, people, statuses and figures, from the journal alone', async () => {
    for (const p of played) {
      const r = await cli(['--demo', 'report', p.incident.id, '--format', 'json'], env);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as Record<string, any>;
      const truth = p.incident;
      expect(report.incident.status).toBe('resolved');
      expect(Date.parse(report.incident.resolvedAt)).toBe(truth.resolvedAt);
      expect(Date.parse(report.detection.triggeredAt)).toBe(truth.createdAt);
      if (truth.acknowledgedAt !== undefined) {
        expect(report.detection.timeToAcknowledgeMs).toBe(truth.acknowledgedAt - truth.createdAt);
        expect(report.detection.acknowledgedBy).toBe(p.log.find((e) => e.kind === 'incident.acknowledged')!.who);
      } else {
        expect(report.detection.timeToAcknowledgeMs).toBeUndefined();
      }
      expect(report.detection.escalations).toBe(p.log.filter((e) => e.kind === 'incident.escalated').length);
      expect(report.status.alarmsStillInAlarm).toEqual([]);
      // The impact window: from the first of its alarms entering ALARM to the last returning to OK, and
      // not before any alarm that fired since the incident opened and was in ALARM through the remedy's
      // own outage (its apply to its verification) is OK again.
      const firings = [...p.history.values()].flat();
      const inAlarmAt = (h: readonly AlarmHistoryItem[], t: number) =>
        [...h].filter((x) => x.at <= t).sort((a, b) => b.at - a.at)[0]?.to === 'ALARM';
      const throughRemedy = [...p.worldHistory.entries()].filter(([name, h]) => {
        if (p.remedyAppliedAt === undefined || p.history.has(name)) return false;
        const to = p.remedyVerifiedAt ?? p.remedyAppliedAt;
        const fired = h.some((x) => x.to === 'ALARM' && x.at >= truth.createdAt && x.at <= to);
        let during = false;
        for (let t = p.remedyAppliedAt; t <= to && !during; t += 1000) during = inAlarmAt(h, t);
        return fired && during;
      });
      const lastOk = Math.max(
        ...[...p.history.values()].map((h) => Math.max(...h.filter((x) => x.to === 'OK').map((x) => x.at))),
        ...throughRemedy.map(([, h]) =>
          Math.min(...h.filter((x) => x.to === 'OK' && x.at >= p.remedyAppliedAt!).map((x) => x.at)),
        ),
      );
      expect(Date.parse(report.impact.end)).toBe(lastOk);
      expect(Date.parse(report.impact.start)).toBe(
        Math.min(
          truth.createdAt,
          ...firings.filter((h) => h.to === 'ALARM' && h.at >= truth.createdAt - 6 * 60 * MIN).map((h) => h.at),
        ),
      );
      // Actions with their outcome: the remedy, verified, by the responder.
      if (p.remedyAppliedAt !== undefined) {
        const remedy = report.actions.find(
          (a: { actionId: string }) => a.actionId === p.sandbox.scenario.remedyAction!.id,
        );
        expect(remedy).toMatchObject({ outcome: 'verified', who: 'Aiko Tanaka' });
      }
    }
  });

  it("the postmortem's figures are the world's own, over the impact window, and its charts exist", async () => {
    const p = played[0]!;
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-pm-'));
    dirs.push(out);
    const r = await cli(['--demo', 'postmortem', p.incident.id, '--out', out, '--lang', 'en'], env);
    expect(r.code, r.stderr).toBe(0);
    const files = r.stdout.trim().split('\n');
    expect(files.filter((f) => f.endsWith('.svg')).length).toBeGreaterThanOrEqual(1);
    const report = JSON.parse(
      (await cli(['--demo', 'report', p.incident.id, '--format', 'json'], env)).stdout,
    ) as Record<string, any>;
    const from = Date.parse(report.impact.start);
    const to = Date.parse(report.impact.end);
    // Ground truth: the world's request and 5xx counts over the window, read from the sandbox that lived it.
    const queries = impactQueries(DEFAULT_POLICY).filter((q) => q.id === 'requests' || q.id === 'errors');
    const series = await p.sandbox.metrics!.getSeries(queries, {
      start: from - 60 * MIN,
      end: to + 60 * MIN,
      stepSeconds: 60,
    });
    const sum = (id: string) =>
      Math.round(
        series
          .find((s) => s.id === id)!
          .points.filter((x: Point) => x.t >= from && x.t < to)
          .reduce((a, x) => a + x.v, 0),
      );
    const md = fs.readFileSync(files[0]!, 'utf8');
    expect(md).toContain(sum('requests').toLocaleString('en-US'));
    expect(md).toContain(sum('errors').toLocaleString('en-US'));
  });

  it('a number the runs share is not picked silently: the candidates are named (exit 2); --run picks one', async () => {
    // Every run numbers from #1042 again: each played scenario's first incident is #1042.
    const numbered = played.filter((p) => p.incident.number === 1042);
    expect(numbered.length).toBe(played.length);
    const byNumber = await cli(['--demo', 'report', '1042', '--format', 'json'], env);
    expect(byNumber.code).toBe(2);
    expect(byNumber.stdout).toBe('');
    for (const p of numbered) {
      expect(byNumber.stderr).toContain(p.incident.id);
      expect(byNumber.stderr).toContain(`run ${p.run} (${p.scenario}, seed`);
    }
    for (const p of numbered) {
      const picked = await cli(['--demo', 'report', '#1042', '--run', p.run, '--format', 'json'], env);
      expect(picked.code, picked.stderr).toBe(0);
      expect((JSON.parse(picked.stdout) as { incident: { id: string } }).incident.id).toBe(p.incident.id);
    }
  });

  it('reports are byte for byte the same whatever --scenario, --seed and --at say', async () => {
    const kinds: string[][] = [
      ['report', played[0]!.incident.id],
      ['report', played[2]!.incident.id, '--format', 'json'],
      ['handoff', '--since', '2d'],
      ['summary', '--period', '7d', '--format', 'json'],
    ];
    for (const k of kinds) {
      const plain = await cli(['--demo', ...k], env);
      expect(plain.code, plain.stderr).toBe(0);
      for (const flags of [
        ['--scenario', 'api-cpu-spike', '--at', '40m'],
        ['--scenario', 'calm', '--seed', '7', '--at', '3h'],
        ['--at', '2d'],
      ]) {
        const other = await cli(['--demo', ...flags, ...k], env);
        expect(other.code, other.stderr).toBe(0);
        expect(other.stdout, `${k.join(' ')} with ${flags.join(' ')}`).toBe(plain.stdout);
      }
    }
  });
});
