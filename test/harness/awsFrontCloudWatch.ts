/**
 * The CloudWatch half of the AWS front (awsFront.ts): what moto 5.2 lacks or does not enforce.
 * - DescribeAlarms: answered here from moto's full list, filtered like AWS (AlarmTypes defaults to
 *   metric alarms only; prefix, names, state and action prefix all apply) and paged (MaxRecords 1–100,
 *   50 by default, NextToken); moto ignores MaxRecords and applies only one filter.
 * - Composite alarms: PutCompositeAlarm is not implemented by moto; they live here.
 * - DescribeAlarmHistory: not implemented by moto; the front records what passes through it
 *   (PutMetricAlarm → ConfigurationUpdate, SetAlarmState → StateUpdate with old and new state) and
 *   pages it (MaxRecords 1–100, 100 by default, newest first unless ScanBy says otherwise).
 * - GetMetricData: limits, metric math and datapoint paging in awsFrontMetrics.ts.
 * - DisableAlarmActions / EnableAlarmActions: moto 5.2 raises NotImplementedError for both; the front
 *   keeps which alarms have their actions off and answers DescribeAlarms' ActionsEnabled accordingly
 *   (at most 100 names a call, as AWS; unknown names are ignored, as AWS does).
 */
import {
  decodeToken,
  encodeToken,
  jsonAnswer,
  jsonError,
  pageSize,
  type Answer,
  type FrontRequest,
} from './awsFront.js';
import { MetricDataEmulation } from './awsFrontMetrics.js';

const JSON10 = 'application/x-amz-json-1.0';
const ACCOUNT = '123456789012';
const answer = (value: unknown): Answer => jsonAnswer(200, value, JSON10);

type Json = Record<string, unknown>;

export interface HistoryRecord {
  AlarmName: string;
  AlarmType: 'MetricAlarm' | 'CompositeAlarm';
  Timestamp: number;
  HistoryItemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  HistorySummary: string;
  HistoryData: string;
}

export class CloudWatchEmulation {
  readonly composites = new Map<string, Json>();
  readonly history: HistoryRecord[] = [];
  readonly metrics = new MetricDataEmulation();
  /** Alarms whose actions are disabled. */
  readonly actionsOff = new Set<string>();

  reset(): void {
    this.actionsOff.clear();
    this.composites.clear();
    this.history.length = 0;
    this.metrics.reset();
  }

  /** Records a state change as CloudWatch's history has it. */
  recordState(name: string, type: HistoryRecord['AlarmType'], from: Json, to: Json, at?: number): void {
    // Changes recorded in the same millisecond still get distinct, increasing timestamps.
    const last = this.history[this.history.length - 1]?.Timestamp ?? 0;
    const when = at ?? Math.max(Date.now(), Math.round(last * 1000) + 1) / 1000;
    const data = {
      version: '1.0',
      oldState: { stateValue: from.StateValue, stateReason: from.StateReason },
      newState: { stateValue: to.StateValue, stateReason: to.StateReason },
    };
    this.history.push({
      AlarmName: name,
      AlarmType: type,
      Timestamp: when,
      HistoryItemType: 'StateUpdate',
      HistorySummary: `Alarm updated from ${String(from.StateValue)} to ${String(to.StateValue)}`,
      HistoryData: JSON.stringify(data),
    });
  }

  async handle(r: FrontRequest): Promise<Answer | undefined> {
    switch (r.op) {
      case 'DescribeAlarms':
        return this.describeAlarms(r);
      case 'PutCompositeAlarm':
        return this.putComposite(r.json);
      case 'SetAlarmState':
        return this.setAlarmState(r);
      case 'PutMetricAlarm': {
        const res = await r.upstream();
        // As in AWS: PutMetricAlarm sets ActionsEnabled, true when not given.
        if (res.status === 200 && r.json.ActionsEnabled !== false) this.actionsOff.delete(String(r.json.AlarmName));
        if (res.status === 200 && r.json.ActionsEnabled === false) this.actionsOff.add(String(r.json.AlarmName));
        if (res.status === 200)
          this.history.push({
            AlarmName: String(r.json.AlarmName),
            AlarmType: 'MetricAlarm',
            Timestamp: Date.now() / 1000,
            HistoryItemType: 'ConfigurationUpdate',
            HistorySummary: `Alarm "${String(r.json.AlarmName)}" created`,
            HistoryData: JSON.stringify({ type: 'Create', version: '1.0' }),
          });
        return res;
      }
      case 'DescribeAlarmHistory':
        return this.describeHistory(r.json);
      case 'DisableAlarmActions':
      case 'EnableAlarmActions': {
        const names = (r.json.AlarmNames as unknown[] | undefined) ?? [];
        if (names.length > 100)
          return jsonError(
            'ValidationError',
            `1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100`,
          );
        for (const n of names) {
          if (r.op === 'DisableAlarmActions') this.actionsOff.add(String(n));
          else this.actionsOff.delete(String(n));
        }
        return answer({});
      }
      case 'GetMetricData':
        return this.metrics.handle(r);
      default:
        return undefined;
    }
  }

