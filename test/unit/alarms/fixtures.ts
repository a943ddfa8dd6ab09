import { inventoryFrom, type AlarmInventory, type AlarmsSection } from '../../../src/core/alarms/inventory.js';
import { DEFAULT_RULES } from '../../../src/core/policy/rules.js';
import type { RunbookLookup } from '../../../src/core/alarms/cloudwatch.js';

export const PAGER = 'arn:aws:sns:ap-northeast-1:123456789012:vitascope-pagerduty';
export const TICKETS = 'arn:aws:sns:ap-northeast-1:123456789012:vitascope-tickets';

/** A small production: one ECS service, one database with a known limit and one without, no queue. */
export const SECTION: AlarmsSection = {
  actions: { critical: [PAGER], warning: [PAGER], info: [TICKETS] },
  runbookBaseUrl: 'https://runbooks.example/vitascope/',
  resources: {
    'ecs-service': [{ token: 'api', dimensions: { ClusterName: 'prod', ServiceName: 'vitascope-api' } }],
    'rds-instance': [
      {
        token: 'db',
        dimensions: { DBInstanceIdentifier: 'prod-db' },
        limits: { max_connections: 400, allocated_storage_gib: 200 },
      },
      {
        token: 'replica',
        dimensions: { DBInstanceIdentifier: 'prod-db-replica' },
        limits: { allocated_storage_gib: 100 },
      },
    ],
    'lambda-function': [{ token: 'sync', dimensions: { FunctionName: 'vitascope-sync' } }],
    dependency: [{ token: 'wearables', dimensions: { Dependency: 'wearables-gateway' } }],
    api: [
      {
        token: 'api',
        dimensions: {
          LoadBalancer: 'app/prod-alb/1234567890abcdef',
          TargetGroup: 'targetgroup/prod-api/fedcba0987654321',
        },
      },
    ],
  },
};

export function inventory(section: AlarmsSection = SECTION): AlarmInventory {
  const { inventory: inv, problems } = inventoryFrom(section, DEFAULT_RULES);
  if (problems.length) throw new Error(JSON.stringify(problems));
  return inv;
}

/** Every rule has the runbook of its own id, as the shipped runbooks do. */
export const byRule: RunbookLookup = (a) => a.ruleId;
