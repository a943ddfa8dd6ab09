import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openJournal } from '../../src/core/journal/index.js';
import { KEYS, renderCockpit, sandboxAt } from '../harness/ink.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

async function open(scenario: string, minutes: number, options: { readonly?: boolean; journalFile?: string } = {}) {
  const sources = sandboxAt(scenario, minutes);
  const ui = await renderCockpit(sources, options);
  cleanups.push(() => {
    ui.unmount();
    ui.live.stop();
    void ui.services.close();
  });
  return { ...ui, sources };
}

/** Answers the room's questions the way a responder would, until the predicate holds. */
async function work(
  ui: Pick<Awaited<ReturnType<typeof open>>, 'frame' | 'press'>,
  until: (f: string) => boolean,
  notes: string[] = [],
): Promise<string> {
  // Generous: a loaded machine renders slowly; the predicate, not the count, is what is tested.
  for (let i = 0; i < 120; i++) {
    const f = ui.frame();
    if (until(f)) return f;
    if (/Apply to .*\? y apply/.test(f)) await ui.press('y');
    else if (f.includes('⏎ take it')) await ui.press(KEYS.enter);
    else if (f.includes('⏎ record it')) {
      await ui.press(notes.shift() ?? 'seen and handled');
      await ui.press(KEYS.enter);
    }
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`the room did not get there:\n${ui.frame()}`);
}

