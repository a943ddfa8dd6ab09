/**
 * The room's questions and marks, in core: parameters asked when a step needs them, with what they are,
 * the target's current value read from the sandbox and a suggestion, validated by the catalogue's schema;
 * marks that never put a tick beside a failure; retrying a failed step and writing a skipped note.
 * Facts are checked against the sandbox's own state (its storage), not against strings the room made.
 */
import { describe, expect, it } from 'vitest';
import { simulatedClock } from '../../../src/core/actions/clock.js';
import type { Alarm, Incident } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { lintFile, lintFiles } from '../../../src/core/runbooks/lint.js';
import { loadRunbooks, parseRunbookText, shippedRunbooksDir } from '../../../src/core/runbooks/load.js';
import { spokenName } from '../../../src/core/runbooks/conditionText.js';
import { MARKS, notesToWrite, phaseProgress, retryCandidate, stepOutcome } from '../../../src/core/runbooks/marks.js';
import { addressInAlarm, answerParam, paramPrompt, validateParam, type ParamPrompt } from '../../../src/core/runbooks/paramPrompt.js';
import type { StepView } from '../../../src/core/runbooks/progress.js';
import type { Responder } from '../../../src/core/runbooks/responder.js';
import { createRunner } from '../../../src/core/runbooks/runner.js';
import type { Runbook } from '../../../src/core/runbooks/schema.js';
import { createSandbox, type Sandbox } from '../../../src/sources/sandbox/sandbox.js';
import { tempJournal } from '../journal/helpers.js';

const MIN = 60_000;
const me = { id: 'local', name: 'Aiko Tanaka' };
const who = { kind: 'local' as const, id: 'aiko', name: 'Aiko Tanaka' };

function runbook(text: string): Runbook {
  const linted = lintFile(parseRunbookText('test.yaml', text));
  expect(linted.errors).toEqual([]);
  return linted.runbook!;
}

async function diskFill(): Promise<{ sb: Sandbox; incident: Incident; alarm: Alarm }> {
  const sb = createSandbox({ seed: 1, scenario: 'disk-fill', speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: me, frozen: true });
  for (let i = 0; i < 24 * 6; i++) {
    sb.advance(10 * MIN);
    if ((await sb.alarms!.listAlarms()).some((a) => a.ruleId === 'disk-utilization' && a.state === 'ALARM')) break;
  }
  const alarm = (await sb.alarms!.listAlarms()).find((a) => a.ruleId === 'disk-utilization' && a.state === 'ALARM')!;
  expect(alarm, 'the disk-fill scenario raises a disk alarm').toBeDefined();
  const [incident] = await sb.incidents!.listIncidents();
  return { sb, incident: incident!, alarm };
}

const GROW = runbook(`
id: grow-test
title: Grow test
priority: P2
matches: { rules: [disk-utilization] }
params: { database: "{{alarm.dimensions.DBInstanceIdentifier}}", allocatedGiB: null }
phases:
  detect:
    - { id: firing, kind: check, title: Still firing, alarm: "{{alarm.name}}", state: ALARM }
  resolve:
    - { id: grow, kind: action, title: Grow the storage, action: rds.grow-storage, with: { database: "{{params.database}}", allocatedGiB: "{{params.allocatedGiB}}" }, verify: false }
  postmortem:
    - { id: timeline, kind: note, title: Timeline, required: true, section: timeline }
`);

/** A responder that records the parameter prompts and answers them with `give(prompt)`. */
function asking(give: (p: ParamPrompt) => string | undefined): Responder & { prompts: ParamPrompt[] } {
  const prompts: ParamPrompt[] = [];
  return {
    prompts,
    async confirm(p) {
      const c = p.prepared.confirmation;
      return c.kind === 'typed' ? { answer: 'confirm', typed: c.text } : { answer: 'confirm' };
    },
    async decide(p) {
      return p.suggestion.option.id;
    },
    async note() {
      return undefined;
    },
    async param(p) {
      prompts.push(p);
      return give(p);
    },
  };
}

