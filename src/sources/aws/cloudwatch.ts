/**
 * CloudWatch: alarms (AlarmSource), metric series (MetricSource) and alarm drills (AlarmDrill).
 * Every listing asks for the API's largest page and lets CloudWatch filter what it can (name prefix,
 * state), because DescribeAlarms is throttled per account and the cockpit polls it all shift long.
 */
import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  GetMetricDataCommand,
  SetAlarmStateCommand,
  type AlarmHistoryItem as CwHistoryItem,
  type CloudWatchClient,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { Alarm, AlarmHistoryItem, AlarmState } from '../../core/model.js';
import { boundAlarmHistoryItem } from '../../core/bounds.js';
import { DEFAULT_POLICY } from '../../core/policy/defaults.js';
import type { PolicyRule } from '../../core/policy/types.js';
import type {
  AlarmActionsState,
  AlarmActionsSwitch,
  AlarmDrill,
  AlarmSource,
  MetricQuery,
  MetricSeries,
  MetricSource,
} from '../ports.js';
import { compositeAlarmToAlarm, metricAlarmToAlarm, parseStateUpdate } from './alarmMapping.js';
import { call, collectPages, epochMs } from './calls.js';
import { alarmSchema, checkedItems } from './schemas.js';
import { batchQueries, collectSeries, periodFor } from './metricBatches.js';

/** DescribeAlarms and DescribeAlarmHistory accept at most 100 records per page. */
export const MAX_ALARM_RECORDS = 100;
/** History beyond this many records is not needed on a screen; CloudWatch keeps 30 days of it. */
const MAX_HISTORY_ITEMS = 1000;
/** SetAlarmState's StateReason is limited to 1023 characters. */
const MAX_REASON = 1023;

export interface CloudWatchOptions {
  /** Only alarms whose names start with this (config aws.alarmPrefix), filtered by CloudWatch. */
  readonly alarmPrefix?: string;
  /** The policy's rules, for the level and ruleId of alarms; the default policy when unset. */
  readonly rules?: readonly PolicyRule[];
}

export class CloudWatchAdapter implements AlarmSource, MetricSource, AlarmDrill, AlarmActionsSwitch {
  private readonly rules: readonly PolicyRule[];

  constructor(
    private readonly client: CloudWatchClient,
    private readonly options: CloudWatchOptions = {},
  ) {
    this.rules = options.rules ?? DEFAULT_POLICY.rules;
  }

