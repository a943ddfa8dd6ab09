/**
 * Who an incident was assigned to, and when, as the sandbox pager's own log says: the responder escalates
 * the db-connections incident through the action engine while the recorder looks every simulated minute.
 * The engine journals the escalation (its level); the recorder then sees the new assignee at the source.
 * Every assignment the journal holds must be one the pager's log made, at that entry's time: the first
 * assignee from the moment the incident opened, the next one from the escalation, never before it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import { simulatedClock, type Clock } from '../../../src/core/actions/clock.js';
import { openJournal, type JournalEvent, type Who } from '../../../src/core/journal/index.js';
import type { Person, TimelineEntry } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/defaults.js';
import { TimelineRecorder } from '../../../src/core/record/recorder.js';
import { identity } from '../../../src/core/record/who.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';

const MIN = 60_000;
const me: Person = { id: 'aiko', name: 'Aiko Tanaka', email: 'aiko@vitascope.example' };
const meWho: Who = { kind: 'local', id: 'aiko@vitascope.example', name: 'Aiko Tanaka' };

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Who the pager's log says each of its assignment-changing entries assigned (its own words), by time. */
function assignmentsOf(log: readonly TimelineEntry[]): [number, string][] {
  const out: [number, string][] = [];
  for (const e of log) {
    const m =
      e.kind === 'incident.reassigned'
        ? /^(?:Re)?[Aa]ssigned to ([^(,]+?)(?: \(| by |,|$)/.exec(e.summary)
        : e.kind === 'incident.escalated'
          ? /^Escalated to level \d+: ([^(]+?) \(/.exec(e.summary)
          : null;
    if (m) out.push([e.at, m[1]!]);
  }
  return out;
}

describe('assignees from the pager log, on the sandbox', () => {
  it("the responder's escalation assigns the next on call at the escalation's time, not at the incident's opening", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-assign-'));
    dirs.push(dir);
    const sandbox = createSandbox({
      seed: 1,
      scenario: 'db-connections',
      speed: 1,
      startOffsetMs: 0,
      policy: DEFAULT_POLICY,
      user: me,
      frozen: true,
      run: 'tassign',
    });
    const journal = openJournal(path.join(dir, 'journal.sqlite'), { now: () => sandbox.now() });
    try {
      const recorder = new TimelineRecorder({
        journal,
        sources: sandbox,
        policy: DEFAULT_POLICY,
        me: identity(meWho, me.email),
      });
      recorder.start('cockpit');
      const look = async () => {
        const [alarms, incidents] = await Promise.all([
          sandbox.alarms!.listAlarms(),
          sandbox.incidents!.listIncidents({}),
        ]);
        await recorder.observe({ alarms, incidents });
        await recorder.settled();
      };
      const inner = simulatedClock(sandbox);
      const clock: Clock = {
        now: () => inner.now(),
        pollMs: inner.pollMs,
        wait: async (ms, signal) => (await inner.wait(ms, signal), await look()),
      };
      let id: string | undefined;
      let escalated = false;
      for (let minute = 0; minute < 120; minute++) {
        await clock.wait(MIN);
        id ??= (await sandbox.incidents!.listIncidents({}))[0]?.id;
        if (!id) continue;
        const now = (await sandbox.incidents!.getIncident(id))!;
        if (!escalated && sandbox.now() - now.createdAt >= 11 * MIN) {
          escalated = true;
          const outcome = await createActionEngine({
            sources: sandbox,
            actor: me,
            who: meWho,
            clock,
            readonly: false,
            journal,
            journalIncidentId: id,
            incidentId: id,
          }).run({ action: 'pagerduty.escalate', params: { incident: id, level: 2 } }, async () => ({
            answer: 'confirm',
          }));
          expect(outcome.status, JSON.stringify(outcome)).not.toBe('failed');
        }
        if (escalated && sandbox.now() - now.createdAt >= 20 * MIN) break;
      }
      await recorder.close('the test ended');
      const truth = (await sandbox.incidents!.getIncident(id!))!;
      const log = await sandbox.incidents!.timeline(id!);
      const said = assignmentsOf(log);
      // Ground truth first: the pager opened it with one person and the escalation assigned another.
      expect(said.length).toBeGreaterThanOrEqual(2);
      const [opened, ...later] = said;
      expect(opened![0]).toBe(truth.createdAt);
      expect(later.at(-1)![1]).toBe(truth.assignees[0]!.name);
      expect(later.at(-1)![1]).not.toBe(opened![1]);

      const events = journal.query({ incidentId: id! });
      const created = events.find((e) => e.kind === 'incident.created') as
        Extract<JournalEvent, { kind: 'incident.created' }> | undefined;
      expect(created?.payload.assignees).toEqual([opened![1]]);
      // Every assignment the journal holds is one the pager made, at that time: none invented, none misdated.
      const assigned = events.flatMap((e): [number, string][] =>
        e.kind === 'incident.reassigned'
          ? e.payload.to.map((n): [number, string] => [e.at, n])
          : e.kind === 'incident.escalated' && e.payload.to
            ? e.payload.to.map((n): [number, string] => [e.at, n])
            : [],
      );
      for (const a of assigned) expect(said, `journal: ${a[1]} at ${new Date(a[0]).toISOString()}`).toContainEqual(a);
      // The escalation's assignee is recorded, and the journal's record ends where the pager does.
      expect(assigned.map((a) => a[1])).toContain(truth.assignees[0]!.name);
      expect(journal.incident(id!)?.assignees).toEqual(truth.assignees.map((p) => p.name));
    } finally {
      journal.close();
    }
  }, 60_000);
});
