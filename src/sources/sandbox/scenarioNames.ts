/**
 * The sandbox's scenarios by name, in the order they are listed: the original seven, then the rest
 * of the policy's rules. A module of its own so that the command line can check --scenario (and list
 * the names in its help) without loading the scenarios; test/unit/sandbox/scenarioNames.test.ts
 * keeps it equal to scenarioNames().
 */
export const SCENARIO_NAMES: readonly string[] = [
  'calm',
  'api-cpu-spike',
  'db-connections',
  'latency-regression',
  'sync-failures',
  'auth-bruteforce',
  'dependency-outage',
  'disk-fill',
  'api-scraper',
  'crashloop-deploy',
  'error-spike',
  'lambda-poison',
  'login-regression',
];

export class UnknownScenarioError extends Error {
  constructor(name: string) {
    super(`unknown scenario "${name}"; choose one of: ${SCENARIO_NAMES.join(', ')}`);
  }
}
