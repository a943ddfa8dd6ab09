/**
 * The remediation engine on the sandbox: plan → confirm → apply → verify → journal for the catalogue's
 * actions, and the guard rails: read-only refuses, a dangerous action on production needs the target
 * typed, a concurrent change is caught before applying, and every stage (dry runs and refusals too)
 * is journaled. Verification waits through the sandbox's clock (simulated minutes pass in a test).
 */
import { describe, expect, it } from 'vitest';
import { simulatedClock } from '../../../src/core/actions/clock.js';
import { createActionEngine, type EngineOptions } from '../../../src/core/actions/engine.js';
import { ActionPlanError, ConfirmationError, ReadOnlyError } from '../../../src/core/actions/errors.js';
import type { JournalEvent, Who } from '../../../src/core/journal/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import type { Sources } from '../../../src/sources/ports.js';
import { createSandbox, type Sandbox } from '../../../src/sources/sandbox/sandbox.js';
import { attackerAddress } from '../../../src/sources/sandbox/scenarios.js';
import { tempJournal } from '../journal/helpers.js';

const MIN = 60_000;
const me = { id: 'local', name: 'Aiko Tanaka', email: 'aiko.tanaka@vitascope.example' };
const who: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };

function sandbox(scenario: string, minutes = 0): Sandbox {
  const sb = createSandbox({
    seed: 1,
    scenario,
    speed: 1,
    startOffsetMs: 0,
    policy: DEFAULT_POLICY,
    user: me,
    frozen: true,
  });
  sb.advance(minutes * MIN);
  return sb;
}

function setup(sb: Sandbox, over: Partial<EngineOptions> & { sources?: Sources } = {}) {
  const journal = tempJournal({ now: () => sb.now() });
  const engine = createActionEngine({
    sources: sb,
    actor: me,
    who,
    clock: simulatedClock(sb),
    journal,
    journalIncidentId: 'room-1',
    ...over,
  });
  const kinds = () => journal.query({ incidentId: 'room-1' }).map((e) => e.kind);
  const events = () => journal.query({ incidentId: 'room-1' });
  return { journal, engine, kinds, events };
}

const payload = (e: JournalEvent) => e.payload as Record<string, unknown>;
const api = async (sb: Sandbox) => (await sb.services!.listServices()).find((s) => s.name === 'vitascope-api')!;

