import type { JournalEvent } from './events.js';

/**
 * One line per event, for the notes mirrored to PagerDuty (and any plain-text view of a timeline). Lines
 * are plain text: PagerDuty shows notes as text, and the terminal views sanitise separately.
 */

/** Longest line a single event contributes to a note; long output is cut, the journal keeps it whole. */
export const MAX_LINE = 1000;

function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length < text.length ? `${line} …` : line;
}

function cut(text: string, max = MAX_LINE): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function withOutput(head: string, output: string | undefined): string {
  return output && output.trim() ? `${head}: ${firstLine(output.trim())}` : head;
}

/** What happened, in a few words: "applied ecs.set-desired-count on api", "entered investigate". */
export function describeEvent(e: JournalEvent): string {
  switch (e.kind) {
    case 'alarm.transition':
      return `alarm ${e.payload.alarmName}: ${e.payload.from ?? '?'} → ${e.payload.to}${e.payload.reason ? ` (${e.payload.reason})` : ''}`;
    case 'alarm.observed':
      return `alarm ${e.payload.alarmName} first seen in ${e.payload.state}`;
    case 'incident.created':
      return `incident created: ${e.payload.title}${e.payload.priority ? ` [${e.payload.priority}]` : ''}`;
    case 'incident.acknowledged':
      return 'acknowledged the incident';
    case 'incident.unacknowledged':
      return `back to triggered${e.payload.reason ? `: ${e.payload.reason}` : ''}`;
    case 'incident.reassigned':
      return `reassigned to ${e.payload.to.join(', ')}`;
    case 'incident.priority-changed':
      return `priority ${e.payload.from ?? '?'} → ${e.payload.to}`;
    case 'incident.alarm-added':
      return `alarm ${e.payload.alarmName} grouped into the incident`;
    case 'metrics.captured':
      return `metric evidence captured (${e.payload.series.length} series)`;
    case 'run.started':
      return `sandbox run ${e.payload.run} started (${e.payload.scenario}, seed ${e.payload.seed})`;
    case 'run.ended':
      return `sandbox run ${e.payload.run} ended${e.payload.reason ? `: ${e.payload.reason}` : ''}`;
    case 'incident.escalated':
      return `escalated to level ${e.payload.level}${e.payload.to?.length ? ` (${e.payload.to.join(', ')})` : ''}`;
    case 'incident.resolved':
      return `resolved the incident${e.payload.resolution ? `: ${e.payload.resolution}` : ''}`;
    case 'phase.entered':
      return `entered ${e.payload.phase}`;
    case 'step.started':
      return `started step ${e.payload.title ?? e.payload.stepId}`;
    case 'step.done':
      return withOutput(`done: ${e.payload.title ?? e.payload.stepId}`, e.payload.output);
    case 'step.finding':
      return `found (${e.payload.finding.kind} of ${e.payload.finding.service}): ${firstLine(e.payload.finding.summary)}`;
    case 'step.skipped':
      return `skipped: ${e.payload.title ?? e.payload.stepId}${e.payload.reason ? ` (${e.payload.reason})` : ''}`;
    case 'action.planned':
      return `planned ${e.payload.actionId} on ${e.payload.target}: ${e.payload.plan.summary}`;
    case 'action.confirmed':
      return `confirmed ${e.payload.actionId} on ${e.payload.target}`;
    case 'action.applied':
      return withOutput(
        `applied ${e.payload.actionId} on ${e.payload.target}${e.payload.dryRun ? ' (dry run)' : ''}`,
        e.payload.output,
      );
    case 'action.verified':
      return withOutput(`verified ${e.payload.actionId} on ${e.payload.target}`, e.payload.output);
    case 'action.failed':
      return `FAILED ${e.payload.actionId} on ${e.payload.target} (${e.payload.stage}): ${firstLine(e.payload.error)}`;
    case 'note':
      return `note: ${e.payload.text}`;
    case 'followup.added':
      return `follow-up for ${e.payload.owner}: ${e.payload.text}`;
    case 'followup.closed':
      return `closed follow-up #${e.payload.followUpId}${e.payload.resolution ? `: ${e.payload.resolution}` : ''}`;
    case 'handoff.note':
      return `handoff note${e.payload.to ? ` to ${e.payload.to.name ?? e.payload.to.id}` : ''}: ${e.payload.text}`;
    case 'handoff.acknowledged':
      return `acknowledged handoff #${e.payload.handoffId}${e.payload.text ? `: ${e.payload.text}` : ''}`;
    case 'unknown':
      return `(${e.originalKind})`;
  }
}

/** "2026-01-05 10:15:03Z alice: entered investigate", indented continuation lines, cut to MAX_LINE. */
export function eventLine(e: JournalEvent): string {
  const when = new Date(e.at)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  const who = e.who.name ?? e.who.id;
  return cut(`${when} ${who}: ${describeEvent(e)}`).replace(/\r?\n/g, '\n    ');
}

/** The first line of every mirrored note; the marker lets a retry find a note that was already posted. */
export function noteHeader(marker: string, count: number): string {
  return `[vitascope-oncall ${marker}] incident journal, ${count} event${count === 1 ? '' : 's'}:`;
}
