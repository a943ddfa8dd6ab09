import { sandboxEndpoints } from './endpoints.js';
import type { Person, Point } from '../../core/model.js';
import type { Policy } from '../../core/policy/types.js';
import type { MetricQuery, MetricSeries, Silence, Sources } from '../ports.js';
import { sandboxAlarmActions, SANDBOX_TOPICS } from './alarmActions.js';
import { metricNameOf } from './catalogue.js';
import { evaluateExpression } from '../../core/policy/expression.js';
import type { Statistic } from './history.js';
import { escalationPolicy, onCallAt, shiftsBetween } from './oncall.js';
import { UnknownScenarioError } from './scenarioNames.js';
import { findScenario, type Scenario } from './scenarios.js';
import { taskDefinitionArn, toService, type ServiceState } from './services.js';
import { ACCOUNT, DATABASE, MINUTE, REGION, SANDBOX_ORIGIN } from './topology.js';
import { World } from './world.js';
import { sandboxLogs } from './logs.js';
import { sandboxTraces } from './traces.js';

export interface SandboxOptions {
  readonly seed: number;
  readonly scenario: string;
  /** Simulated time runs this many times faster than real time. */
  readonly speed: number;
  /** Simulated time at start, as an offset from the sandbox's origin. */
  readonly startOffsetMs: number;
  readonly policy: Policy;
  /** Who the responder is, for acknowledgements and notes. */
  readonly user: Person;
  /** Headless commands look at one moment: the clock does not run. */
  readonly frozen: boolean;
  /** This run's tag, made part of its incident ids (unique per run); none keeps bare ids. */
  readonly run?: string;
  /** Real time in ms (for tests); performance.now by default. */
  readonly realClock?: () => number;
}

export interface Sandbox extends Sources {
  readonly world: World;
  readonly scenario: Scenario;
  /** Moves simulated time forward (frozen sandboxes only move this way). */
  advance(ms: number): void;
}

export { UnknownScenarioError };

const STATISTICS = new Set<string>(['Average', 'Maximum', 'Minimum', 'Sum']);

