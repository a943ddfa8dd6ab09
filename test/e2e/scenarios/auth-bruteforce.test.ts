/**
 * auth-bruteforce worked in the real cockpit (tmux, 80x24) from the overview to a verified recovery: the
 * attacking address, found in the API's logs, is shown and suggested, blocked at the edge, and the
 * auth-failures alarm is back to OK with the room's check passed, read back from the run's journal;
 * every frame clean (issue 15).
 */
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../harness/servers.js';
import { runScenario, ScenarioTerminal } from '../../harness/scenarioRun.js';
import { attackerAddress } from '../../../src/sources/sandbox/infraScenarios.js';
import { SCRIPTS } from './scripts.js';

const skip = requireTool('tmux', ScenarioTerminal.available(), 'apt-get install tmux');

describe.skipIf(skip)('auth-bruteforce from the overview to a verified recovery (tmux)', () => {
  it('80x24', async () => {
    // The address the script waits to see suggested is the one the sandbox attacks from (seed 1).
    const block = SCRIPTS['auth-bruteforce'].steps.find((s) => s.why.startsWith('block'))!;
    expect(block.when).toContain(attackerAddress(1).replace(/\./g, '\\.'));
    const r = await runScenario(SCRIPTS['auth-bruteforce'], { width: 80, height: 24 });
    expect(r.problems).toEqual([]);
    expect(r.keys).toBeLessThanOrEqual(8);
  }, 90_000);
});