describe('the incident room', () => {
  it('walks the database runbook: acknowledge, notes, decision, reboot, verification, into the postmortem', async () => {
    const ui = await open('db-connections', 30);
    await ui.press('4');
    await ui.wait((f) => f.includes('#1042'));
    await ui.press('r');
    await ui.wait((f) => f.includes('INCIDENT ROOM') && f.includes('runbook rds-connections'), 'the room');
    expect(ui.frame()).toMatch(/● detect {2}─ {2}○ triage/);
    await ui.wait(
      (f) => f.includes('Acknowledge the incident: PSB1001') && f.includes('status: triggered → acknowledged'),
      'the acknowledgement plan',
    );
    // Opening the room changed nothing: acknowledging is the responder's one key (y), not the room's.
    expect((await ui.sources.incidents!.getIncident('PSB1001'))!.status).toBe('triggered');
    expect(
      (await ui.services.journal()).query({ incidentId: 'PSB1001', kinds: ['action.applied', 'action.confirmed'] }),
    ).toEqual([]);
    const f = await work(ui, (x) => x.includes('● postmortem'), [
      'errors 0.1 %, 350/400 connections, climbing since 10:03',
    ]);
    // Investigate's database CPU query has no data in the sandbox: the phase says so instead of a tick.
    expect(f).toMatch(/✓ detect {2}─ {2}✓ triage {2}─ {2}\? investigate {2}─ {2}✓ resolve/);
    const incident = await ui.sources.incidents!.getIncident('PSB1001');
    expect(incident!.acknowledgedAt).toBeDefined();
    expect((await ui.sources.databases!.listDatabases())[0]!.connections).toBeLessThan(200);
    const journal = await ui.services.journal();
    const kinds = journal.query({ incidentId: 'PSB1001' }).map((e) => e.kind);
    for (const k of [
      'incident.created',
      'phase.entered',
      'step.done',
      'action.planned',
      'action.confirmed',
      'action.applied',
      'action.verified',
      'note',
    ])
      expect(kinds, k).toContain(k);
    const verified = journal
      .query({ incidentId: 'PSB1001', kinds: ['action.verified'] })
      .map((e) => JSON.stringify(e.payload));
    expect(verified.some((p) => p.includes('rds.reboot'))).toBe(true);
  });

  it('leaving the room keeps it going; restarting the program resumes it from the journal', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-room-'));
    const journalFile = path.join(dir, 'journal-sandbox.db');
    const first = await open('db-connections', 30, { journalFile });
    await first.press('4');
    await first.wait((f) => f.includes('#1042'));
    await first.press('r');
    await first.wait((f) => f.includes('Acknowledge the incident: PSB1001'));
    await first.press('y');
    await first.wait((f) => f.includes('⏎ record it'), 'the first note');
    await first.press(KEYS.escape);
    await first.wait((f) => f.includes('INCIDENTS') && !f.includes('INCIDENT ROOM'));
    await first.press('r');
    await first.wait(
      (f) => f.includes('INCIDENT ROOM') && f.includes('⏎ record it'),
      'back in the same room, same question',
    );
    for (const c of cleanups) c();
    cleanups = [];
    await new Promise((r) => setTimeout(r, 50));

    const second = await open('db-connections', 30, { journalFile });
    await second.press('4');
    await second.wait((f) => f.includes('#1042'));
    await second.press('r');
    const resumed = await second.wait(
      (f) => f.includes('INCIDENT ROOM') && f.includes('⏎ record it'),
      'resumed at the note',
    );
    expect(resumed).toMatch(/✓ detect/);
    expect(resumed).not.toContain('Acknowledge the incident: PSB1001');
    const journal = openJournal(journalFile);
    try {
      expect(journal.query({ incidentId: 'PSB1001', kinds: ['action.applied'] })).toHaveLength(1);
    } finally {
      journal.close();
    }
  });

  it('a room another live process runs is not run here: it says who holds it, runs nothing, and takes over when it is let go', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-room-'));
    const journalFile = path.join(dir, 'journal-sandbox.db');
    const other = openJournal(journalFile);
    // Another cockpit (a live process on this machine: this test's parent) holds the room.
    const holder = { token: 'other-cockpit', pid: process.ppid, host: os.hostname(), user: 'ben' };
    expect(other.takeLease('PSB1001', holder, 60_000)).toMatchObject({ ok: true });
    try {
      const ui = await open('db-connections', 30, { journalFile });
      await ui.press('4');
      await ui.wait((f) => f.includes('#1042'));
      await ui.press('r');
      const held = await ui.wait(
        (f) => f.includes('INCIDENT ROOM') && f.includes('held by'),
        'the room, held elsewhere',
      );
      expect(held).toMatch(
        new RegExp(
          `held by ben@${os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} pid ${process.ppid} since \\d+s`,
        ),
      );
      expect(held).not.toContain('Acknowledge the incident: PSB1001');
      const journal = await ui.services.journal();
      expect(
        journal.query({ incidentId: 'PSB1001', kinds: ['phase.entered', 'step.started', 'action.planned'] }),
      ).toEqual([]);
      // The other cockpit lets go: within the retry interval this one runs the room.
      other.releaseLease('PSB1001', holder.token);
      await ui.wait((f) => f.includes('Acknowledge the incident: PSB1001'), 'taken over', 10_000);
      expect(journal.lease('PSB1001')).toMatchObject({ pid: process.pid });
    } finally {
      other.close();
    }
  });

  it("a dangerous action against production needs the target's name typed", async () => {
    const base = sandboxAt('db-connections', 30);
    const production = {
      ...base,
      environment: { ...base.environment, kind: 'aws' as const, label: 'vitascope-prod', production: true },
    };
    const ui = await renderCockpit(production);
    cleanups.push(() => (ui.unmount(), ui.live.stop(), void ui.services.close()));
    await ui.press('4');
    await ui.wait((f) => f.includes('#1042'));
    await ui.press('r');
    await ui.wait((f) => f.includes('INCIDENT ROOM'));
    const until = (f: string) => f.includes('Type vitascope-db and ⏎ to apply');
    await work(ui, until);
    await ui.wait(until, 'the typed confirmation for the reboot');
    expect(ui.frame()).toContain('(PRODUCTION)');
    await ui.press('y');
    await ui.press(KEYS.enter);
    await new Promise((r) => setTimeout(r, 50));
    expect((await base.databases!.listDatabases())[0]!.status).toBe('available');
    await ui.press(KEYS.backspace);
    await ui.press('vitascope-db');
    await ui.press(KEYS.enter);
    // The journal, not a frame that may already have moved on: the reboot was confirmed by the typed name.
    const journal = await ui.services.journal();
    const typed = () =>
      journal
        .query({ incidentId: 'PSB1001', kinds: ['action.confirmed'], actionIds: ['rds.reboot'] })
        .some((e) => (e.payload as { typedTarget?: boolean }).typedTarget === true);
    for (let i = 0; i < 200 && !typed(); i++) await new Promise((r) => setTimeout(r, 25));
    expect(typed()).toBe(true);
  });

  it('a typed confirmation never jams the room: t and n are letters of the name, Tab records a dry run (Esc declines)', async () => {
    const base = sandboxAt('db-connections', 30);
    const production = {
      ...base,
      environment: { ...base.environment, kind: 'aws' as const, label: 'vitascope-prod', production: true },
    };
    const ui = await renderCockpit(production);
    cleanups.push(() => (ui.unmount(), ui.live.stop(), void ui.services.close()));
    await ui.press('4');
    await ui.wait((f) => f.includes('#1042'));
    await ui.press('r');
    await ui.wait((f) => f.includes('INCIDENT ROOM'));
    const until = (f: string) => f.includes('Type vitascope-db and ⏎ to apply · Tab dry run · Esc decline');
    await work(ui, until);
    await ui.wait(until, 'the typed confirmation for the reboot');
    await ui.press('t');
    await ui.wait((f) => /> t \s*│/.test(f), 't is typed, not a dry run');
    await ui.press(KEYS.backspace);
    await ui.press('\t');
    await ui.wait((f) => !until(f), 'the question answered');
    const journal = await ui.services.journal();
    const reboot = journal
      .query({ incidentId: 'PSB1001', kinds: ['action.applied'], actionIds: ['rds.reboot'] })
      .map((e) => e.payload as { dryRun?: boolean });
    expect(reboot).toEqual([expect.objectContaining({ dryRun: true })]);
    expect((await base.databases!.listDatabases())[0]!.status).toBe('available');
  });

  it('read-only: the runbook runs, but its actions are only recorded as dry runs', async () => {
    const ui = await open('db-connections', 30, { readonly: true });
    await ui.press('4');
    await ui.wait((f) => f.includes('#1042'));
    await ui.press('r');
    await ui.wait((x) => x.includes('INCIDENT ROOM') && x.includes('⏎ record it'), 'past the acknowledgement');
    expect((await ui.sources.incidents!.getIncident('PSB1001'))!.status).toBe('triggered');
    const journal = await ui.services.journal();
    const applied = journal
      .query({ incidentId: 'PSB1001', kinds: ['action.applied'] })
      .map((e) => e.payload as { dryRun?: boolean; actionId: string });
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.every((a) => a.dryRun === true)).toBe(true);
  });

  it('opens from an alarm too, and the alarm detail names its runbook', async () => {
    const ui = await open('auth-bruteforce', 6);
    await ui.press('2');
    await ui.wait((f) => f.includes('ALARMS 31'));
    await ui.press(KEYS.enter);
    await ui.wait((f) => f.includes('runbook auth-failures — '), 'runbook line');
    await ui.press('r');
    await ui.wait((f) => f.includes('INCIDENT ROOM') && f.includes('runbook auth-failures'), 'room from the alarm');
  });
});