describe('parameters with context', () => {
  it('asks for the storage size when the grow step needs it, with the current allocation read from the sandbox, a suggestion, and the catalogue\'s rule', async () => {
    const { sb, incident, alarm } = await diskFill();
    const before = await sb.storageResizable!.getStorage('vitascope-db');
    const responder = asking((p) => answerParam(p, '').value?.toString());
    const runner = createRunner({ runbook: GROW, incident, alarm, sources: sb, journal: tempJournal({ now: () => sb.now() }), journalIncidentId: 'grow-1', actor: me, who, clock: simulatedClock(sb), responder });
    await runner.run();
    expect(responder.prompts).toHaveLength(1);
    const p = responder.prompts[0]!;
    // What, why, now, and the suggestion: the sandbox's own allocation, doubled.
    expect(p).toMatchObject({ name: 'allocatedGiB', stepId: 'grow', field: { action: 'rds.grow-storage', name: 'allocatedGiB' }, above: before.allocatedGiB });
    expect(p.about).toMatch(/allocated storage .* GiB/);
    expect(p.why).toContain('“Grow the storage”');
    expect(p.current).toContain(`${before.allocatedGiB} GiB allocated`);
    expect(p.suggested?.value).toBe(String(before.allocatedGiB * 2));
    // A key meant for something else is refused, as are sizes the catalogue or the target refuse.
    expect(validateParam(p, 'y')).toMatch(/a number is needed/);
    expect(validateParam(p, '10')).toMatch(/at least 20/);
    expect(validateParam(p, String(before.allocatedGiB))).toMatch(/more than/);
    expect(validateParam(p, '')).toBeUndefined();
    expect(answerParam(p, '')).toEqual({ value: before.allocatedGiB * 2 });
    // The suggestion was taken and applied: the sandbox's storage is the suggested size.
    expect((await sb.storageResizable!.getStorage('vitascope-db')).allocatedGiB).toBe(before.allocatedGiB * 2);
    const grow = runner.snapshot().steps.find((s) => s.id === 'grow')!;
    expect(grow.outcome).toBe('passed');
    // Every datum the steps used is on screen as a fact: the alarm's database and the size given.
    expect(runner.snapshot().facts).toEqual(expect.arrayContaining([{ label: "alarm's database", value: alarm.metric!.dimensions['DBInstanceIdentifier']! }, { label: 'allocated GiB', value: String(before.allocatedGiB * 2) }]));
  });

  it('a value the catalogue refuses fails the step honestly (✗, never ✓); a retry asks again and the second value is applied', async () => {
    const { sb, incident, alarm } = await diskFill();
    const before = await sb.storageResizable!.getStorage('vitascope-db');
    let answer = 'y';
    const responder = asking(() => answer);
    const journal = tempJournal({ now: () => sb.now() });
    const runner = createRunner({ runbook: GROW, incident, alarm, sources: sb, journal, journalIncidentId: 'grow-2', actor: me, who, clock: simulatedClock(sb), responder });
    await runner.run();
    let grow = runner.snapshot().steps.find((s) => s.id === 'grow')!;
    expect(grow.outcome).toBe('failed');
    expect(MARKS[grow.outcome!].glyph).toBe('✗');
    expect(grow.output).toMatch(/^failed \(plan\): the value given for allocatedGiB: a number is needed/);
    expect(grow.output).not.toMatch(/NaN/);
    expect((await sb.storageResizable!.getStorage('vitascope-db')).allocatedGiB).toBe(before.allocatedGiB);
    // The phase with the failed step is not done.
    expect(phaseProgress(runner.snapshot().steps, 'resolve', 'postmortem')).toBe('failed');
    // Nothing to retry on a step that passed; the failed one goes back and runs again.
    expect(runner.retry('firing')).toMatch(/passed/);
    expect(runner.retry('grow')).toBeUndefined();
    answer = String(before.allocatedGiB + 100);
    await runner.run();
    grow = runner.snapshot().steps.find((s) => s.id === 'grow')!;
    expect(grow.outcome).toBe('passed');
    expect((await sb.storageResizable!.getStorage('vitascope-db')).allocatedGiB).toBe(before.allocatedGiB + 100);
    expect(responder.prompts).toHaveLength(2);
  });

  it('the retry key and the notes list find their steps: the failed action, the required notes still unwritten', () => {
    const v = (over: Partial<StepView> & Pick<StepView, 'id' | 'kind'>): StepView => ({ phase: 'resolve', index: 0, title: over.id, status: 'done', ...over });
    const steps = [
      v({ id: 'grow', kind: 'action', output: 'failed (plan): bad size' }),
      v({ id: 'ok', kind: 'check', result: 'fail', output: 'fail: still ALARM' }),
      v({ id: 'timeline', kind: 'note', status: 'skipped' }),
      v({ id: 'extra', kind: 'note', status: 'skipped' }),
      v({ id: 'later', kind: 'note', status: 'pending' }),
    ];
    expect(retryCandidate(steps)).toBe('grow');
    expect(retryCandidate([steps[1]!])).toBe('ok');
    expect(retryCandidate([v({ id: 'fine', kind: 'action', output: 'verified: done' })])).toBeUndefined();
    expect(notesToWrite({ steps, incomplete: ['timeline'] }).map((s) => s.id)).toEqual(['timeline', 'extra']);
  });

  it('a required note skipped can be written afterwards: it leaves the list of notes to write and is journaled', async () => {
    const { sb, incident, alarm } = await diskFill();
    const journal = tempJournal({ now: () => sb.now() });
    const responder = asking((p) => answerParam(p, '').value?.toString());
    const runner = createRunner({ runbook: GROW, incident, alarm, sources: sb, journal, journalIncidentId: 'grow-3', actor: me, who, clock: simulatedClock(sb), responder });
    const r = await runner.run();
    expect(r.incomplete).toEqual(['timeline']);
    expect(runner.writeNote('grow', 'x')).toBe('not a note');
    expect(runner.writeNote('timeline', '   ')).toBe('a note needs text');
    expect(runner.writeNote('timeline', '02:10 JST first alert; 02:25 grown')).toBeUndefined();
    expect(runner.snapshot().incomplete).toEqual([]);
    expect(runner.snapshot().steps.find((s) => s.id === 'timeline')).toMatchObject({ status: 'done', outcome: 'done' });
    const notes = journal.incidentState('grow-3').notes.map((n) => n.text);
    expect(notes).toContain('02:10 JST first alert; 02:25 grown');
  });

  it('the address to block is suggested from the logs findings, else from the alarm\'s own data', async () => {
    const rb = loadRunbooks({ dirs: [] }).runbooks.find((r) => r.runbook.id === 'auth-failures')!.runbook;
    expect(shippedRunbooksDir()).toBeTruthy();
    const sb = createSandbox({ seed: 1, scenario: 'calm', speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: me, frozen: true });
    const alarm: Alarm = { id: 'a', name: 'vitascope-auth-failures-warning', kind: 'metric', state: 'ALARM', level: 'warning', stateSince: 0, actions: [], labels: { client_ip: '203.0.113.77' } };
    const fromAlarm = await paramPrompt(rb, 'address', undefined, { sources: sb, alarm, vars: {} });
    expect(fromAlarm).toMatchObject({ field: { action: 'waf.block-address', name: 'address' }, suggested: { value: '203.0.113.77', from: "the alert's label client_ip" } });
    expect(fromAlarm.about).toContain('client address to block');
    const fromLogs = await paramPrompt(rb, 'address', undefined, { sources: sb, alarm, vars: { 'findings.logs.topAddress': '198.51.100.9' } });
    expect(fromLogs.suggested?.value).toBe('198.51.100.9');
    expect(validateParam(fromLogs, 'y')).toMatch(/IP address or CIDR/);
    expect(validateParam(fromLogs, '203.0.113.0/24')).toBeUndefined();
    expect(addressInAlarm({ ...alarm, labels: {}, reason: 'Threshold Crossed: 12 failures in a row from 192.0.2.5' })).toEqual({ value: '192.0.2.5', from: "the alarm's reason" });
    expect(addressInAlarm({ ...alarm, labels: {} })).toBeUndefined();
    expect(spokenName('allocatedGiB')).toBe('allocated GiB');
    expect(spokenName('previousVersion')).toBe('previous version');
  });
});

