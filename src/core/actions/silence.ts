import type { Silence } from '../../sources/ports.js';
import { iso, parseDuration } from '../time.js';
import type { ActionParams } from './catalogue.js';
import { ActionPlanError } from './errors.js';
import { requirePort, type ActionHandler, type PlanDraft, type PlanEnv } from './handler.js';

/**
 * alertmanager.silence: Alertmanager sends no notification for alerts matching the matchers for a while
 * (they are still evaluated and shown in the cockpit). A comment and an end are required by the
 * catalogue; the plan says until when, whether a silence already covers them, and what it does NOT stop:
 * a CloudWatch alarm of the same name pages through its own actions (CloudWatch → SNS → PagerDuty).
 */

export interface SilenceTarget {
  readonly silences: readonly Silence[];
  /** CloudWatch alarms the alertname matcher names: a silence does not touch them. */
  readonly cloudwatch?: readonly string[];
}

export function matcherText(matchers: Readonly<Record<string, string>>): string {
  return Object.entries(matchers)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function sameMatchers(s: Silence, matchers: Readonly<Record<string, string>>): boolean {
  const want = Object.entries(matchers);
  return (
    s.matchers.length === want.length &&
    want.every(([k, v]) => s.matchers.some((m) => m.name === k && m.value === v && !m.isRegex))
  );
}

function durationMs(p: ActionParams<'alertmanager.silence'>): number {
  const ms = parseDuration(p.duration);
  if (ms === undefined || ms <= 0)
    throw new ActionPlanError('alertmanager.silence', `not a duration: ${p.duration}`, 'params');
  return ms;
}

/** Pure: alertmanager.silence. */
export function planSilence(
  p: ActionParams<'alertmanager.silence'>,
  t: SilenceTarget,
  env: Pick<PlanEnv, 'now'>,
): PlanDraft {
  const text = matcherText(p.matchers);
  const until = env.now + durationMs(p);
  const existing = t.silences.filter((s) => s.state !== 'expired' && sameMatchers(s, p.matchers));
  const blast = [
    `stops: Alertmanager sends no notification for alerts matching ${text} until ${iso(until)} (${p.duration}); they are still evaluated and shown here`,
  ];
  if (t.cloudwatch?.length) {
    blast.push(
      `keeps: the CloudWatch alarm${t.cloudwatch.length === 1 ? '' : 's'} ${t.cloudwatch.join(', ')} still page${t.cloudwatch.length === 1 ? 's' : ''} through ${t.cloudwatch.length === 1 ? 'its' : 'their'} own actions (a silence does not touch CloudWatch; disable the alarm's actions for that)`,
    );
  }
  for (const s of existing)
    blast.push(`silence ${s.id} by ${s.createdBy} already covers them until ${iso(s.endsAt)}: this adds another`);
  return {
    target: text,
    summary: `silence ${text} for ${p.duration}: "${p.comment}"`,
    changes: [
      {
        what: `silence of ${text}`,
        from: existing.length ? `until ${iso(Math.max(...existing.map((s) => s.endsAt)))}` : 'none',
        to: `until ${iso(until)}`,
      },
    ],
    blastRadius: blast,
  };
}

export const silence: ActionHandler<'alertmanager.silence', SilenceTarget> = {
  id: 'alertmanager.silence',
  target: (p) => matcherText(p.matchers),
  read: async (p, ctx) => {
    const silences = await requirePort(
      ctx.sources.silences,
      'alertmanager.silence',
      'Alertmanager silences (Silenceable)',
      ctx.sources,
    ).listSilences();
    if (ctx.stage !== 'plan' || !ctx.sources.alarms || p.matchers.alertname === undefined) return { silences };
    const named = (await ctx.sources.alarms.listAlarms().catch(() => [])).filter(
      (a) =>
        a.name === p.matchers.alertname &&
        a.origins?.includes('cloudwatch') &&
        a.actionsEnabled !== false &&
        a.actions.length > 0,
    );
    return { silences, cloudwatch: named.map((a) => a.name) };
  },
  plan: (p, t, env) => planSilence(p, t, env),
  conflicts(a, b) {
    const seen = new Set(a.silences.map((s) => s.id));
    return b.silences
      .filter((s) => !seen.has(s.id) && s.state !== 'expired')
      .map(
        (s) =>
          `a new silence ${s.id} by ${s.createdBy} (${s.matchers.map((m) => `${m.name}=${m.value}`).join(', ')}) since the plan: "${s.comment}"`,
      );
  },
  async apply(p, _t, ctx) {
    const port = requirePort(
      ctx.sources.silences,
      'alertmanager.silence',
      'Alertmanager silences (Silenceable)',
      ctx.sources,
    );
    const now = ctx.clock.now();
    const id = await port.createSilence({
      matchers: Object.entries(p.matchers).map(([name, value]) => ({ name, value, isRegex: false })),
      startsAt: now,
      endsAt: now + durationMs(p),
      createdBy: ctx.actor.email ?? ctx.actor.name,
      comment: p.comment,
    });
    return `silence ${id}: ${matcherText(p.matchers)} until ${iso(now + durationMs(p))}`;
  },
  effect(p, before, after) {
    const seen = new Set(before.silences.map((s) => s.id));
    const created = after.silences.find((s) => !seen.has(s.id) && sameMatchers(s, p.matchers));
    return {
      ok: created !== undefined && created.state !== 'expired',
      evidence: created
        ? `silence ${created.id} ${created.state} until ${iso(created.endsAt)}`
        : 'no new silence listed',
    };
  },
};
