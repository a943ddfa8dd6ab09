import type { Silence } from '../../sources/ports.js';
import { iso, parseDuration } from '../time.js';
import type { ActionParams } from './catalogue.js';
import { ActionPlanError } from './errors.js';
import { requirePort, type ActionHandler, type PlanDraft, type PlanEnv } from './handler.js';

/**
 * alertmanager.silence: alerts matching the matchers are not sent to anyone for a while (they are still
 * evaluated and shown in the cockpit). A comment and an end are required by the catalogue; the plan
 * says until when, and whether a silence already covers them.
 */

export interface SilenceTarget {
  readonly silences: readonly Silence[];
}

export function matcherText(matchers: Readonly<Record<string, string>>): string {
  return Object.entries(matchers)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function sameMatchers(s: Silence, matchers: Readonly<Record<string, string>>): boolean {
  const want = Object.entries(matchers);
  return s.matchers.length === want.length && want.every(([k, v]) => s.matchers.some((m) => m.name === k && m.value === v && !m.isRegex));
}

function durationMs(p: ActionParams<'alertmanager.silence'>): number {
  const ms = parseDuration(p.duration);
  if (ms === undefined || ms <= 0) throw new ActionPlanError('alertmanager.silence', `not a duration: ${p.duration}`, 'params');
  return ms;
}

/** Pure: alertmanager.silence. */
export function planSilence(p: ActionParams<'alertmanager.silence'>, t: SilenceTarget, env: Pick<PlanEnv, 'now'>): PlanDraft {
  const text = matcherText(p.matchers);
  const until = env.now + durationMs(p);
  const existing = t.silences.filter((s) => s.state !== 'expired' && sameMatchers(s, p.matchers));
  const blast = [`alerts matching ${text} are not sent to anyone until ${iso(until)} (${p.duration}); they are still evaluated and shown here`];
  for (const s of existing) blast.push(`silence ${s.id} by ${s.createdBy} already covers them until ${iso(s.endsAt)}: this adds another`);
  return {
    target: text,
    summary: `silence ${text} for ${p.duration}: "${p.comment}"`,
    changes: [{ what: `silence of ${text}`, from: existing.length ? `until ${iso(Math.max(...existing.map((s) => s.endsAt)))}` : 'none', to: `until ${iso(until)}` }],
    blastRadius: blast,
  };
}

export const silence: ActionHandler<'alertmanager.silence', SilenceTarget> = {
  id: 'alertmanager.silence',
  target: (p) => matcherText(p.matchers),
  read: async (_p, ctx) => ({ silences: await requirePort(ctx.sources.silences, 'alertmanager.silence', 'Alertmanager silences (Silenceable)', ctx.sources).listSilences() }),
  plan: (p, t, env) => planSilence(p, t, env),
  conflicts(a, b) {
    const seen = new Set(a.silences.map((s) => s.id));
    return b.silences.filter((s) => !seen.has(s.id) && s.state !== 'expired').map((s) => `a new silence ${s.id} by ${s.createdBy} (${s.matchers.map((m) => `${m.name}=${m.value}`).join(', ')}) since the plan: "${s.comment}"`);
  },
  async apply(p, _t, ctx) {
    const port = requirePort(ctx.sources.silences, 'alertmanager.silence', 'Alertmanager silences (Silenceable)', ctx.sources);
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
    return { ok: created !== undefined && created.state !== 'expired', evidence: created ? `silence ${created.id} ${created.state} until ${iso(created.endsAt)}` : 'no new silence listed' };
  },
};
