/**
 * Log groups per service: the strategy's defaults, the configuration's on top, a service found by its
 * name or its short name, and the configuration's checks on group names.
 */
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { DEFAULT_LOG_GROUPS, findService, logGroupsFor } from '../../../src/sources/logGroups.js';

describe('log groups', () => {
  it('defaults to the groups ECS and Lambda write to; a configured service replaces its own only', () => {
    expect(logGroupsFor({})).toEqual(DEFAULT_LOG_GROUPS);
    const groups = logGroupsFor({
      logs: { groups: { 'vitascope-api': ['/ecs/api-blue', '/ecs/api-green'], billing: ['/ecs/billing'] } },
    });
    expect(groups['vitascope-api']).toEqual(['/ecs/api-blue', '/ecs/api-green']);
    expect(groups['vitascope-worker']).toEqual(['/ecs/vitascope-worker']);
    expect(groups.billing).toEqual(['/ecs/billing']);
  });

  it('finds a service by name or short name; an unknown one gets the known names', () => {
    const groups = logGroupsFor({});
    expect(findService('api', groups)).toEqual({
      kind: 'found',
      service: 'vitascope-api',
      groups: ['/ecs/vitascope-api'],
    });
    expect(findService('vitascope-sync-processor', groups)).toMatchObject({
      kind: 'found',
      groups: ['/aws/lambda/vitascope-sync-processor'],
    });
    expect(findService('toString', groups)).toEqual({
      kind: 'unknown',
      known: ['vitascope-api', 'vitascope-sync-processor', 'vitascope-worker'],
    });
  });

  it('the configuration refuses a group name CloudWatch would, an empty list and unknown keys', () => {
    const bad = configSchema.safeParse({ logs: { groups: { 'vitascope-api': ['/ecs/api with spaces'] } } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({
      path: ['logs', 'groups', 'vitascope-api', 0],
      message: 'a CloudWatch log group name such as /ecs/vitascope-api',
    });
    expect(configSchema.safeParse({ logs: { groups: { 'vitascope-api': [] } } }).success).toBe(false);
    expect(configSchema.safeParse({ logs: { insight: true } }).success).toBe(false);
    expect(configSchema.safeParse({ logs: { maxMessageBytes: 100 } }).success).toBe(false);
    expect(
      configSchema.safeParse({ logs: { insights: false, maxMessageBytes: 4096, groups: { x: ['/aws/lambda/x'] } } })
        .success,
    ).toBe(true);
  });
});
