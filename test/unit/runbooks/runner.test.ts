/**
 * The runbook runner on the sandbox: the walk through the five phases with every step kind, `when`
 * skips, decisions (the suggestion rule, gotos that jump), the journal it writes, resuming from the
 * journal after a stop (a new process: the file opened again), and the API a UI drives (snapshot,
 * pending questions answered through createPromptResponder, command output streaming).
 */
import { describe, expect, it } from 'vitest';
import { simulatedClock } from '../../../src/core/actions/clock.js';
import type { Incident } from '../../../src/core/model.js';
import type { JournalEvent, Who } from '../../../src/core/journal/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { suggestOption } from '../../../src/core/runbooks/decide.js';
import { lintFile } from '../../../src/core/runbooks/lint.js';
import { parseRunbookText } from '../../../src/core/runbooks/load.js';
import type { RunnerEvent } from '../../../src/core/runbooks/progress.js';
import { createPromptResponder, drillResponder, DRILL_NOTE_PLACEHOLDER } from '../../../src/core/runbooks/responder.js';
import { createRunner, RoomHeldError, type RunnerOptions } from '../../../src/core/runbooks/runner.js';
import { holderAlive } from '../../../src/core/journal/index.js';
import os from 'node:os';
import type { DecisionStep, Runbook } from '../../../src/core/runbooks/schema.js';
import { createSandbox, type Sandbox } from '../../../src/sources/sandbox/sandbox.js';
import { reopen, tempDir, tempJournal } from '../journal/helpers.js';

const MIN = 60_000;
const me = { id: 'local', name: 'Aiko Tanaka' };
const who: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };

function runbook(text: string): Runbook {
  const linted = lintFile(parseRunbookText('test.yaml', text));
  expect(linted.errors).toEqual([]);
  return linted.runbook!;
}

const ROOM = runbook(`
id: test-room
title: Test room
priority: P1
matches: { rules: [rds-connections] }
params: { database: "{{alarm.dimensions.DBInstanceIdentifier}}" }
phases:
  detect:
    - { id: ack, kind: action, title: Acknowledge, action: pagerduty.acknowledge }
    - { id: firing, kind: check, title: Still firing, alarm: "{{alarm.name}}", state: ALARM }
    - { id: dashboard, kind: link, title: Dashboard, url: "https://grafana.example.com/d/db?var-db={{params.database}}" }
  triage:
    - { id: connections, kind: query, title: Connections, metric: { namespace: AWS/RDS, name: DatabaseConnections, dimensions: { DBInstanceIdentifier: "{{params.database}}" }, statistic: Maximum }, range: 1h }
    - { id: impact, kind: note, title: Impact, required: true, section: impact }
    - id: severity
      kind: decision
      title: Severity
      options:
        - { id: p1, label: "P1: escalate", goto: escalate, when: { step: firing, result: fail } }
        - { id: p2, label: "P2: handle it", goto: investigate, default: true }
    - { id: escalate, kind: action, title: Escalate, when: { step: severity, chose: p1 }, action: pagerduty.escalate, with: { level: 2 } }
  investigate:
    - { id: worker-only, kind: note, title: Worker only, when: { var: alarm.rule, is: memory-utilization } }
    - { id: findings, kind: note, title: Findings }
  resolve:
    - { id: reboot, kind: action, title: Reboot, action: rds.reboot, with: { database: "{{params.database}}" } }
    - { id: recovered, kind: check, title: Back to OK, alarm: "{{alarm.name}}", state: OK, wait: 15m }
  postmortem:
    - { id: timeline, kind: note, title: Timeline, required: true, section: timeline }
`);

async function dbIncident(minutes = 30): Promise<{ sb: Sandbox; incident: Incident; alarm: NonNullable<RunnerOptions['alarm']> }> {
  const sb = createSandbox({ seed: 1, scenario: 'db-connections', speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: me, frozen: true });
  sb.advance(minutes * MIN);
  const [incident] = await sb.incidents!.listIncidents();
  const alarm = (await sb.alarms!.listAlarms()).find((a) => a.name === 'vitascope-db-connections-warning')!;
  return { sb, incident: incident!, alarm };
}

