import type { Alarm, AlertLevel, Database, Environment, Health, Incident, OnCallEntry, Service } from './model.js';
import { LEVEL_RANK, worse } from './model.js';
import { PartialAnswerError } from './partial.js';
import { nextEscalation, responseDeadline, type NextEscalation } from './policy/escalation.js';
import type { Policy } from './policy/types.js';
import type { Sources } from '../sources/ports.js';

/** How a service is doing, judged from one snapshot. */
export type ServiceCondition = 'steady' | 'deploying' | 'scaling' | 'degraded' | 'down' | 'deployment failed';

export interface ServiceStatus {
  readonly service: Service;
  readonly condition: ServiceCondition;
  readonly health: Health;
}

export interface DatabaseStatus {
  readonly database: Database;
  /** Connections as a share of max_connections, when both are known. */
  readonly share?: number;
  /** The level of the storage in use alone, when it is known and a storage rule is on. */
  readonly storageHealth?: Health;
  readonly health: Health;
}

/** The policy's disk-utilization thresholds (percent), unless the rule is turned off. */
export interface StorageThresholds {
  readonly warning?: number;
  readonly critical?: number;
}

/** RDS statuses in which the instance serves nothing; others than `available` are passing states. */
const DATABASE_DOWN = new Set([
  'failed',
  'stopped',
  'stopping',
  'storage-full',
  'inaccessible-encryption-credentials',
  'incompatible-network',
  'incompatible-parameters',
  'incompatible-restore',
  'restore-error',
]);

/**
 * How a database is doing: by the policy's rds-connections share (at the limit every new connection is
 * refused, which is critical whatever the policy's warning share) and by its status (rebooting or
 * modifying: a warning; failed, stopped or out of storage: critical).
 */
export function databaseCondition(
  db: Database,
  warningShare: number | undefined,
  storage?: StorageThresholds,
): DatabaseStatus {
  const share = db.connections !== undefined && db.maxConnections ? db.connections / db.maxConnections : undefined;
  let health: Health = 'ok';
  if (DATABASE_DOWN.has(db.status)) health = 'critical';
  else if (db.status !== 'available') health = 'warning';
  if (share !== undefined && share >= 1) health = 'critical';
  else if (share !== undefined && warningShare !== undefined && share >= warningShare && health === 'ok')
    health = 'warning';
  // Storage is judged on its own (a full disk with few connections is still critical), by the policy's disk rule.
  const used = db.storageUsedPercent;
  let storageHealth: Health | undefined;
  if (used !== undefined && storage) {
    storageHealth =
      storage.critical !== undefined && used >= storage.critical
        ? 'critical'
        : storage.warning !== undefined && used >= storage.warning
          ? 'warning'
          : 'ok';
    health = worse(health, storageHealth);
  }
  return {
    database: db,
    ...(share !== undefined ? { share } : {}),
    ...(storageHealth ? { storageHealth } : {}),
    health,
  };
}

/** The policy's disk-utilization thresholds, unless the rule is turned off. */
export function storageThresholds(policy: Policy): StorageThresholds | undefined {
  const rule = policy.rules.find((r) => r.id === 'disk-utilization');
  return rule && rule.enabled !== false
    ? { warning: rule.thresholds.warning, critical: rule.thresholds.critical }
    : undefined;
}

/** The policy's rds-connections warning share, unless the rule is turned off. */
export function connectionsWarningShare(policy: Policy): number | undefined {
  const rule = policy.rules.find((r) => r.id === 'rds-connections');
  return rule && rule.enabled !== false ? rule.thresholds.warning : undefined;
}

export interface IncidentStatusView {
  readonly incident: Incident;
  readonly health: Health;
  readonly nextEscalation?: NextEscalation;
  readonly responseDue?: number;
}

/** How one source answered `status`: a tagged value (a source not configured is not asked, and not listed). */
export type SourceStatus =
  | { readonly name: string; readonly state: 'ok' }
  | { readonly name: string; readonly state: 'failing'; readonly error: string };

/** Whether the source answered. */
export function sourceFailed(s: SourceStatus): s is Extract<SourceStatus, { state: 'failing' }> {
  return s.state === 'failing';
}

export interface StatusSnapshot {
  readonly at: number;
  readonly environment: Environment;
  readonly health: Health;
  readonly alarms: readonly Alarm[];
  readonly services: readonly ServiceStatus[];
  readonly databases: readonly DatabaseStatus[];
  readonly incidents: readonly IncidentStatusView[];
  readonly onCall: readonly OnCallEntry[];
  readonly sources: readonly SourceStatus[];
  /** What the sources that answered said, for the timeline recorder (a failed source is absent, never empty). */
  readonly observed: {
    readonly alarms?: readonly Alarm[];
    readonly alerts?: readonly Alarm[];
    readonly incidents?: readonly Incident[];
  };
}

/** Exit codes of `status`: the worst health, or a program error; storage: the journal or a folder of ours cannot be used. */
export const EXIT = {
  ok: 0,
  warning: 1,
  critical: 2,
  usage: 2,
  config: 3,
  source: 4,
  internal: 5,
  storage: 6,
} as const;

export function serviceCondition(s: Service): ServiceStatus {
  const primary = s.deployments.find((d) => d.status === 'PRIMARY');
  let condition: ServiceCondition;
  if (primary?.rolloutState === 'FAILED') condition = 'deployment failed';
  else if (s.desired > 0 && s.running === 0 && s.pending === 0) condition = 'down';
  else if (s.running < s.desired && s.pending === 0) condition = 'degraded';
  else if (primary?.rolloutState === 'IN_PROGRESS' || s.deployments.length > 1) condition = 'deploying';
  else if (s.pending > 0 || s.running !== s.desired) condition = 'scaling';
  else condition = 'steady';
  const health: Health =
    condition === 'deployment failed' || condition === 'down'
      ? 'critical'
      : condition === 'degraded' || (s.desired > 0 && s.running === 0)
        ? // Tasks still starting while none runs: nothing serves yet, whatever the rollout says.
          'warning'
        : 'ok';
  return { service: s, condition, health };
}

