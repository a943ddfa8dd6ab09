import { MARKS, stepOutcome } from '../runbooks/marks.js';
import type { Alarm, Incident } from '../model.js';
import type { Sources } from '../../sources/ports.js';
import type { Clock } from '../actions/clock.js';
import { REMEDIATIONS } from '../actions/registry.js';
import { isActionId } from '../actions/catalogue.js';
import type { ActionOutcome } from '../actions/types.js';
import { describeEvidence } from '../actions/engine.js';
import { inertLine } from '../sanitize.js';
import { formatDuration } from '../time.js';
import { matchRunbook } from '../runbooks/match.js';
import { drillResponder } from '../runbooks/responder.js';
import { createRunner, type RunResult } from '../runbooks/runner.js';
import type { DrillAction, DrillCommon } from './types.js';

/**
 * One incident of a drill: match its runbook, walk it with the drill's stand-in responder, and turn
 * the runner's progress into lines. Shared by the sandbox drill and `--live`.
 */

export interface WalkOptions extends DrillCommon {
  readonly sources: Sources;
  readonly clock: Clock;
  readonly incident?: Incident;
  readonly alarm: Alarm;
  readonly journalIncidentId: string;
  /** Every action a dry run regardless of --yes (--live). */
  readonly dryRun: boolean;
  readonly stepTimeMs: number;
  /** Checks with `wait:` poll (sandbox) or are judged once (--live: nothing recovers for real). */
  readonly waits: boolean;
  /** "+12m" for a line, from the clock. */
  readonly stamp: () => string;
  /** Called when the runner enters a phase (the mirror runs then). */
  readonly onPhase?: () => void;
}

export interface Walked {
  readonly runbook: string;
  readonly result: RunResult;
  readonly steps: { readonly done: number; readonly skipped: number };
  readonly actions: readonly DrillAction[];
}

export function firstLine(text: string | undefined, max = 110): string {
  const line = inertLine((text ?? '').split('\n', 1)[0] ?? '');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function drillAction(stepId: string, o: ActionOutcome): DrillAction {
  const evidence =
    o.status === 'verified' || (o.status === 'failed' && o.evidence)
      ? describeEvidence(o.evidence!, o.plan.verify)
      : undefined;
  return {
    stepId,
    action: o.plan.action,
    target: o.plan.target,
    status: o.status,
    summary: o.status === 'failed' ? `${o.plan.summary} — failed (${o.stage}): ${o.error}` : o.plan.summary,
    ...(evidence ? { evidence } : {}),
  };
}

/** Whether an outcome is a remediation that really changed the world and was verified. */
export function remedied(o: ActionOutcome): boolean {
  return o.status === 'verified' && isActionId(o.plan.action) && REMEDIATIONS.has(o.plan.action);
}

export async function walkIncident(o: WalkOptions): Promise<Walked | undefined> {
  const line = (text: string) => o.onLine?.(`${o.stamp().padEnd(6)} ${text}`);
  const match = matchRunbook(o.runbooks, { alarm: o.alarm, ...(o.incident ? { incident: o.incident } : {}) });
  if (!match) {
    line(`no runbook matches ${o.alarm.name} (and no default runbook)`);
    return undefined;
  }
  const runbook = match.runbook.runbook;
  line(`runbook ${runbook.id} (${match.reason}): ${inertLine(runbook.title)}`);
  const runner = createRunner({
    runbook: match.runbook,
    ...(o.incident ? { incident: o.incident } : {}),
    alarm: o.alarm,
    sources: o.sources,
    journal: o.journal,
    journalIncidentId: o.journalIncidentId,
    actor: o.actor,
    who: o.who,
    clock: o.clock,
    responder: drillResponder({ yes: o.yes && !o.dryRun, params: { ...(o.answers ?? {}), ...(o.params ?? {}) } }),
    ...(o.params ? { params: o.params } : {}),
    dryRun: o.dryRun || !o.yes,
    readonly: o.readonly === true,
    // A runbook's commands reach real systems (the AWS CLI, logs): a drill plans them, never runs them.
    commandsDryRun: true,
    stepTimeMs: o.stepTimeMs,
    waits: o.waits,
  });
  runner.subscribe((event, snap) => {
    if (event.type === 'phase') {
      line(`── ${event.phase}`);
      o.onPhase?.();
      return;
    }
    if (event.type === 'waiting' && event.what && snap.waiting) {
      line(`   … waiting up to ${formatDuration(snap.waiting.until - snap.waiting.since)}: ${firstLine(event.what)}`);
      return;
    }
    if (event.type !== 'step') return;
    const view = snap.steps.find((s) => s.id === event.stepId);
    if (!view) return;
    if (event.status === 'done') {
      // One mark per outcome (marks.ts): a failed action is ✗, a check with no data is ?, never a tick.
      const mark = MARKS[view.outcome ?? stepOutcome(view)].glyph;
      line(`   ${mark} ${view.id}: ${firstLine(view.output)}`);
    } else if (event.status === 'skipped') {
      line(`   – ${view.id} skipped: ${firstLine(view.reason, 90)}`);
    }
  });
  const result = await runner.run();
  const final = runner.snapshot();
  return {
    runbook: runbook.id,
    result,
    steps: {
      done: final.steps.filter((s) => s.status === 'done').length,
      skipped: final.steps.filter((s) => s.status === 'skipped').length,
    },
    actions: result.actions.map((a) => drillAction(a.stepId, a.outcome)),
  };
}
