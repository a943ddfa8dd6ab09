/**
 * Which log groups hold a service's logs: the strategy's services with the groups ECS and Lambda write to by
 * default (the awslogs driver's `/ecs/<family>`, Lambda's `/aws/lambda/<function>`), with the configuration's
 * `logs.groups` on top (a service named there has exactly the groups given). Pure: used by the headless
 * commands and the cockpit alike.
 */
import type { Config } from '../config/schema.js';
import { STRATEGY_LOG_GROUPS } from '../core/logs/groups.js';

/** The strategy's services and their groups (one table, core/logs/groups.ts, which the room's steps use too). */
export const DEFAULT_LOG_GROUPS = STRATEGY_LOG_GROUPS;

/** Every service with its log groups. */
export function logGroupsFor(config: Pick<Config, 'logs'>): Record<string, readonly string[]> {
  return { ...DEFAULT_LOG_GROUPS, ...(config.logs?.groups ?? {}) };
}

/**
 * The services `traces` accepts: the strategy's, those of logs.groups (a service's X-Ray name is its log
 * groups' service name), and the configuration's traces.services (X-Ray names with no log groups here).
 */
export function traceServicesFor(config: Pick<Config, 'logs' | 'traces'>): Record<string, readonly string[]> {
  const groups = logGroupsFor(config);
  const out: Record<string, readonly string[]> = { ...groups };
  for (const name of config.traces?.services ?? []) if (!Object.hasOwn(out, name)) out[name] = [];
  return out;
}

/** What a service name on the command line resolved to, or the known names when it is none of them. */
export type ServiceMatch =
  | { readonly kind: 'found'; readonly service: string; readonly groups: readonly string[] }
  | { readonly kind: 'unknown'; readonly known: readonly string[] };

/**
 * A service by its name, or by the name without the `vitascope-` prefix (`api` for vitascope-api) when
 * that names exactly one.
 */
export function findService(name: string, groups: Readonly<Record<string, readonly string[]>>): ServiceMatch {
  const known = Object.keys(groups).sort();
  if (Object.hasOwn(groups, name)) return { kind: 'found', service: name, groups: groups[name]! };
  const short = known.filter((k) => k.replace(/^vitascope-/, '') === name);
  if (short.length === 1) return { kind: 'found', service: short[0]!, groups: groups[short[0]!]! };
  return { kind: 'unknown', known };
}
