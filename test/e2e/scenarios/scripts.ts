/**
 * The scripted key sequences of the scenario tests, as data: the tmux tests (this directory) and
 * `npm run bench` (test/bench/scenarios.mjs) replay the same ones, so the key counts the bench prints
 * are the ones the tests hold to their budgets. Each step waits for the screen a responder would see
 * before pressing its key.
 */
import type { ScenarioScript, ScriptStep } from '../../harness/scenarioRun.js';

/** A dialog asking to apply an action: `y apply · t dry run · n decline`. */
const APPLY = 'y apply · t dry run';

/** The dependency runbook from its impact note to the recovery, whichever way the room came to it. */
const DEPENDENCY_RUNBOOK: readonly ScriptStep[] = [
  { when: 'What users cannot do[\\s\\S]*record it in the journal', key: 'Enter', why: 'the impact note, later' },
  {
    when: 'Confirmed on their side\\s+← suggested[\\s\\S]*⏎ take it',
    key: 'Enter',
    why: 'their side, as suggested',
  },
  {
    when: 'Suggested: No, keep them[\\s\\S]*⏎ take it',
    key: 'Enter',
    why: 'keep the downstream alarm paging, as suggested',
  },
  {
    when: `desired count 2 → 6[\\s\\S]*${APPLY}`,
    key: 'y',
    why: 'the gateway is back: scale the worker out to drain the queue',
    // The provider comes back on its own at about minute 65 of the scenario.
    timeoutMs: 60_000,
  },
  { when: `desired count 6 → 2[\\s\\S]*${APPLY}`, key: 'y', why: 'drained: scale the worker back' },
  { when: `Add a note to the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'record the recovery on the incident' },
];

const DEPENDENCY_RECOVERY: ScenarioScript['recovery'] = {
  alarms: ['vitascope-wearables-gateway-dependency-down-critical', 'vitascope-sync-queue-depth-warning'],
  verified: ['provider-back', 'queue-drained'],
  screen: '✓ resolve',
};

export const SCRIPTS = {
  'api-cpu-spike': {
    scenario: 'api-cpu-spike',
    at: '15m',
    speed: 60,
    steps: [
      {
        when: '› P2\\s+#1042\\s+triggered',
        key: 'r',
        why: 'the room of the incident that pages (the cursor starts on it)',
      },
      { when: `Acknowledge the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'acknowledge' },
      {
        when: 'Blast radius[\\s\\S]*record it in the journal',
        type: 'p95 1.2 s, 5xx 2.5 %, all endpoints, no deploy',
        why: 'the required blast-radius note',
      },
      { when: 'Is P2 right\\?[\\s\\S]*⏎ take it', key: 'Enter', why: 'P2, as suggested' },
      {
        when: 'What you found[\\s\\S]*record it in the journal',
        type: 'traffic 4x normal, autoscaling at its max 3',
        why: 'the required findings note',
      },
      { when: 'scale out[\\s\\S]*←', key: 'Enter', why: 'scale out, as suggested' },
      { when: `autoscaling min 2 → 4[\\s\\S]*${APPLY}`, key: 'y', why: 'apply the new autoscaling limits' },
      { when: `Add a note to the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'record the mitigation on the incident' },
    ],
    recovery: {
      alarms: ['vitascope-api-high-cpu-critical'],
      verified: ['tasks-up', 'cpu-down', 'recovered'],
      screen: '✓ resolve',
    },
  },
  'auth-bruteforce': {
    scenario: 'auth-bruteforce',
    at: '6m',
    speed: 30,
    steps: [
      {
        when: '› P3\\s+#1042\\s+triggered\\s.*vitascope-api-auth',
        key: 'r',
        why: 'the room of the incident that pages',
      },
      { when: `Acknowledge the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'acknowledge' },
      {
        when: 'The address \\(or addresses\\), its owner[\\s\\S]*record it in the journal',
        key: 'Enter',
        why: 'the attacker note, later',
      },
      { when: 'One address or many\\?[\\s\\S]*⏎ take it', key: 'Enter', why: 'one address, as suggested' },
      { when: 'Any SUCCESSFUL login[\\s\\S]*record it in the journal', key: 'Enter', why: 'the successes note, later' },
      { when: 'Is the address shared[\\s\\S]*⏎ take it', key: 'Enter', why: 'not shared: block it, as suggested' },
      {
        when: `block 203\\.0\\.113\\.210 at the edge[\\s\\S]*${APPLY}`,
        key: 'y',
        why: 'block the address the logs name',
      },
      { when: `Add a note to the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'record the block on the incident' },
    ],
    recovery: {
      alarms: ['vitascope-api-auth-failures-warning'],
      verified: ['recovered'],
      screen: '✓ resolve',
    },
  },
  'disk-fill': {
    scenario: 'disk-fill',
    at: '36m',
    speed: 60,
    steps: [
      {
        when: '› P2\\s+#1042\\s+triggered\\s.*vitascope-db-disk',
        key: 'r',
        why: 'the room of the incident that pages',
      },
      { when: `Acknowledge the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'acknowledge' },
      {
        when: 'How urgent\\?[\\s\\S]*Suggested: Full within the hour[\\s\\S]*⏎ take it',
        key: 'Enter',
        why: 'full within the hour at this rate, as suggested',
      },
      { when: `Escalate[\\s\\S]*${APPLY}`, key: 'y', why: 'escalate to the secondary' },
      {
        when: 'What brings usage down or buys room\\?[\\s\\S]*⏎ take it',
        key: 'Enter',
        why: 'grow the volume, as suggested',
      },
      {
        when: 'new allocated storage[\\s\\S]*takes 400',
        key: 'Enter',
        why: 'the suggested size, double the allocation',
      },
      { when: `200 GiB → 400 GiB[\\s\\S]*${APPLY}`, key: 'y', why: 'grow the storage' },
    ],
    recovery: {
      alarms: ['vitascope-db-disk-usage-warning'],
      verified: ['below-warning', 'recovered'],
      screen: '✓ resolve',
      timeoutMs: 40_000,
    },
  },
  'dependency-outage': {
    scenario: 'dependency-outage',
    at: '30m',
    speed: 120,
    steps: [
      { when: '› P2\\s+#1042\\s+triggered', key: 'g', why: 'the cursor from the paging incident to the first alarm' },
      {
        when: '› . CRIT\\s+vitascope-sync-p',
        key: 'j',
        why: 'the cursor from the Lambda errors (a consequence) to the dependency alarm',
      },
      { when: '› . CRIT\\s+vitascope-wearab', key: 'r', why: 'the room of the dependency alarm' },
      { when: `Acknowledge the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'acknowledge' },
      {
        when: 'status page / support ticket[\\s\\S]*record it in the journal',
        key: 'Enter',
        why: 'the status-page note, later',
      },
      ...DEPENDENCY_RUNBOOK,
    ],
    recovery: DEPENDENCY_RECOVERY,
  },
  /** The same outage taken up from its incident: the API-errors runbook hands over to the dependency one. */
  'dependency-outage-handover': {
    scenario: 'dependency-outage',
    at: '30m',
    speed: 120,
    steps: [
      {
        when: '› P2\\s+#1042\\s+triggered\\s.*vitascope-api-error',
        key: 'r',
        why: 'the room of the incident that pages (its API-errors runbook)',
      },
      { when: `Acknowledge the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'acknowledge' },
      {
        when: 'Failing endpoints, share of requests[\\s\\S]*record it in the journal',
        key: 'Enter',
        why: 'the failing-endpoints note, later',
      },
      { when: 'How bad\\?[\\s\\S]*⏎ take it', key: 'Enter', why: 'some requests fail, as suggested' },
      {
        when: 'The error \\(exception, status code\\) and its cause[\\s\\S]*record it in the journal',
        key: 'Enter',
        why: 'the cause note, later',
      },
      {
        when: 'Suggested: A dependency: hand over[\\s\\S]*⏎ take it',
        key: 'Enter',
        why: 'the gateway is down: hand over to the dependency runbook, as suggested',
      },
      {
        when: 'runbook dependency-availability[\\s\\S]*status page / support ticket[\\s\\S]*record it in the journal',
        key: 'Enter',
        why: 'the status-page note, later',
      },
      ...DEPENDENCY_RUNBOOK,
    ],
    recovery: DEPENDENCY_RECOVERY,
  },
  'db-connections': {
    scenario: 'db-connections',
    // The connections alarm fires about 26 minutes in (a reporting job leaks 12 connections a minute).
    at: '27m',
    speed: 60,
    steps: [
      { when: '› P1\\s+#1042\\s+triggered', key: 'r', why: 'the room of the incident that pages' },
      { when: `Acknowledge the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'acknowledge' },
      {
        when: 'Impact: errors[\\s\\S]*record it in the journal',
        type: 'no errors yet, 365 of 400 connections',
        why: 'the required impact note',
      },
      {
        when: `Escalate the incident[\\s\\S]*${APPLY}`,
        key: 'y',
        why: 'page the secondary (P1 is never handled alone)',
      },
      {
        when: 'Who holds the connections[\\s\\S]*record it in the journal',
        type: 'the reporting job, idle in transaction',
        why: 'what pg_stat_activity showed',
      },
      { when: 'Reboot the instance[\\s\\S]*←', key: 'Enter', why: 'reboot, as suggested' },
      { when: `Reboot the RDS instance[\\s\\S]*${APPLY}`, key: 'y', why: 'reboot vitascope-db' },
      { when: `Add a note to the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'record the mitigation on the incident' },
    ],
    recovery: {
      alarms: ['vitascope-db-connections-warning'],
      verified: ['below-limit', 'recovered', 'api-healthy', 'services-steady'],
      screen: '✓ resolve',
    },
  },
  'latency-regression': {
    scenario: 'latency-regression',
    at: '15m',
    speed: 60,
    steps: [
      { when: '› P2\\s+#1042\\s+triggered', key: 'r', why: 'the room of the incident that pages' },
      { when: `Acknowledge the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'acknowledge' },
      {
        when: 'Which endpoints, how slow[\\s\\S]*record it in the journal',
        type: 'all endpoints, p95 1.1 s, since api:42',
        why: 'the required impact note',
      },
      { when: 'P2 as paged: I am handling it[\\s\\S]*←', key: 'Enter', why: 'P2, as suggested' },
      {
        when: 'What the slow requests wait for[\\s\\S]*record it in the journal',
        type: 'N+1 SELECT health_readings since api:42',
        why: 'the evidence the traces showed',
      },
      { when: 'roll back to the previous revision[\\s\\S]*←', key: 'Enter', why: 'roll back, as suggested' },
      {
        when: `Roll back to the previous task definition[\\s\\S]*${APPLY}`,
        key: 'y',
        why: 'roll back to vitascope-api:41',
      },
      { when: `Add a note to the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'record the mitigation on the incident' },
    ],
    recovery: {
      alarms: ['vitascope-api-high-latency-critical'],
      verified: ['rollout-done', 'fast-again', 'recovered'],
      screen: '✓ resolve',
    },
  },
} satisfies Record<string, ScenarioScript>;

export type ScenarioName = keyof typeof SCRIPTS;
