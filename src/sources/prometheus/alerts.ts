/**
 * Prometheus's own alerting rules as the AlarmSource port: one Alarm per alerting rule, the way a
 * CloudWatch alarm is one alarm however many series it watches, so that the alarm list is stable
 * (an inactive rule is an OK alarm, not a missing one) and ids survive refreshes.
 *
 * Mapping:
 * - state: firing → ALARM; pending → OK with reason "pending" (the condition holds but not yet for the
 *   rule's `for`); inactive → OK; a rule whose evaluation fails (health "err") → INSUFFICIENT_DATA with
 *   Prometheus's error as the reason, since its state says nothing then;
 * - level: the `severity` label (critical | warning | info, any case), from the rule or else from its
 *   alerts (templated severities); anything else or none → warning, the strategy's middle level;
 * - description: the summary and description annotations, expanded from a current alert when there is
 *   one (the rule's own annotations are raw templates), and the runbook (runbook_url or runbook) as a
 *   last line "runbook: …" so that it survives into the cockpit;
 * - reason: for a firing rule, how many series fire and their distinguishing labels and values;
 * - threshold and comparison: read from an expression ending in "> 0.5", ">= 5", "< 1", "<= 1";
 * - value: the worst current alert's value (highest, or lowest for < rules);
 * - stateSince: for firing, the earliest activeAt plus the rule's `for` (when it could first fire);
 *   for pending, the earliest activeAt; otherwise when this source first saw the rule in that state,
 *   because Prometheus keeps no record of when a rule stopped firing.
 *
 * Per-series alerts (/api/v1/alerts) are offered too, through listActiveAlerts, for a detail view.
 */
import type { Alarm, AlarmHistoryItem, AlarmState, AlertLevel } from '../../core/model.js';
import { boundAlarm } from '../../core/bounds.js';
import type { AlarmSource } from '../ports.js';
import type { Labels, PromAlert, PromAlertingRule, PrometheusClient } from './client.js';

export function levelOf(severity: string | undefined): AlertLevel | undefined {
  const s = severity?.trim().toLowerCase();
  return s === 'critical' || s === 'warning' || s === 'info' ? s : undefined;
}

const LEVEL_ORDER: readonly AlertLevel[] = ['critical', 'warning', 'info'];

const COMPARISONS: Readonly<Record<string, string>> = {
  '>': 'GreaterThanThreshold',
  '>=': 'GreaterThanOrEqualToThreshold',
  '<': 'LessThanThreshold',
  '<=': 'LessThanOrEqualToThreshold',
};

