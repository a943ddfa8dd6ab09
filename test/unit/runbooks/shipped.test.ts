import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_PARAMS, isActionId } from '../../../src/core/actions/catalogue.js';
import type { Alarm } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { DEFAULT_RULES } from '../../../src/core/policy/rules.js';
import { formatLintError } from '../../../src/core/runbooks/lintErrors.js';
import type { LoadedRunbook } from '../../../src/core/runbooks/types.js';
import { loadRunbooks, shippedRunbooksDir } from '../../../src/core/runbooks/load.js';
import { matchRunbook } from '../../../src/core/runbooks/match.js';
import { PHASES, stepsOf, type ActionStep } from '../../../src/core/runbooks/schema.js';
import { contextVars, renderValue } from '../../../src/core/runbooks/template.js';
import { createSandbox, type Sandbox } from '../../../src/sources/sandbox/sandbox.js';
import { attackerAddress, scenarios, type Remedy } from '../../../src/sources/sandbox/scenarios.js';
import { SERVICES } from '../../../src/sources/sandbox/topology.js';

const MIN = 60_000;
const dir = shippedRunbooksDir()!;
const set = loadRunbooks({ shipped: dir, dirs: [] });
const byId = new Map(set.runbooks.map((r) => [r.runbook.id, r]));

function open(scenario: string): Sandbox {
  return createSandbox({ seed: 1, scenario, speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: { id: 'u', name: 'Test Responder' }, frozen: true });
}

describe('the shipped runbooks', () => {
  it('live in <repo>/runbooks and every one lints clean', () => {
    expect(dir).toBe(path.resolve('runbooks'));
    expect(set.errors.map(formatLintError)).toEqual([]);
    expect(set.files).toBeGreaterThanOrEqual(19);
    expect(set.runbooks).toHaveLength(set.files);
  });

  it('one per rule of the strategy, named after it, plus the default', () => {
    const ids = set.runbooks.map((r) => r.runbook.id).sort();
    expect(ids).toEqual([...DEFAULT_RULES.map((r) => r.id), 'default'].sort());
    for (const rb of set.runbooks) {
      expect(path.basename(rb.file), rb.runbook.id).toBe(`${rb.runbook.id}.yaml`);
      if (rb.runbook.id !== 'default') expect(rb.runbook.matches.rules).toEqual([rb.runbook.id]);
    }
  });

  it('carry the highest priority their rule can open (the strategy: API CPU P2, DB connections P1, the rest P3 unless the policy says)', () => {
    for (const rule of DEFAULT_RULES) {
      const highest = Object.values(rule.priority).sort()[0];
      expect(byId.get(rule.id)!.runbook.priority, rule.id).toBe(highest);
    }
    expect(byId.get('cpu-utilization')!.runbook.priority).toBe('P2');
    expect(byId.get('rds-connections')!.runbook.priority).toBe('P1');
    expect(byId.get('default')!.runbook.priority).toBe('P3');
  });

  it('walk all five phases: acknowledge first, verify the alarm is OK, ask for the postmortem', () => {
    for (const { runbook } of set.runbooks) {
      for (const phase of PHASES) expect(runbook.phases[phase].length, `${runbook.id} ${phase}`).toBeGreaterThan(0);
      expect(runbook.phases.detect[0], runbook.id).toMatchObject({ kind: 'action', action: 'pagerduty.acknowledge' });
      expect(
        runbook.phases.resolve.some((s) => s.kind === 'check' && s.alarm === '{{alarm.name}}' && s.state === 'OK' && !s.when),
        `${runbook.id}: a check that the alarm is back to OK`,
      ).toBe(true);
      expect(runbook.phases.postmortem.some((s) => s.kind === 'note' && s.required), `${runbook.id}: a required postmortem note`).toBe(true);
      expect(runbook.description, runbook.id).toBeTruthy();
    }
  });

  it('name only alarms and services that exist', async () => {
    const sb = open('calm');
    const alarms = new Set((await sb.alarms!.listAlarms()).map((a) => a.name));
    await sb.close();
    const services = new Set(SERVICES.map((s) => s.name));
    for (const { runbook } of set.runbooks) {
      for (const { step } of stepsOf(runbook)) {
        if (step.kind === 'check' && step.alarm && !step.alarm.includes('{{')) expect(alarms.has(step.alarm), `${runbook.id}/${step.id}: ${step.alarm}`).toBe(true);
        if (step.kind === 'check' && step.service && !step.service.includes('{{')) expect(services.has(step.service), `${runbook.id}/${step.id}`).toBe(true);
        if (step.kind === 'action' && typeof step.with.service === 'string' && !step.with.service.includes('{{')) expect(services.has(step.with.service), `${runbook.id}/${step.id}`).toBe(true);
      }
    }
  });

  it('are plain files in the package (runbooks/ is in package.json "files")', () => {
    const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('runbooks');
  });
});

