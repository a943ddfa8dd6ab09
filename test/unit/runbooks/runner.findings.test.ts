/**
 * Logs and traces steps in a runbook walk on the sandbox: the shipped auth-failures runbook finds the
 * attacker's address in the logs and blocks exactly the address the world's attacker uses (read back from the
 * world's blocked set); the finding is journaled and a resumed room has the same values.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulatedClock } from '../../../src/core/actions/clock.js';
import type { Who } from '../../../src/core/journal/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { lintFile } from '../../../src/core/runbooks/lint.js';
import { parseRunbookText } from '../../../src/core/runbooks/load.js';
import { drillResponder } from '../../../src/core/runbooks/responder.js';
import { createRunner } from '../../../src/core/runbooks/runner.js';
import type { Runbook } from '../../../src/core/runbooks/schema.js';
import { runFindingStep } from '../../../src/core/runbooks/steps/findingStep.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { attackerAddress } from '../../../src/sources/sandbox/scenarios.js';
import { tempJournal } from '../journal/helpers.js';

const MIN = 60_000;
const me = { id: 'local', name: 'Aiko Tanaka' };
const who: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };

function shipped(id: string): Runbook {
  const linted = lintFile(parseRunbookText(`runbooks/${id}.yaml`, fs.readFileSync(`runbooks/${id}.yaml`, 'utf8')));
  expect(linted.errors).toEqual([]);
  return linted.runbook!;
}

describe('logs and traces steps in the room', () => {
  it('auth-failures on the brute force: the logs step names the attacker, the block step blocks that address, the finding is journaled', async () => {
    const sb = createSandbox({ seed: 5, scenario: 'auth-bruteforce', speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: me, frozen: true });
    sb.advance((sb.scenario.firesBy + 2) * MIN);
    const [incident] = await sb.incidents!.listIncidents();
    const alarm = (await sb.alarms!.listAlarms()).find((a) => a.ruleId === 'auth-failures' && a.state === 'ALARM')!;
    const journal = tempJournal({ now: () => sb.now() });
    const runner = createRunner({
      runbook: shipped('auth-failures'),
      incident: incident!,
      alarm,
      sources: sb,
      journal,
      journalIncidentId: 'room-auth',
      actor: me,
      who,
      clock: simulatedClock(sb),
      responder: drillResponder({ yes: true }),
      stepTimeMs: 10_000,
    });
    const attacker = attackerAddress(5);
    expect(sb.world.isBlocked(attacker)).toBe(false);
    await runner.run();
    // Ground truth: the world's WAF now blocks the attacker's address, and only it.
    expect(sb.world.isBlocked(attacker)).toBe(true);
    expect([...sb.world.blocked]).toEqual([`${attacker}/32`]);
    const snap = runner.snapshot();
    const step = snap.steps.find((s) => s.id === 'failures-in-logs')!;
    expect(step.status).toBe('done');
    expect(step.finding?.values['findings.logs.topAddress']).toBe(attacker);
    expect(step.finding?.items[0]?.text).toContain('login failed');
    expect(step.finding?.items[0]?.series?.length).toBeGreaterThan(0);
    const shape = snap.steps.find((s) => s.id === 'shape')!;
    expect(shape.output).toContain('suggested');
    const findings = journal.query({ incidentId: 'room-auth', kinds: ['step.finding'] });
    expect(findings).toHaveLength(1);
    const blocked = journal.query({ incidentId: 'room-auth', kinds: ['action.applied'] }).filter((e) => e.kind === 'action.applied' && e.payload.actionId === 'waf.block-address');
    expect(blocked).toHaveLength(1);

    // A second room on the same journal (a restart) restores the finding's values before running anything.
    const again = createRunner({ runbook: shipped('auth-failures'), incident: incident!, alarm, sources: sb, journal, journalIncidentId: 'room-auth', actor: me, who, clock: simulatedClock(sb), responder: drillResponder({ yes: true }) });
    await again.run();
    expect(again.snapshot().steps.find((s) => s.id === 'failures-in-logs')!.finding?.values['findings.logs.topAddress']).toBe(attacker);
    await sb.close();
  });

  it('a step without a source, or with a template that has no value, says it cannot tell — never a finding of nothing', async () => {
    const sb = createSandbox({ seed: 1, scenario: 'calm', speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: me, frozen: true });
    sb.advance(30 * MIN);
    const noLogs = { ...sb, logs: undefined };
    const r = await runFindingStep({ id: 'l', kind: 'logs', title: 't', service: 'vitascope-api', window: '10m' }, {}, { sources: noLogs, now: sb.now() });
    expect(r.summary).toBe('cannot tell: no log source is configured');
    expect(r.record).toBeUndefined();
    const m = await runFindingStep({ id: 't', kind: 'traces', title: 't', service: '{{alarm.dimensions.ServiceName}}', window: '10m' }, { 'alarm.dimensions.ServiceName': undefined }, { sources: sb, now: sb.now() });
    expect(m.summary).toBe('cannot tell: no value for {{alarm.dimensions.ServiceName}}');
    const failing = { ...sb, traces: { summaries: async () => Promise.reject(new Error('ThrottlingException')), traces: async () => [] } };
    const f = await runFindingStep({ id: 't', kind: 'traces', title: 't', service: 'vitascope-api', window: '10m' }, {}, { sources: failing, now: sb.now() });
    expect(f.summary).toBe('cannot tell: the traces of vitascope-api could not be read (ThrottlingException)');
    await sb.close();
  });
});
