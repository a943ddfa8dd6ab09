/**
 * "Recovered" on the sandbox, against its own alarm history: the responder reboots the database late in
 * db-connections, while the API (its database gone) fails requests. The reboot empties the connections, so
 * the incident's own alarm goes OK at once; the API's error-rate alarm, in ALARM through the reboot's
 * outage, recovers only minutes later. The report's recovery is when the last of them is OK again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import { simulatedClock, type Clock } from '../../../src/core/actions/clock.js';
import { journalPath, openJournal, type Who } from '../../../src/core/journal/index.js';
import type { Person } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/defaults.js';
import { TimelineRecorder } from '../../../src/core/record/recorder.js';
import { identity } from '../../../src/core/record/who.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { isolatedEnv } from '../../harness/cli.js';
import { runInProcess } from '../../harness/inProcess.js';

const MIN = 60_000;
const me: Person = { id: 'aiko', name: 'Aiko Tanaka', email: 'aiko@vitascope.example' };
const meWho: Who = { kind: 'local', id: 'aiko@vitascope.example', name: 'Aiko Tanaka' };

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('recovered, by the sandbox alarm history', () => {
  it("is not before an alarm that fired through the reboot's own outage is OK again", async () => {
    const env = isolatedEnv({ VITASCOPE_ONCALL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'vo-outage-')) });
    dirs.push(env.HOME!, env.VITASCOPE_ONCALL_DATA_DIR!);
    const file = journalPath(env, 'sandbox');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const sandbox = createSandbox({
      seed: 1,
      scenario: 'db-connections',
      speed: 1,
      startOffsetMs: 0,
      policy: DEFAULT_POLICY,
      user: me,
      frozen: true,
      run: 'toutage',
    });
    const journal = openJournal(file, { now: () => sandbox.now() });
    let id: string | undefined;
    let applied: number | undefined;
    let verified: number | undefined;
    try {
      const recorder = new TimelineRecorder({
        journal,
        sources: sandbox,
        policy: DEFAULT_POLICY,
        me: identity(meWho, me.email),
      });
      recorder.start('cockpit');
      const look = async () => {
        const [alarms, incidents] = await Promise.all([
          sandbox.alarms!.listAlarms(),
          sandbox.incidents!.listIncidents({}),
        ]);
        await recorder.observe({ alarms, incidents });
      };
      const inner = simulatedClock(sandbox);
      const clock: Clock = {
        now: () => inner.now(),
        pollMs: inner.pollMs,
        wait: async (ms, signal) => (await inner.wait(ms, signal), await look()),
      };
      for (let minute = 0; minute < 180; minute++) {
        await clock.wait(MIN);
        id ??= (await sandbox.incidents!.listIncidents({}))[0]?.id;
        if (!id) continue;
        const now = (await sandbox.incidents!.getIncident(id))!;
        // Late: the API has been failing requests for a while when the database is rebooted.
        if (applied === undefined && sandbox.now() - now.createdAt >= 26 * MIN) {
          const remedy = sandbox.scenario.remedyAction!;
          const before = sandbox.now();
          const outcome = await createActionEngine({
            sources: sandbox,
            actor: me,
            who: meWho,
            clock,
            readonly: false,
            journal,
            journalIncidentId: id,
            incidentId: id,
          }).run(
            {
              action: remedy.id,
              params: remedy.params,
              verify: { alarm: sandbox.scenario.recovers![0]!, state: 'OK', timeoutMs: 30 * MIN },
            },
            async () => ({ answer: 'confirm' }),
          );
          expect(outcome.status, JSON.stringify(outcome)).toBe('verified');
          const stages = journal.query({ incidentId: id, since: before });
          applied = stages.find((e) => e.kind === 'action.applied')!.at;
          verified = stages.find((e) => e.kind === 'action.verified')?.at ?? sandbox.now();
        }
        if (applied !== undefined && sandbox.now() - now.createdAt >= 90 * MIN) break;
      }
      await recorder.close('the test ended');
    } finally {
      journal.close();
    }
    // Ground truth: the sandbox's alarm history, every alarm of the world.
    const incident = (await sandbox.incidents!.getIncident(id!))!;
    const history = new Map(
      await Promise.all(
        (await sandbox.alarms!.listAlarms()).map(
          async (a) => [a.name, await sandbox.alarms!.alarmHistory(a.name)] as const,
        ),
      ),
    );
    const okAfter = (name: string, t: number) =>
      Math.min(
        ...history
          .get(name)!
          .filter((h) => h.to === 'OK' && h.at >= t)
          .map((h) => h.at),
      );
    const inAlarmAt = (name: string, t: number) => {
      const last = history
        .get(name)!
        .filter((h) => h.at <= t)
        .sort((a, b) => b.at - a.at)[0];
      return last?.to === 'ALARM';
    };
    // Alarms in ALARM during the reboot (apply → verification) that fired after the incident opened.
    const outage = [...history.keys()].filter((n) => {
      for (let t = applied!; t <= verified!; t += MIN) if (inAlarmAt(n, t)) return true;
      return false;
    });
    const own = incident.alarmNames.map((n) => okAfter(n, incident.createdAt));
    const truth = Math.max(...own, ...outage.map((n) => okAfter(n, applied!)));
    // The case in point: the incident's own alarm is OK before the API's error rate is.
    expect(outage).toContain('vitascope-api-error-rate-critical');
    expect(Math.max(...own)).toBeLessThan(truth);
    expect(
      history.get('vitascope-api-error-rate-critical')!.some((h) => h.to === 'ALARM' && h.at >= incident.createdAt),
    ).toBe(true);

    const r = await runInProcess(['--demo', 'report', id!, '--format', 'json'], env);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      impact: { end: string };
      recovery: { at: string; by: string };
      timeline: { at: string; kind: string; summary: string; alarmTo?: string }[];
    };
    // The timeline says why: the alarm the recovery waited for is OK at that moment.
    expect(
      report.timeline.some(
        (t) =>
          t.kind === 'alarm' &&
          t.summary.startsWith('vitascope-api-error-rate-critical: ') &&
          t.alarmTo === 'OK' &&
          Date.parse(t.at) === truth,
      ),
      JSON.stringify(report.timeline.filter((t) => t.kind === 'alarm')),
    ).toBe(true);
    expect(Date.parse(report.recovery.at)).toBe(truth);
    expect(report.recovery.by).toBe('alarm');
    expect(Date.parse(report.impact.end)).toBe(truth);
  }, 120_000);
});