describe('guard rails', () => {
  it('read-only refuses every action with a typed error, journaled; a dry run still plans', async () => {
    const sb = sandbox('calm', 5);
    const { engine, events } = setup(sb, { readonly: true });
    await expect(
      engine.prepare({ action: 'ecs.set-desired-count', params: { service: 'vitascope-api', desired: 4 } }),
    ).rejects.toBeInstanceOf(ReadOnlyError);
    const refused = events()[0]!;
    expect(refused.kind).toBe('action.failed');
    expect(payload(refused)).toMatchObject({
      actionId: 'ecs.set-desired-count',
      stage: 'plan',
      error: expect.stringMatching(/^read-only mode/),
    });

    const dry = await engine.prepare({
      action: 'ecs.set-desired-count',
      params: { service: 'vitascope-api', desired: 4 },
      dryRun: true,
    });
    const out = await engine.execute(dry, { answer: 'confirm' });
    expect(out).toMatchObject({
      status: 'dry-run',
      output: 'dry run, nothing was changed; the plan: vitascope-api: desired count 2 → 4',
    });
    expect((await api(sb)).desired).toBe(2);
    expect(events().map((e) => [e.kind, payload(e).dryRun])).toEqual([
      ['action.failed', undefined],
      ['action.planned', true],
      ['action.applied', true],
    ]);
  });

  it('a dangerous action against production needs the target typed; a wrong name changes nothing', async () => {
    const sb = sandbox('calm', 5);
    const production: Sources = { ...sb, environment: { ...sb.environment, production: true } };
    const { engine, kinds } = setup(sb, { sources: production });
    const prepared = await engine.prepare({
      action: 'ecs.set-desired-count',
      params: { service: 'vitascope-api', desired: 3 },
    });
    expect(prepared.plan).toMatchObject({ danger: 'dangerous', production: true, target: 'vitascope-api' });
    expect(prepared.confirmation).toEqual({ kind: 'typed', text: 'vitascope-api' });
    await expect(engine.execute(prepared, { answer: 'confirm' })).rejects.toBeInstanceOf(ConfirmationError);
    await expect(engine.execute(prepared, { answer: 'confirm', typed: 'vitascope-worker' })).rejects.toThrow(
      /is not vitascope-api: nothing was done/,
    );
    expect((await api(sb)).desired).toBe(2);
    const done = await engine.execute(prepared, { answer: 'confirm', typed: 'vitascope-api' });
    expect(done.status).toBe('verified');
    expect((await api(sb)).desired).toBe(3);
    expect(kinds()).toEqual([
      'action.planned',
      'action.failed',
      'action.failed',
      'action.confirmed',
      'action.applied',
      'action.verified',
    ]);

    // A careful action (autoscaling limits) on production takes a plain yes.
    const careful = await engine.prepare({
      action: 'autoscaling.set-limits',
      params: { service: 'vitascope-api', min: 2, max: 4 },
    });
    expect(careful.confirmation).toEqual({ kind: 'yes' });
  });

  it('a change by someone else between plan and apply is a conflict to confirm again, with a fresh plan', async () => {
    const sb = sandbox('calm', 5);
    const { engine, events } = setup(sb);
    const prepared = await engine.prepare({
      action: 'ecs.set-desired-count',
      params: { service: 'vitascope-api', desired: 4 },
    });
    expect(prepared.plan.changes).toEqual([{ what: 'desired count', from: 2, to: 4 }]);
    // Behind the plan's back: a colleague sets the desired count to 3.
    await sb.scalable!.setDesiredCount('vitascope-api', 3);
    const out = await engine.execute(prepared, { answer: 'confirm' });
    expect(out.status).toBe('conflict');
    if (out.status !== 'conflict') return;
    expect(out.conflicts).toEqual([
      'the desired count of vitascope-api changed from 2 to 3 since the plan (someone else, or autoscaling)',
    ]);
    expect(out.prepared.runId).toBe(prepared.runId);
    expect(out.prepared.plan.changes).toEqual([{ what: 'desired count', from: 3, to: 4 }]);
    expect((await api(sb)).desired).toBe(3);
    const again = await engine.execute(out.prepared, { answer: 'confirm' });
    expect(again.status).toBe('verified');
    expect((await api(sb)).desired).toBe(4);
    const e = events();
    expect(e.map((x) => x.kind)).toEqual([
      'action.planned',
      'action.confirmed',
      'action.planned',
      'action.confirmed',
      'action.applied',
      'action.verified',
    ]);
    expect((payload(e[2]!).plan as { summary: string }).summary).toMatch(
      /^re-planned after a concurrent change \(the desired count of vitascope-api changed from 2 to 3/,
    );
    expect(new Set(e.map((x) => payload(x).runId)).size).toBe(1);
  });

  it('run() shows the conflict to the confirm callback and applies only what was confirmed again', async () => {
    const sb = sandbox('calm', 5);
    const { engine } = setup(sb);
    const asked: (readonly string[] | undefined)[] = [];
    const out = await engine.run(
      { action: 'ecs.set-desired-count', params: { service: 'vitascope-api', desired: 4 } },
      async (_prepared, conflicts) => {
        asked.push(conflicts);
        if (asked.length === 1) await sb.scalable!.setDesiredCount('vitascope-api', 3);
        return { answer: 'confirm' };
      },
    );
    expect(out.status).toBe('verified');
    expect(asked).toEqual([
      undefined,
      ['the desired count of vitascope-api changed from 2 to 3 since the plan (someone else, or autoscaling)'],
    ]);
  });

  it('bad parameters, unknown targets and missing capabilities are plan failures, journaled', async () => {
    const sb = sandbox('calm', 1);
    const { engine, events } = setup(sb, { sources: { ...sb, storageResizable: undefined } });
    await expect(
      engine.prepare({ action: 'ecs.set-desired-count', params: { service: 'vitascope-api', desired: -1 } }),
    ).rejects.toThrow(/ecs.set-desired-count desired: /);
    await expect(engine.prepare({ action: 'ecs.rollback', params: { service: 'vitascope-nope' } })).rejects.toThrow(
      /no ECS service vitascope-nope \(known: vitascope-api, vitascope-worker\)/,
    );
    const unsupported = await engine
      .prepare({ action: 'rds.grow-storage', params: { database: 'vitascope-db', allocatedGiB: 400 } })
      .catch((e: unknown) => e);
    expect(unsupported).toBeInstanceOf(ActionPlanError);
    expect(unsupported).toMatchObject({
      reason: 'unsupported',
      message: 'rds.grow-storage needs RDS storage (StorageResizable), which SANDBOX does not offer',
    });
    expect(events().map((e) => [e.kind, payload(e).stage])).toEqual([
      ['action.failed', 'plan'],
      ['action.failed', 'plan'],
      ['action.failed', 'plan'],
    ]);
  });

  it('a declined confirmation and a plan with nothing to change are journaled too', async () => {
    const sb = sandbox('calm', 1);
    const { engine, kinds } = setup(sb);
    const declined = await engine.run(
      { action: 'ecs.force-new-deployment', params: { service: 'vitascope-api' } },
      async () => ({ answer: 'decline', reason: 'not now' }),
    );
    expect(declined).toMatchObject({ status: 'declined', output: 'not done: not now' });
    const noop = await engine.run(
      { action: 'ecs.set-desired-count', params: { service: 'vitascope-api', desired: 2 } },
      async () => {
        throw new Error('a plan with nothing to change is not asked about');
      },
    );
    expect(noop).toMatchObject({
      status: 'nothing-to-do',
      output: 'nothing to change: vitascope-api: the desired count is already 2; nothing to change',
    });
    expect(kinds()).toEqual(['action.planned', 'action.failed', 'action.planned', 'action.applied']);
  });
});

describe('verification through the clock', () => {
  it('raising the API autoscaling limits (API CPU spike) is verified when the alarm is OK again, with before and after', async () => {
    const sb = sandbox('api-cpu-spike', 12);
    const { engine, events } = setup(sb);
    const start = sb.now();
    const out = await engine.run(
      {
        action: 'autoscaling.set-limits',
        params: { service: 'vitascope-api', min: 4, max: 8 },
        verify: { alarm: 'vitascope-api-high-cpu-critical', timeoutMs: 20 * MIN },
      },
      async () => ({ answer: 'confirm' }),
    );
    expect(out.status).toBe('verified');
    if (out.status !== 'verified') return;
    expect(out.evidence.before).toMatchObject({ state: 'ALARM', unit: 'percent' });
    expect(out.evidence.after).toMatchObject({ state: 'OK' });
    expect(out.evidence.waitedMs).toBeGreaterThanOrEqual(MIN);
    expect(out.evidence.waitedMs).toBeLessThanOrEqual(20 * MIN);
    expect(sb.now() - start).toBe(out.evidence.waitedMs);
    const verified = events().find((e) => e.kind === 'action.verified')!;
    expect(payload(verified).output).toMatch(
      /^effect: vitascope-api: autoscaling 4–8, desired \d, running \d\nalarm vitascope-api-high-cpu-critical OK: before ALARM \(\d+(\.\d)? percent\), after OK \(\d+(\.\d)? percent\), \d+m after the change$/,
    );
  });

  it('a remediation that does not bring the alarm back fails verification with its evidence', async () => {
    const sb = sandbox('api-cpu-spike', 12);
    const { engine, events } = setup(sb);
    const out = await engine.run(
      {
        action: 'ecs.set-desired-count',
        params: { service: 'vitascope-worker', desired: 3 },
        verify: { alarm: 'vitascope-api-high-cpu-critical', timeoutMs: 3 * MIN },
      },
      async () => ({ answer: 'confirm' }),
    );
    expect(out).toMatchObject({
      status: 'failed',
      stage: 'verify',
      error: 'alarm vitascope-api-high-cpu-critical OK not reached within 3m: now ALARM (100 percent)',
    });
    const failed = events().find((e) => e.kind === 'action.failed')!;
    expect(payload(failed)).toMatchObject({
      stage: 'verify',
      output: expect.stringMatching(
        /before ALARM \(\d+(\.\d)? percent\), after ALARM \(100 percent\), 3m after the change$/,
      ),
    });
  });
});

describe('every remediation on the sandbox', () => {
  const confirm = async () => ({ answer: 'confirm' as const });

  it('rds.reboot without failover resets the connections (DB connection exhaustion); with failover on the Multi-AZ instance', async () => {
    const sb = sandbox('db-connections', 30);
    const { engine } = setup(sb);
    const out = await engine.run(
      {
        action: 'rds.reboot',
        params: { database: 'vitascope-db', failover: false },
        verify: { alarm: 'vitascope-db-connections-warning', timeoutMs: 15 * MIN },
      },
      confirm,
    );
    expect(out.status).toBe('verified');
    expect(out.plan.blastRadius[0]).toMatch(/about 3 minutes of failed requests \(no failover\)/);
    if (out.status === 'verified')
      expect(out.evidence).toMatchObject({ before: { state: 'ALARM' }, after: { state: 'OK' } });
    expect(sb.world.database.failovers).toBe(0);

    const sb2 = sandbox('calm', 5);
    const failover = await setup(sb2).engine.run(
      { action: 'rds.reboot', params: { database: 'vitascope-db', failover: true } },
      confirm,
    );
    expect(failover.status).toBe('verified');
    expect(sb2.world.database.failovers).toBe(1);
  });

  it('ecs.rollback (latency regression) and ecs.force-new-deployment', async () => {
    const sb = sandbox('latency-regression', 14);
    const { engine } = setup(sb);
    const out = await engine.run(
      {
        action: 'ecs.rollback',
        params: { service: 'vitascope-api' },
        verify: { alarm: 'vitascope-api-high-latency-critical', timeoutMs: 20 * MIN },
      },
      confirm,
    );
    expect(out.status).toBe('verified');
    expect(out.plan.changes).toEqual([{ what: 'task definition', from: 'vitascope-api:42', to: 'vitascope-api:41' }]);
    expect((await api(sb)).taskDefinition).toMatch(/vitascope-api:41$/);

    const before = (await api(sb)).deployments[0]!.id;
    const forced = await engine.run(
      { action: 'ecs.force-new-deployment', params: { service: 'vitascope-api' } },
      confirm,
    );
    expect(forced.status).toBe('verified');
    expect((await api(sb)).deployments[0]!.id).not.toBe(before);
  });

  it('waf.block-address ends the brute force; alertmanager.silence silences an alert', async () => {
    const sb = sandbox('auth-bruteforce', 6);
    const { engine } = setup(sb);
    const out = await engine.run(
      {
        action: 'waf.block-address',
        params: { address: attackerAddress(1), reason: 'brute force' },
        verify: { alarm: 'vitascope-api-auth-failures-warning', timeoutMs: 10 * MIN },
      },
      confirm,
    );
    expect(out.status).toBe('verified');
    expect([...sb.world.blocked]).toEqual([`${attackerAddress(1)}/32`]);
    // Blocked once is blocked: a second run finds the set covering it and changes nothing.
    const again = await engine.run(
      { action: 'waf.block-address', params: { address: attackerAddress(1), reason: 'brute force' } },
      confirm,
    );
    expect(again.status).toBe('nothing-to-do');
    expect(again.plan.summary).toBe(
      `${attackerAddress(1)} is already blocked by sandbox-blocked-addresses: nothing to change`,
    );
    expect(sb.world.blocked.size).toBe(1);
    // Lifting it: the entry leaves the set and the attack's failures count again.
    const lifted = await engine.run(
      {
        action: 'waf.unblock-address',
        params: { address: attackerAddress(1), reason: 'the review found it was a carrier NAT' },
      },
      confirm,
    );
    expect(lifted.status).toBe('verified');
    expect(sb.world.blocked.size).toBe(0);
    expect(sb.world.isBlocked(attackerAddress(1))).toBe(false);

    const silenced = await engine.run(
      {
        action: 'alertmanager.silence',
        params: {
          matchers: { alertname: 'vitascope-sync-failures-warning' },
          duration: '2h',
          comment: 'wearables outage',
        },
      },
      confirm,
    );
    expect(silenced.status).toBe('verified');
    const [s] = await sb.silences!.listSilences();
    expect(s).toMatchObject({
      state: 'active',
      comment: 'wearables outage',
      createdBy: 'aiko.tanaka@vitascope.example',
      endsAt: sb.now() + 2 * 3_600_000,
    });
    // The sandbox's alarm of that name is a CloudWatch alarm: the plan says the silence does not stop its page.
    expect(silenced.plan.blastRadius.join('\n')).toContain(
      'keeps: the CloudWatch alarm vitascope-sync-failures-warning still pages through its own actions',
    );
  });

  it("rds.grow-storage through the sandbox's StorageResizable", async () => {
    const sb = sandbox('calm', 1);
    if (!sb.storageResizable) return expect.fail('the sandbox has no StorageResizable yet');
    const { engine } = setup(sb);
    const before = await sb.storageResizable.getStorage('vitascope-db');
    const out = await engine.run(
      { action: 'rds.grow-storage', params: { database: 'vitascope-db', allocatedGiB: before.allocatedGiB * 2 } },
      confirm,
    );
    expect(out.status).toBe('verified');
    expect(out.plan.changes).toEqual([
      { what: 'allocated storage (GiB)', from: before.allocatedGiB, to: before.allocatedGiB * 2 },
    ]);
    expect((await sb.storageResizable.getStorage('vitascope-db')).allocatedGiB).toBe(before.allocatedGiB * 2);
  });

  it("the PagerDuty actions against the sandbox pager, with the incident's own record in the journal", async () => {
    const sb = sandbox('db-connections', 27);
    const [incident] = await sb.incidents!.listIncidents();
    const { engine, journal, kinds } = setup(sb, { incidentId: incident!.id });
    journal.upsertIncident({
      id: 'room-1',
      title: incident!.title,
      status: 'triggered',
      source: 'sandbox',
      createdAt: incident!.createdAt,
    });
    expect((await engine.run({ action: 'pagerduty.acknowledge', params: {} }, confirm)).status).toBe('verified');
    expect((await sb.incidents!.getIncident(incident!.id))!.status).toBe('acknowledged');
    expect(journal.incident('room-1')!.status).toBe('acknowledged');
    expect(
      (
        await engine.run(
          { action: 'pagerduty.add-note', params: { text: 'rebooting vitascope-db in 2 minutes' } },
          confirm,
        )
      ).status,
    ).toBe('verified');
    expect((await engine.run({ action: 'pagerduty.escalate', params: { level: 2 } }, confirm)).status).toBe('verified');
    expect((await sb.incidents!.getIncident(incident!.id))!.escalationLevel).toBe(2);
    const reassigned = await engine.run(
      { action: 'pagerduty.reassign', params: { to: ['Hiroshi Nakamura'] } },
      confirm,
    );
    expect(reassigned.status).toBe('verified');
    expect((await sb.incidents!.getIncident(incident!.id))!.assignees).toEqual([
      { id: 'PUHIRO', name: 'Hiroshi Nakamura', email: 'hiroshi.nakamura@vitascope.example' },
    ]);
    expect((await engine.run({ action: 'pagerduty.resolve', params: {} }, confirm)).status).toBe('verified');
    expect((await sb.incidents!.getIncident(incident!.id))!.status).toBe('resolved');
    expect(journal.incident('room-1')!.status).toBe('resolved');
    expect(kinds().filter((k) => k.startsWith('incident.'))).toEqual([
      'incident.acknowledged',
      'incident.escalated',
      'incident.resolved',
    ]);
  });

  it('pagerduty.snooze: refused until acknowledged; snoozed, nobody is paged; when it ends the incident is triggered again', async () => {
    const sb = sandbox('db-connections', 27);
    const [incident] = await sb.incidents!.listIncidents();
    const { engine } = setup(sb, { incidentId: incident!.id });
    await expect(engine.run({ action: 'pagerduty.snooze', params: { duration: '1h' } }, confirm)).rejects.toThrow(
      /only an acknowledged incident can be snoozed \(acknowledge it first\)/,
    );
    expect((await engine.run({ action: 'pagerduty.acknowledge', params: {} }, confirm)).status).toBe('verified');
    const snoozed = await engine.run({ action: 'pagerduty.snooze', params: { duration: '1h' } }, confirm);
    expect(snoozed.status).toBe('verified');
    const at = sb.now();
    expect((await sb.incidents!.getIncident(incident!.id))!.retriggersAt).toBe(at + 3_600_000);
    sb.advance(59 * MIN);
    expect((await sb.incidents!.getIncident(incident!.id))!.status).toBe('acknowledged');
    sb.advance(2 * MIN);
    const back = (await sb.incidents!.getIncident(incident!.id))!;
    expect(back.status).toBe('triggered');
    expect(back.retriggersAt).toBeUndefined();
    const log = await sb.incidents!.timeline(incident!.id);
    expect(log.map((e) => e.summary)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Snoozed by Aiko Tanaka until /),
        expect.stringMatching(/^The snooze ended: triggered again at level 1/),
      ]),
    );
  });

  it('a PagerDuty log entry by someone else between plan and apply is a conflict', async () => {
    const sb = sandbox('db-connections', 27);
    const [incident] = await sb.incidents!.listIncidents();
    const { engine } = setup(sb, { incidentId: incident!.id });
    const prepared = await engine.prepare({ action: 'pagerduty.acknowledge', params: {} });
    sb.world.pager.acknowledge(incident!.id, { id: 'PUKENJ', name: 'Kenji Sato' }, sb.now());
    const out = await engine.execute(prepared, { answer: 'confirm' });
    expect(out.status).toBe('conflict');
    if (out.status !== 'conflict') return;
    expect(out.conflicts).toEqual([
      `incident ${incident!.id} is now acknowledged (it was triggered when the plan was made)`,
      `new on the incident's log: Kenji Sato: Acknowledged by Kenji Sato`,
    ]);
    expect(out.prepared.plan.changes).toEqual([]);
  });
});
