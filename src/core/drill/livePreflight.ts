import type { Alarm } from '../model.js';
import type { AlarmActionsState, Sources, TopicSubscription } from '../../sources/ports.js';
import { LEVEL_RANK } from '../model.js';
import type { DrillScenario } from './types.js';

/**
 * Before a live drill changes anything: what it will set off. Every drilled alarm's actions on ALARM and
 * on the way back, and who their SNS topics reach where readable (previewLiveDrill, describePreflight);
 * and whether it may start (liveDrillConsent): in production only with the account id typed, or given
 * as --confirm-account ID where there is no terminal.
 */

/** An SNS topic (or other action) and who it reaches, where readable. */
export interface ActionReach {
  readonly arn: string;
  readonly subscriptions?: readonly TopicSubscription[];
  readonly error?: string;
}

/** One alarm the drill will set: what runs when it goes to ALARM and when it is set back. */
export interface DrilledAlarm {
  readonly rule: string;
  readonly alarm: Alarm;
  /** ActionsEnabled now: false, nothing runs either way. */
  readonly actionsEnabled: boolean;
  readonly onAlarm: readonly ActionReach[];
  /** The actions of the state it is set back to (OK actions, or INSUFFICIENT_DATA actions). */
  readonly onReturn: readonly ActionReach[];
}

export interface LiveDrillPreflight {
  readonly label: string;
  readonly account?: string;
  readonly production: boolean;
  readonly drilled: readonly DrilledAlarm[];
  /** Exercised rules with no alarm in the account. */
  readonly notExercised: readonly string[];
  /** Alarms of exercised rules in ALARM for real: never drilled. */
  readonly real: readonly string[];
  readonly noActions: boolean;
}

async function reachOf(
  sources: Sources,
  arns: readonly string[],
  cache: Map<string, Promise<ActionReach>>,
): Promise<ActionReach[]> {
  return Promise.all(
    arns.map((arn) => {
      let found = cache.get(arn);
      if (!found) {
        found = (async (): Promise<ActionReach> => {
          if (!arn.startsWith('arn:aws:sns:') || !sources.topics) return { arn };
          try {
            return { arn, subscriptions: await sources.topics.subscriptions(arn) };
          } catch (error) {
            return { arn, error: error instanceof Error ? error.message : String(error) };
          }
        })();
        cache.set(arn, found);
      }
      return found;
    }),
  );
}

/** Reads what a live drill would do, changing nothing: the alarms it sets, their actions, who those reach. */
export async function previewLiveDrill(o: {
  readonly sources: Sources;
  readonly scenario: DrillScenario;
  readonly noActions?: boolean;
}): Promise<LiveDrillPreflight> {
  if (!o.sources.alarms || !o.sources.alarmDrill)
    throw new Error('drill --live needs CloudWatch alarms (AWS configured): SetAlarmState is how it starts');
  const alarms = await o.sources.alarms.listAlarms();
  const picked = o.scenario.exercises.map((rule) => ({ rule, alarm: pickAlarm(alarms, rule, o.scenario.fires) }));
  const chosen = picked.filter(
    (p): p is { rule: string; alarm: Alarm } => p.alarm !== undefined && p.alarm.state !== 'ALARM',
  );
  const states = new Map<string, AlarmActionsState>();
  if (o.sources.alarmActions && chosen.length)
    for (const st of await o.sources.alarmActions.readActions(chosen.map((c) => c.alarm.name))) states.set(st.name, st);
  const cache = new Map<string, Promise<ActionReach>>();
  const drilled = await Promise.all(
    chosen.map(async ({ rule, alarm }): Promise<DrilledAlarm> => {
      const st = states.get(alarm.name);
      const onAlarm = st?.alarmActions ?? alarm.actions;
      const onReturn =
        alarm.state === 'INSUFFICIENT_DATA'
          ? (st?.insufficientDataActions ?? alarm.insufficientDataActions ?? [])
          : (st?.okActions ?? alarm.okActions ?? []);
      return {
        rule,
        alarm,
        actionsEnabled: st?.enabled ?? alarm.actionsEnabled ?? true,
        onAlarm: await reachOf(o.sources, onAlarm, cache),
        onReturn: await reachOf(o.sources, onReturn, cache),
      };
    }),
  );
  const env = o.sources.environment;
  return {
    label: env.label,
    ...(env.account ? { account: env.account } : {}),
    production: env.production,
    drilled,
    notExercised: picked.filter((p) => !p.alarm).map((p) => p.rule),
    real: picked.filter((p) => p.alarm?.state === 'ALARM').map((p) => p.alarm!.name),
    noActions: o.noActions === true,
  };
}

