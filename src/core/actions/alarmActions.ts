import type { Alarm } from '../model.js';
import type { AlarmActionsState, Sources, TopicSubscription } from '../../sources/ports.js';
import { formatDuration, iso, parseDuration } from '../time.js';
import type { ActionParams } from './catalogue.js';
import { ActionPlanError } from './errors.js';
import { requirePort, type ActionContext, type ActionHandler, type PlanDraft, type PlanEnv } from './handler.js';

/**
 * Muting a CloudWatch alarm: cloudwatch.disable-alarm-actions for a set time, and
 * cloudwatch.enable-alarm-actions. A CloudWatch alarm pages through its own actions (an SNS topic that
 * PagerDuty subscribes to); an Alertmanager silence does not touch it, so this is what stops its page.
 * CloudWatch has no timer for it: the running cockpit re-enables the actions when the time is up (or at
 * its next start), from what the journal says was disabled until when (live/alarmActionsTimer.ts).
 *
 * The plan says exactly what stops and what does not: the actions that will not run (and who their
 * SNS topics reach, where readable), and what keeps paging for the same problem (the alarm's other
 * levels on the same metric, an Alertmanager alert of the same name).
 */

export interface AlarmActionsTarget {
  readonly state: AlarmActionsState;
  /** Other alarms on the same metric (the other levels): they still page. */
  readonly sameMetric: readonly string[];
  /** Alertmanager/Prometheus alerts of the same name: they still page unless silenced. */
  readonly sameName: readonly string[];
  /** Who each of its topics reaches, where readable. */
  readonly topics: readonly {
    readonly arn: string;
    readonly subscriptions?: readonly TopicSubscription[];
    readonly error?: string;
  }[];
}

type Which = 'cloudwatch.disable-alarm-actions' | 'cloudwatch.enable-alarm-actions';

function sameMetric(a: Alarm, b: Alarm): boolean {
  if (!a.metric || !b.metric || a.name === b.name) return false;
  const dims = (x: Alarm) => JSON.stringify(Object.entries(x.metric!.dimensions).sort());
  return a.metric.namespace === b.metric.namespace && a.metric.name === b.metric.name && dims(a) === dims(b);
}

function topicName(arn: string): string {
  return arn.startsWith('arn:aws:sns:') ? `SNS ${arn.split(':').pop()}` : arn;
}

function reach(t: AlarmActionsTarget['topics'][number]): string {
  if (t.error) return `${topicName(t.arn)} (its subscriptions could not be read: ${t.error})`;
  if (!t.subscriptions) return topicName(t.arn);
  const subs = t.subscriptions.map((s) => `${s.protocol} ${s.endpoint}`);
  return `${topicName(t.arn)} → ${subs.length ? subs.join(', ') : 'no subscriptions'}`;
}

