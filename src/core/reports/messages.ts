import type { RedactionCounts, RedactionKind } from './redact.js';
import type { Lang } from './types.js';
import { ja } from './messagesJa.js';
import { enRecord, type RecordMessages } from './messagesRecord.js';

/**
 * The reports' words, one catalogue per language (English here, Japanese in messagesJa.ts). Written, not
 * machine translated; data (incident titles, notes, command output) is never translated. A sentence that
 * carries values is a function, so each language orders its words itself.
 */
export interface Messages {
  readonly none: string;
  readonly yes: string;
  readonly no: string;
  readonly unknown: string;
  readonly and: string;
  readonly status: Readonly<Record<'triggered' | 'acknowledged' | 'resolved', string>>;
  /** An incident left open when its sandbox run (its simulated world) ended. */
  readonly endedWithRun: string;
  readonly followUpStatus: Readonly<Record<'open' | 'closed', string>>;
  readonly outcome: Readonly<Record<'verified' | 'applied' | 'failed' | 'declined' | 'confirmed' | 'planned', string>>;
  readonly role: (role: string) => string;
  readonly origin: (origin: string) => string;
  readonly timelineKind: (kind: string) => string;
  readonly dryRun: string;
  /** Recovery, mitigation, notes by section, proposed follow-ups, chart marks, figures' limits (messagesRecord.ts). */
  readonly record: RecordMessages;

  readonly col: {
    readonly role: string;
    readonly person: string;
    readonly from: string;
    readonly to: string;
    readonly priority: string;
    readonly incidents: string;
    readonly open: string;
    readonly mtta: string;
    readonly mttr: string;
    readonly lateAck: string;
    readonly incident: string;
    readonly title: string;
    readonly service: string;
    readonly triggered: string;
    readonly acknowledged: string;
    readonly resolved: string;
    readonly status: string;
    readonly id: string;
    readonly followUp: string;
    readonly owner: string;
    readonly due: string;
    readonly time: string;
    readonly action: string;
    readonly target: string;
    readonly who: string;
    readonly outcome: string;
    readonly before: string;
    readonly after: string;
    readonly alarm: string;
    readonly firings: string;
    readonly unanswered: string;
    readonly withoutIncident: string;
    readonly selfResolved: string;
    readonly timeInAlarm: string;
    readonly maxInHour: string;
    readonly suggestion: string;
    readonly what: string;
    readonly source: string;
    readonly metric: string;
    readonly peak: string;
    readonly peakAt: string;
    readonly threshold: string;
    readonly availability: string;
    readonly goal: string;
    readonly met: string;
    readonly latency: string;
    readonly worstP95: string;
    readonly week: string;
    readonly weeklyAverage: string;
    readonly max: string;
    readonly trend: string;
    readonly weeksToWarning: string;
    readonly text: string;
    readonly acknowledgedBy: string;
    readonly value: string;
    readonly chart: string;
    readonly assignees: string;
  };

  readonly handoff: {
    readonly title: (from: string, to: string) => string;
    readonly people: string;
    readonly responders: (names: string) => string;
    readonly noRotation: string;
    readonly incidents: string;
    readonly totals: (n: string, mtta: string, mttr: string, escalated: string) => string;
    readonly byPriority: string;
    readonly allIncidents: string;
    readonly noIncidents: string;
    readonly stillOpen: string;
    readonly openIncidents: string;
    readonly openFollowUps: string;
    readonly closedFollowUps: (n: string) => string;
    readonly nothingOpen: string;
    readonly overdue: string;
    readonly actions: string;
    readonly noActions: string;
    readonly alarms: string;
    readonly alarmTotals: (firings: string, alarms: string) => string;
    readonly mostFired: string;
    readonly flapping: string;
    readonly noFlapping: string;
    readonly noise: string;
    readonly noNoise: string;
    readonly withoutRunbook: string;
    readonly allHaveRunbooks: string;
    readonly inAlarmNow: (names: string) => string;
    readonly outsideHours: string;
    readonly outsideHoursTotals: (n: string, total: string, hours: string) => string;
    readonly notes: string;
    readonly noNotes: string;
    readonly acknowledgedBy: (who: string, when: string) => string;
    readonly notAcknowledged: string;
    readonly next: string;
    readonly nextRotation: string;
    readonly risks: string;
    readonly noRisks: string;
    readonly changes: string;
    readonly noChanges: string;
    readonly riskOpenIncident: (id: string, title: string, age: string) => string;
    readonly riskFollowUp: (id: string, text: string, owner: string, overdue: boolean) => string;
    readonly riskInAlarm: (name: string) => string;
    readonly riskNoise: (name: string, n: string) => string;
    readonly riskFailedAction: (action: string, target: string) => string;
    readonly riskActiveBlock: (
      address: string,
      since: string,
      who: string | undefined,
      reason: string | undefined,
    ) => string;
  };

