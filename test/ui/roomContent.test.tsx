/**
 * The room's content as drawn: one mark per outcome (a failed action never beside ✓), the parameter
 * question with what, why, now and the suggestion, refusing a stray `y` as it is typed, the English
 * screen without the runbook's Japanese, and incidents opened since the room, announced.
 */
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { RoomView as Room } from '../../src/core/live/room.js';
import type { Incident } from '../../src/core/model.js';
import type { ParamPrompt } from '../../src/core/runbooks/paramPrompt.js';
import type { StepView } from '../../src/core/runbooks/progress.js';
import { createTheme } from '../../src/ui/theme.js';
import { RoomView } from '../../src/ui/views/RoomView.js';
import { loadRunbooks } from '../../src/core/runbooks/load.js';
import type { DecisionStep, NoteStep } from '../../src/core/runbooks/schema.js';
import type { Pending } from '../../src/core/runbooks/responder.js';

const incident: Incident = {
  id: 'PDISK',
  number: 7,
  title: 'ALARM: vitascope-db-storage-critical',
  status: 'acknowledged',
  urgency: 'high',
  priority: 'P3',
  service: { id: 'PSVCDB', name: 'Vitascope DB' },
  createdAt: 0,
  assignees: [],
  escalationLevel: 1,
  escalatedAt: 0,
  alarmNames: ['vitascope-db-storage-critical'],
};

const step = (over: Partial<StepView> & Pick<StepView, 'id' | 'title' | 'kind' | 'phase'>): StepView => ({
  index: 0,
  status: 'done',
  ...over,
});

const prompt: ParamPrompt = {
  kind: 'param',
  name: 'allocatedGiB',
  stepId: 'grow',
  stepTitle: 'Grow the allocated storage',
  about: 'the new allocated storage of the database, in GiB (it can only grow)',
  why: "The step “Grow the allocated storage” needs it to grow the RDS instance's storage.",
  current: 'vitascope-db has 400 GiB allocated, 91 % used',
  suggested: { value: '800', from: 'double the current allocation' },
  field: { action: 'rds.grow-storage', name: 'allocatedGiB' },
  above: 400,
};

function room(steps: StepView[], pending?: Pending): Room {
  return {
    id: 'PDISK',
    incident,
    runbook: { id: 'disk-utilization', title: 'Database storage filling up (ディスク使用率)', priority: 'P2' },
    runner: {
      runbookId: 'disk-utilization',
      incidentId: 'PDISK',
      status: pending ? 'waiting-for-responder' : 'running',
      phase: 'resolve',
      current: 'grow',
      steps,
      incomplete: [],
      ...(pending ? { pending } : {}),
    },
    ...(pending ? { pending } : {}),
    openedAt: 1_000,
    running: true,
  };
}

/** The room as drawn with nothing typed, at `width` × 48. */
function drawRoom(view: Room, width: number): string {
  return render(
    <RoomView
      room={view}
      input={{ text: '' }}
      readonly={false}
      now={2_000}
      width={width}
      height={48}
      theme={createTheme(false)}
    />,
  ).lastFrame()!;
}

const steps: StepView[] = [
  step({
    id: 'ack',
    title: 'Acknowledge the incident',
    kind: 'action',
    phase: 'detect',
    output: 'verified: acknowledged',
  }),
  step({
    id: 'still',
    title: 'The alarm is still in ALARM',
    kind: 'check',
    phase: 'detect',
    result: 'pass',
    output: 'pass: alarm is ALARM',
  }),
  step({
    id: 'remedy',
    title: 'What brings usage down?',
    kind: 'decision',
    phase: 'resolve',
    chose: 'grow',
    choseLabel: 'Grow the volume',
    output: "chose grow: Grow the volume (suggested: the runbook's usual answer)",
  }),
  step({
    id: 'grow',
    title: 'Grow the allocated storage',
    kind: 'action',
    phase: 'resolve',
    output: 'failed (plan): the value given for allocatedGiB: a number is needed',
  }),
  step({
    id: 'gateway',
    title: 'The wearables gateway is up',
    kind: 'check',
    phase: 'resolve',
    result: 'fail',
    output: 'fail: alarm is ALARM',
  }),
];

