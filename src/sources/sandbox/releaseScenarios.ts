import type { Scenario } from './scenarios.js';
import { SERVICES } from './topology.js';

/** Scenarios that start with a deployment: a revision that is slow, leaks, crashes or breaks something. */

const API = SERVICES[0]!.name;
const WORKER = SERVICES[1]!.name;

export function releaseScenarios(_seed: number): Scenario[] {
  return [
    {
      name: 'latency-regression',
      exercises: ['api-latency-p95'],
      title: 'Latency regression after a deploy',
      summary:
        'At minute 5 vitascope-api:42 is deployed with an N+1 query; once its tasks take traffic, p95 latency passes 1 s. A forced redeploy of the same revision does not help; rolling back to vitascope-api:41 does.',
      fires: ['vitascope-api-high-latency-critical', 'vitascope-api-high-latency-warning'],
      firesBy: 14,
      remedy: { kind: 'rollback', service: API },
      recovers: ['vitascope-api-high-latency-critical', 'vitascope-api-high-latency-warning'],
      recoversWithin: 10,
      events: [
        {
          minute: 5,
          apply: (w) => w.deploy(API, 42, { slowMs: 950 }, 'deployment by GitHub Actions (release 2026.01.05-1)'),
        },
      ],
    },
    {
      name: 'sync-failures',
      exercises: ['memory-utilization', 'sync-failure-rate'],
      title: 'Health-data sync failure surge',
      summary:
        'At minute 2 vitascope-worker:18 is deployed with a memory leak. Memory climbs, the tasks start failing syncs above 85 % memory and are killed when they run out. A forced new deployment only buys time; rolling back to vitascope-worker:17 ends it.',
      fires: ['vitascope-worker-high-memory-warning', 'vitascope-sync-failures-warning'],
      firesBy: 36,
      remedy: { kind: 'rollback', service: WORKER },
      recovers: ['vitascope-worker-high-memory-warning', 'vitascope-sync-failures-warning'],
      recoversWithin: 12,
      events: [
        {
          minute: 2,
          apply: (w) =>
            w.deploy(WORKER, 18, { memoryLeakPerMinute: 1.6 }, 'deployment by GitHub Actions (release 2026.01.05-2)'),
        },
      ],
    },
    {
      name: 'crashloop-deploy',
      exercises: ['ecs-service-state'],
      title: 'A deployment whose tasks never become healthy',
      summary:
        'At minute 4 vitascope-api:43 is deployed; it reads a secret that is not in its task definition and exits on start, so its tasks fail their load-balancer health checks and ECS stops them and launches more. After four failed tasks (the threshold is 3) the deployment circuit breaker marks the rollout FAILED around minute 10 and stops launching; rollback on failure is not enabled, so the two vitascope-api:41 tasks keep serving (minimum healthy 100 %) and users notice nothing. The service stays unhealthy: the ECS service state alarm fires five minutes later. A forced new deployment fails the same way; rolling back to vitascope-api:41 completes in two minutes.',
      fires: ['vitascope-api-service-unhealthy-critical'],
      firesBy: 16,
      remedy: { kind: 'rollback', service: API },
      recovers: ['vitascope-api-service-unhealthy-critical'],
      recoversWithin: 4,
      events: [
        {
          minute: 4,
          apply: (w) =>
            w.deploy(API, 43, { failsHealthChecks: true }, 'deployment by GitHub Actions (release 2026.01.05-3)'),
        },
      ],
    },
    {
      name: 'error-spike',
      exercises: ['error-rate'],
      title: 'Errors after a deploy',
      summary:
        "At minute 4 vitascope-api:45 is deployed. For accounts created before the time-zone setting existed (about half), GET /api/v1/users/me now raises an exception: 500 for half of one endpoint's calls, 7 % of all requests, above the strategy's 5 % deployment gate from the first minutes the new tasks serve. Rolling back to vitascope-api:41 ends it.",
      fires: ['vitascope-api-error-rate-critical', 'vitascope-api-error-rate-warning'],
      firesBy: 9,
      remedy: { kind: 'rollback', service: API },
      recovers: ['vitascope-api-error-rate-critical', 'vitascope-api-error-rate-warning'],
      recoversWithin: 6,
      events: [
        {
          minute: 4,
          apply: (w) =>
            w.deploy(
              API,
              45,
              { failingEndpoint: { method: 'GET', path: '/api/v1/users/me', share: 0.5 } },
              'deployment by GitHub Actions (release 2026.01.05-4)',
            ),
        },
      ],
    },
    {
      name: 'lambda-poison',
      exercises: ['lambda-error-rate'],
      title: 'Sync messages the Lambda cannot read',
      summary:
        'At minute 4 vitascope-api:46 is deployed. It writes the sync messages for wearable data in a new format (a renamed field) that vitascope-sync-processor does not know yet: those invocations fail, are retried and then dead-lettered, and about 45 % of invocations fail. The API itself answers normally. Rolling the API back to vitascope-api:41 stops the bad messages; the ones already queued fail their last retries over the next minutes.',
      fires: ['vitascope-sync-processor-lambda-errors-critical', 'vitascope-sync-processor-lambda-errors-warning'],
      firesBy: 10,
      remedy: { kind: 'rollback', service: API },
      recovers: ['vitascope-sync-processor-lambda-errors-critical', 'vitascope-sync-processor-lambda-errors-warning'],
      recoversWithin: 25,
      events: [
        {
          minute: 4,
          apply: (w) =>
            w.deploy(API, 46, { lambdaPoison: 0.45 }, 'deployment by GitHub Actions (release 2026.01.05-5)'),
        },
      ],
    },
    {
      name: 'login-regression',
      exercises: ['active-sessions', 'new-registrations', 'feature-usage', 'daily-active-users'],
      title: 'Mobile sign-in broken by a release',
      summary:
        'At minute 5 vitascope-api:44 is deployed with a wrong OAuth redirect URI: sign-in and token refresh fail for the mobile apps (85 % of users; the web app works). Nothing technical alarms: the API answers 401, quickly. Sessions fade as tokens expire: active sessions are down more than 30 % on the day before by minute 35 (warning, P3). New registrations and feature usage, compared hour by hour with a week earlier, raise info alarms (P4) at 11:00, minute 60. Daily active users count everyone active in the last 24 hours, so they fall only as the broken hours fill that window: the DAU alarm follows at 21:00, minute 660. Nobody is paged at P1 or P2 all day. Rolling back to vitascope-api:41 restores sign-in: sessions are OK again within about 20 minutes, registrations and feature usage at the next hour boundary (within two hours whenever the rollback happens). DAU stays down until the broken hours leave its window: about 16 hours after a rollback at minute 660, the next day around 13:00.',
      fires: [
        'vitascope-api-sessions-drop-warning',
        'vitascope-registrations-drop-info',
        'vitascope-feature-usage-drop-info',
        'vitascope-dau-drop-warning',
      ],
      firesBy: 660,
      remedy: { kind: 'rollback', service: API },
      recovers: [
        'vitascope-api-sessions-drop-warning',
        'vitascope-registrations-drop-info',
        'vitascope-feature-usage-drop-info',
      ],
      recoversWithin: 125,
      lingering: { alarms: ['vitascope-dau-drop-warning'], minutes: 1020 },
      events: [
        {
          minute: 5,
          apply: (w) =>
            w.deploy(API, 44, { breaksMobileSignIn: true }, 'deployment by GitHub Actions (release 2026.01.05-6)'),
        },
      ],
    },
  ];
}