function options(sb: Sandbox, incident: Incident, alarm: RunnerOptions['alarm'], journal: RunnerOptions['journal'], over: Partial<RunnerOptions> = {}): RunnerOptions {
  return {
    runbook: ROOM,
    incident,
    alarm,
    sources: sb,
    journal,
    journalIncidentId: 'room-1',
    actor: me,
    who,
    clock: simulatedClock(sb),
    responder: drillResponder({ yes: true }),
    stepTimeMs: 10_000,
    ...over,
  };
}

const stepEvents = (events: JournalEvent[]) =>
  events.filter((e) => e.kind.startsWith('step.') || e.kind === 'phase.entered').map((e) => {
    const p = e.payload as { stepId?: string; phase?: string };
    return `${e.kind} ${p.stepId ?? p.phase}`;
  });

describe('the runner', () => {
  it('walks the five phases, runs every step kind, skips by `when` and by a decision\'s jump, journals it all', async () => {
    const { sb, incident, alarm } = await dbIncident();
    const journal = tempJournal({ now: () => sb.now() });
    const runner = createRunner(options(sb, incident, alarm, journal));
    const result = await runner.run();
    expect(result).toMatchObject({ status: 'completed', incomplete: [] });
    const events = journal.query({ incidentId: 'room-1' });
    expect(stepEvents(events)).toEqual([
      'phase.entered detect',
      'step.started ack',
      'step.done ack',
      'step.started firing',
      'step.done firing',
      'step.started dashboard',
      'step.done dashboard',
      'phase.entered triage',
      'step.started connections',
      'step.done connections',
      'step.started impact',
      'step.done impact',
      'step.started severity',
      'step.done severity',
      'step.skipped escalate',
      'phase.entered investigate',
      'step.skipped worker-only',
      'step.started findings',
      'step.done findings',
      'phase.entered resolve',
      'step.started reboot',
      'step.done reboot',
      'step.started recovered',
      'step.done recovered',
      'phase.entered postmortem',
      'step.started timeline',
      'step.done timeline',
    ]);
    const snap = runner.snapshot();
    const view = (id: string) => snap.steps.find((s) => s.id === id)!;
    expect(view('firing')).toMatchObject({ status: 'done', result: 'pass', output: expect.stringMatching(/^pass: alarm vitascope-db-connections-warning is ALARM \([\d.]+ percent\)$/) });
    expect(view('dashboard').output).toBe('https://grafana.example.com/d/db?var-db=vitascope-db');
    expect(view('connections').output).toMatch(/^AWS\/RDS DatabaseConnections \(vitascope-db\) Maximum: now \d+/);
    expect(view('connections').points!.length).toBeGreaterThan(30);
    // The suggestion and the skips are said in the runbook's words and the live facts, never by ids.
    expect(view('severity')).toMatchObject({ chose: 'p2', choseLabel: 'P2: handle it', outcome: 'done' });
    expect(view('severity').output).toMatch(/^chose p2: P2: handle it \(suggested: the runbook's usual answer/);
    expect(view('severity').output).not.toMatch(/no option's condition holds/);
    expect(view('escalate')).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/^you chose “P2: handle it” at “/) });
    expect(view('worker-only')).toMatchObject({ status: 'skipped', reason: "not needed: it is for when the alarm's rule is memory-utilization; the alarm's rule is rds-connections" });
    expect(view('reboot').action).toMatchObject({ status: 'verified', plan: { action: 'rds.reboot', target: 'vitascope-db', verify: { alarm: 'vitascope-db-connections-warning', timeoutMs: 20 * MIN } } });
    expect(view('recovered')).toMatchObject({ result: 'pass' });
    expect(view('impact').output).toBe(`${DRILL_NOTE_PLACEHOLDER} Impact`);
    // Notes are journaled as notes; the reboot as planned → confirmed → applied → verified with evidence.
    expect(events.filter((e) => e.kind === 'note').map((e) => (e.payload as { text: string }).text)).toEqual([`${DRILL_NOTE_PLACEHOLDER} Impact`, `${DRILL_NOTE_PLACEHOLDER} Findings`, `${DRILL_NOTE_PLACEHOLDER} Timeline`]);
    // Each note names its step and, where the runbook gives one, its postmortem section.
    expect(events.filter((e) => e.kind === 'note').map((e) => (e.payload as { step?: unknown }).step)).toEqual([
      { runbookId: 'test-room', stepId: 'impact', section: 'impact' },
      { runbookId: 'test-room', stepId: 'findings' },
      { runbookId: 'test-room', stepId: 'timeline', section: 'timeline' },
    ]);
    const reboot = events.filter((e) => e.kind.startsWith('action.') && (e.payload as { actionId: string }).actionId === 'rds.reboot');
    expect(reboot.map((e) => e.kind)).toEqual(['action.planned', 'action.confirmed', 'action.applied', 'action.verified']);
    expect((reboot[3]!.payload as { output: string }).output).toMatch(/alarm vitascope-db-connections-warning OK: before ALARM \([\d.]+ percent\), after OK \([\d.]+ percent\), \d+m after the change/);
    // The incident's own record: acknowledged by the runbook's first step.
    expect(events.some((e) => e.kind === 'incident.acknowledged')).toBe(true);
    expect(journal.incidentState('room-1')).toMatchObject({ phase: 'postmortem' });
  });

  it('resumes where the journal says after a stop, in a new process, with decisions restored', async () => {
    const { sb, incident, alarm } = await dbIncident();
    const file = `${tempDir()}/journal.db`;
    const first = tempJournal({ now: () => sb.now() }, file);
    const prompts = createPromptResponder();
    const runner = createRunner(options(sb, incident, alarm, first, { responder: prompts }));
    const seen: string[] = [];
    prompts.subscribe((p) => {
      if (!p) return;
      seen.push(`${p.kind} ${'stepId' in p ? p.stepId : p.name}`);
      if (p.kind === 'confirm') prompts.answer({ answer: 'confirm' });
      else if (p.kind === 'note') prompts.answer('the API fails with connection errors');
      else if (p.kind === 'decision') {
        expect(p.suggestion.option.id).toBe('p2');
        // The responder overrides the suggestion, then leaves the room.
        runner.stop();
        prompts.answer('p1');
      }
    });
    const stopped = await runner.run();
    expect(stopped.status).toBe('stopped');
    expect(seen).toEqual(['confirm ack', 'note impact', 'decision severity']);
    first.close();

    // Another process opens the same journal: the walk continues after the decision, with p1 chosen.
    const again = reopen(file, { now: () => sb.now() });
    const resumed = createRunner(options(sb, incident, alarm, again));
    expect(resumed.snapshot().steps.every((s) => s.status === 'pending')).toBe(true);
    const result = await resumed.run();
    expect(result.status).toBe('completed');
    const events = stepEvents(again.query({ incidentId: 'room-1' }));
    expect(events.filter((e) => e === 'step.done ack')).toHaveLength(1);
    expect(events.filter((e) => e === 'phase.entered triage')).toHaveLength(1);
    expect(events.slice(events.indexOf('step.done severity'))).toEqual([
      'step.done severity',
      'step.started escalate',
      'step.done escalate',
      'phase.entered investigate',
      'step.skipped worker-only',
      'step.started findings',
      'step.done findings',
      'phase.entered resolve',
      'step.started reboot',
      'step.done reboot',
      'step.started recovered',
      'step.done recovered',
      'phase.entered postmortem',
      'step.started timeline',
      'step.done timeline',
    ]);
    expect(resumed.snapshot().steps.find((s) => s.id === 'severity')).toMatchObject({ chose: 'p1' });
    expect((await sb.incidents!.getIncident(incident.id))!.escalationLevel).toBe(2);
  });

  it('exposes what a UI needs: the pending confirmation with its plan, progress events, the wait', async () => {
    const { sb, incident, alarm } = await dbIncident();
    const journal = tempJournal({ now: () => sb.now() });
    const prompts = createPromptResponder();
    const runner = createRunner(options(sb, incident, alarm, journal, { responder: prompts, stepTimeMs: 0 }));
    const events: RunnerEvent[] = [];
    let confirmSnapshot: ReturnType<typeof runner.snapshot> | undefined;
    runner.subscribe((e, snap) => {
      events.push(e);
      if (e.type === 'pending' && e.pending?.kind === 'confirm' && e.pending.stepId === 'reboot') confirmSnapshot = snap;
    });
    prompts.subscribe((p) => {
      if (p?.kind === 'confirm') prompts.answer({ answer: 'confirm' });
      else if (p?.kind === 'note') prompts.answer(undefined);
      else if (p?.kind === 'decision') prompts.answer(p.suggestion.option.id);
    });
    const result = await runner.run();
    expect(confirmSnapshot).toMatchObject({
      status: 'waiting-for-responder',
      phase: 'resolve',
      current: 'reboot',
      pending: { kind: 'confirm', stepId: 'reboot', prepared: { confirmation: { kind: 'yes' }, plan: { summary: 'vitascope-db: reboot (postgres, db.r6g.large, Multi-AZ)' } } },
    });
    expect(events.filter((e) => e.type === 'phase').map((e) => (e as { phase: string }).phase)).toEqual(['detect', 'triage', 'investigate', 'resolve', 'postmortem']);
    expect(events.some((e) => e.type === 'waiting' && e.stepId === 'reboot' && e.what === 'verifying: Reboot the RDS instance (vitascope-db)')).toBe(true);
    expect(events.filter((e) => e.type === 'action' && e.stepId === 'reboot').map((e) => (e as { status: string }).status)).toEqual(['planned', 'applying', 'verifying', 'verified']);
    // Required notes left unwritten are reported, not invented.
    expect(result.incomplete).toEqual(['impact', 'timeline']);
    expect(runner.snapshot().incomplete).toEqual(['impact', 'timeline']);
  });

  it('without confirmation every action is a dry run; read-only too', async () => {
    const { sb, incident, alarm } = await dbIncident();
    const journal = tempJournal({ now: () => sb.now() });
    const result = await createRunner(options(sb, incident, alarm, journal, { responder: drillResponder({ yes: false }), dryRun: true })).run();
    expect(result.actions.map((a) => [a.stepId, a.outcome.status])).toEqual([
      ['ack', 'dry-run'],
      ['reboot', 'dry-run'],
    ]);
    expect((await sb.databases!.listDatabases())[0]!.status).toBe('available');
    const ro = tempJournal({ now: () => sb.now() });
    const readonly = await createRunner(options(sb, incident, alarm, ro, { readonly: true, journalIncidentId: 'room-2' })).run();
    expect(readonly.actions.every((a) => a.outcome.status === 'dry-run')).toBe(true);
  });

  it('a command step streams its output; incident data stays one literal argument', async () => {
    const { sb, incident, alarm } = await dbIncident();
    const hostile = '$(touch /tmp/vo-x); echo "a" | b && `id` ; \u001b[31m';
    const rb = runbook(`
id: cmd
title: Command
priority: P3
matches: { rules: [rds-connections] }
phases:
  investigate:
    - id: show
      kind: command
      title: Show the title
      command: ["${process.execPath}", "-e", "console.log(JSON.stringify(process.argv.slice(1)))", "title:", "{{incident.title}}"]
      timeout: 10s
`);
    const journal = tempJournal({ now: () => sb.now() });
    const runner = createRunner(options(sb, { ...incident, title: hostile }, alarm, journal, { runbook: rb }));
    const chunks: string[] = [];
    runner.subscribe((e) => {
      if (e.type === 'output') chunks.push(e.chunk);
    });
    await runner.run();
    const printed = chunks.join('');
    expect(JSON.parse(printed.replace('␛', '\u001b'))).toEqual(['title:', hostile]);
    expect(printed).not.toContain('\u001b');
    expect(runner.snapshot().output).toEqual({ stepId: 'show', text: printed });
    expect(runner.snapshot().steps[0]!.output).toBe(`verified: ${printed}`);
  });

  it('a check with `wait` polls until it passes, advancing simulated time', async () => {
    const sb = createSandbox({ seed: 1, scenario: 'latency-regression', speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: me, frozen: true });
    sb.advance(3 * MIN);
    const rb = runbook(`
id: wait
title: Wait
priority: P3
matches: { rules: [api-latency-p95] }
phases:
  detect:
    - { id: slow, kind: check, title: Latency alarm fires, alarm: vitascope-api-high-latency-critical, state: ALARM, wait: 30m }
    - { id: never, kind: check, title: Never, alarm: vitascope-api-high-cpu-critical, state: ALARM, wait: 5m }
`);
    const journal = tempJournal({ now: () => sb.now() });
    const runner = createRunner({ ...options(sb, undefined as never, undefined, journal, { runbook: rb, stepTimeMs: 0 }), incident: undefined });
    const start = sb.now();
    await runner.run();
    const [slow, never] = runner.snapshot().steps;
    expect(slow).toMatchObject({ result: 'pass', output: expect.stringMatching(/^pass: alarm vitascope-api-high-latency-critical is ALARM .* \(after \d+m\)$/) });
    expect(never).toMatchObject({ result: 'fail', output: expect.stringMatching(/\(waited 5m\)$/) });
    expect(sb.now() - start).toBeGreaterThanOrEqual(12 * MIN);
  });
});