  readonly suggestion: {
    readonly threshold: (
      current: string,
      suggested: string,
      avoided: string,
      of: string,
      lost: string | undefined,
    ) => string;
    readonly window: (minutes: string, avoided: string, of: string, lost: string | undefined) => string;
    readonly noMetricData: string;
    readonly notAbsolute: string;
  };

  readonly incident: {
    readonly title: (id: string, title: string) => string;
    readonly summary: string;
    readonly impact: string;
    readonly impactWindow: (start: string, end: string, duration: string) => string;
    readonly ongoing: string;
    readonly impactOngoing: (start: string, soFar: string) => string;
    readonly impactFromAlarm: string;
    readonly impactFromIncident: string;
    readonly services: string;
    readonly metrics: string;
    readonly noMetrics: string;
    readonly metricsNotYet: string;
    readonly detection: string;
    readonly firstAlarm: (name: string, at: string) => string;
    readonly noAlarm: string;
    readonly triggeredAt: (at: string) => string;
    readonly acknowledgedAfter: (at: string, after: string, who: string) => string;
    readonly notAcknowledged: string;
    readonly resolvedAfter: (at: string, after: string) => string;
    readonly escalations: (n: string) => string;
    readonly timeline: string;
    readonly actions: string;
    readonly noActions: string;
    readonly notes: string;
    readonly followUps: string;
    readonly currentStatus: string;
    readonly statusLine: (status: string, phase: string) => string;
    readonly stillInAlarm: (names: string) => string;
    readonly link: string;
  };

  readonly postmortem: {
    readonly title: (id: string, title: string) => string;
    readonly draftNote: string;
    readonly summary: string;
    readonly summaryPrompt: string;
    readonly summaryData: (title: string, priority: string, duration: string, services: string) => string;
    readonly impact: string;
    readonly impactDuration: (d: string) => string;
    readonly impactRequests: (total: string, failed: string, share: string) => string;
    readonly impactSlow: (n: string) => string;
    readonly impactUsers: (n: string) => string;
    readonly impactSync: (n: string) => string;
    readonly impactUnknown: string;
    readonly impactPrompt: string;
    readonly charts: string;
    readonly chartAlt: (label: string, withThreshold: boolean) => string;
    readonly timeline: string;
    readonly rootCause: string;
    readonly rootCausePrompt: string;
    readonly trigger: string;
    readonly triggerPrompt: string;
    readonly dataShows: string;
    readonly detection: string;
    readonly detectionPrompt: string;
    readonly response: string;
    readonly recovery: string;
    readonly recoveryPrompt: string;
    readonly wentWell: string;
    readonly wentWellPrompt: string;
    readonly wentBadly: string;
    readonly wentBadlyPrompt: string;
    readonly actionItems: string;
    readonly noActionItems: string;
    readonly lessons: string;
    readonly lessonsPrompt: string;
    readonly hint: {
      readonly deployBefore: (what: string, before: string) => string;
      readonly firstAlarm: (name: string, at: string) => string;
      readonly peak: (label: string, value: string, threshold: string) => string;
      readonly lowest: (label: string, value: string, threshold: string) => string;
      readonly actionFailed: (action: string, target: string, error: string) => string;
      readonly ackFast: (after: string, target: string) => string;
      readonly ackSlow: (after: string, target: string) => string;
      readonly escalated: (n: string) => string;
      readonly runbookFollowed: (done: string, skipped: string) => string;
      readonly detectedBeforePage: (lead: string) => string;
    };
  };

  readonly summary: {
    readonly title: (from: string, to: string) => string;
    readonly sla: string;
    readonly slaNone: string;
    readonly incidents: string;
    readonly totals: (n: string, mtta: string, mttr: string) => string;
    readonly trend: string;
    readonly alarmVolume: string;
    readonly alarmTotals: (n: string, shown: number, of: number) => string;
    readonly capacity: string;
    readonly noCapacity: string;
    readonly perWeek: (v: string) => string;
    readonly within: (pct: string, target: string) => string;
  };

