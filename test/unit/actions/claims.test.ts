/**
 * The engine asks the team before applying (actions/claims.ts): a claim held by a teammate refuses the
 * action (journaled, nothing changed in the sandbox); offline, it is applied with a warning; a granted
 * claim is released when the action is done. The claims port here is a fake: the PostgreSQL one is
 * tested against a real server (test/integration/team).
 */
import { describe, expect, it } from 'vitest';
import { simulatedClock } from '../../../src/core/actions/clock.js';
import { ClaimHeldError, type ActionClaims, type ClaimOutcome } from '../../../src/core/actions/claims.js';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import type { Who } from '../../../src/core/journal/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { tempJournal } from '../journal/helpers.js';

const me = { id: 'local', name: 'Aiko Tanaka', email: 'aiko.tanaka@vitascope.example' };
const who: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };

function setup(answer: () => ClaimOutcome) {
  const sb = createSandbox({
    seed: 1,
    scenario: 'calm',
    speed: 1,
    startOffsetMs: 0,
    policy: DEFAULT_POLICY,
    user: me,
    frozen: true,
  });
  sb.advance(5 * 60_000);
  const journal = tempJournal({ now: () => sb.now() });
  const asked: string[] = [];
  const claims: ActionClaims = {
    claim: async (key) => {
      asked.push(key);
      return answer();
    },
  };
  const engine = createActionEngine({
    sources: sb,
    actor: me,
    who,
    clock: simulatedClock(sb),
    journal,
    journalIncidentId: 'room-1',
    claims,
  });
  const desired = async () => (await sb.services!.listServices()).find((s) => s.name === 'vitascope-api')!.desired;
  return { engine, journal, asked, desired };
}

const request = { action: 'ecs.set-desired-count', params: { service: 'vitascope-api', desired: 4 } };

describe('claims before applying', () => {
  it('held by a teammate: refused with who and since when, journaled, nothing changed', async () => {
    const { engine, journal, asked, desired } = setup(() => ({ kind: 'held', by: { name: 'Kenji', heldMs: 12_000 } }));
    const prepared = await engine.prepare(request);
    await expect(engine.execute(prepared, { answer: 'confirm', typed: 'vitascope-api' })).rejects.toThrow(
      ClaimHeldError,
    );
    await expect(
      engine.execute(await engine.prepare(request), { answer: 'confirm', typed: 'vitascope-api' }),
    ).rejects.toThrow('Kenji is applying this (since 12s)');
    expect(asked[0]).toBe(`ecs.set-desired-count:${prepared.plan.target}`);
    expect(await desired()).toBe(2);
    const failed = journal.query({ kinds: ['action.failed'] });
    expect(failed.map((e) => (e.payload as { error: string }).error)).toContain('Kenji is applying this (since 12s)');
    expect(journal.query({ kinds: ['action.applied'] })).toEqual([]);
  });

  it('granted: applied, and the claim released once done', async () => {
    let released = 0;
    const { engine, desired } = setup(() => ({ kind: 'granted', release: () => void released++ }));
    const out = await engine.execute(await engine.prepare(request), { answer: 'confirm', typed: 'vitascope-api' });
    expect(out.status).not.toBe('failed');
    expect(await desired()).toBe(4);
    expect(released).toBe(1);
  });

  it('offline: the person at the keyboard still acts, warned that the team could not be asked', async () => {
    const { engine, desired } = setup(() => ({ kind: 'offline', reason: 'team server: connect ECONNREFUSED' }));
    const out = await engine.execute(await engine.prepare(request), { answer: 'confirm', typed: 'vitascope-api' });
    expect(await desired()).toBe(4);
    expect('output' in out && out.output).toMatch(/^warning: the team could not be asked .*ECONNREFUSED/);
  });
});
