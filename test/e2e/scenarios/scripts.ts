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
    speed: 30,
    steps: [
      { when: '› . CRIT\\s+vitascope-api-high-latency', key: 'j', why: 'the cursor to the CPU alarm' },
      { when: '› . CRIT\\s+vitascope-api-high-cpu', key: 'r', why: 'its incident room' },
      { when: `Acknowledge the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'acknowledge' },
      { when: 'Blast radius[\\s\\S]*record it in the journal', key: 'Enter', why: 'the blast-radius note, later' },
      { when: 'Is P2 right\\?[\\s\\S]*⏎ take it', key: 'Enter', why: 'P2, as suggested' },
      { when: 'What you found[\\s\\S]*record it in the journal', key: 'Enter', why: 'the findings note, later' },
      { when: 'What drives the CPU[\\s\\S]*⏎ take it', key: 'Enter', why: 'scale out, as suggested' },
      { when: `autoscaling min 2 → 4[\\s\\S]*${APPLY}`, key: 'y', why: 'apply the new autoscaling limits' },
      { when: `Add a note to the incident[\\s\\S]*${APPLY}`, key: 'y', why: 'record the mitigation on the incident' },
    ],
    recovery: {
      alarms: ['vitascope-api-high-cpu-critical'],
      verified: ['tasks-up', 'cpu-down', 'recovered'],
      screen: '✓ resolve',
    },
  },
} satisfies Record<string, ScenarioScript>;

export type ScenarioName = keyof typeof SCRIPTS;
