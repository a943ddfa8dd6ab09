/**
 * An alarm that paged nobody gets a room on a local incident. Sandbox runs replay the same simulated
 * times, so two runs in one journal must not share that incident: each run's room is its own, with its
 * run and its alarm's title, read back from the journal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CockpitServices } from '../../../src/core/live/services.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { testServices } from '../../harness/ink.js';

const opened: CockpitServices[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

const run = (scenario: string, tag: string) =>
  createSandbox({
    run: tag,
    seed: 1,
    scenario,
    speed: 1,
    startOffsetMs: 30 * 60_000,
    policy: DEFAULT_POLICY,
    user: { id: 'local', name: 'Test Responder' },
    frozen: true,
  });

describe('a room on an alarm that paged nobody', () => {
  it('is a local incident of its own run: a later run in the same journal never takes over an earlier run’s', async () => {
    const journalFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vo-local-')), 'journal-sandbox.db');
    const rooms = [];
    for (const [scenario, tag] of [
      ['api-cpu-spike', 'aaaa01'],
      ['api-cpu-spike', 'bbbb02'],
    ] as const) {
      const sb = run(scenario, tag);
      const services = testServices(sb, { journalFile });
      opened.push(services);
      const alarm = (await sb.alarms!.listAlarms()).find((a) => a.state === 'ALARM')!;
      // No incident lists the alarm (it paged nobody): the room is the cockpit's own incident.
      const room = await services.openRoom({ alarm }, { incidents: [], alarms: [alarm] });
      rooms.push({ room, tag, alarm });
    }
    expect(rooms[0]!.alarm.stateSince).toBe(rooms[1]!.alarm.stateSince);
    expect(rooms[0]!.room.id).not.toBe(rooms[1]!.room.id);
    const journal = await opened[1]!.journal();
    for (const { room, tag, alarm } of rooms) {
      const record = journal.incident(room.id)!;
      expect(record.run).toBe(tag);
      expect(record.title).toBe(`ALARM: ${alarm.name}`);
      room.close();
    }
  });
});