describe('honest marks', () => {
  const view = (over: Partial<StepView>): StepView => ({ phase: 'resolve', index: 0, id: 's', kind: 'action', title: 'T', status: 'done', ...over });
  it('one outcome per step, from what it recorded; never a tick beside a failure', () => {
    expect(stepOutcome(view({ output: 'failed (plan): no value for allocatedGiB' }))).toBe('failed');
    expect(stepOutcome(view({ output: 'refused: read-only mode' }))).toBe('declined');
    expect(stepOutcome(view({ output: 'dry-run: dry run, nothing was changed' }))).toBe('dry-run');
    expect(stepOutcome(view({ output: 'verified: acknowledged' }))).toBe('passed');
    expect(stepOutcome(view({ kind: 'check', result: 'fail', output: 'fail: …' }))).toBe('failed');
    expect(stepOutcome(view({ kind: 'check', result: 'no-data', output: 'no data: …' }))).toBe('no-data');
    expect(stepOutcome(view({ kind: 'query', output: 'request-rate: no data in the last 1h' }))).toBe('no-data');
    expect(stepOutcome(view({ kind: 'note', output: 'text' }))).toBe('done');
    expect(stepOutcome(view({ status: 'waiting' }))).toBe('waiting');
    const glyphs = Object.values(MARKS).map((m) => m.glyph);
    expect(new Set(glyphs).size).toBe(glyphs.length);
    expect(MARKS.failed.glyph).not.toBe(MARKS.passed.glyph);
  });

  it('a phase is done only when its steps are, and none failed', () => {
    const steps = [view({ phase: 'resolve', kind: 'check', result: 'fail', output: 'fail: still ALARM' }), view({ phase: 'resolve', id: 't', kind: 'note', output: 'x' })];
    expect(phaseProgress(steps, 'resolve', 'postmortem')).toBe('failed');
    expect(phaseProgress([view({ phase: 'triage', status: 'pending' })], 'triage', 'resolve')).toBe('to-come');
    expect(phaseProgress([view({ phase: 'triage', kind: 'note', output: 'x' })], 'triage', 'resolve')).toBe('done');
  });
});

