import { describe, expect, it } from 'vitest';
import type { EventInput, Journal, Who } from '../../../src/core/journal/index.js';
import type { Alarm, Point } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { mergeTransitions, transitionsFromJournal } from '../../../src/core/reports/alarms.js';
import { buildIncidentReport, type IncidentInput } from '../../../src/core/reports/incident.js';
import { buildPostmortem } from '../../../src/core/reports/postmortem.js';
import { renderIncidentMarkdown } from '../../../src/core/reports/renderIncident.js';
import { renderPostmortem } from '../../../src/core/reports/renderPostmortem.js';
import type { ReportIncident } from '../../../src/core/reports/types.js';
import { tempJournal } from '../journal/helpers.js';

/**
 * One incident as the journal holds it after a night in the incident room: the alarms' transitions, the
 * room's steps, three read-only checks dry-run, a decision, a remediation verified, notes written for the
 * runbook's note steps (with and without the section the runner now records), and the incident resolved
 * twelve minutes after its alarms recovered. The tests compute every time and figure from the script
 * below, never from the report's own text.
 */

const MIN = 60_000;
const T = Date.UTC(2026, 0, 5, 18, 0, 0); // Tue 6 Jan 03:00 JST
const aiko: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };
const cockpit: Who = { kind: 'local', id: 'cockpit', name: 'cockpit' };
const WARN = 'vitascope-api-high-cpu-warning';
const CRIT = 'vitascope-api-high-cpu-critical';
const ID = 'PSB7F3A';
const RB = 'cpu-utilization';

const at = {
  warningFired: T - 3 * MIN,
  criticalFired: T - MIN,
  triggered: T,
  acknowledged: T + 3 * MIN,
  impactNote: T + 5 * MIN,
  decided: T + 6 * MIN,
  planned: T + 7 * MIN,
  applied: T + 8 * MIN,
  criticalCleared: T + 14 * MIN,
  warningCleared: T + 17 * MIN,
  verified: T + 18 * MIN,
  rootCause: T + 20 * MIN,
  timelineNote: T + 21 * MIN,
  capacityNote: T + 22 * MIN,
  preventionNote: T + 23 * MIN,
  japaneseNote: T + 24 * MIN,
  resolved: T + 29 * MIN,
};

const ROOT_CAUSE =
  'Root cause: a partner batch job retried without back-off; CPU < 70 only after the limits were raised.';
const CAPACITY = 'Keep min 4 / max 8 until the capacity review. owner: Kenji Sato, due 12/10';
const PREVENTION = 'Prevention: per-client rate limits on /api/v1/sync. Maya by 2026-02-15.';
const JAPANESE = '容量の見直しを行う。担当: 佐藤 期限: 1月20日';

const step = (stepId: string, title: string) => ({ runbookId: RB, stepId, title });
const run = (runId: string, actionId: string, target: string, params: Record<string, unknown>, dryRun = false) => ({
  runId,
  actionId,
  target,
  params,
  ...(dryRun ? { dryRun: true } : {}),
});

function transition(
  name: string,
  when: number,
  from: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA',
  to: 'OK' | 'ALARM',
  value: number,
  threshold: number,
): EventInput {
  return {
    kind: 'alarm.transition',
    at: when,
    who: cockpit,
    incidentId: ID,
    payload: { alarmId: name, alarmName: name, from, to, value, threshold, unit: 'percent' },
  };
}

