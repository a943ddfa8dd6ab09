/**
 * latency-regression worked in the real cockpit (tmux) at 80x24 from the overview to a verified recovery, read back
 * from the run's journal (scripts.ts says which alarms and checks); every frame clean.
 */
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../harness/servers.js';
import { runScenario, ScenarioTerminal } from '../../harness/scenarioRun.js';
import { SCRIPTS } from './scripts.js';

const skip = requireTool('tmux', ScenarioTerminal.available(), 'apt-get install tmux');

describe.skipIf(skip)('latency-regression from the overview to a verified recovery (tmux)', () => {
  it('80x24', async () => {
    const r = await runScenario(SCRIPTS['latency-regression'], { width: 80, height: 24 });
    expect(r.problems).toEqual([]);
    expect(r.keys).toBeLessThanOrEqual(6);
  }, 90_000);
});
