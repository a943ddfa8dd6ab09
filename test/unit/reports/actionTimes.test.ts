/**
 * An action's time in the reports is when it was applied, not when it was planned: a scripted responder
 * plans the database reboot, takes minutes to confirm it (the world goes on, the recorder keeps looking),
 * and every report's action time is checked against the journal's own action.applied event, the planned
 * time only where it is called that.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess as cli } from '../../harness/inProcess.js';
import { isolatedEnv } from '../../harness/cli.js';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import { simulatedClock, type Clock } from '../../../src/core/actions/clock.js';
import { journalPath, openJournal, type Who } from '../../../src/core/journal/index.js';
import type { Person } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/defaults.js';
import { TimelineRecorder } from '../../../src/core/record/recorder.js';
import { identity } from '../../../src/core/record/who.js';
import { actionRuns } from '../../../src/core/reports/actions.js';
import { createFormatter } from '../../../src/core/reports/format.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';

const MIN = 60_000;
/** How long the responder looks at the plan before confirming it. */
const THINKING_MIN = 7;
const me: Person = { id: 'aiko', name: 'Aiko Tanaka', email: 'aiko@vitascope.example' };
const meWho: Who = { kind: 'local', id: 'aiko@vitascope.example', name: 'Aiko Tanaka' };

const env = isolatedEnv({ VITASCOPE_ONCALL_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'vo-action-times-')) });
afterAll(() => {
  for (const d of [env.HOME!, env.VITASCOPE_ONCALL_DATA_DIR!]) fs.rmSync(d, { recursive: true, force: true });
});

interface Played {
  readonly incidentId: string;
  readonly runId: string;
  /** The journal's own events of the remedy: its plan and its (first) apply. */
  readonly plannedAt: number;
  readonly appliedAt: number;
}

/** db-connections: the responder plans the reboot at once and confirms it THINKING_MIN minutes later. */
async function play(file: string): Promise<Played> {
  const run = `atim${Math.floor(Math.random() * 1e4)}`;
  const sandbox = createSandbox({
    seed: 1,
    scenario: 'db-connections',
    speed: 1,
    startOffsetMs: 0,
    policy: DEFAULT_POLICY,
    user: me,
    frozen: true,
    run,
  });
  const journal = openJournal(file, { now: () => sandbox.now() });
  const recorder = new TimelineRecorder({
    journal,
    sources: sandbox,
    policy: DEFAULT_POLICY,
    me: identity(meWho, me.email),
  });
  recorder.start('cockpit');
  const look = async () => {
    const [alarms, incidents] = await Promise.all([sandbox.alarms!.listAlarms(), sandbox.incidents!.listIncidents({})]);
    await recorder.observe({ alarms, incidents });
  };
  const inner = simulatedClock(sandbox);
  const clock: Clock = {
    now: () => inner.now(),
    pollMs: inner.pollMs,
    wait: async (ms, signal) => (await inner.wait(ms, signal), await look()),
  };
  let incidentId: string | undefined;
  for (let minute = 0; minute < 60 && !incidentId; minute++) {
    await clock.wait(MIN);
    incidentId = (await sandbox.incidents!.listIncidents({}))[0]?.id;
  }
  expect(incidentId, 'the scenario opened an incident').toBeDefined();
  const remedy = sandbox.scenario.remedyAction!;
  const recovers = sandbox.scenario.recovers ?? [];
  const engine = createActionEngine({
    sources: sandbox,
    actor: me,
    who: meWho,
    clock,
    readonly: false,
    journal,
    journalIncidentId: incidentId!,
    incidentId: incidentId!,
  });
  let asked = 0;
  const outcome = await engine.run(
    {
      action: remedy.id,
      params: remedy.params,
      ...(recovers[0] ? { verify: { alarm: recovers[0], state: 'OK', timeoutMs: 30 * MIN } } : {}),
    },
    async () => {
      // The first time only: the plan is read, discussed, and confirmed minutes later.
      if (asked++ === 0) for (let m = 0; m < THINKING_MIN; m++) await clock.wait(MIN);
      return { answer: 'confirm' };
    },
  );
  expect(outcome.status, JSON.stringify(outcome)).toBe('verified');
  for (let m = 0; m < 5; m++) await clock.wait(MIN);
  await recorder.close('the test ended');
  const events = journal.query({ incidentId: incidentId! });
  journal.close();
  const mine = (kind: 'action.planned' | 'action.applied') =>
    events.flatMap((e) =>
      e.kind === kind && e.payload.actionId === remedy.id ? [{ at: e.at, runId: e.payload.runId }] : [],
    );
  const applied = mine('action.applied');
  expect(applied).toHaveLength(1);
  const runId = applied[0]!.runId;
  const planned = mine('action.planned').filter((e) => e.runId === runId);
  return {
    incidentId: incidentId!,
    runId,
    plannedAt: Math.min(...planned.map((e) => e.at)),
    appliedAt: applied[0]!.at,
  };
}