/** Three read-only commands dry-run as the drill does them, and one command that changes something, dry-run too. */
function commands(): EventInput[] {
  const out: EventInput[] = [];
  const argvs = [
    ['aws', 'application-autoscaling', 'describe-scalable-targets', '--service-namespace', 'ecs'],
    ['aws', 'logs', 'tail', '/ecs/vitascope-api', '--since', '30m'],
    ['aws', '--region', 'ap-northeast-1', 'ecs', 'describe-services', '--cluster', 'vitascope-cluster'],
    ['aws', 'lambda', 'update-alias', '--function-name', 'sync', '--name', 'live', '--function-version', '7'],
  ];
  argvs.forEach((argv, i) => {
    const r = run(`cmd-${i}`, 'command.run', 'aws', { argv, timeout: '60s' }, true);
    const t = T + 4 * MIN + i * 10_000;
    out.push(
      { kind: 'step.started', at: t, who: aiko, incidentId: ID, payload: step(`cmd-${i}`, `Command ${i}`) },
      {
        kind: 'action.planned',
        at: t,
        who: aiko,
        incidentId: ID,
        payload: { ...r, plan: { summary: `run ${argv.join(' ')}` } },
      },
      {
        kind: 'action.applied',
        at: t + 1000,
        who: aiko,
        incidentId: ID,
        payload: { ...r, output: 'dry run: not run' },
      },
      {
        kind: 'step.done',
        at: t + 1000,
        who: aiko,
        incidentId: ID,
        payload: { ...step(`cmd-${i}`, `Command ${i}`), output: 'applied: dry run' },
      },
    );
  });
  return out;
}

function script(): EventInput[] {
  const ack = run('ack', 'pagerduty.acknowledge', ID, {});
  const scale = run('scale', 'autoscaling.set-limits', 'vitascope-api', { service: 'vitascope-api', min: 4, max: 8 });
  const resolve = run('resolve', 'pagerduty.resolve', ID, {});
  return [
    transition(WARN, at.warningFired, 'INSUFFICIENT_DATA', 'ALARM', 84, 70),
    transition(CRIT, at.criticalFired, 'OK', 'ALARM', 97, 90),
    {
      kind: 'incident.created',
      at: at.triggered,
      who: cockpit,
      incidentId: ID,
      payload: { title: 'API CPU saturated', priority: 'P2', source: 'sandbox' },
    },
    { kind: 'phase.entered', at: at.triggered + 1000, who: aiko, incidentId: ID, payload: { phase: 'detect' } },
    { kind: 'step.started', at: at.acknowledged, who: aiko, incidentId: ID, payload: step('ack', 'Acknowledge') },
    {
      kind: 'action.planned',
      at: at.acknowledged,
      who: aiko,
      incidentId: ID,
      payload: { ...ack, plan: { summary: 'acknowledge', changes: ['status triggered → acknowledged'] } },
    },
    { kind: 'action.applied', at: at.acknowledged, who: aiko, incidentId: ID, payload: ack },
    { kind: 'incident.acknowledged', at: at.acknowledged, who: aiko, incidentId: ID, payload: {} },
    {
      kind: 'action.verified',
      at: at.acknowledged + 5000,
      who: aiko,
      incidentId: ID,
      payload: { ...ack, output: 'acknowledged' },
    },
    {
      kind: 'step.done',
      at: at.acknowledged + 5000,
      who: aiko,
      incidentId: ID,
      payload: { ...step('ack', 'Acknowledge'), output: 'verified: acknowledged' },
    },
    ...commands(),
    {
      kind: 'note',
      at: at.impactNote,
      who: aiko,
      incidentId: ID,
      payload: {
        text: 'Sync endpoint p95 at 2.1 s since 02:55; no deploy.',
        step: { runbookId: RB, stepId: 'impact', section: 'impact' },
      },
    },
    {
      kind: 'step.done',
      at: at.impactNote,
      who: aiko,
      incidentId: ID,
      payload: { ...step('impact', 'Blast radius'), output: 'Sync endpoint p95 at 2.1 s since 02:55; no deploy.' },
    },
    {
      kind: 'step.done',
      at: at.decided,
      who: aiko,
      incidentId: ID,
      payload: {
        ...step('remedy', 'What fixes it?'),
        output: 'chose raise-limits: Raise the autoscaling limits (suggested: CPU above the critical)',
      },
    },
    {
      kind: 'action.planned',
      at: at.planned,
      who: aiko,
      incidentId: ID,
      payload: { ...scale, plan: { summary: 'Raise the autoscaling limits', changes: ['min 2 → 4', 'max 3 → 8'] } },
    },
    { kind: 'action.confirmed', at: at.planned + 30_000, who: aiko, incidentId: ID, payload: scale },
    {
      kind: 'action.applied',
      at: at.applied,
      who: aiko,
      incidentId: ID,
      payload: { ...scale, output: 'RegisterScalableTarget accepted' },
    },
    transition(CRIT, at.criticalCleared, 'ALARM', 'OK', 78, 90),
    transition(WARN, at.warningCleared, 'ALARM', 'OK', 52, 70),
    {
      kind: 'action.verified',
      at: at.verified,
      who: aiko,
      incidentId: ID,
      payload: {
        ...scale,
        output: `alarm ${WARN} OK: before ALARM (97 percent), after OK (52 percent), 9m after the change`,
      },
    },
    {
      kind: 'note',
      at: at.rootCause,
      who: aiko,
      incidentId: ID,
      payload: { text: ROOT_CAUSE, step: { runbookId: RB, stepId: 'root-cause', section: 'root-cause' } },
    },
    {
      kind: 'note',
      at: at.timelineNote,
      who: aiko,
      incidentId: ID,
      payload: {
        text: 'Timeline: 02:57 first alert, 03:03 ack, 03:08 limits raised, 03:17 OK.',
        step: { runbookId: RB, stepId: 'timeline', section: 'timeline' },
      },
    },
    {
      kind: 'note',
      at: at.capacityNote,
      who: aiko,
      incidentId: ID,
      payload: { text: CAPACITY, step: { runbookId: RB, stepId: 'capacity', section: 'follow-up' } },
    },
    // Written before notes carried their step: the step.done beside it names the step.
    { kind: 'note', at: at.preventionNote, who: aiko, incidentId: ID, payload: { text: PREVENTION } },
    {
      kind: 'step.done',
      at: at.preventionNote + 1000,
      who: aiko,
      incidentId: ID,
      payload: { ...step('prevention', 'Prevention'), output: PREVENTION },
    },
    { kind: 'note', at: at.japaneseNote, who: aiko, incidentId: ID, payload: { text: JAPANESE } },
    {
      kind: 'action.planned',
      at: at.resolved,
      who: aiko,
      incidentId: ID,
      payload: { ...resolve, plan: { summary: 'resolve' } },
    },
    { kind: 'action.applied', at: at.resolved, who: aiko, incidentId: ID, payload: resolve },
    { kind: 'incident.resolved', at: at.resolved, who: aiko, incidentId: ID, payload: {} },
    {
      kind: 'action.verified',
      at: at.resolved + 4000,
      who: aiko,
      incidentId: ID,
      payload: { ...resolve, output: 'resolved' },
    },
  ];
}

