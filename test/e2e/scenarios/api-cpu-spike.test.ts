/**
 * api-cpu-spike worked in the real cockpit (tmux) from the overview to a verified recovery: the CPU
 * alarm back to OK and the room's checks passed, read back from the run's journal; every frame clean;
 * at most 6 keys besides typed confirmations (issue 15).
 */
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../harness/servers.js';
import { runScenario, ScenarioTerminal } from '../../harness/scenarioRun.js';
import { SCRIPTS } from './scripts.js';

const skip = requireTool('tmux', ScenarioTerminal.available(), 'apt-get install tmux');

describe.skipIf(skip)('api-cpu-spike from the overview to a verified recovery (tmux)', () => {
  for (const [width, height] of [
    [80, 24],
    [200, 60],
  ] as const) {
    it(`${width}x${height}`, async () => {
      const r = await runScenario(SCRIPTS['api-cpu-spike'], { width, height });
      expect(r.problems).toEqual([]);
      expect(r.keys).toBeLessThanOrEqual(6);
    }, 90_000);
  }
});