  readonly footer: {
    readonly heading: string;
    readonly generated: (at: string, env: string, zone: string) => string;
    readonly definitions: string;
    readonly mtta: string;
    readonly mttr: string;
    readonly flapping: (n: string, window: string) => string;
    readonly noise: string;
    readonly suggestion: string;
    readonly runbook: string;
    readonly outsideHours: (hours: string) => string;
    readonly impactWindow: string;
    readonly usersAffected: string;
    readonly availability: (target: string) => string;
    readonly latency: (ms: string, share: string) => string;
    readonly capacity: string;
    readonly merge: string;
    readonly redaction: (counts: RedactionCounts, kinds: string) => string;
    readonly redactionOff: string;
    readonly redactionKind: (kind: RedactionKind, n: number) => string;
    readonly gaps: string;
    readonly gap: (source: string, error: string) => string;
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const TIMELINE_EN: Readonly<Record<string, string>> = {
  alarm: 'alarm',
  'incident.created': 'incident',
  'incident.triggered': 'incident',
  'incident.acknowledged': 'acknowledged',
  'incident.escalated': 'escalated',
  'incident.resolved': 'resolved',
  'incident.reassigned': 'assigned',
  'phase.entered': 'phase',
  'step.started': 'step',
  'step.done': 'step',
  'step.skipped': 'step',
  'action.planned': 'action',
  'action.confirmed': 'action',
  'action.applied': 'action',
  'action.verified': 'action',
  'action.failed': 'action',
  action: 'action',
  decision: 'decision',
  note: 'note',
  'followup.added': 'follow-up',
  'followup.closed': 'follow-up',
  'handoff.note': 'handoff',
  'handoff.acknowledged': 'handoff',
  deployment: 'deployment',
};

export const en: Messages = {
  none: 'none',
  yes: 'yes',
  no: 'no',
  unknown: 'unknown',
  and: ', ',
  status: { triggered: 'triggered', acknowledged: 'acknowledged', resolved: 'resolved' },
  endedWithRun: 'never resolved: its sandbox run ended',
  followUpStatus: { open: 'open', closed: 'closed' },
  outcome: {
    verified: 'verified',
    applied: 'applied, not verified',
    failed: 'failed',
    declined: 'declined',
    confirmed: 'confirmed, not applied',
    planned: 'planned only',
  },
  role: (r) => ({ primary: 'primary', secondary: 'secondary', manager: 'manager' })[r] ?? r,
  origin: (o) =>
    ({ journal: 'journal', pagerduty: 'PagerDuty', sandbox: 'sandbox pager', 'alarm-history': 'alarm history' })[o] ??
    o,
  timelineKind: (k) => TIMELINE_EN[k] ?? k,
  dryRun: 'dry run',
  record: enRecord,
  col: {
    role: 'Role',
    person: 'Person',
    from: 'From',
    to: 'To',
    priority: 'Priority',
    incidents: 'Incidents',
    open: 'Open',
    mtta: 'MTTA (median)',
    mttr: 'MTTR (median)',
    lateAck: 'Acked late',
    incident: 'Incident',
    title: 'Title',
    service: 'Service',
    triggered: 'Triggered',
    acknowledged: 'Acknowledged after',
    resolved: 'Resolved after',
    status: 'Status',
    id: 'ID',
    followUp: 'Follow-up',
    owner: 'Owner',
    due: 'Due',
    time: 'Time',
    action: 'Action',
    target: 'Target',
    who: 'Who',
    outcome: 'Outcome',
    before: 'Before',
    after: 'After',
    alarm: 'Alarm',
    firings: 'Firings',
    unanswered: 'Unanswered',
    withoutIncident: 'No incident',
    selfResolved: 'Resolved by itself',
    timeInAlarm: 'Time in ALARM',
    maxInHour: 'Most firings in 1 h',
    suggestion: 'Suggested change',
    what: 'What',
    source: 'Source',
    metric: 'Metric',
    peak: 'Peak',
    peakAt: 'At',
    threshold: 'Threshold',
    availability: 'Availability',
    goal: 'Target',
    met: 'Met',
    latency: 'p95 within target',
    worstP95: 'Worst p95',
    week: 'Week of',
    weeklyAverage: 'Weekly averages',
    max: 'Max',
    trend: 'Trend',
    weeksToWarning: 'Warning reached in',
    text: 'Text',
    acknowledgedBy: 'Acknowledged by',
    value: 'Value',
    chart: 'Chart',
    assignees: 'Assigned to',
  },
  handoff: {
    title: (from, to) => `On-call handoff: ${from} – ${to}`,
    people: 'On call',
    responders: (names) => `Responders who acted this period: ${names}`,
    noRotation: 'No rotation data (no on-call source).',
    incidents: 'Incidents',
    totals: (n, mtta, mttr, esc) =>
      `${n} ${n === '1' ? 'incident' : 'incidents'}; MTTA ${mtta}, MTTR ${mttr}; ${esc} escalated.`,
    byPriority: 'By priority',
    allIncidents: 'All incidents of the period',
    noIncidents: 'No incidents in this period.',
    stillOpen: 'Still open',
    openIncidents: 'Open incidents',
    openFollowUps: 'Open follow-ups',
    closedFollowUps: (n) =>
      n === '1' ? '1 follow-up was closed in this period.' : `${n} follow-ups were closed in this period.`,
    nothingOpen: 'Nothing open.',
    overdue: 'overdue',
    actions: 'Actions taken',
    noActions: 'No actions were taken.',
    alarms: 'Alarms',
    alarmTotals: (f, a) => `${f} ${f === '1' ? 'firing' : 'firings'} of ${a} ${a === '1' ? 'alarm' : 'alarms'}.`,
    mostFired: 'Fired most',
    flapping: 'Flapping',
    noFlapping: 'No alarm flapped.',
    noise: 'Noise candidates (fired, nobody needed to act)',
    noNoise: 'No noise candidates: every firing was answered.',
    withoutRunbook: 'Alarms with no matching runbook (only the default one applies)',
    allHaveRunbooks: 'Every alarm that fired has a runbook.',
    inAlarmNow: (names) => `In ALARM now: ${names}.`,
    outsideHours: 'Pages outside working hours',
    outsideHoursTotals: (n, total, hours) => `${n} of ${total} pages came outside working hours (${hours}).`,
    notes: 'Notes from the outgoing responder',
    noNotes: 'No handoff notes were written.',
    acknowledgedBy: (who, when) => `acknowledged by ${who}, ${when}`,
    notAcknowledged: 'not acknowledged yet',
    next: 'Next week',
    nextRotation: 'Rotation',
    risks: 'Known risks',
    noRisks: 'No known risks.',
    changes: 'Recent changes',
    noChanges: 'No changes recorded.',
    riskOpenIncident: (id, title, age) => `Incident ${id} is still open (${age}): ${title}`,
    riskFollowUp: (id, text, owner, overdue) => `Follow-up #${id}${overdue ? ' (overdue)' : ''} for ${owner}: ${text}`,
    riskInAlarm: (name) => `${name} is in ALARM now`,
    riskNoise: (name, n) =>
      `${name} fired ${n === '1' ? 'once' : `${n} times`} without anyone needing to act: consider the suggested change`,
    riskFailedAction: (action, target) => `${action} on ${target} failed: check the target's state`,
    riskActiveBlock: (address, since, who, reason) =>
      `${address} is blocked at the WAF since ${since}${who ? ` by ${who}` : ''}${reason ? ` (${reason})` : ''}: review it, lift it with waf.unblock-address when it is no longer needed`,
  },
  suggestion: {
    threshold: (cur, sug, avoided, of, lost) =>
      `threshold ${cur} → ${sug} would have avoided ${avoided} of ${of} unanswered ${of === '1' ? 'firing' : 'firings'}${lost ? ` (and ${lost} answered)` : ''}`,
    window: (min, avoided, of, lost) =>
      `requiring the breach for ${min} min would have avoided ${avoided} of ${of}${lost ? ` (and ${lost} answered)` : ''}`,
    noMetricData: 'no metric data to base a threshold on',
    notAbsolute: 'compared with a baseline or limit: tune the ratio, not a value',
  },
  incident: {
    title: (id, title) => `Incident report: ${id} — ${title}`,
    summary: 'Summary',
    impact: 'Impact window',
    impactWindow: (s, e, d) => `${s} → ${e} (${d})`,
    ongoing: 'ongoing',
    impactOngoing: (s, d) => `${s} → ongoing (${d} so far)`,
    impactFromAlarm: 'from the first alarm',
    impactFromIncident: 'from the incident (no alarm transition recorded)',
    services: 'Affected services',
    metrics: 'Metrics and their peaks',
    noMetrics: 'No metric data was available for this incident.',
    metricsNotYet:
      'Metrics not captured yet: the incident is still open in the sandbox record, and the cockpit keeps an incident’s metrics when it resolves or when its run ends. Report it again then.',
    detection: 'Detection',
    firstAlarm: (name, at) => `First alarm: **${name}** at ${at}`,
    noAlarm: 'No alarm transition was recorded for this incident.',
    triggeredAt: (at) => `Incident triggered: ${at}`,
    acknowledgedAfter: (at, after, who) => `Acknowledged: ${at}, ${after} after the trigger, by ${who}`,
    notAcknowledged: 'Not acknowledged.',
    resolvedAfter: (at, after) => `Resolved: ${at}, ${after} after the trigger`,
    escalations: (n) => `Escalations: ${n}`,
    timeline: 'Timeline',
    actions: 'Actions and evidence',
    noActions: 'No actions were taken.',
    notes: 'Notes',
    followUps: 'Follow-ups',
    currentStatus: 'Current status',
    statusLine: (s, p) => `The incident is **${s}**; the incident room is in the ${p} phase.`,
    stillInAlarm: (names) => `Still in ALARM: ${names}.`,
    link: 'Link',
  },
  postmortem: {
    title: (id, title) => `Postmortem (draft): ${id} — ${title}`,
    draftNote:
      'A draft written from the journal and the sources. Sections marked ✎ need your judgement; the facts under them are what the data shows.',
    summary: 'Summary',
    summaryPrompt: '✎ In two or three sentences: what happened, who was affected, how it ended.',
    summaryData: (title, p, d, s) => `${title}; ${p}; impact ${d}; services: ${s}.`,
    impact: 'Impact',
    impactDuration: (d) => `Duration: ${d}`,
    impactRequests: (t, f, s) => `Requests during the window: ${t}, of which ${f} failed (${s})`,
    impactSlow: (n) => `Requests slower than the latency target: at least ${n}`,
    impactUsers: (n) => `Users affected (estimate): about ${n}`,
    impactSync: (n) => `Failed health-data syncs: ${n}`,
    impactUnknown: 'No request or user metrics were available for the window.',
    impactPrompt: '✎ Correct these figures with what support and the business saw.',
    charts: 'Key metrics',
    chartAlt: (label, withThreshold) => `${label} during the incident${withThreshold ? ', with its threshold' : ''}`,
    timeline: 'Timeline',
    rootCause: 'Root cause',
    rootCausePrompt:
      '✎ Why did this happen? Ask "why" until the answer is a decision or a missing safeguard, not a person.',
    trigger: 'Trigger',
    triggerPrompt: '✎ What set it off at this moment (a deployment, a traffic change, a dependency)?',
    dataShows: 'What the data shows:',
    detection: 'Detection',
    detectionPrompt:
      '✎ Did we learn of it from our monitoring before users told us? Could an alarm have fired earlier?',
    response: 'Response',
    recovery: 'Recovery',
    recoveryPrompt: '✎ What restored the service, and how was recovery confirmed?',
    wentWell: 'What went well',
    wentWellPrompt: '✎ Keep doing:',
    wentBadly: 'What went badly',
    wentBadlyPrompt: '✎ Where did we lose time or make it worse?',
    actionItems: 'Action items',
    noActionItems: 'No follow-ups recorded yet: add them with `vitascope-oncall followup INCIDENT TEXT --owner NAME`.',
    lessons: 'Lessons',
    lessonsPrompt: '✎ What will we do differently, and which monitoring would have caught it sooner?',
    hint: {
      deployBefore: (what, before) => `A change preceded it by ${before}: ${what}`,
      firstAlarm: (name, at) => `The first alarm was ${name} at ${at}`,
      peak: (label, value, threshold) => `${label} peaked at ${value} (threshold ${threshold})`,
      lowest: (label, value, threshold) => `${label} fell as low as ${value} (threshold ${threshold})`,
      actionFailed: (action, target, error) => `${action} on ${target} failed: ${error}`,
      ackFast: (after, target) => `Acknowledged after ${after}, within the ${target} response target`,
      ackSlow: (after, target) => `Acknowledged after ${after}, beyond the ${target} response target`,
      escalated: (n) => `The incident escalated ${n} times before anyone acknowledged it`,
      runbookFollowed: (done, skipped) => `Runbook steps done: ${done}, skipped: ${skipped}`,
      detectedBeforePage: (lead) => `The alarm fired ${lead} before the incident paged`,
    },
  },
  summary: {
    title: (from, to) => `Operations summary: ${from} – ${to}`,
    sla: 'SLA achievement',
    slaNone: 'No service metrics were available.',
    incidents: 'Incidents',
    totals: (n, mtta, mttr) => `${n} incident${n === '1' ? '' : 's'}; MTTA ${mtta}, MTTR ${mttr}.`,
    trend: 'Week by week',
    alarmVolume: 'Alarm volume',
    alarmTotals: (n, shown, of) =>
      `${n} alarm firings${shown < of ? `; the ${shown} alarms that fired most of ${of}:` : '.'}`,
    capacity: 'Capacity trend',
    noCapacity: 'No capacity metrics were available.',
    perWeek: (v) => `${v} / week`,
    within: (pct, target) => `${pct} (target ${target})`,
  },
  footer: {
    heading: 'About this report',
    generated: (at, env, zone) => `Generated ${at} from ${env}; times are in ${zone}.`,
    definitions: 'Definitions',
    mtta: "MTTA (mean time to acknowledge): from the incident's trigger to its first acknowledgement, averaged over the incidents that were acknowledged; the median is in brackets.",
    mttr: "MTTR (mean time to resolve): from the incident's trigger to its resolution, averaged over the incidents that were resolved; open incidents do not count.",
    flapping: (n, w) => `Flapping: an alarm that entered ALARM at least ${n} times within ${w}.`,
    noise:
      'Noise candidate: an alarm with firings nobody answered — no incident was acknowledged for it (none was opened, or it resolved by itself) and no action was taken while it fired.',
    suggestion:
      "Suggested changes: a threshold only for an alarm comparing a number with a fixed threshold, from at least 24 h of its metric history — the round value above the unanswered firings' peaks that every answered firing still crosses, kept below the next level (a warning's under its critical, a percentage at most 100 %); or a breach duration longer than the unanswered firings lasted.",
    runbook:
      'No matching runbook: only the default runbook matches the alarm (runbook matching as in `vitascope-oncall runbooks list`).',
    outsideHours: (hours) => `Outside working hours: a page (incident trigger) outside ${hours}, weekends included.`,
    impactWindow:
      "Impact window: from the first of the incident's alarms entering ALARM to the last of them returning to OK (or the resolution when no alarm recovery was recorded).",
    usersAffected:
      'Users affected (estimate): active users in the window × the share of requests that failed; a floor, not a count.',
    availability: (target) =>
      `Availability: the share of 5-minute intervals in which the service was up. Down: the interval overlaps the impact window (first alarm → recovery) of a P1 or P2 incident on the service — an incident on no service of the table (the database, a dependency) counts against each — or its ECS health check failed (running tasks < desired), or, for the API, the error rate (5xx / all requests) reached 5 %, the strategy's critical level. Intervals counted: those with metric data and those of the incidents' windows; with no metric data at all, every interval of the period. Target ${target}.`,
    latency: (ms, share) => `Latency: p95 response time within ${ms} in at least ${share} of the intervals.`,
    capacity:
      'Capacity trend: the slope of a least-squares line through hourly averages, per week; "warning reached in" extends that line to the warning threshold. Only from at least 7 days of history: a shorter series is shown without a trend. DB storage: the share of the allocated storage in use.',
    merge:
      "Every fact comes from the journal's one timeline; with PagerDuty and CloudWatch configured, what they know of the period and the journal did not (the whole team's incidents, their log and notes, alarm history) is recorded into it first. A sandbox report is of one run, from what was recorded in it.",
    redaction: (c, kinds) =>
      `Redaction: ${plural(c.total, 'item', 'items')} redacted${c.total ? ` (${kinds})` : ''}${c.alreadyRedacted ? `; ${plural(c.alreadyRedacted, 'secret was', 'secrets were')} already removed when the journal recorded ${c.alreadyRedacted === 1 ? 'it' : 'them'}` : ''}. E-mail addresses, phone numbers, end-user ids, health values and secrets are replaced by [REDACTED…] markers; people's names are kept.`,
    redactionOff:
      'Redaction: OFF (--no-redact). This report may contain personal data and health values: do not share it. (Secrets are removed all the same.)',
    redactionKind: (k, n) =>
      ({
        secret: plural(n, 'secret', 'secrets'),
        email: plural(n, 'e-mail address', 'e-mail addresses'),
        phone: plural(n, 'phone number', 'phone numbers'),
        'user-id': plural(n, 'user id', 'user ids'),
        health: plural(n, 'health value', 'health values'),
      })[k],
    gaps: 'Missing data',
    gap: (s, e) => `${s}: ${e}`,
  },
};

export function messages(lang: Lang): Messages {
  return lang === 'ja' ? ja : en;
}