/** The threshold of an expression that ends in a plain comparison with a number, e.g. "… > 0.5". */
export function thresholdOf(expr: string): { threshold: number; comparison: string } | undefined {
  const m = /(>=|<=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/.exec(expr.trim());
  if (!m) return undefined;
  const threshold = Number(m[2]);
  return Number.isFinite(threshold) ? { threshold, comparison: COMPARISONS[m[1]!]! } : undefined;
}

/** summary, description and the runbook, one per line, skipping what is absent. */
export function describe(annotations: Labels): string | undefined {
  const runbook = annotations.runbook_url ?? annotations.runbook;
  const lines = [annotations.summary, annotations.description, runbook ? `runbook: ${runbook}` : undefined]
    .map((l) => l?.trim())
    .filter((l): l is string => !!l);
  return lines.length ? lines.join('\n') : undefined;
}

/** The labels that tell a rule's alerts apart (everything but alertname, severity and the rule's own labels). */
function distinguishing(alert: PromAlert, rule?: PromAlertingRule): string {
  const own = rule?.labels ?? {};
  const parts = Object.entries(alert.labels)
    .filter(([k, v]) => k !== 'alertname' && k !== 'severity' && own[k] !== v)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return parts.join(',');
}

function formatValue(v: number | undefined): string {
  if (v === undefined) return '';
  return ` (${Number.isInteger(v) ? v : Number(v.toPrecision(4))})`;
}

/** A rule as a row, with the label sets of the alerts it fires (Alertmanager holds those). */
export interface RuleAlarm {
  readonly alarm: Alarm;
  readonly firing: readonly Labels[];
}

interface Seen {
  readonly state: AlarmState;
  readonly since: number;
}

export interface PrometheusAlarmOptions {
  /** The clock for stateSince when Prometheus does not say; Date.now by default. */
  readonly now?: () => number;
}

export class PrometheusAlarmSource implements AlarmSource {
  /** The state each rule was last seen in, and since when; rebuilt on every listing so removed rules are forgotten. */
  private seen = new Map<string, Seen>();
  private readonly now: () => number;

  constructor(
    private readonly client: PrometheusClient,
    options: PrometheusAlarmOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async listAlarms(signal?: AbortSignal): Promise<Alarm[]> {
    return (await this.listRules(signal)).map((r) => r.alarm);
  }

  /** One row per rule with the label sets of its pending and firing alerts (what Alertmanager may hold). */
  async listRules(signal?: AbortSignal): Promise<RuleAlarm[]> {
    const rules = await this.client.alertingRules(signal);
    const now = this.now();
    const occurrences = new Map<string, number>();
    const seen = new Map<string, Seen>();
    const alarms = rules.map((rule) => {
      // A group may hold two rules of one name (a warning and a critical variant): number the second.
      const key = `prometheus:${rule.file}:${rule.group}:${rule.name}`;
      const n = (occurrences.get(key) ?? 0) + 1;
      occurrences.set(key, n);
      const id = n === 1 ? key : `${key}#${n}`;
      const { alarm: mapped, since: dated } = mapRule(rule, id);
      const alarm = boundAlarm({ ...mapped, stateSince: 0 });
      // Remember when a state we cannot date began, so that stateSince does not jump on every refresh.
      const before = this.seen.get(id);
      const since = dated ?? (before && before.state === alarm.state ? before.since : now);
      seen.set(id, { state: alarm.state, since });
      return {
        alarm: { ...alarm, stateSince: since },
        firing: rule.alerts.filter((a) => a.state === 'firing').map((a) => a.labels),
      };
    });
    this.seen = seen;
    return alarms;
  }

  /** One Alarm per pending or firing series (/api/v1/alerts), for a detail view. */
  async listActiveAlerts(signal?: AbortSignal): Promise<Alarm[]> {
    const alerts = await this.client.alerts(signal);
    return alerts.map((a) => alertToAlarm(a));
  }

  /**
   * Prometheus keeps no history of rule state changes that this port could read: the ALERTS series
   * exists only while a rule is pending or firing and is sampled at the evaluation interval, so a
   * history built from it would miss short episodes and the moment a rule resolved. The cockpit's
   * journal records the transitions it sees instead.
   */
  async alarmHistory(): Promise<AlarmHistoryItem[]> {
    return [];
  }
}

/** One alerting rule as an Alarm; stateSince is `now` where Prometheus does not date the state. */
export function ruleToAlarm(rule: PromAlertingRule, id: string, now: number): Alarm {
  const { alarm, since } = mapRule(rule, id);
  return boundAlarm({ ...alarm, stateSince: since ?? now });
}

/** The mapping itself, and since when the state holds when Prometheus's answer says so. */
function mapRule(rule: PromAlertingRule, id: string): { alarm: Omit<Alarm, 'stateSince'>; since?: number } {
  const firing = rule.alerts.filter((a) => a.state === 'firing');
  const pending = rule.alerts.filter((a) => a.state === 'pending');
  const current = firing.length ? firing : pending;
  const levels = [levelOf(rule.labels.severity), ...current.map((a) => levelOf(a.labels.severity))].filter(
    (l): l is AlertLevel => !!l,
  );
  const level = levelOf(rule.labels.severity) ?? LEVEL_ORDER.find((l) => levels.includes(l)) ?? 'warning';
  const limit = thresholdOf(rule.query);
  const lowIsBad = limit?.comparison.startsWith('Less') ?? false;
  const worst = [...current]
    .filter((a) => a.value !== undefined)
    .sort((a, b) => (lowIsBad ? a.value! - b.value! : b.value! - a.value!))[0];
  const earliest = (alerts: readonly PromAlert[]) => {
    const times = alerts.map((a) => a.activeAt).filter((t): t is number => t !== undefined);
    return times.length ? Math.min(...times) : undefined;
  };

  let state: AlarmState;
  let reason: string | undefined;
  let since: number | undefined;
  if (rule.health === 'err') {
    state = 'INSUFFICIENT_DATA';
    reason = `rule evaluation failed: ${rule.lastError ?? 'no reason given'}`;
  } else if (rule.state === 'firing' || firing.length) {
    state = 'ALARM';
    const labelled = firing.map((a) => `${distinguishing(a, rule) || rule.name}${formatValue(a.value)}`);
    const shown = labelled.slice(0, 5).join('; ') + (labelled.length > 5 ? `; and ${labelled.length - 5} more` : '');
    reason = `firing for ${firing.length} series: ${shown}`;
    const start = earliest(firing);
    since = start === undefined ? undefined : start + rule.durationSeconds * 1000;
  } else if (rule.state === 'pending' || pending.length) {
    state = 'OK';
    reason = 'pending';
    since = earliest(pending);
  } else {
    state = 'OK';
  }

  const alarm: Omit<Alarm, 'stateSince'> = {
    id,
    name: rule.name,
    kind: 'metric',
    state,
    level,
    description: describe(current[0]?.annotations ?? rule.annotations),
    reason,
    threshold: limit?.threshold,
    comparison: limit?.comparison,
    value: worst?.value,
    periodSeconds: rule.durationSeconds > 0 ? rule.durationSeconds : undefined,
    actions: [],
    origins: ['prometheus'],
  };
  return { alarm, since };
}

/** One series' alert (from /api/v1/alerts) as an Alarm. */
export function alertToAlarm(alert: PromAlert): Alarm {
  const name = alert.labels.alertname ?? 'unnamed alert';
  const rest = distinguishing(alert);
  return boundAlarm({
    id: `prometheus-alert:${name}{${rest}}`,
    name: rest ? `${name} {${rest}}` : name,
    kind: 'metric',
    state: alert.state === 'firing' ? 'ALARM' : 'OK',
    level: levelOf(alert.labels.severity) ?? 'warning',
    description: describe(alert.annotations),
    reason: alert.state === 'pending' ? 'pending' : alert.state === 'firing' ? 'firing' : undefined,
    value: alert.value,
    stateSince: alert.activeAt ?? 0,
    actions: [],
    origins: ['prometheus'],
  });
}
