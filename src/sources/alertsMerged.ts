/**
 * Prometheus's alerting rules and Alertmanager's alerts as ONE alert source, both at once: a rule row
 * per Prometheus rule (inactive ones too, so the list is stable), and an Alertmanager row for every
 * alert no rule of this Prometheus accounts for (alerts from other Prometheus servers, from scripts, from
 * other tools). An alert Prometheus fires and Alertmanager holds is one row: Alertmanager's alert
 * carries the alert's labels plus Prometheus's external labels, so it belongs to the rule whose firing
 * series' labels it contains. That row names both origins, and Alertmanager's status (silenced,
 * inhibited) is shown on it, per series when only some are suppressed.
 *
 * One of the two failing does not hide the other: the rows of the one that answered are returned, the
 * failed one's last good rows are kept, and the failure is reported (PartialAnswerError).
 */
import type { Alarm, Suppression } from '../core/model.js';
import { PartialAnswerError } from '../core/partial.js';
import type { HeldAlert } from './alertmanager/alerts.js';
import type { RuleAlarm } from './prometheus/alerts.js';
import type { AlarmHistoryItem } from '../core/model.js';
import type { AlarmSource } from './ports.js';

type Labels = Readonly<Record<string, string>>;

/** Whether Alertmanager's alert is this series: every label of the series, with the same value. */
function isSeries(held: Labels, series: Labels): boolean {
  const keys = Object.keys(series);
  return keys.length > 0 && keys.every((k) => held[k] === series[k]);
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

/** What Alertmanager suppresses of a rule's firing series. */
function ruleSuppression(firing: number, held: readonly Alarm[]): Suppression | undefined {
  const suppressed = held.filter((a) => a.suppressed);
  if (suppressed.length === 0) return undefined;
  const silenced = suppressed.filter((a) => a.suppressed!.kind === 'silenced');
  const kind = silenced.length ? 'silenced' : 'inhibited';
  const by = union((silenced.length ? silenced : suppressed).map((a) => a.suppressed!.by));
  const of = Math.max(firing, held.length);
  return suppressed.length >= of ? { kind, by } : { kind, by, series: { suppressed: suppressed.length, of } };
}

/** Pure: one row per rule and per alert only Alertmanager holds. */
export function mergeAlerts(rules: readonly RuleAlarm[], held: readonly HeldAlert[]): Alarm[] {
  const claimed = new Set<HeldAlert>();
  const rows: Alarm[] = rules.map(({ alarm, firing }) => {
    const mine = held.filter(
      (h) => !claimed.has(h) && h.alarm.state === 'ALARM' && firing.some((series) => isSeries(h.labels, series)),
    );
    if (mine.length === 0) return alarm;
    for (const h of mine) claimed.add(h);
    const suppressed = ruleSuppression(
      firing.length,
      mine.map((h) => h.alarm),
    );
    return {
      ...alarm,
      origins: ['prometheus', 'alertmanager'],
      actions: union([alarm.actions, ...mine.map((h) => h.alarm.actions)]),
      ...(suppressed ? { suppressed } : {}),
    };
  });
  for (const h of held) if (!claimed.has(h)) rows.push(h.alarm);
  return rows;
}

export interface RuleSource {
  listRules(signal?: AbortSignal): Promise<RuleAlarm[]>;
}
export interface HeldSource {
  listHeld(signal?: AbortSignal): Promise<HeldAlert[]>;
}

/** The merged source over the two adapters. */
export class MergedAlertSource implements AlarmSource {
  private lastRules?: RuleAlarm[];
  private lastHeld?: HeldAlert[];

  constructor(
    private readonly prometheus: RuleSource,
    private readonly alertmanager: HeldSource,
  ) {}

  async listAlarms(signal?: AbortSignal): Promise<Alarm[]> {
    const [rules, held] = await Promise.allSettled([
      this.prometheus.listRules(signal),
      this.alertmanager.listHeld(signal),
    ]);
    if (rules.status === 'fulfilled') this.lastRules = rules.value;
    if (held.status === 'fulfilled') this.lastHeld = held.value;
    const failed = [
      rules.status === 'rejected' ? `Prometheus: ${message(rules.reason)}` : '',
      held.status === 'rejected' ? `Alertmanager: ${message(held.reason)}` : '',
    ].filter(Boolean);
    const merged = mergeAlerts(this.lastRules ?? [], this.lastHeld ?? []);
    if (failed.length === 2) throw new Error(failed.join('; '));
    if (failed.length === 1) throw new PartialAnswerError(`${failed[0]} (showing its last answer, if any)`, merged);
    return merged;
  }

  /** Neither keeps a history of state changes this port could read (see their adapters). */
  async alarmHistory(): Promise<AlarmHistoryItem[]> {
    return [];
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