describe('the handoff screen', () => {
  it('shows the week, takes the outgoing note and the incoming acknowledgement, both journaled', async () => {
    const ui = await open('db-connections', 30);
    await ui.press('4');
    await ui.wait((f) => f.includes('#1042'));
    await ui.press('a');
    await ui.wait((f) => f.includes('Apply to PSB1001?'));
    await ui.press('y');
    await ui.wait((f) => f.includes('— verified'));
    await ui.press('6');
    const f = await ui.wait((x) => x.includes('HANDOFF') && x.includes('STILL OPEN'), 'the handoff');
    expect(f).toMatch(/1 incident · .* MTTA/);
    expect(f).toContain('NEXT WEEK');
    await ui.press('n');
    await ui.wait((x) => x.includes('Handoff note'));
    await ui.press('DB leak: reboot at 11');
    await ui.press(KEYS.enter);
    await ui.wait(
      (x) => x.includes('awaiting acknowledgement') && x.includes('DB leak: reboot at 11'),
      'the note, awaiting acknowledgement',
    );
    await ui.press('a');
    await ui.wait((x) => x.includes('Acknowledged 1 handoff note'));
    const journal = await ui.services.journal();
    const [h] = journal.handoffs();
    expect(h).toMatchObject({ text: 'DB leak: reboot at 11', from: { kind: 'local', name: 'Test Responder' } });
    expect(h!.acknowledged?.by.name).toBe('Test Responder');
  });
});
