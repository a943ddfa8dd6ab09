/**
 * A room that changes runbook (a decision's handover, or the responder asking for an alarm's own
 * runbook): the view says which runbook it works now and where it came from, and the journal keeps
 * the steps of both, each under its runbook. Against the sandbox and the room's real journal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Room } from '../../../src/core/live/room.js';
import type { CockpitServices } from '../../../src/core/live/services.js';
import { sandboxAt, testServices } from '../../harness/ink.js';

let services: CockpitServices | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

async function until(room: Room, what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(room.view().runner.status)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a room that changes runbook', () => {
  it("switches, says where it came from, and the journal keeps both runbooks' steps", async () => {
    const sb = sandboxAt('db-connections', 30);
    services = testServices(sb);
    const incidents = await sb.incidents!.listIncidents();
    const alarms = await sb.alarms!.listAlarms();
    const room = await services.openRoom({ incident: incidents[0]! }, { incidents, alarms });
    await until(room, 'the first question', () => room.view().pending?.kind === 'confirm');
    expect(room.view().runbook.id).toBe('rds-connections');
    const other = (await services.runbooks()).runbooks.find((r) => r.runbook.id === 'default')!;
    room.switchTo(other, 'you chose “Something else” at “Whose problem?”');
    await until(
      room,
      "the other runbook's question",
      () => room.view().runbook.id === 'default' && room.view().pending !== undefined,
    );
    expect(room.view().before).toEqual([
      {
        id: 'rds-connections',
        title: expect.stringContaining('Database connections'),
        why: 'you chose “Something else” at “Whose problem?”',
      },
    ]);
    const journal = await services.journal();
    const runbooks = new Set(journal.incidentState(room.id).steps.map((s) => s.runbookId));
    expect(runbooks).toEqual(new Set(['rds-connections', 'default']));
    room.close();
  });
});