export function topicText(r: ActionReach): string {
  const name = r.arn.startsWith('arn:aws:sns:') ? `SNS ${r.arn.split(':').pop()}` : r.arn;
  if (r.error) return `${name} (who it reaches could not be read: ${r.error})`;
  if (!r.subscriptions) return name;
  return `${name} → ${r.subscriptions.length ? r.subscriptions.map((s) => `${s.protocol} ${s.endpoint}`).join(', ') : 'no subscriptions'}`;
}

/** The preflight in lines, for the terminal (made inert by the caller's sanitiser where it prints). */
export function describePreflight(p: LiveDrillPreflight): string[] {
  const where = `${p.label}${p.account ? ` ${p.account}` : ''}${p.production ? ' (PRODUCTION)' : ''}`;
  const lines = [
    `drill --live on ${where}: ${p.drilled.length} alarm${p.drilled.length === 1 ? '' : 's'} will be set to ALARM with SetAlarmState and back; every runbook action is a dry run`,
  ];
  for (const d of p.drilled) {
    lines.push(`  ${d.alarm.name} (rule ${d.rule}), now ${d.alarm.state}:`);
    if (!d.actionsEnabled) lines.push('    its actions are disabled: nothing runs, nobody is paged');
    else if (p.noActions)
      lines.push(
        `    --no-actions: its actions are disabled for the drill and enabled again after it; nothing runs${d.onAlarm.length ? ` (not ${d.onAlarm.map(topicText).join('; ')})` : ''}`,
      );
    else {
      lines.push(
        `    → ALARM runs: ${d.onAlarm.length ? d.onAlarm.map(topicText).join('; ') : 'nothing (no alarm actions)'}`,
      );
      lines.push(
        `    → back to ${d.alarm.state} runs: ${d.onReturn.length ? d.onReturn.map(topicText).join('; ') : 'nothing'}`,
      );
    }
  }
  for (const name of p.real) lines.push(`  not drilled: ${name} is in ALARM for real`);
  if (p.notExercised.length) lines.push(`  no alarm of ${p.notExercised.join(', ')} in the account`);
  const pages =
    !p.noActions && p.drilled.some((d) => d.actionsEnabled && (d.onAlarm.length > 0 || d.onReturn.length > 0));
  if (pages)
    lines.push(
      'These actions run as for a real alarm: whoever they reach is paged. --no-actions disables them for the drill.',
    );
  return lines;
}

/** What the drill needs before it starts: nothing, the account id typed on the terminal, or a refusal. */
export type LiveConsent =
  | { readonly kind: 'go' }
  | { readonly kind: 'ask'; readonly account: string }
  | { readonly kind: 'refuse'; readonly reason: string };

/**
 * Pure: a production drill (aws.production, the default for real accounts) needs the account id typed,
 * or given as --confirm-account ID without a terminal; --yes alone is not enough. Elsewhere it goes.
 */
export function liveDrillConsent(
  p: Pick<LiveDrillPreflight, 'production' | 'account'>,
  given: { readonly confirmAccount?: string; readonly yes?: boolean; readonly terminal: boolean },
): LiveConsent {
  if (!p.production) return { kind: 'go' };
  if (!p.account)
    return {
      kind: 'refuse',
      reason:
        'the account id could not be read (STS GetCallerIdentity), and a production drill needs it confirmed: nothing was changed',
    };
  if (given.confirmAccount !== undefined) {
    return given.confirmAccount.trim() === p.account
      ? { kind: 'go' }
      : {
          kind: 'refuse',
          reason: `--confirm-account ${given.confirmAccount} is not the account these credentials reach: nothing was changed`,
        };
  }
  if (given.terminal) return { kind: 'ask', account: p.account };
  return {
    kind: 'refuse',
    reason: given.yes
      ? 'this is production: --yes is not enough for a live drill; confirm the account with --confirm-account ACCOUNT_ID (nothing was changed)'
      : 'this is production and there is no terminal to ask on: confirm the account with --confirm-account ACCOUNT_ID (nothing was changed)',
  };
}

/** The alarm of a rule the drill uses: the scenario's by name, else the most severe one of the rule. */
export function pickAlarm(alarms: readonly Alarm[], rule: string, fires: readonly string[]): Alarm | undefined {
  const ofRule = alarms.filter((a) => a.ruleId === rule);
  return (
    ofRule.find((a) => fires.includes(a.name)) ??
    [...ofRule].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || a.name.localeCompare(b.name))[0]
  );
}
