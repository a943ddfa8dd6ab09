/**
 * disk-fill worked in the real cockpit (tmux, 80x24) from the overview to a verified recovery: the
 * room forecasts "full within the hour" from the free-space slope and suggests escalating, the storage
 * is grown to the suggested size, and the warning alarm is back to OK with the room's checks passed,
 * read back from the run's journal; every frame clean (issue 15).
 */
import { describe, expect, it } from 'vitest';
import { requireTool } from '../../harness/servers.js';
import { runScenario, ScenarioTerminal } from '../../harness/scenarioRun.js';
import { SCRIPTS } from './scripts.js';

const skip = requireTool('tmux', ScenarioTerminal.available(), 'apt-get install tmux');

describe.skipIf(skip)('disk-fill from the overview to a verified recovery (tmux)', () => {
  it('80x24', async () => {
    const r = await runScenario(SCRIPTS['disk-fill'], { width: 80, height: 24 });
    expect(r.problems).toEqual([]);
    expect(r.keys).toBeLessThanOrEqual(7);
  }, 90_000);
});
