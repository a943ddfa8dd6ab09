/**
 * The log groups of a service when the configuration names none: the strategy's (ECS services log to
 * /ecs/<service>, the sync processor is a Lambda). The configuration's per-service groups win.
 */

export const STRATEGY_LOG_GROUPS: Readonly<Record<string, readonly string[]>> = {
  'vitascope-api': ['/ecs/vitascope-api'],
  'vitascope-worker': ['/ecs/vitascope-worker'],
  'vitascope-sync-processor': ['/aws/lambda/vitascope-sync-processor'],
};

export function defaultLogGroups(service: string): readonly string[] {
  return Object.hasOwn(STRATEGY_LOG_GROUPS, service) ? STRATEGY_LOG_GROUPS[service]! : [`/ecs/${service}`];
}