function cpuAlarm(name: string, level: 'warning' | 'critical', threshold: number): Alarm {
  return {
    id: name,
    name,
    kind: 'metric',
    state: 'OK',
    level,
    threshold,
    unit: 'percent',
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: 60,
    evaluationPeriods: 2,
    stateSince: at.warningCleared,
    actions: [],
    ruleId: 'cpu-utilization',
    metric: {
      namespace: 'AWS/ECS',
      name: 'CPUUtilization',
      dimensions: { ClusterName: 'vitascope-cluster', ServiceName: 'vitascope-api' },
      statistic: 'Average',
    },
  };
}

/** CPU minute by minute, two hours either side: 35 % before, 97 % while in ALARM until the change took, 52 % after. */
function cpu(): Point[] {
  const points: Point[] = [];
  for (let t = T - 2 * 60 * MIN; t < T + 2 * 60 * MIN; t += MIN)
    points.push({ t, v: t < at.warningFired ? 35 : t < at.criticalCleared ? 97 : 52 });
  return points;
}

function input(journal: Journal, now = T + 3 * 60 * MIN): IncidentInput {
  const events = journal.query({ incidentId: ID });
  const incident: ReportIncident = {
    id: ID,
    title: 'API CPU saturated',
    priority: 'P2',
    service: { id: 'PSVCAPI', name: 'Vitascope API' },
    status: 'resolved',
    createdAt: at.triggered,
    acknowledgedAt: at.acknowledged,
    resolvedAt: at.resolved,
    alarmNames: [WARN, CRIT],
    assignees: [],
    origins: ['journal'],
  };
  const series = cpu();
  return {
    incident,
    now,
    policy: DEFAULT_POLICY,
    environment: 'TEST',
    events,
    logEntries: [],
    logOrigin: 'sandbox',
    transitions: mergeTransitions(transitionsFromJournal(events), []),
    alarms: [cpuAlarm(WARN, 'warning', 70), cpuAlarm(CRIT, 'critical', 90)],
    series: new Map([
      [WARN, series],
      [CRIT, series],
    ]),
    followUps: journal.followUps({ status: 'all', incidentId: ID }),
    gaps: [],
  };
}