/** The simulated Vitascope production behind the same ports as the real sources. */
export function createSandbox(options: SandboxOptions): Sandbox {
  const scenario = findScenario(options.scenario, options.seed);
  if (!scenario) throw new UnknownScenarioError(options.scenario);
  const world = new World(options.seed, SANDBOX_ORIGIN, options.policy, scenario, options.run);
  const realClock = options.realClock ?? (() => performance.now());
  const realStart = realClock();
  let offset = options.startOffsetMs;
  const silences: Silence[] = [];
  let silenceSeq = 0;
  const user = options.user;

  // Whole milliseconds, like a real clock (the journal and the APIs take integers).
  const now = () =>
    Math.floor(SANDBOX_ORIGIN + offset + (options.frozen ? 0 : (realClock() - realStart) * options.speed));
  const sync = () => {
    const t = now();
    world.advanceTo(t);
    return t;
  };
  const service = (idOrName: string): ServiceState => {
    for (const svc of world.services.values()) if (svc.arn === idOrName || svc.spec.name === idOrName) return svc;
    throw new Error(`no ECS service ${idOrName} in the sandbox`);
  };
  const silenceState = (s: Pick<Silence, 'startsAt' | 'endsAt'>, at: number): Silence['state'] =>
    at < s.startsAt ? 'pending' : at < s.endsAt ? 'active' : 'expired';
  // The sandbox's alarms are CloudWatch alarms: an Alertmanager silence is kept and listed, but it does not
  // stop their pages (it would not in production either); disabling an alarm's actions does (alarmActions).

  const sandbox: Sandbox = {
    world,
    scenario,
    environment: { kind: 'sandbox', label: 'SANDBOX', account: ACCOUNT, region: REGION, production: false },
    now,
    advance(ms: number) {
      if (ms < 0) throw new Error('simulated time only moves forward');
      offset += ms;
      sync();
    },
    simulation: {
      scenario: scenario.name,
      seed: options.seed,
      ...(options.run ? { run: options.run } : {}),
      frozen: options.frozen,
      advance: (ms: number) => sandbox.advance(ms),
    },
    alarms: {
      async listAlarms() {
        sync();
        return world.alarms.toAlarms();
      },
      async alarmHistory(alarmName, range) {
        sync();
        const found = world.alarms.find(alarmName);
        if (!found) throw new Error(`no alarm named ${alarmName}`);
        return found.alarm.history.filter((h) => !range || (h.at >= range.from && h.at < range.to));
      },
    },
    metrics: {
      async getSeries(queries: readonly MetricQuery[], range) {
        sync();
        return queries.map((q) => seriesFor(world, q, range));
      },
    },
    endpoints: sandboxEndpoints(world, sync),
    services: {
      async listServices() {
        const t = sync();
        return [...world.services.values()].map((s) => toService(s, t));
      },
    },
    databases: {
      async listDatabases() {
        const t = sync();
        return [
          {
            id: DATABASE.id,
            engine: DATABASE.engine,
            instanceClass: DATABASE.instanceClass,
            status: world.databaseStatus(t),
            connections: world.last?.dbConnections,
            maxConnections: DATABASE.maxConnections,
            multiAz: DATABASE.multiAz,
            allocatedGiB: world.database.allocatedAt(t),
            storageUsedPercent: world.storageUsedPercent(t),
          },
        ];
      },
    },
    incidents: {
      async listIncidents(filter) {
        sync();
        return world.pager
          .list()
          .filter(
            (i) =>
              (!filter?.statuses || filter.statuses.includes(i.status)) &&
              (!filter?.since || i.createdAt >= filter.since) &&
              (!filter?.until || i.createdAt < filter.until) &&
              (!filter?.urgencies || filter.urgencies.includes(i.urgency)) &&
              (!filter?.priorities || (i.priority !== undefined && filter.priorities.includes(i.priority))) &&
              (!filter?.serviceIds || filter.serviceIds.includes(i.service.id)) &&
              (!filter?.assigneeIds || i.assignees.some((a) => filter.assigneeIds!.includes(a.id))),
          );
      },
      async getIncident(id) {
        sync();
        return world.pager.get(id);
      },
      async timeline(id) {
        sync();
        return world.pager.timeline(id);
      },
    },
    onCall: {
      async onCallNow() {
        return onCallAt(sync(), options.policy.escalation);
      },
      async rotation(from, to) {
        return shiftsBetween(from, to);
      },
      async escalationPolicies() {
        return [escalationPolicy(sync(), options.policy.escalation)];
      },
    },
    scalable: {
      async setDesiredCount(serviceId, desired) {
        const t = sync();
        world.setDesiredCount(service(serviceId).spec.name, desired, t, user);
      },
    },
    autoScalable: {
      async getScalingLimits(serviceId) {
        sync();
        return { ...service(serviceId).scaling };
      },
      async setScalingLimits(serviceId, limits) {
        const t = sync();
        world.setScalingLimits(service(serviceId).spec.name, limits.min, limits.max, t);
      },
    },
    redeployable: {
      async forceNewDeployment(serviceId) {
        const t = sync();
        world.forceNewDeployment(service(serviceId).spec.name, t, user);
      },
      async previousTaskDefinition(serviceId) {
        sync();
        const svc = service(serviceId);
        const rev = world.previousRevision(svc.spec.name);
        return rev === undefined ? undefined : taskDefinitionArn(svc.spec.family, rev);
      },
      async setTaskDefinition(serviceId, taskDefinition) {
        const t = sync();
        const svc = service(serviceId);
        const match = /:(\d+)$/.exec(taskDefinition);
        if (!match || !taskDefinition.includes(svc.spec.family))
          throw new Error(`${taskDefinition} is not a task definition of ${svc.spec.family}`);
        world.setRevision(svc.spec.name, Number(match[1]), t, user);
      },
    },
    rebootable: {
      async rebootDatabase(databaseId, { failover }) {
        const t = sync();
        if (databaseId !== DATABASE.id) throw new Error(`no database ${databaseId} in the sandbox`);
        world.rebootDatabase(failover, t);
      },
    },
    storageResizable: {
      async getStorage(databaseId) {
        const t = sync();
        if (databaseId !== DATABASE.id) throw new Error(`no database ${databaseId} in the sandbox`);
        // allocatedGiB counts a change being applied (as the AWS adapter does); usedPercent is of the
        // storage usable now. Storage autoscaling is off (no MaxAllocatedStorage): that is why it fills up.
        return { allocatedGiB: world.database.requestedGiB, usedPercent: world.storageUsedPercent(t) };
      },
      async setAllocatedStorage(databaseId, allocatedGiB) {
        const t = sync();
        if (databaseId !== DATABASE.id) throw new Error(`no database ${databaseId} in the sandbox`);
        world.growStorage(allocatedGiB, t);
      },
    },
    incidentActions: {
      async acknowledge(id) {
        world.pager.acknowledge(id, user, sync());
      },
      async resolve(id) {
        world.pager.resolve(id, user, sync());
      },
      async reassign(id, people) {
        world.pager.reassign(id, people, user, sync());
      },
      async escalate(id, level) {
        world.pager.escalate(id, level, user, sync());
      },
      async addNote(id, text) {
        world.pager.addNote(id, text, user, sync());
      },
      async snooze(id, seconds) {
        world.pager.snooze(id, seconds * 1000, user, sync());
      },
    },
    silences: {
      async listSilences() {
        const t = sync();
        return silences.map((s) => ({ ...s, state: silenceState(s, t) }));
      },
      async createSilence(s) {
        const t = sync();
        if (!s.comment.trim()) throw new Error('a silence needs a comment');
        if (s.endsAt <= Math.max(t, s.startsAt)) throw new Error('a silence must end in the future');
        silenceSeq += 1;
        const id = `sandbox-silence-${silenceSeq}`;
        silences.push({ ...s, id, state: silenceState(s, t) });
        return id;
      },
      async expireSilence(id) {
        const t = sync();
        const i = silences.findIndex((s) => s.id === id);
        if (i < 0) throw new Error(`no silence ${id}`);
        silences[i] = { ...silences[i]!, endsAt: Math.min(silences[i]!.endsAt, t) };
      },
    },
    alarmDrill: {
      async setAlarmState(name, state, reason) {
        world.setAlarmState(name, state, reason, sync());
      },
    },
    alarmActions: sandboxAlarmActions(world, sync),
    logs: sandboxLogs(world, sync),
    traces: sandboxTraces(world, sync),
    topics: SANDBOX_TOPICS,
    addressBlocker: {
      async blockAddress(address) {
        sync();
        world.blockAddress(address);
      },
      async unblockAddress(address) {
        sync();
        world.unblockAddress(address);
      },
      async blocked(address) {
        sync();
        const coveredBy = world.blockedBy(address);
        return { name: 'sandbox-blocked-addresses', size: world.blocked.size, covers: coveredBy.length > 0, coveredBy };
      },
    },
    async close() {
      // Nothing to release: the sandbox has no timers; time advances when it is read.
    },
  };
  sync();
  return sandbox;
}