/** Open P1/P2 incidents are critical, other open incidents a warning. */
export function incidentHealth(i: Incident): Health {
  if (i.status === 'resolved') return 'ok';
  return i.priority === 'P1' || i.priority === 'P2' ? 'critical' : 'warning';
}

/** Alarms in ALARM raise their level; info alarms are reported but are not a warning. */
export function alarmHealth(a: Alarm): Health {
  if (a.state !== 'ALARM') return 'ok';
  return a.level === 'info' ? 'ok' : a.level;
}

export function alarmOrder(a: Alarm, b: Alarm): number {
  const stateRank = (x: Alarm) => (x.state === 'ALARM' ? 0 : x.state === 'INSUFFICIENT_DATA' ? 1 : 2);
  return (
    stateRank(a) - stateRank(b) ||
    LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
    b.stateSince - a.stateSince ||
    a.name.localeCompare(b.name)
  );
}

export function exitCodeFor(snapshot: Pick<StatusSnapshot, 'health' | 'sources'>): number {
  if (snapshot.sources.some(sourceFailed)) return EXIT.source;
  return snapshot.health === 'critical' ? EXIT.critical : snapshot.health === 'warning' ? EXIT.warning : EXIT.ok;
}

/** Counts of alarms in ALARM by level. */
export function alarmCounts(
  alarms: readonly Alarm[],
): Record<AlertLevel, number> & { ok: number; insufficient: number } {
  const counts = { critical: 0, warning: 0, info: 0, ok: 0, insufficient: 0 };
  for (const a of alarms) {
    if (a.state === 'ALARM') counts[a.level] += 1;
    else if (a.state === 'OK') counts.ok += 1;
    else counts.insufficient += 1;
  }
  return counts;
}

async function attempt<T>(
  name: string,
  run: (() => Promise<T>) | undefined,
  problems: SourceStatus[],
  fallback: T,
): Promise<T> {
  if (!run) return fallback;
  try {
    const value = await run();
    problems.push({ name, state: 'ok' });
    return value;
  } catch (error) {
    problems.push({
      name,
      state: 'failing',
      error: error instanceof Error ? error.message || error.name : String(error),
    });
    // What part of the source did answer is still shown; the source still counts as failed.
    return error instanceof PartialAnswerError ? (error.partial as T) : fallback;
  }
}

/** One snapshot of everything `status` shows, read from the sources at once; a failing source is reported, not thrown. */
export async function collectStatus(sources: Sources, policy: Policy): Promise<StatusSnapshot> {
  const reports: SourceStatus[] = [];
  const [cloudwatch, alerts, services, databases, incidents, onCall] = await Promise.all([
    attempt('alarms', sources.alarms && (() => sources.alarms!.listAlarms()), reports, [] as Alarm[]),
    attempt('alerts', sources.alerts && (() => sources.alerts!.listAlarms()), reports, [] as Alarm[]),
    attempt('services', sources.services && (() => sources.services!.listServices()), reports, [] as Service[]),
    attempt('databases', sources.databases && (() => sources.databases!.listDatabases()), reports, [] as Database[]),
    // Filtered here too: a server that ignores the filter must not make a resolved incident "open".
    attempt(
      'incidents',
      sources.incidents &&
        (async () =>
          (await sources.incidents!.listIncidents({ statuses: ['triggered', 'acknowledged'] })).filter(
            (i) => i.status !== 'resolved',
          )),
      reports,
      [] as Incident[],
    ),
    attempt('on-call', sources.onCall && (() => sources.onCall!.onCallNow()), reports, [] as OnCallEntry[]),
  ]);
  const alarms = [...cloudwatch, ...alerts];
  const at = sources.now();
  const serviceViews = services.map(serviceCondition).sort((a, b) => a.service.name.localeCompare(b.service.name));
  const share = connectionsWarningShare(policy);
  const disk = storageThresholds(policy);
  const databaseViews = databases
    .map((d) => databaseCondition(d, share, disk))
    .sort((a, b) => a.database.id.localeCompare(b.database.id));
  const incidentViews = incidents
    .map((incident) => ({
      incident,
      health: incidentHealth(incident),
      nextEscalation: nextEscalation(incident, policy.escalation),
      responseDue: responseDeadline(incident, policy),
    }))
    .sort(
      (a, b) =>
        (a.incident.priority ?? 'P9').localeCompare(b.incident.priority ?? 'P9') ||
        a.incident.createdAt - b.incident.createdAt,
    );
  let health: Health = 'ok';
  for (const a of alarms) health = worse(health, alarmHealth(a));
  for (const s of serviceViews) health = worse(health, s.health);
  for (const d of databaseViews) health = worse(health, d.health);
  for (const i of incidentViews) health = worse(health, i.health);
  const order = ['alarms', 'alerts', 'services', 'databases', 'incidents', 'on-call'];
  const answered = (name: string) => reports.some((r) => r.name === name && r.state === 'ok');
  return {
    observed: {
      ...(answered('alarms') ? { alarms: cloudwatch } : {}),
      ...(answered('alerts') ? { alerts } : {}),
      ...(answered('incidents') ? { incidents } : {}),
    },
    at,
    environment: sources.environment,
    health,
    alarms: [...alarms].sort(alarmOrder),
    services: serviceViews,
    databases: databaseViews,
    incidents: incidentViews,
    onCall,
    sources: reports.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name)),
  };
}