function recorded(): Journal {
  const j = tempJournal();
  j.appendMany(script());
  return j;
}

/** The text of a Markdown section: from its heading to the next heading of the same or a higher level. */
function sectionOf(md: string, heading: string): string {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const level = heading.split(' ')[0]!.length;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.split(' ')[0]!.length <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('the incident report of a scripted night', () => {
  it('recovers when the alarms went back to OK and is mitigated by the first verified remediation, not by paging bookkeeping', () => {
    const r = buildIncidentReport(input(recorded()));
    // The last of the two alarms back to OK, not the resolution twelve minutes later.
    expect(r.recovery).toEqual({ at: at.warningCleared, by: 'alarm' });
    expect(at.resolved - r.recovery!.at).toBe(12 * MIN);
    expect(r.impact).toMatchObject({ start: at.warningFired, end: at.warningCleared, endSource: 'alarm' });
    // The autoscaling change, when it was applied; pagerduty.acknowledge and pagerduty.resolve were verified too, and are not it.
    expect(r.mitigation).toEqual({
      runId: 'scale',
      actionId: 'autoscaling.set-limits',
      target: 'vitascope-api',
      at: at.applied,
      verifiedAt: at.verified,
      who: 'Aiko Tanaka',
    });
  });

  it('is concise: what a reader needs, with the step-by-step detail only when verbose', () => {
    const j = recorded();
    const concise = buildIncidentReport(input(j));
    const verbose = buildIncidentReport(input(j), { verbose: true });
    const kinds = new Set(concise.timeline.map((t) => t.kind));
    for (const k of kinds)
      expect(['alarm', 'note', 'decision', 'action'].includes(k) || k.startsWith('incident.'), k).toBe(true);
    // Alarm transitions with their real previous state, the incident's changes, the decision, the notes.
    expect(concise.timeline.filter((t) => t.kind === 'alarm').map((t) => [t.at, t.summary.split(':')[0]])).toEqual([
      [at.warningFired, WARN],
      [at.criticalFired, CRIT],
      [at.criticalCleared, CRIT],
      [at.warningCleared, WARN],
    ]);
    expect(concise.timeline.find((t) => t.kind === 'alarm')!.summary).toContain('INSUFFICIENT_DATA → ALARM');
    expect(concise.timeline.filter((t) => t.kind.startsWith('incident.')).map((t) => [t.kind, t.at])).toEqual([
      ['incident.created', at.triggered],
      ['incident.acknowledged', at.acknowledged],
      ['incident.resolved', at.resolved],
    ]);
    expect(concise.timeline.filter((t) => t.kind === 'decision').map((t) => t.decision)).toEqual([
      {
        stepId: 'remedy',
        question: 'What fixes it?',
        option: 'raise-limits',
        label: 'Raise the autoscaling limits (suggested: CPU above the critical)',
      },
    ]);
    expect(concise.timeline.filter((t) => t.kind === 'note')).toHaveLength(6);
    // One row per action that changed (or would change) something, at the moment of the change, with its
    // before → after; the read-only checks are not there, nor the PagerDuty actions the incident's own
    // acknowledged/resolved entries already show.
    const actions = concise.timeline.filter((t) => t.kind === 'action');
    expect(actions.map((t) => [t.action!.actionId, t.at, t.action!.dryRun])).toEqual([
      ['command.run', T + 4 * MIN + 30_000 + 1000, true],
      ['autoscaling.set-limits', at.applied, false],
    ]);
    expect(actions[1]!.action).toMatchObject({ outcome: 'verified', dryRun: false });
    expect(actions[1]!.action!.before).toContain('ALARM (97 percent)');
    expect(actions[1]!.action!.after).toContain('OK (52 percent)');
    // Verbose: every event the room recorded.
    const events = j.query({ incidentId: ID });
    expect(verbose.timeline).toHaveLength(events.filter((e) => e.kind !== 'alarm.transition').length + 4);
    expect(verbose.timeline.filter((t) => t.kind.startsWith('step.'))).toHaveLength(
      events.filter((e) => e.kind.startsWith('step.')).length,
    );
    expect(concise.timeline.length).toBeLessThan(verbose.timeline.length / 2);
    expect(concise.timelineDetail).toBe('concise');
    expect(verbose.timelineDetail).toBe('verbose');
  });

  it('counts read-only checks as evidence, not actions', () => {
    const r = buildIncidentReport(input(recorded()));
    // Run or only recorded as dry runs: counted apart (a dry run is no evidence).
    expect(r.readOnlyChecks + r.readOnlyChecksDry).toBe(3);
    expect(r.actions.map((a) => [a.actionId, a.category])).toEqual([
      ['pagerduty.acknowledge', 'bookkeeping'],
      ['command.run', 'command'],
      ['autoscaling.set-limits', 'remediation'],
      ['pagerduty.resolve', 'bookkeeping'],
    ]);
    const md = renderIncidentMarkdown(r, 'en');
    expect(md).not.toContain('describe-scalable-targets');
  });

  it('knows which step and postmortem section each note was written for', () => {
    const r = buildIncidentReport(input(recorded()));
    expect(r.notes.map((n) => [n.at, n.stepId, n.section])).toEqual([
      [at.impactNote, 'impact', 'impact'],
      [at.rootCause, 'root-cause', 'root-cause'],
      [at.timelineNote, 'timeline', 'timeline'],
      [at.capacityNote, 'capacity', 'follow-up'],
      // An older note: its step from the step.done written with it, its section from the step's plain id.
      [at.preventionNote, 'prevention', 'prevention'],
      [at.japaneseNote, undefined, undefined],
    ]);
  });

  it('writes Markdown escaped the Markdown way: no HTML entities', () => {
    const md = renderIncidentMarkdown(buildIncidentReport(input(recorded())), 'en');
    expect(md).not.toMatch(/&lt;|&gt;|&amp;/);
    expect(md).toContain('CPU \\< 70');
  });
});

describe('the postmortem of the scripted night', () => {
  const draft = () =>
    buildPostmortem({
      report: buildIncidentReport(input(recorded())),
      policy: DEFAULT_POLICY,
      impactSeries: {},
      changes: [],
      latencyTargetMs: 500,
    });

  it('credits the remediation with the recovery only because the alarms recovered after it, within its verification', () => {
    const d = draft();
    const credited = d.hints.wentWell.filter((h) => h.kind === 'action-verified');
    expect(credited).toEqual([
      {
        kind: 'action-verified',
        actionId: 'autoscaling.set-limits',
        target: 'vitascope-api',
        recoveredAfterMs: at.warningCleared - at.applied,
      },
    ]);
    // Acknowledging within the P2 target is there as a fact about the acknowledgement.
    const p2 = DEFAULT_POLICY.priorities.find((p) => p.name === 'P2')!.responseTargetMinutes! * MIN;
    expect(d.hints.wentWell.find((h) => h.kind === 'ack')).toEqual({
      kind: 'ack',
      afterMs: at.acknowledged - at.triggered,
      targetMs: p2,
      within: true,
    });
    // No PagerDuty action is ever credited.
    expect(JSON.stringify(d.hints)).not.toContain('pagerduty.');
  });

  it('does not credit a remediation applied after the alarms had recovered', () => {
    const j = tempJournal();
    // The same night, but the limits raised only at 03:25: after the alarms were back to OK at 03:17.
    j.appendMany(
      script().map((e) =>
        e.kind.startsWith('action.') && (e.payload as { runId: string }).runId === 'scale'
          ? { ...e, at: e.at! + 17 * MIN }
          : e,
      ),
    );
    const d = buildPostmortem({
      report: buildIncidentReport(input(j)),
      policy: DEFAULT_POLICY,
      impactSeries: {},
      changes: [],
      latencyTargetMs: 500,
    });
    expect(d.hints.wentWell.some((h) => h.kind === 'action-verified')).toBe(false);
    expect(d.hints.recovery).toEqual([
      { kind: 'recovered-without-action', at: at.warningCleared },
      {
        kind: 'recovered-before-action',
        actionId: 'autoscaling.set-limits',
        target: 'vitascope-api',
        beforeMs: at.applied + 17 * MIN - at.warningCleared,
      },
    ]);
    // It is still the first verified remediation: the mitigation, after the recovery.
    expect(d.report.mitigation!.at).toBe(at.applied + 17 * MIN);
  });

  it('fills its sections from the notes the responder wrote', () => {
    const d = draft();
    expect(d.sections['root-cause']!.map((n) => n.text)).toEqual([ROOT_CAUSE]);
    expect(d.sections.impact!.map((n) => n.at)).toEqual([at.impactNote]);
    expect(d.sections.timeline!.map((n) => n.at)).toEqual([at.timelineNote]);
    expect(d.sections.prevention!.map((n) => n.text)).toEqual([PREVENTION]);
    expect(d.otherNotes.map((n) => n.text)).toEqual([JAPANESE]);
    const { markdown } = renderPostmortem(d, 'en');
    const rootCause = sectionOf(markdown, '## 5.');
    expect(rootCause).toContain('a partner batch job retried without back-off');
    expect(rootCause).not.toContain('Ask "why"'); // the empty prompt is gone where the responder wrote the cause
    expect(sectionOf(markdown, '## 12.')).toContain('per-client rate limits');
    expect(markdown).not.toMatch(/&lt;|&gt;/);
  });

  it('proposes the follow-ups the notes name, with owner and due day, apart from the recorded ones', () => {
    const d = draft();
    const tokyoMidnight = (y: number, m: number, day: number) => Date.UTC(y, m - 1, day) - 9 * 60 * MIN;
    expect(d.actionItems).toEqual([]);
    expect(d.proposedFollowUps.map((p) => [p.owner, p.dueAt, p.from.at, p.from.kind])).toEqual([
      ['Kenji Sato', tokyoMidnight(2026, 12, 10), at.capacityNote, 'note'],
      ['Maya', tokyoMidnight(2026, 2, 15), at.preventionNote, 'note'],
      ['佐藤', tokyoMidnight(2026, 1, 20), at.japaneseNote, 'note'],
    ]);
    const { markdown } = renderPostmortem(d, 'ja');
    const items = sectionOf(markdown, '## 11.');
    for (const who of ['Kenji Sato', 'Maya', '佐藤']) expect(items).toContain(who);
    expect(items).toContain('フォローアップはまだ記録されていません');

    // Recorded for Kenji on the same day: that proposal is covered, the others stay.
    const j = recorded();
    j.addFollowUp({
      text: 'Decide the API scaling limits',
      owner: 'Kenji Sato',
      who: aiko,
      incidentId: ID,
      dueAt: tokyoMidnight(2026, 12, 10) + 9 * 60 * MIN,
    });
    const again = buildPostmortem({
      report: buildIncidentReport(input(j)),
      policy: DEFAULT_POLICY,
      impactSeries: {},
      changes: [],
      latencyTargetMs: 500,
    });
    expect(again.actionItems.map((f) => f.owner)).toEqual(['Kenji Sato']);
    expect(again.proposedFollowUps.map((p) => p.owner)).toEqual(['Maya', '佐藤']);
  });

  it('charts the window from 30 minutes before the first alarm to 30 minutes after the recovery, with the marks', () => {
    const d = draft();
    expect(d.charts).toHaveLength(1);
    const c = d.charts[0]!;
    expect([c.from, c.to]).toEqual([at.warningFired - 30 * MIN, at.warningCleared + 30 * MIN]);
    expect(c.marks).toEqual([
      { kind: 'acknowledged', at: at.acknowledged },
      { kind: 'mitigated', at: at.applied },
      { kind: 'recovered', at: at.warningCleared },
    ]);
    // The sparkline's slices follow the series: the last slices (after the change took) are lower than the peak ones.
    const bars = '▁▂▃▄▅▆▇█';
    const level = (i: number) => bars.indexOf(c.sparkline[i]!);
    const sliceOf = (t: number) => Math.floor(((t - c.from) / (c.to - c.from)) * 40);
    expect(level(sliceOf(at.criticalFired))).toBe(7);
    expect(level(39)).toBeLessThan(7);
    expect(level(0)).toBe(0);
  });
});