  private async allMetricAlarms(r: FrontRequest, names?: string[]): Promise<Json[]> {
    const res = await r.upstream(names ? { AlarmNames: names } : {}, 'DescribeAlarms');
    if (res.status !== 200) throw new Error(`moto DescribeAlarms: HTTP ${res.status}`);
    return ((JSON.parse(res.body) as Json).MetricAlarms as Json[] | undefined) ?? [];
  }

  private async describeAlarms(r: FrontRequest): Promise<Answer> {
    const q = r.json;
    const size = pageSize(q.MaxRecords, 50, 100, 'maxRecords');
    if (typeof size !== 'number') return size;
    const offset = decodeToken(q.NextToken);
    if (offset === undefined) return jsonError('InvalidNextToken', 'The service returned an invalid NextToken.');
    const types = (q.AlarmTypes as string[] | undefined) ?? ['MetricAlarm'];
    const names = q.AlarmNames as string[] | undefined;
    const keep = (a: Json) =>
      (!names || names.includes(String(a.AlarmName))) &&
      (!q.AlarmNamePrefix || String(a.AlarmName).startsWith(String(q.AlarmNamePrefix))) &&
      (!q.StateValue || a.StateValue === q.StateValue) &&
      (!q.ActionPrefix ||
        ((a.AlarmActions as string[] | undefined) ?? []).some((x) => x.startsWith(String(q.ActionPrefix))));
    const all: { kind: 'MetricAlarm' | 'CompositeAlarm'; alarm: Json }[] = [];
    if (types.includes('MetricAlarm'))
      for (const alarm of await this.allMetricAlarms(r)) all.push({ kind: 'MetricAlarm', alarm });
    if (types.includes('CompositeAlarm'))
      for (const alarm of this.composites.values()) all.push({ kind: 'CompositeAlarm', alarm });
    const matching = all
      .filter((x) => keep(x.alarm))
      .map((x) => ({
        ...x,
        alarm: this.actionsOff.has(String(x.alarm.AlarmName)) ? { ...x.alarm, ActionsEnabled: false } : x.alarm,
      }))
      .sort((a, b) => String(a.alarm.AlarmName).localeCompare(String(b.alarm.AlarmName)));
    const page = matching.slice(offset, offset + size);
    return answer({
      MetricAlarms: page.filter((x) => x.kind === 'MetricAlarm').map((x) => x.alarm),
      CompositeAlarms: page.filter((x) => x.kind === 'CompositeAlarm').map((x) => x.alarm),
      ...(offset + size < matching.length ? { NextToken: encodeToken(offset + size) } : {}),
    });
  }

  private putComposite(q: Json): Answer {
    const name = String(q.AlarmName ?? '');
    if (!name || !q.AlarmRule) return jsonError('ValidationError', 'AlarmName and AlarmRule are required');
    const now = Date.now() / 1000;
    const old = this.composites.get(name);
    this.composites.set(name, {
      AlarmName: name,
      AlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${name}`,
      AlarmDescription: q.AlarmDescription,
      AlarmRule: q.AlarmRule,
      ActionsEnabled: q.ActionsEnabled ?? true,
      AlarmActions: q.AlarmActions ?? [],
      OKActions: q.OKActions ?? [],
      InsufficientDataActions: q.InsufficientDataActions ?? [],
      AlarmConfigurationUpdatedTimestamp: now,
      StateValue: old?.StateValue ?? 'INSUFFICIENT_DATA',
      StateReason: old?.StateReason ?? 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: old?.StateUpdatedTimestamp ?? now,
    });
    return answer({});
  }

  private async setAlarmState(r: FrontRequest): Promise<Answer> {
    const name = String(r.json.AlarmName ?? '');
    const to = { StateValue: r.json.StateValue, StateReason: r.json.StateReason };
    const composite = this.composites.get(name);
    if (composite) {
      this.recordState(name, 'CompositeAlarm', composite, to);
      Object.assign(composite, to, { StateUpdatedTimestamp: Date.now() / 1000 });
      return answer({});
    }
    const [before] = await this.allMetricAlarms(r, [name]);
    const res = await r.upstream();
    if (res.status === 200 && before) this.recordState(name, 'MetricAlarm', before, to);
    return res;
  }

  private describeHistory(q: Json): Answer {
    const size = pageSize(q.MaxRecords, 100, 100, 'maxRecords');
    if (typeof size !== 'number') return size;
    const offset = decodeToken(q.NextToken);
    if (offset === undefined) return jsonError('InvalidNextToken', 'The service returned an invalid NextToken.');
    const items = this.history
      .filter(
        (h) =>
          (!q.AlarmName || h.AlarmName === q.AlarmName) &&
          (!q.HistoryItemType || h.HistoryItemType === q.HistoryItemType) &&
          (q.StartDate === undefined || h.Timestamp >= Number(q.StartDate)) &&
          (q.EndDate === undefined || h.Timestamp <= Number(q.EndDate)),
      )
      .sort((a, b) => (q.ScanBy === 'TimestampAscending' ? a.Timestamp - b.Timestamp : b.Timestamp - a.Timestamp));
    return answer({
      AlarmHistoryItems: items.slice(offset, offset + size),
      ...(offset + size < items.length ? { NextToken: encodeToken(offset + size) } : {}),
    });
  }
}