describe('action times in the reports: when applied, from the journal', () => {
  const file = journalPath(env, 'sandbox');
  let p: Played;
  beforeAll(async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    p = await play(file);
  }, 120_000);

  it('the scenario is the one this test is about: the confirmation came minutes after the plan', () => {
    expect(p.appliedAt - p.plannedAt).toBeGreaterThanOrEqual(THINKING_MIN * MIN);
  });

  it('the action runs carry the applied time as their time, the plan as plannedAt', () => {
    const journal = openJournal(file);
    try {
      const run = actionRuns(journal.query({ incidentId: p.incidentId })).find((a) => a.runId === p.runId)!;
      expect(run.at).toBe(p.appliedAt);
      expect(run.appliedAt).toBe(p.appliedAt);
      expect(run.plannedAt).toBe(p.plannedAt);
      // The same whatever order the events come in.
      const reversed = actionRuns(journal.query({ incidentId: p.incidentId }).reverse()).find(
        (a) => a.runId === p.runId,
      )!;
      expect(reversed).toEqual(run);
    } finally {
      journal.close();
    }
  });

  it('the incident report (JSON and --verbose Markdown) times the action at its apply', async () => {
    const json = await cli(['--demo', 'report', p.incidentId, '--format', 'json'], env);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as {
      actions: { runId: string; at: string; plannedAt: string }[];
      mitigation?: { at: string };
    };
    const action = report.actions.find((a) => a.runId === p.runId)!;
    expect(Date.parse(action.at)).toBe(p.appliedAt);
    expect(Date.parse(action.plannedAt)).toBe(p.plannedAt);
    // "Mitigated" and the actions table say the same time.
    expect(Date.parse(report.mitigation!.at)).toBe(p.appliedAt);

    const md = await cli(['--demo', '--utc', 'report', p.incidentId, '--verbose'], env);
    expect(md.code, md.stderr).toBe(0);
    const f = createFormatter('en', 'UTC');
    const rows = md.stdout.split('\n').filter((l) => /^\| [^|]+ \| `rds\.reboot` \|/.test(l));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.startsWith(`| ${f.shortDateTime(p.appliedAt)} |`), rows[0]).toBe(true);
    expect(f.shortDateTime(p.plannedAt)).not.toBe(f.shortDateTime(p.appliedAt));
  });

  it("the handoff's actions (JSON) time the action at its apply", async () => {
    const r = await cli(['--demo', 'handoff', '--format', 'json'], env);
    expect(r.code, r.stderr).toBe(0);
    const handoff = JSON.parse(r.stdout) as {
      actions: { runId: string; at: string; plannedAt: string }[];
      next: { changes: { at: string; what: string }[] };
    };
    const action = handoff.actions.find((a) => a.runId === p.runId)!;
    expect(Date.parse(action.at)).toBe(p.appliedAt);
    expect(Date.parse(action.plannedAt)).toBe(p.plannedAt);
    const change = handoff.next.changes.find((c) => c.what.startsWith('rds.reboot '))!;
    expect(Date.parse(change.at)).toBe(p.appliedAt);
  });
});