async function readTarget(
  action: Which,
  alarm: string,
  ctx: ActionContext,
  withContext: boolean,
): Promise<AlarmActionsTarget> {
  const port = requirePort(
    ctx.sources.alarmActions,
    action,
    'CloudWatch alarm actions (AlarmActionsSwitch)',
    ctx.sources,
  );
  const [state] = await port.readActions([alarm], ctx.signal);
  if (!state) throw new ActionPlanError(action, `no CloudWatch alarm named ${alarm}`, 'target');
  if (!withContext) return { state, sameMetric: [], sameName: [], topics: [] };
  const [alarms, alerts] = await Promise.all([listed(ctx.sources, 'alarms'), listed(ctx.sources, 'alerts')]);
  const self = alarms.find((a) => a.name === alarm);
  const arns = [...new Set([...state.alarmActions, ...state.okActions].filter((a) => a.startsWith('arn:aws:sns:')))];
  const topics = await Promise.all(
    arns.map(async (arn) => {
      if (!ctx.sources.topics) return { arn };
      try {
        return { arn, subscriptions: await ctx.sources.topics.subscriptions(arn, ctx.signal) };
      } catch (error) {
        return { arn, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  return {
    state,
    // Only those that still page: an alarm whose actions are off, an alert silenced or inhibited, does not.
    sameMetric: self
      ? alarms
          .filter((a) => sameMetric(self, a) && a.actionsEnabled !== false && a.actions.length > 0)
          .map((a) => a.name)
      : [],
    sameName: alerts
      .filter((a) => (a.name === alarm || a.name.startsWith(`${alarm} {`)) && !a.suppressed)
      .map((a) => a.name),
    topics,
  };
}

/** The alarms or alerts a source lists now; none when it cannot say (the plan then says less, never more). */
async function listed(sources: Sources, which: 'alarms' | 'alerts'): Promise<readonly Alarm[]> {
  try {
    return (await sources[which]?.listAlarms()) ?? [];
  } catch {
    return [];
  }
}

function durationMs(p: ActionParams<'cloudwatch.disable-alarm-actions'>): number {
  const ms = parseDuration(p.duration);
  if (ms === undefined || ms <= 0)
    throw new ActionPlanError('cloudwatch.disable-alarm-actions', `not a duration: ${p.duration}`, 'params');
  return ms;
}

/** What re-enables the actions, said the same way wherever it is said. */
export const REENABLE_NOTE =
  'CloudWatch has no timer for this: a running vitascope-oncall cockpit re-enables them when the time is up (or at its next start); with none running they stay disabled until someone enables them (vitascope-oncall act cloudwatch.enable-alarm-actions alarm=…)';

/** Pure: cloudwatch.disable-alarm-actions. */
export function planDisableActions(
  p: ActionParams<'cloudwatch.disable-alarm-actions'>,
  t: AlarmActionsTarget,
  env: Pick<PlanEnv, 'now'>,
): PlanDraft {
  const until = env.now + durationMs(p);
  const s = t.state;
  const stops = [
    s.alarmActions.length
      ? `on ALARM: ${t.topics
          .filter((x) => s.alarmActions.includes(x.arn))
          .map(reach)
          .concat(s.alarmActions.filter((a) => !t.topics.some((x) => x.arn === a)))
          .join('; ')}`
      : '',
    s.okActions.length
      ? `on OK: ${s.okActions.map(topicName).join(', ')} (an incident it opened is not resolved by it either)`
      : '',
    s.insufficientDataActions.length
      ? `on INSUFFICIENT_DATA: ${s.insufficientDataActions.map(topicName).join(', ')}`
      : '',
  ].filter(Boolean);
  const blast = [
    stops.length
      ? `stops: CloudWatch runs none of ${p.alarm}'s actions until ${iso(until)} (${p.duration}): ${stops.join(' · ')}`
      : `${p.alarm} has no actions: it pages nobody now either; disabling changes nothing that reaches anyone`,
    `keeps: ${p.alarm} still changes state and shows here${t.sameMetric.length ? `; ${t.sameMetric.join(', ')} (same metric) still page${t.sameMetric.length === 1 ? 's' : ''}` : ''}${
      t.sameName.length
        ? `; the Alertmanager alert${t.sameName.length === 1 ? '' : 's'} ${t.sameName.join(', ')} still page${t.sameName.length === 1 ? 's' : ''} unless silenced there`
        : ''
    }`,
    `re-enabled at ${iso(until)}: ${REENABLE_NOTE}`,
  ];
  return {
    target: p.alarm,
    summary: `disable ${p.alarm}'s actions for ${p.duration}: "${p.reason}"`,
    changes: [
      { what: `actions of ${p.alarm}`, from: s.enabled ? 'enabled' : 'disabled', to: 'disabled' },
      { what: 're-enabled', from: null, to: `at ${iso(until)}` },
    ],
    blastRadius: blast,
  };
}

/** Pure: cloudwatch.enable-alarm-actions. */
export function planEnableActions(
  p: ActionParams<'cloudwatch.enable-alarm-actions'>,
  t: AlarmActionsTarget,
): PlanDraft {
  const s = t.state;
  if (s.enabled)
    return {
      target: p.alarm,
      summary: `${p.alarm}'s actions are already enabled: nothing to change`,
      changes: [],
      blastRadius: [],
    };
  const all = [...new Set([...s.alarmActions, ...s.okActions, ...s.insufficientDataActions])];
  return {
    target: p.alarm,
    summary: `enable ${p.alarm}'s actions again${p.reason ? `: "${p.reason}"` : ''}`,
    changes: [{ what: `actions of ${p.alarm}`, from: 'disabled', to: 'enabled' }],
    blastRadius: [
      all.length
        ? `${p.alarm} pages again from its next state change (${all.map(topicName).join(', ')}); a state it is already in does not page again`
        : `${p.alarm} has no actions: nobody is paged either way`,
    ],
  };
}

function conflicts(a: AlarmActionsTarget, b: AlarmActionsTarget): string[] {
  return a.state.enabled === b.state.enabled
    ? []
    : [`${b.state.name}'s actions were ${b.state.enabled ? 'enabled' : 'disabled'} by someone else since the plan`];
}

export const disableAlarmActions: ActionHandler<'cloudwatch.disable-alarm-actions', AlarmActionsTarget> = {
  id: 'cloudwatch.disable-alarm-actions',
  target: (p) => p.alarm,
  // Only the plan needs the context (other alarms, subscriptions); the re-reads before and after apply do not.
  read: (p, ctx) => readTarget('cloudwatch.disable-alarm-actions', p.alarm, ctx, ctx.stage === 'plan'),
  plan: (p, t, env) => planDisableActions(p, t, env),
  conflicts,
  async apply(p, _t, ctx) {
    const port = requirePort(
      ctx.sources.alarmActions,
      'cloudwatch.disable-alarm-actions',
      'CloudWatch alarm actions (AlarmActionsSwitch)',
      ctx.sources,
    );
    await port.setActionsEnabled([p.alarm], false);
    const until = ctx.clock.now() + durationMs(p);
    return `actions of ${p.alarm} disabled until ${iso(until)} (${formatDuration(durationMs(p))})`;
  },
  effect: (p, _b, after) => ({
    ok: !after.state.enabled,
    evidence: `${p.alarm}: ActionsEnabled ${after.state.enabled}`,
  }),
};

export const enableAlarmActions: ActionHandler<'cloudwatch.enable-alarm-actions', AlarmActionsTarget> = {
  id: 'cloudwatch.enable-alarm-actions',
  target: (p) => p.alarm,
  read: (p, ctx) => readTarget('cloudwatch.enable-alarm-actions', p.alarm, ctx, false),
  plan: (p, t) => planEnableActions(p, t),
  conflicts,
  async apply(p, _t, ctx) {
    const port = requirePort(
      ctx.sources.alarmActions,
      'cloudwatch.enable-alarm-actions',
      'CloudWatch alarm actions (AlarmActionsSwitch)',
      ctx.sources,
    );
    await port.setActionsEnabled([p.alarm], true);
    return `actions of ${p.alarm} enabled`;
  },
  effect: (p, _b, after) => ({
    ok: after.state.enabled,
    evidence: `${p.alarm}: ActionsEnabled ${after.state.enabled}`,
  }),
};