function seriesFor(
  world: World,
  q: MetricQuery,
  range: { start: number; end: number; stepSeconds: number },
): MetricSeries {
  if (q.expression) return expressionSeries(world, q, range);
  const name = metricNameOf(q.metric);
  const denominator = q.denominator ? metricNameOf({ ...q.metric, name: q.denominator }) : undefined;
  const statistic = (q.statistic ?? q.metric.statistic ?? 'Average') as Statistic;
  const points: Point[] = [];
  if (!name || (q.denominator && !denominator) || !STATISTICS.has(statistic)) return { id: q.id, points };
  const stepMin = Math.max(1, Math.round(range.stepSeconds / 60));
  const first = Math.ceil((range.start - world.origin) / MINUTE);
  const last = Math.min(Math.floor((range.end - world.origin) / MINUTE), world.minute);
  for (let m = first; m + stepMin <= last; m += stepMin) {
    let v: number | undefined;
    if (denominator) {
      const num = world.history.aggregate(name, 'Sum', m, stepMin);
      const den = world.history.aggregate(denominator, 'Sum', m, stepMin);
      v = num !== undefined && den !== undefined && den > 0 ? (100 * num) / den : undefined;
    } else {
      v = world.history.aggregate(name, statistic, m, stepMin);
    }
    if (v !== undefined) points.push({ t: world.origin + m * MINUTE, v });
  }
  return { id: q.id, points };
}

/** A metric-math query: its inputs' statistic per step, combined by the expression (limits from `constants`). */
function expressionSeries(
  world: World,
  q: MetricQuery,
  range: { start: number; end: number; stepSeconds: number },
): MetricSeries {
  const e = q.expression!;
  const statistic = (q.statistic ?? q.metric.statistic ?? 'Average') as Statistic;
  const inputs = new Map(
    Object.entries(e.inputs).map(([id, name]) => [id, metricNameOf({ ...q.metric, name })] as const),
  );
  const points: Point[] = [];
  if ([...inputs.values()].some((n) => n === undefined) || !STATISTICS.has(statistic)) return { id: q.id, points };
  const stepMin = Math.max(1, Math.round(range.stepSeconds / 60));
  const first = Math.ceil((range.start - world.origin) / MINUTE);
  const last = Math.min(Math.floor((range.end - world.origin) / MINUTE), world.minute);
  for (let m = first; m + stepMin <= last; m += stepMin) {
    const v = evaluateExpression(e.text, (id) =>
      inputs.has(id) ? world.history.aggregate(inputs.get(id)!, statistic, m, stepMin) : e.constants?.[id],
    );
    if (v !== undefined) points.push({ t: world.origin + m * MINUTE, v });
  }
  return { id: q.id, points };
}
