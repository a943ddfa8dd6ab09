import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../../src/sources/sandbox/scenarioNames.js';
import { scenarioNames } from '../../../src/sources/sandbox/scenarios.js';

describe('the scenario names the command line checks --scenario against', () => {
  it('are every scenario, in the order they are listed', () => {
    expect([...SCENARIO_NAMES]).toEqual(scenarioNames());
  });
});
