/**
 * A prompt that says which zone to write times in names the zone the screen shows (display.timezone, UTC
 * under --utc), never a fixed one: the shipped timeline note, as the room's runner words it, against the
 * zone the screen's own clock (formatClock) is drawn in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { simulatedClock } from '../../../src/core/actions/clock.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { loadRunbooks } from '../../../src/core/runbooks/load.js';
import { drillResponder } from '../../../src/core/runbooks/responder.js';
import { createRunner } from '../../../src/core/runbooks/runner.js';
import { formatClock, setDisplayTimeZone } from '../../../src/core/time.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { tempJournal } from '../journal/helpers.js';

afterEach(() => setDisplayTimeZone(undefined));

describe('the zone a runbook asks times in', () => {
  it('is the zone the screen shows, whatever display.timezone or --utc chose', async () => {
    const shipped = loadRunbooks({ dirs: [] }).runbooks.find((r) => r.runbook.id === 'cpu-utilization')!;
    const raw = Object.values(shipped.runbook.phases)
      .flat()
      .find((s) => s.id === 'timeline')!;
    expect(raw.title).not.toMatch(/\bJST\b/);
    const me = { id: 'local', name: 'Test Responder' };
    for (const zone of ['Asia/Tokyo', 'UTC', 'America/New_York']) {
      setDisplayTimeZone(zone);
      const sb = createSandbox({ seed: 1, scenario: 'api-cpu-spike', speed: 1, startOffsetMs: 20 * 60_000, policy: DEFAULT_POLICY, user: me, frozen: true });
      const [incident] = await sb.incidents!.listIncidents();
      const runner = createRunner({
        runbook: shipped,
        incident: incident!,
        sources: sb,
        journal: tempJournal({ now: () => sb.now() }),
        journalIncidentId: 'room-1',
        actor: me,
        who: { kind: 'local', id: 'local', name: me.name },
        clock: simulatedClock(sb),
        responder: drillResponder({ yes: false }),
        stepTimeMs: 10_000,
      });
      const title = runner.snapshot().steps.find((s) => s.id === 'timeline')!.title;
      // The screen's clock ends with the zone's name as drawn ("GMT+9", "UTC", "EST"/"EDT").
      const drawn = formatClock(Date.now()).split(' ').at(-1)!;
      expect(title).toContain(zone);
      expect(title).toContain(drawn);
      expect(title).not.toContain('{{');
      expect(title).not.toMatch(/\bJST\b/);
      await sb.close();
    }
  });
});
