/**
 * Alertmanager's alerts as the AlarmSource port. Every alert Alertmanager returns is firing at its
 * source (resolved ones are dropped by its API), so each maps to an Alarm in ALARM; whether anyone is
 * being paged for it is told by the reason: "active", "silenced by <silence ids>", "inhibited by
 * <fingerprints>" or "unprocessed". A silenced alert stays an ALARM on purpose: a silence mutes the
 * notification, not the problem, and the on-call engineer should still see it (labelled as silenced).
 *
 * One Alarm per alert: the id is "alertmanager:" + the fingerprint (stable while the label set is),
 * the name the alertname, the level the severity label (critical | warning | info; warning otherwise),
 * the description the summary, description and runbook annotations, the actions the receivers.
 */
import type { Alarm, AlarmHistoryItem } from '../../core/model.js';
import { boundAlarm } from '../../core/bounds.js';
import type { AlarmSource } from '../ports.js';
import { describe, levelOf } from '../prometheus/alerts.js';
import type { AlertFilter, AlertmanagerAlert, AlertmanagerClient } from './client.js';

/** The labels that tell alerts of one name apart, for the alarm's name. */
function distinguishing(alert: AlertmanagerAlert): string {
  return Object.entries(alert.labels)
    .filter(([k]) => k !== 'alertname' && k !== 'severity')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function alertmanagerAlertToAlarm(alert: AlertmanagerAlert, now: number = Date.now()): Alarm {
  const name = alert.labels.alertname ?? alert.fingerprint;
  const rest = distinguishing(alert);
  const resolved = alert.endsAt !== undefined && alert.endsAt <= now;
  let reason: string;
  if (resolved) reason = 'resolved';
  else if (alert.silencedBy.length) reason = `silenced by ${alert.silencedBy.join(', ')}`;
  else if (alert.inhibitedBy.length) reason = `inhibited by ${alert.inhibitedBy.join(', ')}`;
  else reason = alert.state === 'unprocessed' ? 'unprocessed' : 'active';
  return boundAlarm({
    id: `alertmanager:${alert.fingerprint}`,
    name: rest ? `${name} {${rest}}` : name,
    kind: 'metric',
    state: resolved ? 'OK' : 'ALARM',
    level: levelOf(alert.labels.severity) ?? 'warning',
    description: describe(alert.annotations),
    reason,
    stateSince: resolved ? alert.endsAt! : alert.startsAt,
    actions: [...alert.receivers],
    origins: ['alertmanager'],
    labels: { ...alert.labels },
    ...(resolved ? {} : suppressionOf(alert)),
  });
}

/** Alertmanager's own word on whether it notifies (status.state, silencedBy, inhibitedBy). */
function suppressionOf(alert: AlertmanagerAlert): Pick<Alarm, 'suppressed'> {
  if (alert.silencedBy.length) return { suppressed: { kind: 'silenced', by: [...alert.silencedBy] } };
  if (alert.inhibitedBy.length) return { suppressed: { kind: 'inhibited', by: [...alert.inhibitedBy] } };
  return {};
}

/** An alert as a row, with the labels the merge with Prometheus's rules matches on. */
export interface HeldAlert {
  readonly alarm: Alarm;
  readonly labels: Readonly<Record<string, string>>;
}

export class AlertmanagerAlarmSource implements AlarmSource {
  constructor(
    private readonly client: AlertmanagerClient,
    /** Which alerts to show; all of them (active, silenced, inhibited, unprocessed) by default. */
    private readonly filter: AlertFilter = {},
  ) {}

  async listAlarms(signal?: AbortSignal): Promise<Alarm[]> {
    return (await this.listHeld(signal)).map((h) => h.alarm);
  }

  /** Every alert with its labels, sorted by name. */
  async listHeld(signal?: AbortSignal): Promise<HeldAlert[]> {
    const alerts = await this.client.listAlerts(this.filter, signal);
    const now = Date.now();
    return alerts
      .map((a) => ({ alarm: alertmanagerAlertToAlarm(a, now), labels: a.labels }))
      .sort((a, b) => a.alarm.name.localeCompare(b.alarm.name) || a.alarm.id.localeCompare(b.alarm.id));
  }

  /** Alertmanager keeps only current alerts (and forgets resolved ones): there is no history to read. */
  async alarmHistory(): Promise<AlarmHistoryItem[]> {
    return [];
  }
}
