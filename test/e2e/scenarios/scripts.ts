/**
 * The scripted key sequences of the scenario tests, as data: the tmux tests (this directory) and
 * `npm run bench` (test/bench/scenarios.mjs) replay the same ones, so the key counts the bench prints
 * are the ones the tests hold to their budgets. Each step waits for the screen a responder would see
 * before pressing its key.
 */
import type { ScenarioScript } from '../../harness/scenarioRun.js';

/** A dialog asking to apply an action: `y apply · t dry run · n decline`. */
const APPLY = 'y apply · t dry run';

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
