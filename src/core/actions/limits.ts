import type { BlockPrefixLimits } from '../net.js';
import { parseDuration } from '../time.js';

/**
 * The catalogue's limits by meaning, beyond what a parameter's shape can say: which addresses a block
 * may name, how long a silence or a command may last. The catalogue's zod schemas check the shape
 * ("an IP address or CIDR", "a duration"); these check what the value would do, with limits the
 * configuration may change (`limits.*`). The engine applies them to every plan, dry runs included
 * (targets.ts). This module is data only, so that the cockpit and the commands load it cheaply.
 */

export interface ActionLimits {
  /** The widest prefix waf.block-address may name (default /24 IPv4, /48 IPv6). */
  readonly blockPrefix: BlockPrefixLimits;
  /** The longest Alertmanager silence (default 7 days, like a PagerDuty snooze). */
  readonly silenceMaxMs: number;
  /** The longest timeout a command may be given (default a day). */
  readonly commandTimeoutMaxMs: number;
}

const DAY_MS = 24 * 3_600_000;

/** The widest prefix a block may have by default: a /24 blocks 256 IPv4 addresses, a /48 one IPv6 site. */
export const DEFAULT_BLOCK_PREFIX: BlockPrefixLimits = { v4: 24, v6: 48 };

export const DEFAULT_ACTION_LIMITS: ActionLimits = {
  blockPrefix: DEFAULT_BLOCK_PREFIX,
  silenceMaxMs: 7 * DAY_MS,
  commandTimeoutMaxMs: DAY_MS,
};

/** The longest silence the configuration may allow (limits.silenceMax). */
export const SILENCE_MAX_CEILING_MS = 90 * DAY_MS;

/** The configuration's `limits` section, as the engine takes it. */
export interface LimitsConfig {
  readonly blockPrefixV4?: number;
  readonly blockPrefixV6?: number;
  readonly silenceMax?: string;
}

export function actionLimits(config: LimitsConfig | undefined): ActionLimits {
  const silence = config?.silenceMax !== undefined ? parseDuration(config.silenceMax) : undefined;
  return {
    blockPrefix: {
      v4: config?.blockPrefixV4 ?? DEFAULT_BLOCK_PREFIX.v4,
      v6: config?.blockPrefixV6 ?? DEFAULT_BLOCK_PREFIX.v6,
    },
    silenceMaxMs: silence ?? DEFAULT_ACTION_LIMITS.silenceMaxMs,
    commandTimeoutMaxMs: DEFAULT_ACTION_LIMITS.commandTimeoutMaxMs,
  };
}
