/**
 * The pure plan functions of every catalogue action, from small fake states: exact plan objects (what
 * changes, the blast radius), refusals, and the conflict detectors the engine runs before applying.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_IDS, ACTION_PARAMS } from '../../../src/core/actions/catalogue.js';
import { planCommand } from '../../../src/core/actions/command.js';
import {
  planForceNewDeployment,
  planRollback,
  planSetDesiredCount,
  planSetLimits,
  serviceConflicts,
} from '../../../src/core/actions/ecs.js';
import { ActionPlanError } from '../../../src/core/actions/errors.js';
import { confirmationFor, checkConfirmation } from '../../../src/core/actions/guard.js';
import {
  byActor,
  incidentConflicts,
  planAcknowledge,
  planAddNote,
  planEscalate,
  planReassign,
  planResolve,
  planSnooze,
} from '../../../src/core/actions/pagerduty.js';
import { planGrowStorage, planReboot } from '../../../src/core/actions/rds.js';
import { HANDLERS } from '../../../src/core/actions/registry.js';
import { planSilence } from '../../../src/core/actions/silence.js';
import { planDisableActions, planEnableActions, REENABLE_NOTE } from '../../../src/core/actions/alarmActions.js';
import { addressCount, planBlockAddress, planUnblockAddress } from '../../../src/core/actions/waf.js';
import { database, deployment, entry, incident, service, T, taskDefinition } from './fixtures.js';

const p = <A extends keyof typeof ACTION_PARAMS>(id: A, params: unknown) => ACTION_PARAMS[id].parse(params) as never;

describe('the catalogue', () => {
  it('has a handler for every action', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual([...ACTION_IDS].sort());
    for (const id of ACTION_IDS) expect(HANDLERS[id].id).toBe(id);
  });
});

describe('ecs.set-desired-count', () => {
  const scaling = { min: 2, max: 3 };
  it('above the autoscaling maximum: says autoscaling pulls it back', () => {
    expect(
      planSetDesiredCount(p('ecs.set-desired-count', { service: 'vitascope-api', desired: 6 }), {
        service: service(),
        scaling,
      }),
    ).toEqual({
      target: 'vitascope-api',
      summary: 'vitascope-api: desired count 2 → 6',
      changes: [{ what: 'desired count', from: 2, to: 6 }],
      blastRadius: [
        'starts 4 tasks of vitascope-api:41; new tasks take a few minutes to pass their health checks before they take traffic',
        '6 is above the autoscaling maximum of 3: Application Auto Scaling pulls the desired count back to 3 at its next scaling activity; raise the limits (autoscaling.set-limits) to keep 6',
      ],
    });
  });

  it('below the minimum: pulled up; stopping tasks cuts requests', () => {
    expect(
      planSetDesiredCount(p('ecs.set-desired-count', { service: 'vitascope-api', desired: 1 }), {
        service: service(),
        scaling,
      }).blastRadius,
    ).toEqual([
      'stops 1 task (2 running now); requests in flight on them are cut off',
      '1 is below the autoscaling minimum of 2: Application Auto Scaling pulls the desired count back up to 2 at its next scaling activity; lower the limits (autoscaling.set-limits) to keep 1',
    ]);
    expect(
      planSetDesiredCount(p('ecs.set-desired-count', { service: 'vitascope-api', desired: 0 }), { service: service() })
        .blastRadius,
    ).toEqual(['stops every task of vitascope-api (2 running): the service stops serving entirely']);
  });

  it('within the limits, during a deployment; nothing to change when equal', () => {
    const deploying = service({
      deployments: [
        deployment(42, { rolloutState: 'IN_PROGRESS' }),
        deployment(41, { status: 'ACTIVE', id: 'ecs-svc/41' }),
      ],
    });
    expect(
      planSetDesiredCount(p('ecs.set-desired-count', { service: 'vitascope-api', desired: 3 }), {
        service: deploying,
        scaling,
      }).blastRadius,
    ).toEqual([
      'starts 1 task of vitascope-api:41; new tasks take a few minutes to pass their health checks before they take traffic',
      'within the autoscaling limits 2–3: autoscaling may move it again when CPU crosses its target',
      'a deployment of vitascope-api is in progress (vitascope-api:42 primary, vitascope-api:41 active)',
    ]);
    expect(
      planSetDesiredCount(p('ecs.set-desired-count', { service: 'vitascope-api', desired: 2 }), { service: service() }),
    ).toEqual({
      target: 'vitascope-api',
      summary: 'vitascope-api: the desired count is already 2; nothing to change',
      changes: [],
      blastRadius: [],
    });
  });
});

describe('autoscaling.set-limits', () => {
  it('raising the minimum above the desired count starts tasks at once (the strategy: min 4 / max 8)', () => {
    expect(
      planSetLimits(p('autoscaling.set-limits', { service: 'vitascope-api', min: 4, max: 8 }), {
        service: service({ desired: 3 }),
        limits: { min: 2, max: 3 },
      }),
    ).toEqual({
      target: 'vitascope-api',
      summary: 'vitascope-api: autoscaling min 2 → 4, max 3 → 8',
      changes: [
        { what: 'autoscaling minimum', from: 2, to: 4 },
        { what: 'autoscaling maximum', from: 3, to: 8 },
      ],
      blastRadius: [
        'the desired count 3 is below the new minimum: Application Auto Scaling raises it to 4 right away, starting 1 task',
        'at least 4 tasks run from now on, also at night: remember to lower it again (it costs money every hour)',
      ],
    });
  });

  it('lowering the maximum below the desired count stops tasks; a service without a target gets one', () => {
    expect(
      planSetLimits(p('autoscaling.set-limits', { service: 'vitascope-api', min: 1, max: 2 }), {
        service: service({ desired: 5 }),
        limits: { min: 2, max: 8 },
      }).blastRadius,
    ).toEqual([
      'the desired count 5 is above the new maximum: Application Auto Scaling lowers it to 2 right away, stopping 3 running tasks',
      'autoscaling can no longer scale vitascope-api past 2 tasks (it could reach 8)',
    ]);
    const fresh = planSetLimits(p('autoscaling.set-limits', { service: 'vitascope-api', min: 2, max: 4 }), {
      service: service(),
    });
    expect(fresh.changes).toEqual([
      { what: 'autoscaling minimum', from: null, to: 2 },
      { what: 'autoscaling maximum', from: null, to: 4 },
    ]);
    expect(fresh.blastRadius[0]).toBe(
      'registers a scalable target for vitascope-api (it had none): Application Auto Scaling starts managing its desired count',
    );
  });
});

describe('ecs.force-new-deployment and ecs.rollback', () => {
  it('a forced deployment replaces every task and says it does not fix a bad revision', () => {
    expect(
      planForceNewDeployment(p('ecs.force-new-deployment', { service: 'vitascope-api' }), { service: service() }),
    ).toEqual({
      target: 'vitascope-api',
      summary: 'vitascope-api: a new deployment of vitascope-api:41 replaces every task',
      changes: [
        { what: 'deployment', from: 'ecs-svc/41000 (vitascope-api:41)', to: 'a new deployment of vitascope-api:41' },
      ],
      blastRadius: [
        'replaces every task of vitascope-api (2 running) with a fresh one of vitascope-api:41: a rolling deployment, new tasks start first and old ones stop once the new pass their health checks',
        'memory, caches and connections of the old tasks are lost; it does not fix a bad revision (roll back for that)',
      ],
    });
  });

  it('a rollback names the task definition it goes back to', () => {
    const now = service({ taskDefinition: taskDefinition('vitascope-api', 42), deployments: [deployment(42)] });
    expect(
      planRollback(p('ecs.rollback', { service: 'vitascope-api' }), {
        service: now,
        previous: taskDefinition('vitascope-api', 41),
      }),
    ).toEqual({
      target: 'vitascope-api',
      summary: 'vitascope-api: roll back vitascope-api:42 → vitascope-api:41',
      changes: [{ what: 'task definition', from: 'vitascope-api:42', to: 'vitascope-api:41' }],
      blastRadius: [
        'goes back to vitascope-api:41 (the task definition it ran before): a rolling deployment replaces every task (2 running) with vitascope-api:41',
        'vitascope-api:42 stays registered: keep it for the postmortem; whatever it changed outside the service (data, schema) is not rolled back',
      ],
    });
  });

  it('refuses without a previous task definition; nothing to do when already there', () => {
    expect(() => planRollback(p('ecs.rollback', { service: 'vitascope-api' }), { service: service() })).toThrow(
      ActionPlanError,
    );
    expect(() => planRollback(p('ecs.rollback', { service: 'vitascope-api' }), { service: service() })).toThrow(
      /no task definition of vitascope-api before vitascope-api:41 is known; name one with taskDefinition/,
    );
    expect(
      planRollback(
        p('ecs.rollback', { service: 'vitascope-api', taskDefinition: taskDefinition('vitascope-api', 41) }),
        { service: service(), previous: taskDefinition('vitascope-api', 41) },
      ).changes,
    ).toEqual([]);
  });

  it('conflicts: desired count, task definition, deployments, limits changed by someone else', () => {
    const before = { service: service(), scaling: { min: 2, max: 3 } };
    expect(serviceConflicts(before, before)).toEqual([]);
    expect(serviceConflicts(before, { service: service({ desired: 3 }), scaling: { min: 2, max: 3 } })).toEqual([
      'the desired count of vitascope-api changed from 2 to 3 since the plan (someone else, or autoscaling)',
    ]);
    expect(
      serviceConflicts(before, {
        service: service({ deployments: [deployment(41, { id: 'ecs-svc/new' })] }),
        scaling: { min: 4, max: 8 },
      }),
    ).toEqual([
      'the deployments of vitascope-api changed since the plan (now ecs-svc/new PRIMARY COMPLETED)',
      'the autoscaling limits of vitascope-api changed from 2–3 to 4–8 since the plan',
    ]);
    expect(
      serviceConflicts(before, {
        service: service({ taskDefinition: taskDefinition('vitascope-api', 43) }),
        scaling: { min: 2, max: 3 },
      }),
    ).toEqual(['vitascope-api now runs vitascope-api:43, not vitascope-api:41 as when the plan was made']);
  });
});

describe('rds.reboot and rds.grow-storage', () => {
  it('a reboot without failover is about 3 minutes of failed requests', () => {
    expect(planReboot(p('rds.reboot', { database: 'vitascope-db' }), { database: database() })).toEqual({
      target: 'vitascope-db',
      summary: 'vitascope-db: reboot (postgres, db.r6g.large, Multi-AZ)',
      changes: [{ what: 'status', from: 'available', to: 'rebooting → available' }],
      blastRadius: [
        'drops 346 of 400 connections: about 3 minutes of failed requests (no failover) while the instance restarts; the API and the worker reconnect on their own',
        'whatever held the connections (a runaway job) loses them too; if it reconnects, the leak comes back',
      ],
    });
  });

  it('with failover: 1–2 minutes; refused on a single-AZ or busy instance', () => {
    expect(
      planReboot(p('rds.reboot', { database: 'vitascope-db', failover: true }), { database: database() })
        .blastRadius[0],
    ).toBe(
      "fails over to the standby in the other availability zone: 346 of 400 connections are dropped and about 1–2 minutes of failed requests follow while the endpoint's DNS moves",
    );
    expect(() =>
      planReboot(p('rds.reboot', { database: 'vitascope-db', failover: 'true' }), {
        database: database({ multiAz: false }),
      }),
    ).toThrow(/not Multi-AZ/);
    expect(() =>
      planReboot(p('rds.reboot', { database: 'vitascope-db' }), { database: database({ status: 'rebooting' }) }),
    ).toThrow(/is rebooting, not available/);
  });

  it('storage grows with the utilisation it leaves; it never shrinks', () => {
    expect(
      planGrowStorage(p('rds.grow-storage', { database: 'vitascope-db', allocatedGiB: 400 }), {
        database: 'vitascope-db',
        allocatedGiB: 200,
        usedPercent: 91,
      }),
    ).toEqual({
      target: 'vitascope-db',
      summary: 'vitascope-db: allocated storage 200 GiB → 400 GiB',
      changes: [{ what: 'allocated storage (GiB)', from: 200, to: 400 }],
      blastRadius: [
        'used 91.0 % of 200 GiB now → about 45.5 % of 400 GiB',
        'online: the instance stays available, but storage can be modified only once every 6 hours and never shrinks again',
        'the volume is optimised in the background for hours afterwards (slower I/O is possible meanwhile)',
      ],
    });
    expect(() =>
      planGrowStorage(p('rds.grow-storage', { database: 'vitascope-db', allocatedGiB: 100 }), {
        database: 'vitascope-db',
        allocatedGiB: 200,
      }),
    ).toThrow(/can only grow/);
  });
});

describe('PagerDuty actions', () => {
  const t = (over = {}) => ({
    incident: incident(over),
    timeline: [entry('LE1', 'CloudWatch', 'Triggered', 'incident.triggered')],
  });
  it('acknowledge stops the escalation clock; nothing to do once acknowledged', () => {
    expect(planAcknowledge(p('pagerduty.acknowledge', {}), t())).toEqual({
      target: 'PSB1001',
      summary: 'acknowledge incident PSB1001 #1042 "ALARM: vitascope-db-connections-warning"',
      changes: [{ what: 'status', from: 'triggered', to: 'acknowledged' }],
      blastRadius: [
        'stops the escalation clock at level 1 (Aiko Tanaka): nobody else is paged while it stays acknowledged',
        'tells everyone watching the incident that someone is on it',
      ],
    });
    expect(planAcknowledge(p('pagerduty.acknowledge', {}), t({ status: 'acknowledged' })).changes).toEqual([]);
  });

  it('escalate, reassign, add a note, resolve', () => {
    expect(planEscalate(p('pagerduty.escalate', { level: 2 }), t({ status: 'acknowledged' })).changes).toEqual([
      { what: 'escalation level', from: 1, to: 2 },
      { what: 'status', from: 'acknowledged', to: 'triggered' },
    ]);
    expect(() => planEscalate(p('pagerduty.escalate', { level: 2 }), t({ status: 'resolved' }))).toThrow(/resolved/);
    expect(
      planReassign(p('pagerduty.reassign', { to: ['PUKENJ'] }), t(), [{ id: 'PUKENJ', name: 'Kenji Sato' }]),
    ).toEqual({
      target: 'PSB1001',
      summary: 'reassign incident PSB1001 #1042 "ALARM: vitascope-db-connections-warning" to Kenji Sato',
      changes: [{ what: 'assignees', from: 'Aiko Tanaka', to: 'Kenji Sato' }],
      blastRadius: ['Kenji Sato is paged now; Aiko Tanaka stops being paged for it'],
    });
    expect(planAddNote(p('pagerduty.add-note', { text: 'rebooting vitascope-db' }), t()).changes).toEqual([
      { what: 'notes', from: 0, to: 1 },
    ]);
    expect(planResolve(p('pagerduty.resolve', {}), t()).blastRadius).toEqual([
      'ends the incident for everyone and stops paging for it',
      'an alarm that fires again opens a new incident (this one holds vitascope-db-connections-warning)',
    ]);
  });

  it('snooze: only an acknowledged incident, from a second to a week, saying when it comes back', () => {
    expect(planSnooze(p('pagerduty.snooze', { duration: '2h' }), t({ status: 'acknowledged' }), { now: T })).toEqual({
      target: 'PSB1001',
      summary:
        'snooze incident PSB1001 #1042 "ALARM: vitascope-db-connections-warning" for 2h, until 2026-01-05T03:30:00.000Z',
      changes: [{ what: 'back to triggered at', from: null, to: '2026-01-05T03:30:00.000Z' }],
      blastRadius: [
        'nobody is paged about it until 2026-01-05T03:30:00.000Z; then it is triggered again and Aiko Tanaka is paged, the escalation starting over',
        'use it for a known wait (a vendor fix, a backfill), not to quiet an alarm that still needs someone',
      ],
    });
    expect(
      planSnooze(p('pagerduty.snooze', { duration: '1h' }), t({ status: 'acknowledged', retriggersAt: T + 600_000 }), {
        now: T,
      }).changes,
    ).toEqual([{ what: 'back to triggered at', from: '2026-01-05T01:40:00.000Z', to: '2026-01-05T02:30:00.000Z' }]);
    expect(() => planSnooze(p('pagerduty.snooze', { duration: '2h' }), t(), { now: T })).toThrow(
      'incident PSB1001 is triggered: only an acknowledged incident can be snoozed (acknowledge it first)',
    );
    expect(() =>
      planSnooze(p('pagerduty.snooze', { duration: '8d' }), t({ status: 'acknowledged' }), { now: T }),
    ).toThrow(/from a second to 7 days, not 8d/);
  });

  it('conflicts: a status change and new log entries by someone else; our own entries and alarm entries do not count', () => {
    const me = { id: 'local', name: 'Aiko Tanaka', email: 'aiko.tanaka@vitascope.example' };
    const before = t();
    const after = {
      incident: incident({ status: 'acknowledged' }),
      timeline: [
        ...before.timeline,
        entry('LE2', 'Kenji Sato', 'Acknowledged by Kenji Sato', 'incident.acknowledged'),
        entry('LE3', 'Aiko Tanaka', 'my own note'),
        entry('LE4', 'CloudWatch', 'Alert added', 'alarm'),
      ],
    };
    expect(incidentConflicts(before, after, me)).toEqual([
      'incident PSB1001 is now acknowledged (it was triggered when the plan was made)',
      "new on the incident's log: Kenji Sato: Acknowledged by Kenji Sato",
    ]);
    expect(byActor(entry('x', 'AIKO.TANAKA@vitascope.example', 'x'), me)).toBe(true);
  });
});

describe('alertmanager.silence, waf.block-address, command.run', () => {
  it('a silence says until when, and what already covers the alerts', () => {
    const existing = {
      id: 's1',
      matchers: [{ name: 'alertname', value: 'vitascope-sync-failures-warning', isRegex: false }],
      startsAt: T - 60_000,
      endsAt: T + 3_600_000,
      createdBy: 'kenji',
      comment: 'partner outage',
      state: 'active' as const,
    };
    expect(
      planSilence(
        p('alertmanager.silence', {
          matchers: { alertname: 'vitascope-sync-failures-warning' },
          duration: '2h',
          comment: 'wearables outage',
        }),
        { silences: [existing] },
        { now: T },
      ),
    ).toEqual({
      target: 'alertname=vitascope-sync-failures-warning',
      summary: 'silence alertname=vitascope-sync-failures-warning for 2h: "wearables outage"',
      changes: [
        {
          what: 'silence of alertname=vitascope-sync-failures-warning',
          from: 'until 2026-01-05T02:30:00.000Z',
          to: 'until 2026-01-05T03:30:00.000Z',
        },
      ],
      blastRadius: [
        'stops: Alertmanager sends no notification for alerts matching alertname=vitascope-sync-failures-warning until 2026-01-05T03:30:00.000Z (2h); they are still evaluated and shown here',
        'silence s1 by kenji already covers them until 2026-01-05T02:30:00.000Z: this adds another',
      ],
    });
  });

  it('blocking an address warns about shared addresses; a CIDR counts its addresses; one already covered changes nothing', () => {
    const set = { name: 'vitascope-blocked', size: 2, covers: false, coveredBy: [] };
    expect(planBlockAddress(p('waf.block-address', { address: '203.0.113.7', reason: 'brute force' }), set)).toEqual({
      target: '203.0.113.7',
      summary: 'block 203.0.113.7 at the edge (vitascope-blocked, 2 entries now): brute force',
      changes: [{ what: 'requests from 203.0.113.7', from: 'allowed', to: 'blocked' }],
      blastRadius: [
        'every request from 203.0.113.7 is refused at the edge, real users behind the same address too (a carrier NAT, an office proxy)',
        'the block stays until someone lifts it (waf.unblock-address): decide who reviews it and when',
      ],
    });
    expect(addressCount('198.51.100.0/24')).toBe(256);
    expect(
      planBlockAddress(p('waf.block-address', { address: '198.51.100.0/24', reason: 'scraper' }), set).blastRadius[0],
    ).toMatch(/^every request from 256 addresses \(198\.51\.100\.0\/24\)/);
    expect(
      planBlockAddress(p('waf.block-address', { address: '198.51.100.7', reason: 'scraper' }), {
        ...set,
        covers: true,
        coveredBy: ['198.51.100.0/24'],
      }),
    ).toEqual({
      target: '198.51.100.7',
      summary: '198.51.100.7 is already blocked by vitascope-blocked: nothing to change',
      changes: [],
      blastRadius: [],
    });
  });

  it("lifting a block removes the address's own entry; one blocked only through a wider range is refused", () => {
    const set = (coveredBy: string[]) => ({
      name: 'vitascope-blocked',
      size: 3,
      covers: coveredBy.length > 0,
      coveredBy,
    });
    const params = p('waf.unblock-address', {
      address: '203.0.113.7',
      reason: 'a carrier NAT: real users were blocked',
    });
    expect(planUnblockAddress(params, set(['203.0.113.7/32']))).toEqual({
      target: '203.0.113.7',
      summary: 'lift the block on 203.0.113.7 (vitascope-blocked): a carrier NAT: real users were blocked',
      changes: [{ what: 'requests from 203.0.113.7', from: 'blocked', to: 'allowed' }],
      blastRadius: [
        'requests from 203.0.113.7 reach the API again: if it was an attack that has not stopped, the alarm that led to the block will fire again',
      ],
    });
    expect(planUnblockAddress(params, set([]))).toEqual({
      target: '203.0.113.7',
      summary: '203.0.113.7 is not blocked by vitascope-blocked: nothing to change',
      changes: [],
      blastRadius: [],
    });
    expect(() => planUnblockAddress(params, set(['203.0.113.7/32', '203.0.113.0/24']))).toThrow(
      '203.0.113.7 is blocked by 203.0.113.0/24 in vitascope-blocked as well as by its own entry: lifting it alone would change nothing; lift that range instead',
    );
  });

  it('a command shows its argv as a person reads it, made inert', () => {
    expect(
      planCommand(
        p('command.run', {
          argv: ['aws', 'logs', 'tail', '/ecs/vitascope-api', '--filter-pattern', '"/api" 401', '\u001b[31mred'],
        }),
      ),
    ).toEqual({
      target: 'aws',
      summary: 'run aws logs tail /ecs/vitascope-api --filter-pattern "\\"/api\\" 401" "\\u001b[31mred"',
      changes: [
        {
          what: 'runs',
          from: null,
          to: 'aws logs tail /ecs/vitascope-api --filter-pattern "\\"/api\\" 401" "\\u001b[31mred"',
        },
      ],
      blastRadius: [
        'runs aws on this machine with your credentials and environment: vitascope-oncall does not know what it changes',
        'stopped after 60s; its output is kept in the journal (secrets redacted)',
      ],
    });
  });
});

describe('confirmation rule', () => {
  it('dangerous on production needs the target typed; everything else a yes', () => {
    expect(confirmationFor({ danger: 'dangerous', production: true, target: 'vitascope-db' })).toEqual({
      kind: 'typed',
      text: 'vitascope-db',
    });
    expect(confirmationFor({ danger: 'dangerous', production: false, target: 'vitascope-db' })).toEqual({
      kind: 'yes',
    });
    expect(confirmationFor({ danger: 'careful', production: true, target: 'vitascope-api' })).toEqual({ kind: 'yes' });
    expect(() => checkConfirmation({ kind: 'typed', text: 'vitascope-db' }, { answer: 'confirm' })).toThrow(
      /type vitascope-db to confirm/,
    );
    expect(() =>
      checkConfirmation({ kind: 'typed', text: 'vitascope-db' }, { answer: 'confirm', typed: 'vitascope-api' }),
    ).toThrow(/is not vitascope-db: nothing was done/);
    expect(() =>
      checkConfirmation({ kind: 'typed', text: 'vitascope-db' }, { answer: 'confirm', typed: ' vitascope-db ' }),
    ).not.toThrow();
  });
});

describe('cloudwatch.disable-alarm-actions / enable-alarm-actions', () => {
  const topic = 'arn:aws:sns:ap-northeast-1:123456789012:vitascope-pagerduty';
  const state = {
    name: 'vitascope-api-high-cpu-critical',
    enabled: true,
    alarmActions: [topic],
    okActions: [topic],
    insufficientDataActions: [],
  };
  const target = {
    state,
    sameMetric: ['vitascope-api-high-cpu-warning'],
    sameName: [],
    topics: [{ arn: topic, subscriptions: [{ protocol: 'https', endpoint: 'https://events.pagerduty.com/…' }] }],
  };
  it('says what stops (the actions, who the topic reaches), what keeps paging, and what re-enables them', () => {
    expect(
      planDisableActions(
        p('cloudwatch.disable-alarm-actions', { alarm: state.name, duration: '2h', reason: 'load test' }),
        target,
        { now: T },
      ),
    ).toEqual({
      target: state.name,
      summary: `disable ${state.name}'s actions for 2h: "load test"`,
      changes: [
        { what: `actions of ${state.name}`, from: 'enabled', to: 'disabled' },
        { what: 're-enabled', from: null, to: 'at 2026-01-05T03:30:00.000Z' },
      ],
      blastRadius: [
        `stops: CloudWatch runs none of ${state.name}'s actions until 2026-01-05T03:30:00.000Z (2h): on ALARM: SNS vitascope-pagerduty → https https://events.pagerduty.com/… · on OK: SNS vitascope-pagerduty (an incident it opened is not resolved by it either)`,
        `keeps: ${state.name} still changes state and shows here; vitascope-api-high-cpu-warning (same metric) still pages`,
        `re-enabled at 2026-01-05T03:30:00.000Z: ${REENABLE_NOTE}`,
      ],
    });
  });
  it('names an Alertmanager alert of the same name as still paging, and an alarm without actions as paging nobody anyway', () => {
    const none = {
      ...target,
      state: { ...state, alarmActions: [], okActions: [] },
      sameMetric: [],
      sameName: [`${state.name} {job=vitascope-api}`],
      topics: [],
    };
    const plan = planDisableActions(
      p('cloudwatch.disable-alarm-actions', { alarm: state.name, duration: '30m', reason: 'x' }),
      none,
      { now: T },
    );
    expect(plan.blastRadius[0]).toBe(
      `${state.name} has no actions: it pages nobody now either; disabling changes nothing that reaches anyone`,
    );
    expect(plan.blastRadius[1]).toBe(
      `keeps: ${state.name} still changes state and shows here; the Alertmanager alert ${state.name} {job=vitascope-api} still pages unless silenced there`,
    );
  });
  it('refuses a week and a day, and nothing', () => {
    expect(
      ACTION_PARAMS['cloudwatch.disable-alarm-actions'].safeParse({ alarm: 'a', duration: '8d', reason: 'x' }).success,
    ).toBe(false);
    expect(
      ACTION_PARAMS['cloudwatch.disable-alarm-actions'].safeParse({ alarm: 'a', duration: '0s', reason: 'x' }).success,
    ).toBe(false);
    expect(
      ACTION_PARAMS['cloudwatch.disable-alarm-actions'].safeParse({ alarm: 'a', duration: '7d', reason: 'x' }).success,
    ).toBe(true);
    expect(
      ACTION_PARAMS['cloudwatch.disable-alarm-actions'].safeParse({ alarm: 'a', duration: '1h', reason: ' ' }).success,
    ).toBe(false);
  });
  it('enabling: nothing to change when already enabled; otherwise it pages again from its next state change', () => {
    expect(planEnableActions(p('cloudwatch.enable-alarm-actions', { alarm: state.name }), target).changes).toEqual([]);
    expect(
      planEnableActions(p('cloudwatch.enable-alarm-actions', { alarm: state.name }), {
        ...target,
        state: { ...state, enabled: false },
      }),
    ).toEqual({
      target: state.name,
      summary: `enable ${state.name}'s actions again`,
      changes: [{ what: `actions of ${state.name}`, from: 'disabled', to: 'enabled' }],
      blastRadius: [
        `${state.name} pages again from its next state change (SNS vitascope-pagerduty); a state it is already in does not page again`,
      ],
    });
  });
  it('disabling is careful, enabling safe: neither asks for a typed name', () => {
    expect(confirmationFor({ danger: 'careful', production: true, target: 'x' })).toEqual({ kind: 'yes' });
  });
});
