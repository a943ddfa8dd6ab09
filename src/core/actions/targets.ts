import { blockProblem, cidrProblem } from '../net.js';
import { formatBound, parseDuration } from '../time.js';
import type { ActionId, ActionParams } from './catalogue.js';
import type { ActionLimits } from './limits.js';

/**
 * The checks of limits.ts: what a validated parameter would do, refused by the engine before anything
 * is read (an address that is private or the whole internet, a silence of a century).
 */

export interface LimitEnv {
  readonly limits: ActionLimits;
  /** The sandbox's simulated attackers use the documentation ranges (RFC 5737); anywhere else those are refused. */
  readonly sandbox: boolean;
}

type Check<A extends ActionId> = (p: ActionParams<A>, env: LimitEnv) => string | undefined;

function longest(what: string, duration: string, max: number, setting?: string): string | undefined {
  const ms = parseDuration(duration);
  if (ms === undefined || ms <= 0) return `${what}: not a duration: ${duration}`;
  if (ms > max) return `${what} lasts at most ${formatBound(max)}${setting ? ` (${setting})` : ''}, not ${duration}`;
  return undefined;
}

/** Only the actions with a limit by meaning have a check; the table is typed by the catalogue. */
const CHECKS: { readonly [A in ActionId]?: Check<A> } = {
  'waf.block-address': (p, env) => blockProblem(p.address, env.limits.blockPrefix, { allowDocumentation: env.sandbox }),
  // Lifting is always allowed (it undoes a mistake), but only for a well-formed range.
  'waf.unblock-address': (p) => cidrProblem(p.address),
  'alertmanager.silence': (p, env) => longest('a silence', p.duration, env.limits.silenceMaxMs, 'limits.silenceMax'),
  'command.run': (p, env) => longest('a command timeout', p.timeout, env.limits.commandTimeoutMaxMs),
};

/** Why the validated parameters must not be acted on, or undefined. */
export function limitProblem<A extends ActionId>(
  action: A,
  params: ActionParams<A>,
  env: LimitEnv,
): string | undefined {
  const check = CHECKS[action] as Check<A> | undefined;
  return check?.(params, env);
}
