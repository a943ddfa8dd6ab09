import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../../src/core/journal/index.js';
import { activeBlocks, BLOCK_ACTIONS } from '../../../src/core/reports/blocks.js';
import { tempJournal } from '../journal/helpers.js';

const aiko = { kind: 'local' as const, id: 'aiko', name: 'Aiko Tanaka' };
let seq = 0;
function run(
  kind: 'action.applied' | 'action.verified',
  actionId: string,
  address: string,
  at: number,
  over: Record<string, unknown> = {},
): JournalEvent {
  seq += 1;
  return {
    kind,
    seq,
    at,
    who: aiko,
    payload: {
      runId: `r${over.runId ?? seq}`,
      actionId,
      target: address,
      params: { address, reason: 'brute force' },
      output: 'ok',
      changed: over.dryRun !== true,
      ...over,
    },
  } as unknown as JournalEvent;
}

describe('WAF blocks still in place', () => {
  it("folds blocks and lifts in time order; dry runs, changes of nothing and a run's second stage do not count", () => {
    const events = [
      run('action.applied', 'waf.block-address', '203.0.113.7', 1_000, { runId: 'a' }),
      run('action.verified', 'waf.block-address', '203.0.113.7', 1_100, { runId: 'a' }),
      run('action.applied', 'waf.block-address', '198.51.100.0/24', 2_000),
      run('action.applied', 'waf.block-address', '192.0.2.1', 3_000, { dryRun: true }),
      run('action.applied', 'waf.unblock-address', '198.51.100.0/24', 4_000),
      run('action.applied', 'waf.block-address', '192.0.2.9', 5_000, {
        output: 'nothing to change: 192.0.2.9 is already blocked',
        changed: false,
      }),
      run('action.applied', 'ecs.set-desired-count', 'vitascope-api', 6_000),
    ];
    expect(activeBlocks(events)).toEqual([
      { address: '203.0.113.7', blockedAt: 1_000, who: 'Aiko Tanaka', reason: 'brute force' },
    ]);
  });

  it("a change of nothing is told by the event's changed, not by its output's wording", () => {
    const events = [
      run('action.applied', 'waf.block-address', '192.0.2.10', 1_000, {
        output: 'already covered by 192.0.2.0/24',
        changed: false,
      }),
      run('action.applied', 'waf.block-address', '192.0.2.11', 2_000, {
        output: 'nothing to change (reworded, yet it was a change)',
        changed: true,
      }),
    ];
    expect(activeBlocks(events).map((b) => b.address)).toEqual(['192.0.2.11']);
  });

  it('a lift that found the address not blocked (lifted elsewhere) ends it too', () => {
    const events = [
      run('action.applied', 'waf.block-address', '203.0.113.7', 1_000),
      run('action.applied', 'waf.unblock-address', '203.0.113.7', 2_000, {
        output: 'nothing to change: 203.0.113.7 is not blocked by vitascope-blocked: nothing to change',
        changed: false,
      }),
    ];
    expect(activeBlocks(events)).toEqual([]);
  });

  it('blocking again restarts when it was blocked; a lift in another spelling of the same range counts', () => {
    const events = [
      run('action.applied', 'waf.block-address', '2001:db8::7', 1_000),
      run('action.applied', 'waf.unblock-address', '2001:DB8:0:0:0:0:0:7/128', 2_000),
      run('action.applied', 'waf.block-address', '203.0.113.7', 3_000),
      run('action.applied', 'waf.block-address', '203.0.113.7/32', 9_000),
    ];
    expect(activeBlocks(events)).toEqual([
      { address: '203.0.113.7/32', blockedAt: 9_000, who: 'Aiko Tanaka', reason: 'brute force' },
    ]);
  });

  it('the journal finds action events by catalogue id', () => {
    const journal = tempJournal();
    {
      const who = aiko;
      const base = {
        who,
        payload: {
          runId: 'x',
          actionId: 'waf.block-address',
          target: '203.0.113.7',
          params: { address: '203.0.113.7', reason: 'r' },
          output: 'added',
        },
      };
      journal.append({ kind: 'action.applied', at: 1, ...base });
      journal.append({
        kind: 'action.applied',
        at: 2,
        who,
        payload: { runId: 'y', actionId: 'ecs.set-desired-count', target: 'vitascope-api', output: 'done' },
      });
      journal.append({ kind: 'note', at: 3, who, incidentId: 'i', payload: { text: 'waf.block-address' } });
      const found = journal.query({ kinds: ['action.applied', 'action.verified'], actionIds: BLOCK_ACTIONS });
      expect(found.map((e) => (e.payload as { actionId: string }).actionId)).toEqual(['waf.block-address']);
      expect(journal.query({ actionIds: [] })).toEqual([]);
    }
  });
});