  /**
   * Metric and composite alarms, every page. `state` (an extra to the AlarmSource port) asks
   * CloudWatch for alarms in one state only, e.g. ALARM for a compact "what is firing" view.
   */
  async listAlarms(signal?: AbortSignal, filter: { readonly state?: AlarmState } = {}): Promise<Alarm[]> {
    const prefix = this.options.alarmPrefix;
    const what = [
      prefix ? `prefix ${JSON.stringify(prefix)}` : 'all alarms',
      filter.state ? `state ${filter.state}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const pages = await collectPages(
      'CloudWatch DescribeAlarms',
      what,
      async (token) => {
        const out = await this.client.send(
          new DescribeAlarmsCommand({
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            MaxRecords: MAX_ALARM_RECORDS,
            ...(prefix ? { AlarmNamePrefix: prefix } : {}),
            ...(filter.state ? { StateValue: filter.state } : {}),
            ...(token ? { NextToken: token } : {}),
          }),
          { abortSignal: signal },
        );
        return { page: out, next: out.NextToken };
      },
      { signal },
    );
    const alarms: Alarm[] = [];
    for (const page of pages) {
      for (const a of checkedItems('CloudWatch DescribeAlarms', what, 'MetricAlarms', alarmSchema, page.MetricAlarms))
        alarms.push(metricAlarmToAlarm(a, this.rules));
      for (const a of checkedItems(
        'CloudWatch DescribeAlarms',
        what,
        'CompositeAlarms',
        alarmSchema,
        page.CompositeAlarms,
      ))
        alarms.push(compositeAlarmToAlarm(a, this.rules));
    }
    return alarms;
  }

  /** State changes of one alarm, newest first, within [from, to) when a range is given. */
  async alarmHistory(alarmName: string, range?: { from: number; to: number }): Promise<AlarmHistoryItem[]> {
    const items: CwHistoryItem[] = [];
    await collectPages(
      'CloudWatch DescribeAlarmHistory',
      `alarm ${alarmName}`,
      async (token) => {
        const out = await this.client.send(
          new DescribeAlarmHistoryCommand({
            AlarmName: alarmName,
            HistoryItemType: 'StateUpdate',
            ScanBy: 'TimestampDescending',
            MaxRecords: MAX_ALARM_RECORDS,
            ...(range ? { StartDate: new Date(range.from), EndDate: new Date(range.to) } : {}),
            ...(token ? { NextToken: token } : {}),
          }),
        );
        items.push(...(out.AlarmHistoryItems ?? []));
        return { page: out, next: out.NextToken };
      },
      { stop: () => items.length >= MAX_HISTORY_ITEMS },
    );
    const history: AlarmHistoryItem[] = [];
    for (const item of items) {
      const at = epochMs(item.Timestamp);
      const change = parseStateUpdate(item.HistoryData, item.HistorySummary);
      if (at === undefined || !change) continue;
      if (range && (at < range.from || at >= range.to)) continue;
      history.push(
        boundAlarmHistoryItem({
          at,
          from: change.from,
          to: change.to,
          reason: change.reason ?? item.HistorySummary ?? '',
        }),
      );
    }
    return history.sort((a, b) => b.at - a.at);
  }

  /**
   * One series per query, oldest first: as few GetMetricData calls as the 500-query limit allows,
   * each followed through its NextToken pages. The start is aligned to the period, as CloudWatch
   * recommends, so that every bucket is a whole period.
   */
  async getSeries(
    queries: readonly MetricQuery[],
    range: { start: number; end: number; stepSeconds: number },
    signal?: AbortSignal,
  ): Promise<MetricSeries[]> {
    if (queries.length === 0) return [];
    const period = periodFor(range.stepSeconds);
    const periodMs = period * 1000;
    const start = Math.ceil(range.start / periodMs) * periodMs;
    if (!(range.end > start)) return queries.map((q) => ({ id: q.id, points: [] }));
    const batches = batchQueries(queries, period);
    const results: MetricDataResult[][] = [];
    for (const [i, batch] of batches.entries()) {
      const resource = `${batch.resultIndex.size} queries${batches.length > 1 ? `, batch ${i + 1} of ${batches.length}` : ''}`;
      const collected: MetricDataResult[] = [];
      await collectPages(
        'CloudWatch GetMetricData',
        resource,
        async (token) => {
          const out = await this.client.send(
            new GetMetricDataCommand({
              MetricDataQueries: batch.queries,
              StartTime: new Date(start),
              EndTime: new Date(range.end),
              ScanBy: 'TimestampAscending',
              ...(token ? { NextToken: token } : {}),
            }),
            { abortSignal: signal },
          );
          collected.push(...(out.MetricDataResults ?? []));
          return { page: out, next: out.NextToken };
        },
        { signal },
      );
      results.push(collected);
    }
    return collectSeries(queries, batches, results, { start, end: range.end });
  }

  /** The named alarms' actions and ActionsEnabled (DescribeAlarms by name, 100 names a call). */
  async readActions(names: readonly string[], signal?: AbortSignal): Promise<AlarmActionsState[]> {
    const out: AlarmActionsState[] = [];
    for (let i = 0; i < names.length; i += MAX_ALARM_RECORDS) {
      const chunk = names.slice(i, i + MAX_ALARM_RECORDS);
      const pages = await collectPages(
        'CloudWatch DescribeAlarms',
        `alarms ${chunk.join(', ')}`,
        async (token) => {
          const page = await this.client.send(
            new DescribeAlarmsCommand({
              AlarmNames: chunk,
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              MaxRecords: MAX_ALARM_RECORDS,
              ...(token ? { NextToken: token } : {}),
            }),
            { abortSignal: signal },
          );
          return { page, next: page.NextToken };
        },
        { signal },
      );
      for (const page of pages) {
        for (const a of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
          out.push({
            name: a.AlarmName ?? '',
            enabled: a.ActionsEnabled !== false,
            alarmActions: [...(a.AlarmActions ?? [])],
            okActions: [...(a.OKActions ?? [])],
            insufficientDataActions: [...(a.InsufficientDataActions ?? [])],
          });
        }
      }
    }
    return out;
  }

  /** DisableAlarmActions / EnableAlarmActions, 100 names a call. */
  async setActionsEnabled(names: readonly string[], enabled: boolean): Promise<void> {
    for (let i = 0; i < names.length; i += MAX_ALARM_RECORDS) {
      const chunk = [...names.slice(i, i + MAX_ALARM_RECORDS)];
      const op = enabled ? 'EnableAlarmActions' : 'DisableAlarmActions';
      await call(`CloudWatch ${op}`, `alarms ${chunk.join(', ')}`, () =>
        this.client.send(
          enabled
            ? new EnableAlarmActionsCommand({ AlarmNames: chunk })
            : new DisableAlarmActionsCommand({ AlarmNames: chunk }),
        ),
      );
    }
  }

  async setAlarmState(alarmName: string, state: AlarmState, reason: string): Promise<void> {
    await call(`CloudWatch SetAlarmState`, `alarm ${alarmName} → ${state}`, () =>
      this.client.send(
        new SetAlarmStateCommand({
          AlarmName: alarmName,
          StateValue: state,
          StateReason: reason.slice(0, MAX_REASON) || 'set by vitascope-oncall',
        }),
      ),
    );
  }
}