/** The catalogue action that carries out a sandbox remedy. */
function remedyAction(r: Remedy): { action: string; params: Record<string, unknown> } {
  switch (r.kind) {
    case 'scaling-limits':
      return { action: 'autoscaling.set-limits', params: { service: r.service, min: r.min, max: r.max } };
    case 'desired-count':
      return { action: 'ecs.set-desired-count', params: { service: r.service, desired: r.desired } };
    case 'reboot-database':
      return { action: 'rds.reboot', params: { database: r.database, failover: r.failover } };
    case 'rollback':
      return { action: 'ecs.rollback', params: { service: r.service } };
    case 'force-deployment':
      return { action: 'ecs.force-new-deployment', params: { service: r.service } };
    case 'block-address':
      return { action: 'waf.block-address', params: { address: r.address } };
  }
}

/** What the remediation engine will do with an action step, here done straight on the sandbox's ports. */
async function apply(sb: Sandbox, action: string, p: Record<string, unknown>): Promise<void> {
  const s = p.service as string;
  switch (action) {
    case 'autoscaling.set-limits':
      return sb.autoScalable!.setScalingLimits(s, { min: p.min as number, max: p.max as number });
    case 'ecs.set-desired-count':
      return sb.scalable!.setDesiredCount(s, p.desired as number);
    case 'rds.reboot':
      return sb.rebootable!.rebootDatabase(p.database as string, { failover: p.failover as boolean });
    case 'ecs.rollback':
      return sb.redeployable!.setTaskDefinition(s, (p.taskDefinition as string | undefined) ?? (await sb.redeployable!.previousTaskDefinition(s))!);
    case 'ecs.force-new-deployment':
      return sb.redeployable!.forceNewDeployment(s);
    case 'waf.block-address':
      return sb.addressBlocker!.blockAddress(p.address as string, p.reason as string);
    default:
      throw new Error(`not a remedy: ${action}`);
  }
}

/** The runbook's action steps as they would run for this alarm: templated, then validated by the catalogue. */
function renderedActions(rb: LoadedRunbook, alarm: Alarm, given: Record<string, string>): { step: ActionStep; params: Record<string, unknown> }[] {
  const vars = contextVars({ alarm, runbook: rb.runbook, params: given, responder: { name: 'Test Responder' }, incident: undefined });
  return stepsOf(rb.runbook).flatMap(({ step }) => {
    if (step.kind !== 'action' || !isActionId(step.action)) return [];
    const params = ACTION_PARAMS[step.action].parse(renderValue(step.with, vars)) as Record<string, unknown>;
    return [{ step, params }];
  });
}

describe.each(scenarios(1).filter((s) => s.remedy))('the runbooks resolve the sandbox scenario $name', (scenario) => {
  it(`every alarm it fires leads to a runbook that offers the remedy, and following it clears ${(scenario.recovers ?? []).join(', ')}`, async () => {
    const sb = open(scenario.name);
    try {
      sb.advance(Math.max(scenario.firesBy, scenario.remedyFrom ?? 0) * MIN);
      const alarms = await sb.alarms!.listAlarms();
      const expected = remedyAction(scenario.remedy!);
      // The address the responder finds in the logs: the scenario's (the attacker's, or the scraper's).
      const given = { address: scenario.remedy!.kind === 'block-address' ? scenario.remedy!.address : attackerAddress(1) };
      let chosen: { action: string; params: Record<string, unknown> } | undefined;
      for (const name of scenario.fires) {
        const alarm = alarms.find((a) => a.name === name)!;
        const match = matchRunbook(set.runbooks, { alarm });
        expect(match?.runbook.runbook.id, name).toBe(alarm.ruleId);
        const offered = renderedActions(match!.runbook, alarm, given).filter((a) => a.step.action === expected.action && Object.entries(expected.params).every(([k, v]) => a.params[k] === v));
        expect(offered.length, `${match!.runbook.runbook.id} offers ${expected.action} ${JSON.stringify(expected.params)} for ${name}`).toBeGreaterThan(0);
        chosen ??= { action: offered[0]!.step.action, params: offered[0]!.params };
      }
      await apply(sb, chosen!.action, chosen!.params);
      sb.advance(scenario.recoversWithin! * MIN);
      const after = new Map((await sb.alarms!.listAlarms()).map((a) => [a.name, a.state]));
      for (const name of scenario.recovers ?? []) expect(after.get(name), name).toBe('OK');
    } finally {
      await sb.close();
    }
  });
});

describe('the strategy\'s automatic responses are in the runbooks', () => {
  it('API CPU → autoscaling min 4 / max 8; database connections → RDS reboot; latency → rollback; auth → WAF block', () => {
    const actions = (id: string) => stepsOf(byId.get(id)!.runbook).flatMap(({ step }) => (step.kind === 'action' ? [`${step.action} ${JSON.stringify(step.with)}`] : []));
    expect(actions('cpu-utilization')).toContain('autoscaling.set-limits {"service":"{{params.service}}","min":"{{params.minTasks}}","max":"{{params.maxTasks}}"}');
    expect(byId.get('cpu-utilization')!.runbook.params).toMatchObject({ minTasks: 4, maxTasks: 8 });
    expect(actions('rds-connections')).toContain('rds.reboot {"database":"{{params.database}}","failover":false}');
    expect(actions('api-latency-p95')).toContain('ecs.rollback {"service":"{{params.service}}"}');
    expect(actions('auth-failures').some((a) => a.startsWith('waf.block-address'))).toBe(true);
    expect(actions('memory-utilization').some((a) => a.startsWith('ecs.rollback'))).toBe(true);
  });
});
