import { randomUUID } from 'node:crypto';
import type { Config } from '../config/schema.js';
import type { Journal } from '../core/journal/index.js';
import { localUser, type Io } from './context.js';

/**
 * `alarms apply` changes production alarms, so it is journaled like every other action (DESIGN: every
 * action, dry runs and refusals included): one run is planned → confirmed → applied → verified, or
 * failed at a stage, in the live journal, with who ran it. It belongs to no incident.
 *
 * The journal is opened before anything is asked of AWS: a journal that cannot be written refuses the
 * change rather than making an unrecorded one.
 */

export const APPLY_ACTION_ID = 'cloudwatch.apply-alarms';
/** How many of a plan's changes the plan itself lists (reports show them). */
const SHOWN_CHANGES = 10;

export interface ApplyRecorder {
  planned(plan: {
    summary: string;
    changes: readonly string[];
    dryRun: boolean;
    params: Record<string, unknown>;
  }): void;
  confirmed(typedTarget: boolean): void;
  applied(output: string): void;
  verified(output: string): void;
  failed(stage: 'plan' | 'apply' | 'verify', error: string, output?: string): void;
  close(): void;
}

/** Opens the live journal for one run of `alarms apply` against `target` ("CloudWatch alarms in REGION"). */
export async function openApplyRecorder(config: Config, io: Io, target: string): Promise<ApplyRecorder> {
  const { journalPath, openJournal } = await import('../core/journal/index.js');
  const journal: Journal = openJournal(journalPath(io.env, 'live'));
  const user = localUser(config);
  const who = { kind: 'local' as const, id: user.name, name: user.name };
  const runId = randomUUID();
  let params: Record<string, unknown> | undefined;
  let dryRun = false;
  const ids = () => ({
    runId,
    actionId: APPLY_ACTION_ID,
    target,
    ...(params ? { params } : {}),
    ...(dryRun ? { dryRun } : {}),
  });
  return {
    planned(plan) {
      params = plan.params;
      dryRun = plan.dryRun;
      // A first apply changes every alarm (hundreds): reports show the plan's changes, so the plan keeps
      // the first few and the parameters keep the whole list.
      const shown = plan.changes.slice(0, SHOWN_CHANGES).map((c) => c.slice(0, 1024));
      if (plan.changes.length > SHOWN_CHANGES) shown.push(`… and ${plan.changes.length - SHOWN_CHANGES} more`);
      params = { ...params, changes: plan.changes };
      journal.append({
        kind: 'action.planned',
        who,
        payload: { ...ids(), plan: { summary: plan.summary, changes: shown } },
      });
    },
    confirmed(typedTarget) {
      journal.append({ kind: 'action.confirmed', who, payload: { ...ids(), ...(typedTarget ? { typedTarget } : {}) } });
    },
    applied(output) {
      journal.append({ kind: 'action.applied', who, payload: { ...ids(), changed: true, output } });
    },
    verified(output) {
      journal.append({ kind: 'action.verified', who, payload: { ...ids(), output } });
    },
    failed(stage, error, output) {
      journal.append({
        kind: 'action.failed',
        who,
        payload: { ...ids(), stage, error, ...(output !== undefined ? { output } : {}) },
      });
    },
    close() {
      journal.close();
    },
  };
}
