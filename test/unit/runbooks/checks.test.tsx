/**
 * No verdict without data in runbook checks: a check whose subject cannot be read (no datapoints, an
 * alarm in INSUFFICIENT_DATA or not there, a source that is missing or fails, an incident start that is
 * not known) is `no-data`, neither pass nor fail; the runner records it as such, takes neither of the
 * branches that wait on a pass or a fail (saying why), resumes it from the journal, and the incident
 * room shows it as "no data", never as a pass.
 */
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { simulatedClock } from '../../../src/core/actions/clock.js';
import type { Alarm } from '../../../src/core/model.js';
import type { Who } from '../../../src/core/journal/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { evaluateCheck } from '../../../src/core/runbooks/checks.js';
import { lintFile } from '../../../src/core/runbooks/lint.js';
import { parseRunbookText } from '../../../src/core/runbooks/load.js';
import { outcomeOf, outcomeText } from '../../../src/core/runbooks/progress.js';
import { drillResponder } from '../../../src/core/runbooks/responder.js';
import { createRunner } from '../../../src/core/runbooks/runner.js';
import type { CheckStep, Runbook } from '../../../src/core/runbooks/schema.js';
import { evaluateWhen } from '../../../src/core/runbooks/when.js';
import type { Sources } from '../../../src/sources/ports.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { createTheme } from '../../../src/ui/theme.js';
import { RoomView } from '../../../src/ui/views/RoomView.js';
import { EMPTY_INPUT } from '../../../src/ui/room.js';
import path from 'node:path';
import { reopen, tempDir, tempJournal } from '../journal/helpers.js';

const MIN = 60_000;
const me = { id: 'local', name: 'Aiko Tanaka' };
const who: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };

function sandbox(minutes = 30) {
  const sb = createSandbox({ seed: 1, scenario: 'db-connections', speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: me, frozen: true });
  sb.advance(minutes * MIN);
  return sb;
}

function check(fields: Partial<CheckStep>): CheckStep {
  return { id: 'c', kind: 'check', title: 'c', ...fields } as CheckStep;
}

describe('a check without data', () => {
  const sb = sandbox();
  const ctx = { sources: sb as Sources, now: sb.now() };

  it('is no-data for a metric with no datapoints, and judged when there are some', async () => {
    const none = await evaluateCheck(check({ metric: { namespace: 'Vitascope/API', name: 'NothingPublishesThis', dimensions: {} }, op: '<', value: 5 }), {}, ctx);
    expect(none).toEqual({ result: 'no-data', detail: 'no datapoints of Vitascope/API NothingPublishesThis in the last 15m' });
    const cpu = await evaluateCheck(check({ metric: { namespace: 'AWS/ECS', name: 'CPUUtilization', dimensions: { ClusterName: 'vitascope-cluster', ServiceName: 'vitascope-api' } }, op: '<', value: 1000 }), {}, ctx);
    expect(cpu.result).toBe('pass');
  });

  it('is no-data for an alarm that is not there or has insufficient data; a real state still passes or fails', async () => {
    expect(await evaluateCheck(check({ alarm: 'vitascope-no-such-alarm', state: 'OK' }), {}, ctx)).toEqual({ result: 'no-data', detail: 'no alarm named vitascope-no-such-alarm' });
    const alarms = await sb.alarms!.listAlarms();
    const firing = alarms.find((a) => a.state === 'ALARM')!;
    expect((await evaluateCheck(check({ alarm: firing.name, state: 'OK' }), {}, ctx)).result).toBe('fail');
    expect((await evaluateCheck(check({ alarm: firing.name, state: 'ALARM' }), {}, ctx)).result).toBe('pass');
    const insufficient: Alarm = { ...firing, name: 'vitascope-quiet', state: 'INSUFFICIENT_DATA' };
    const quiet = { ...ctx, sources: { ...(sb as Sources), alarms: { ...sb.alarms!, listAlarms: async () => [insufficient] } } as Sources };
    expect(await evaluateCheck(check({ alarm: 'vitascope-quiet', state: 'OK' }), {}, quiet)).toEqual({ result: 'no-data', detail: 'alarm vitascope-quiet has insufficient data' });
    expect((await evaluateCheck(check({ alarm: 'vitascope-quiet', state: 'INSUFFICIENT_DATA' }), {}, quiet)).result).toBe('pass');
    expect(await evaluateCheck(check({ rule: insufficient.ruleId }), {}, quiet)).toEqual({ result: 'no-data', detail: `rule ${insufficient.ruleId}: vitascope-quiet with insufficient data` });
    expect(await evaluateCheck(check({ rule: 'error-rate' }), {}, quiet)).toEqual({ result: 'no-data', detail: 'no alarms of rule error-rate' });
  });

  it('is no-data without a source, with a source that fails, or without the incident\'s start', async () => {
    const noServices = { ...ctx, sources: { ...(sb as Sources), services: undefined } as Sources };
    expect(await evaluateCheck(check({ service: 'vitascope-api', condition: 'steady' }), {}, noServices)).toEqual({ result: 'no-data', detail: 'no ECS service source' });
    const failing = { ...ctx, sources: { ...(sb as Sources), services: { listServices: () => Promise.reject(new Error('ECS answered 503')) } } as Sources };
    expect(await evaluateCheck(check({ service: 'vitascope-api', condition: 'steady' }), {}, failing)).toEqual({ result: 'no-data', detail: 'could not be checked: ECS answered 503' });
    expect((await evaluateCheck(check({ service: 'vitascope-api', condition: 'unchanged-since-incident' }), {}, ctx)).result).toBe('no-data');
    expect((await evaluateCheck(check({ service: 'vitascope-api', condition: 'unchanged-since-incident' }), {}, { ...ctx, incidentStart: ctx.now - 10 * MIN })).result).toBe('pass');
  });

  it('satisfies neither `result: pass` nor `result: fail`, only `result: no-data`; its journal text reads back', () => {
    const outcomes = new Map([['c', { result: 'no-data' as const }]]);
    expect(evaluateWhen({ step: 'c', result: 'pass' }, {}, outcomes)).toBe('no');
    expect(evaluateWhen({ step: 'c', result: 'fail' }, {}, outcomes)).toBe('no');
    expect(evaluateWhen({ step: 'c', result: 'no-data' }, {}, outcomes)).toBe('yes');
    const text = outcomeText({ result: 'no-data' }, 'no alarm named x');
    expect(text).toBe('no data: no alarm named x');
    expect(outcomeOf('check', text)).toEqual({ result: 'no-data' });
    expect(outcomeOf('check', 'pass: fine')).toEqual({ result: 'pass' });
  });
});