describe('runbooks link to runbooks', () => {
  const HANDING = runbook(`
id: hand-test
title: Hand test
priority: P2
matches: { rules: [disk-utilization] }
phases:
  detect:
    - { id: firing, kind: check, title: Still firing, alarm: "{{alarm.name}}", state: ALARM }
  triage:
    - id: where
      kind: decision
      title: Whose problem?
      options:
        - { id: db, label: "The database: hand over to its runbook", goto: after, handover: rds-connections, when: { step: firing, result: pass } }
        - { id: here, label: "Ours", goto: after, default: true }
    - { id: after, kind: note, title: After }
`);

  it('a decision that hands over ends this runbook\'s walk there, says so in words, and a resume ends there again', async () => {
    const { sb, incident, alarm } = await diskFill();
    const journal = tempJournal({ now: () => sb.now() });
    const mk = () => createRunner({ runbook: HANDING, incident, alarm, sources: sb, journal, journalIncidentId: 'hand-1', actor: me, who, clock: simulatedClock(sb), responder: asking(() => undefined) });
    const first = await mk().run();
    expect(first.handover).toEqual({ runbookId: 'rds-connections', stepTitle: 'Whose problem?', label: 'The database: hand over to its runbook' });
    const again = mk();
    const second = await again.run();
    expect(second.handover?.runbookId).toBe('rds-connections');
    expect(again.snapshot().steps.find((s) => s.id === 'after')!.status).toBe('pending');
    expect(journal.incidentState('hand-1').steps.filter((s) => s.stepId === 'after')).toEqual([]);
  });

  it('a handover to a runbook that is not loaded is a lint error naming the file, line and field', () => {
    const text = `id: hand-missing
title: Hand missing
priority: P3
matches: { rules: [disk-utilization] }
phases:
  triage:
    - id: where
      kind: decision
      title: Where?
      options:
        - { id: a, label: A, goto: postmortem, handover: no-such-runbook }
        - { id: b, label: B, goto: postmortem, default: true }
`;
    const r = lintFiles([parseRunbookText('/tmp/hand-missing.yaml', text, 'user')]);
    expect(r.errors).toEqual([expect.objectContaining({ file: '/tmp/hand-missing.yaml', line: 11, field: 'phases.triage[0].options[0].handover', message: expect.stringMatching(/^no runbook "no-such-runbook" is loaded/) })]);
  });

  it('every shipped handover names a shipped runbook', () => {
    const set = loadRunbooks({ dirs: [] }).runbooks;
    const ids = new Set(set.map((r) => r.runbook.id));
    const handovers = set.flatMap((r) => Object.values(r.runbook.phases).flatMap((steps) => (steps ?? []).flatMap((s) => (s.kind === 'decision' ? s.options.flatMap((o) => (o.handover ? [o.handover] : [])) : []))));
    expect(handovers.length).toBeGreaterThan(2);
    for (const h of handovers) expect(ids.has(h), h).toBe(true);
  });
});