describe('the decision rule', () => {
  const step = (options: DecisionStep['options']): DecisionStep => ({ id: 'd', kind: 'decision', title: 'Which?', options });
  it('the first option whose condition holds, else the default, else the first; unknown outcomes do not hold', () => {
    const options: DecisionStep['options'] = [
      { id: 'rollback', label: 'roll back', goto: 'resolve', when: { step: 'recent-deploy', result: 'fail' } },
      { id: 'block', label: 'block', goto: 'resolve', when: { var: 'params.address', is: '*' } },
      { id: 'wait', label: 'wait', goto: 'resolve', default: true },
    ];
    expect(suggestOption(step(options), {}, new Map([['recent-deploy', { result: 'fail' }]]))).toMatchObject({ option: { id: 'rollback' }, rule: 'when', reason: '“recent-deploy” failed' });
    // With the room's facts: the check by its title and what it found; a default says why the others do not apply.
    const facts = (id: string) => (id === 'recent-deploy' ? { title: 'No deployment in the last 6 hours', detail: 'vitascope-api:43 deployed 12 min ago' } : undefined);
    expect(suggestOption(step(options), {}, new Map([['recent-deploy', { result: 'fail' }]]), facts).reason).toBe('“No deployment in the last 6 hours” failed (vitascope-api:43 deployed 12 min ago)');
    expect(suggestOption(step(options), {}, new Map([['recent-deploy', { result: 'pass' }]]), facts).reason).toBe(
      "the runbook's usual answer; not “roll back”: “No deployment in the last 6 hours” passed (vitascope-api:43 deployed 12 min ago); not “block”: the address is not known yet",
    );
    expect(suggestOption(step(options), { 'params.address': '203.0.113.7' }, new Map([['recent-deploy', { result: 'pass' }]]))).toMatchObject({ option: { id: 'block' }, rule: 'when' });
    expect(suggestOption(step(options), {}, new Map())).toMatchObject({ option: { id: 'wait' }, rule: 'default' });
    expect(suggestOption(step([options[0]!, { id: 'other', label: 'other', goto: 'resolve' }]), {}, new Map())).toMatchObject({ option: { id: 'rollback' }, rule: 'first' });
  });
});