const RUNBOOK = (() => {
  const linted = lintFile(
    parseRunbookText(
      'no-data.yaml',
      `
id: no-data
title: Checks without data
priority: P2
matches: { rules: [rds-connections] }
phases:
  triage:
    - { id: latency, kind: check, title: Latency under 1 s, metric: { namespace: Vitascope/API, name: NothingPublishesThis, dimensions: {} }, op: "<", value: 1000 }
    - { id: scale, kind: note, title: Scale out, when: { step: latency, result: fail } }
    - { id: fine, kind: note, title: Nothing to do, when: { step: latency, result: pass } }
    - { id: look, kind: note, title: Look at the dashboards by hand, when: { step: latency, result: no-data } }
`,
    ),
  );
  expect(linted.errors).toEqual([]);
  return linted.runbook! as Runbook;
})();

describe('the runner and the room with a check without data', () => {
  it('records no data, takes neither the pass nor the fail branch (saying why), resumes it, and the room shows it', async () => {
    const sb = sandbox();
    const [incident] = await sb.incidents!.listIncidents();
    const file = path.join(tempDir(), 'journal.db');
    const journal = tempJournal({}, file);
    const runner = createRunner({
      runbook: RUNBOOK,
      incident: incident!,
      sources: sb,
      journal,
      journalIncidentId: 'room-nd',
      actor: me,
      who,
      clock: simulatedClock(sb),
      responder: drillResponder({ yes: false }),
    });
    await runner.run();
    journal.close();
    const view = (id: string) => runner.snapshot().steps.find((s) => s.id === id)!;
    expect(view('latency')).toMatchObject({ status: 'done', result: 'no-data', output: 'no data: no datapoints of Vitascope/API NothingPublishesThis in the last 15m' });
    const nd = '“Latency under 1 s” had no data (no datapoints of Vitascope/API NothingPublishesThis in the last 15m)';
    expect(view('scale')).toMatchObject({ status: 'skipped', reason: `cannot tell: it is for when “Latency under 1 s” failed, but ${nd}` });
    expect(view('fine')).toMatchObject({ status: 'skipped', reason: `cannot tell: it is for when “Latency under 1 s” passed, but ${nd}` });
    expect(view('look').status).toBe('done');

    // A new runner over the same journal reads the outcome back as no data.
    const again = reopen(file);
    const resumed = createRunner({ runbook: RUNBOOK, incident: incident!, sources: sb, journal: again, journalIncidentId: 'room-nd', actor: me, who, clock: simulatedClock(sb), responder: drillResponder({ yes: false }) });
    await resumed.run();
    expect(resumed.snapshot().steps.find((s) => s.id === 'latency')).toMatchObject({ result: 'no-data' });

    const frame = render(
      <RoomView
        room={{ id: 'room-nd', incident: incident!, runbook: { id: RUNBOOK.id, title: RUNBOOK.title, priority: RUNBOOK.priority }, runner: runner.snapshot(), running: false }}
        input={EMPTY_INPUT}
        readonly={false}
        now={sb.now()}
        width={140}
        height={40}
        theme={createTheme(false)}
      />,
    ).lastFrame()!;
    expect(frame).toMatch(/\? no data +Latency under 1 s/);
    expect(frame).not.toMatch(/✓ Latency under 1 s/);
  });
});
