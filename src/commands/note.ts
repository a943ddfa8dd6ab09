import type { Incident } from '../core/model.js';
import { inertLine } from '../core/sanitize.js';
import type { GlobalOptions, Io } from './context.js';
import { guarded, openReportContext, UsageError, type ReportContext } from './reportContext.js';

/**
 * `note INCIDENT TEXT` and `followup INCIDENT TEXT --owner NAME` / `followup close ID`: add to the journal
 * without the cockpit, so that reports have something to carry forward. The incident must be known to the
 * journal or to the incident source (an incident only PagerDuty knows is recorded in the journal first).
 * With PagerDuty configured the note is mirrored to the incident at once (redacted); if that fails it is
 * still recorded and the mirror retries later.
 */

/** Makes sure the journal knows the incident, from the incident source when only it does; a usage error when neither does. */
export async function knownIncident(rc: ReportContext, id: string): Promise<void> {
  if (rc.journal.incident(id) || rc.journal.query({ incidentId: id, limit: 1 }).length) return;
  let found: Incident | undefined;
  try {
    found = await rc.sources.incidents?.getIncident(id);
  } catch (error) {
    throw new UsageError(`cannot look up incident ${id}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!found)
    throw new UsageError(
      `no incident ${JSON.stringify(id)} in the ${rc.sandbox ? 'sandbox ' : ''}journal${rc.sources.incidents ? ' or the incident source' : ''}`,
    );
  // Recorded as every change is (core/record): created, and what it went through since, by whom.
  const [{ TimelineRecorder }, { identity }] = await Promise.all([
    import('../core/record/recorder.js'),
    import('../core/record/who.js'),
  ]);
  const recorder = new TimelineRecorder({
    journal: rc.journal,
    sources: rc.sources,
    policy: rc.config.policy,
    me: identity(rc.who),
  });
  await recorder.observe({ incidents: [found] });
}

/** Sends what the journal queued for PagerDuty, redacted; a failure is reported, never fatal. */
export async function mirrorPending(rc: ReportContext, io: Io, command: string): Promise<void> {
  const actions = rc.sources.incidentActions;
  if (!rc.pagerDuty || !actions) return;
  const { redactForMirror } = await import('../core/reports/redact.js');
  const result = await rc.journal.mirrorPending((id, text) => actions.addNote(id, text), { redact: redactForMirror });
  if (result.failed)
    io.stderr.write(
      `vitascope-oncall: ${command}: recorded; sending it to PagerDuty failed and will be retried: ${inertLine(result.errors[0]?.error ?? 'unknown error')}\n`,
    );
}

function words(text: readonly string[], what: string): string {
  const t = text.join(' ').trim();
  if (!t) throw new UsageError(`${what} needs text`);
  return t;
}

export async function runNote(
  incidentId: string,
  text: readonly string[],
  globals: GlobalOptions,
  io: Io,
): Promise<number> {
  return guarded(io, 'note', async () => {
    const body = words(text, 'a note');
    const rc = await openReportContext(globals, io);
    try {
      await knownIncident(rc, incidentId);
      const at = rc.recordAt();
      const e = rc.journal.append({
        kind: 'note',
        who: rc.who,
        incidentId,
        ...(at !== undefined ? { at } : {}),
        payload: { text: body },
      });
      io.stdout.write(`note #${e.seq} recorded on ${inertLine(incidentId)}\n`);
      await mirrorPending(rc, io, 'note');
      return 0;
    } finally {
      await rc.close();
    }
  });
}

export async function runFollowUp(
  incidentId: string,
  text: readonly string[],
  options: GlobalOptions & { owner?: string; due?: number },
  io: Io,
): Promise<number> {
  return guarded(io, 'followup', async () => {
    const body = words(text, 'a follow-up');
    if (!options.owner?.trim()) throw new UsageError('a follow-up needs an owner: --owner NAME');
    const rc = await openReportContext(options, io);
    try {
      await knownIncident(rc, incidentId);
      const at = rc.recordAt();
      const f = rc.journal.addFollowUp({
        text: body,
        owner: options.owner.trim(),
        who: rc.who,
        incidentId,
        ...(options.due !== undefined ? { dueAt: options.due } : {}),
        ...(at !== undefined ? { at } : {}),
      });
      io.stdout.write(`follow-up #${f.id} for ${inertLine(f.owner)} recorded on ${inertLine(incidentId)}\n`);
      await mirrorPending(rc, io, 'followup');
      return 0;
    } finally {
      await rc.close();
    }
  });
}

export async function runFollowUpClose(
  idText: string,
  options: GlobalOptions & { resolution?: string },
  io: Io,
): Promise<number> {
  return guarded(io, 'followup close', async () => {
    if (!/^\d+$/.test(idText) || Number(idText) < 1)
      throw new UsageError(
        `expected a follow-up id (a whole number, as the handoff lists them), not ${JSON.stringify(idText)}`,
      );
    const rc = await openReportContext(options, io);
    try {
      const at = rc.recordAt();
      const resolution = options.resolution?.trim();
      const f = rc.journal.closeFollowUp(Number(idText), {
        who: rc.who,
        ...(resolution ? { resolution } : {}),
        ...(at !== undefined ? { at } : {}),
      });
      io.stdout.write(`follow-up #${f.id} closed\n`);
      await mirrorPending(rc, io, 'followup close');
      return 0;
    } finally {
      await rc.close();
    }
  });
}