describe('the room lease: one live process runs a room', () => {
  it('a second runner on the same room is refused, saying who holds it, and records nothing; it runs once the first lets go', async () => {
    const { sb, incident, alarm } = await dbIncident();
    const file = `${tempDir()}/journal.db`;
    const journal = tempJournal({ now: () => sb.now() }, file);
    const prompts = createPromptResponder();
    const first = createRunner(options(sb, incident, alarm, journal, { responder: prompts }));
    const asked = new Promise<void>((resolve) => prompts.subscribe((p) => p && resolve()));
    const running = first.run();
    await asked; // the first runner holds the room and waits for its responder
    const other = reopen(file, { now: () => sb.now() });
    const before = other.query({ incidentId: 'room-1' }).length;
    const second = createRunner(options(sb, incident, alarm, other));
    const refused = await second.run().then(
      () => undefined,
      (e: unknown) => e as RoomHeldError,
    );
    expect(refused).toBeInstanceOf(RoomHeldError);
    expect(refused!.heldBy).toMatchObject({ pid: process.pid, user: 'Aiko Tanaka', host: os.hostname() });
    expect(second.snapshot().status).toBe('idle');
    expect(other.query({ incidentId: 'room-1' })).toHaveLength(before);
    expect(other.lease('room-1')).toMatchObject({ pid: process.pid });

    first.stop();
    prompts.answer({ answer: 'decline' });
    await running;
    expect(other.lease('room-1')).toBeUndefined();
    expect((await second.run()).status).toBe('completed');
  });

  it('takes a lease atomically, renews and releases it; an expired or dead holder\'s lease is taken over', () => {
    const journal = tempJournal();
    const a = { token: 'a', pid: process.pid, host: os.hostname(), user: 'aiko' };
    const b = { token: 'b', pid: process.pid, host: os.hostname(), user: 'ben' };
    expect(journal.takeLease('r', a, 1000, 0)).toMatchObject({ ok: true, lease: { since: 0, expiresAt: 1000 } });
    expect(journal.takeLease('r', b, 1000, 500)).toMatchObject({ ok: false, heldBy: { token: 'a', user: 'aiko' } });
    expect(journal.renewLease('r', 'a', 1000, 900)).toBe(true);
    expect(journal.takeLease('r', b, 1000, 1500)).toMatchObject({ ok: false });
    // Expired: taken over; the old holder cannot renew it any more.
    expect(journal.takeLease('r', b, 1000, 2000)).toMatchObject({ ok: true, lease: { token: 'b', since: 2000 } });
    expect(journal.renewLease('r', 'a', 1000, 2100)).toBe(false);
    journal.releaseLease('r', 'a'); // not a's any more: nothing happens
    expect(journal.lease('r', 2100)).toMatchObject({ token: 'b' });
    journal.releaseLease('r', 'b');
    expect(journal.lease('r', 2100)).toBeUndefined();
    // A holder on this machine whose process is gone loses it at once; one on another machine at expiry.
    const dead = { ...a, token: 'dead', pid: 2 ** 22 + 12345 };
    expect(holderAlive(dead)).toBe(false);
    expect(journal.takeLease('r', dead, 60_000, 3000)).toMatchObject({ ok: true });
    expect(journal.takeLease('r', b, 1000, 3001)).toMatchObject({ ok: true });
    const far = { ...a, token: 'far', host: 'elsewhere', pid: 1 };
    journal.releaseLease('r', 'b');
    expect(journal.takeLease('r', far, 60_000, 4000)).toMatchObject({ ok: true });
    expect(journal.takeLease('r', b, 1000, 5000)).toMatchObject({ ok: false, heldBy: { host: 'elsewhere' } });
  });
});