describe('the room as drawn', () => {
  it('marks every step by its outcome: never ✓ beside a failure, no option ids, no Japanese on the English screen', () => {
    const frame = drawRoom(room(steps), 120);
    expect(frame).toMatch(/✗ failed +Grow the allocated storage — at the plan: the value given for allocatedGiB/);
    expect(frame).toMatch(/✗ failed +The wearables gateway is up/);
    for (const line of frame.split('\n')) if (/fail/.test(line)) expect(line).not.toContain('✓');
    expect(frame).toMatch(/• done +What brings usage down\? — Grow the volume/);
    expect(frame).not.toMatch(/chose grow/);
    expect(frame).not.toMatch(/ディスク/);
    expect(frame).toContain('Database storage filling up');
  });

  it('asks for a value with what it is, why, the value now and the suggestion; a stray y is refused as it is typed', () => {
    const draw = (text: string) =>
      render(
        <RoomView
          room={room(steps, prompt)}
          input={{ text }}
          readonly={false}
          now={2_000}
          width={120}
          height={48}
          theme={createTheme(false)}
        />,
      ).lastFrame()!;
    const empty = draw('');
    expect(empty).toContain('Give the new allocated storage of the database, in GiB');
    expect(empty).toContain('Now: vitascope-db has 400 GiB allocated, 91 % used');
    expect(empty).toContain('Suggested: 800 — double the current allocation');
    expect(empty).toContain('⏎ on an empty line takes 800');
    expect(empty).not.toMatch(/A value for/);
    expect(draw('y')).toMatch(/✗ a number is needed/);
    expect(draw('300')).toMatch(/✗ more than 400 is needed/);
    expect(draw('900')).not.toMatch(/✗ (a number|more than|at least)/);
  });

  it("announces incidents opened since the room opened and the incident's priority change", () => {
    const other: Incident = {
      ...incident,
      id: 'PAPI',
      number: 8,
      title: 'ALARM: vitascope-db-storage-warning',
      createdAt: 1_500,
      priority: 'P2',
    };
    const frame = render(
      <RoomView
        room={room(steps)}
        incidents={[{ ...incident, priority: 'P2' }, other]}
        input={{ text: '' }}
        readonly={false}
        now={61_500}
        width={140}
        height={48}
        theme={createTheme(false)}
      />,
    ).lastFrame()!;
    expect(frame).toContain('! priority changed: P3 → P2');
    expect(frame).toContain('Opened since this room opened (1):');
    expect(frame).toMatch(/P2 acknowledged #8 ALARM: vitascope-db-storage-warning — 1m ago, same alarm family/);
  });
});

describe('a runbook text of several lines', () => {
  const shipped = loadRunbooks({ dirs: [] }).runbooks.map((r) => r.runbook);
  const stepOf = <T,>(runbook: string, id: string) =>
    Object.values(shipped.find((r) => r.id === runbook)!.phases)
      .flat()
      .find((s) => s.id === id) as T;
  const draw = (pending: Pending) =>
    render(
      <RoomView
        room={room(steps, pending)}
        input={{ text: '' }}
        readonly={false}
        now={2_000}
        width={200}
        height={60}
        theme={createTheme(false)}
      />,
    ).lastFrame()!;

  it('shows the line breaks of a note and a decision as line breaks, never ␊: each line of the runbook on a line of its own', () => {
    const note = stepOf<NoteStep>('rds-connections', 'who-holds');
    const decision = stepOf<DecisionStep>('cpu-utilization', 'severity');
    const cases: [Pending, string][] = [
      [{ kind: 'note', stepId: note.id, step: note }, note.description!],
      [
        {
          kind: 'decision',
          stepId: decision.id,
          step: decision,
          suggestion: { option: decision.options[0]!, rule: 'first', reason: 'the first option' },
        },
        decision.description!,
      ],
    ];
    for (const [pending, description] of cases) {
      const lines = description.trim().split('\n');
      expect(lines.length).toBeGreaterThan(1);
      const frame = draw(pending);
      expect(frame).not.toContain('␊');
      // The SQL (or any line of the runbook's text) starts a line of the screen (long ones wrap in the box).
      const shown = frame.split('\n').map((l) => l.replace(/^[\s│]+|[\s│]+$/g, ''));
      for (const line of lines.map((l) => l.trim()).filter(Boolean))
        expect(shown.some((l) => l.startsWith(line.slice(0, 40)))).toBe(true);
    }
  });
});

describe('a room on a grouped alarm', () => {
  it("says which alarm's runbook it works when that alarm did not open the incident", () => {
    const grouped = { ...incident, alarmNames: ['vitascope-db-storage-critical', 'vitascope-db-connections-warning'] };
    const view = {
      ...room(steps),
      incident: grouped,
      alarm: { name: 'vitascope-db-connections-warning' },
    } as unknown as Room;
    const frame = drawRoom(view, 160);
    expect(frame).toContain(
      // ink-testing-library draws 100 columns: the line is cut at its end.
      'for alarm vitascope-db-connections-warning, grouped into this incident, which vitascope-db-storage-',
    );
    const own = { ...room(steps), alarm: { name: 'vitascope-db-storage-critical' } } as unknown as Room;
    expect(drawRoom(own, 160)).not.toContain('grouped into this incident');
  });
});

describe('a room on an alarm that paged nobody', () => {
  it('names no internal id in its title: the local incident is said as such', () => {
    const local = {
      ...room(steps),
      incident: { ...incident, id: 'local-vitascope-api-high-cpu-critical-1796430352774' },
    };
    delete (local.incident as { number?: number }).number;
    const frame = drawRoom(local, 120);
    expect(frame).toContain('(no incident: an alarm that paged nobody)');
    expect(frame).not.toContain('local-vitascope');
  });
});
