/**
 * A run another live program holds is not ended: a cockpit lives an api-cpu-spike run (started ten minutes
 * in, the incident already open) and acknowledges #1042; a drill then starts on the same journal. The
 * cockpit's handoff (as its handoff screen builds it) still lists as open every incident the sandbox pager
 * says is not resolved. A run whose program is gone (no hold, or a holder whose pid is dead) is still ended.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import { simulatedClock } from '../../../src/core/actions/clock.js';
import { openJournal, type Journal, type Who } from '../../../src/core/journal/index.js';
import type { Person } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/defaults.js';
import { TimelineRecorder } from '../../../src/core/record/recorder.js';
import { RUN_LEASE_TTL_MS, runLeaseKey } from '../../../src/core/record/runLease.js';
import { identity } from '../../../src/core/record/who.js';
import { produceHandoff } from '../../../src/core/reports/produce.js';
import { createSandbox, type Sandbox } from '../../../src/sources/sandbox/sandbox.js';

const MIN = 60_000;
const me: Person = { id: 'aiko', name: 'Aiko Tanaka', email: 'aiko@vitascope.example' };
const meWho: Who = { kind: 'local', id: 'aiko@vitascope.example', name: 'Aiko Tanaka' };

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function world(scenario: string, atMin: number): Sandbox {
  return createSandbox({
    seed: 1,
    scenario,
    speed: 1,
    startOffsetMs: atMin * MIN,
    policy: DEFAULT_POLICY,
    user: me,
    frozen: true,
    run: `r${Math.random().toString(36).slice(2, 7)}`,
  });
}

function recorderOn(journal: Journal, sandbox: Sandbox): TimelineRecorder {
  return new TimelineRecorder({ journal, sources: sandbox, policy: DEFAULT_POLICY, me: identity(meWho, me.email) });
}

async function look(recorder: TimelineRecorder, sandbox: Sandbox): Promise<void> {
  const [alarms, incidents] = await Promise.all([sandbox.alarms!.listAlarms(), sandbox.incidents!.listIncidents({})]);
  await recorder.observe({ alarms, incidents });
  await recorder.settled();
}

function ended(journal: Journal): string[] {
  return journal.query({ kinds: ['run.ended'] }).flatMap((e) => (e.kind === 'run.ended' ? [e.payload.run] : []));
}

function journalIn(dir: string, sandbox: Sandbox): Journal {
  return openJournal(path.join(dir, 'journal.db'), { now: () => sandbox.now() });
}

describe('a live run stays open while another program starts a run on the same journal', () => {
  it("the cockpit's acknowledged, unresolved incident is still open in its handoff after a drill started", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-runs-open-'));
    dirs.push(dir);
    const cockpit = world('api-cpu-spike', 10);
    const journal = journalIn(dir, cockpit);
    const recorder = recorderOn(journal, cockpit);
    recorder.start('cockpit');
    await look(recorder, cockpit);
    const [incident] = await cockpit.incidents!.listIncidents({});
    expect(incident).toBeDefined();
    const outcome = await createActionEngine({
      sources: cockpit,
      actor: me,
      who: meWho,
      clock: simulatedClock(cockpit),
      readonly: false,
      journal,
      journalIncidentId: incident!.id,
      incidentId: incident!.id,
    }).run({ action: 'pagerduty.acknowledge', params: { incident: incident!.id } }, async () => ({
      answer: 'confirm',
    }));
    expect(outcome.status).toBe('verified');
    cockpit.advance(MIN);
    await look(recorder, cockpit);

    // A drill starts (and finishes) on the same journal while the cockpit is open.
    const drill = world('db-connections', 0);
    const drillJournal = journalIn(dir, drill);
    const drillRecorder = recorderOn(drillJournal, drill);
    drillRecorder.start('drill');
    await look(drillRecorder, drill);
    await drillRecorder.close('the drill ended');
    drillJournal.close();
    expect(ended(journal)).toEqual([drill.simulation!.run!]);

    cockpit.advance(MIN);
    await look(recorder, cockpit);
    // Ground truth: what the cockpit's own pager says is not resolved.
    const truth = (await cockpit.incidents!.listIncidents({})).filter((i) => i.status !== 'resolved');
    expect(truth.map((i) => i.status)).toContain('acknowledged');
    const now = Math.floor(cockpit.now());
    const { report } = await produceHandoff(
      {
        journal,
        sources: cockpit,
        policy: DEFAULT_POLICY,
        now,
        environment: 'SANDBOX',
        logOrigin: 'sandbox',
        replay: true,
        run: cockpit.simulation!.run!,
      },
      { from: now - 7 * 24 * 3_600_000, to: now + 1 },
      { lang: 'en', format: 'md', redact: true },
    );
    expect(report.openIncidents.map((i) => [i.id, i.status])).toEqual(truth.map((i) => [i.id, i.status]));
    await recorder.close('the test ended');
    journal.close();
  });

  it('a run left behind by a program that is gone is ended at the next start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-runs-gone-'));
    dirs.push(dir);
    // Killed: started, never closed. One with no hold at all (an older journal), then one held by a pid that is
    // dead (its hold is the recorder's, handed to a process that has exited).
    const bare = world('api-cpu-spike', 10);
    const dead = world('api-cpu-spike', 10);
    const gone = (sandbox: Sandbox, pid?: number) => {
      const j = journalIn(dir, sandbox);
      recorderOn(j, sandbox).start('cockpit');
      const key = runLeaseKey(sandbox.simulation!.run!);
      j.releaseLease(key, j.lease(key)!.token);
      if (pid !== undefined)
        expect(j.takeLease(key, { token: 'killed', pid, host: os.hostname(), user: '' }, RUN_LEASE_TTL_MS).ok).toBe(
          true,
        );
      j.close();
    };
    gone(bare);
    gone(dead, spawnSync(process.execPath, ['-e', '0']).pid!);

    const next = world('db-connections', 0);
    const journal = journalIn(dir, next);
    const recorder = recorderOn(journal, next);
    recorder.start('drill');
    expect(ended(journal).sort()).toEqual([bare.simulation!.run!, dead.simulation!.run!].sort());
    await recorder.close('the test ended');
    // Closed: its hold is released.
    expect(journal.lease(runLeaseKey(next.simulation!.run!))).toBeUndefined();
    journal.close();
  });
});
