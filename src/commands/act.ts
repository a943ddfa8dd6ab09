import type { ActionOutcome, ActionPlan, Confirmation, ConfirmAnswer } from '../core/actions/types.js';
import type { PreparedAction } from '../core/actions/engine.js';
import { actionLimits } from '../core/actions/limits.js';
import { inertLine, jsonText } from '../core/sanitize.js';
import { EXIT } from '../core/status.js';
import { formatDuration } from '../core/time.js';
import { localUser, type GlobalOptions, type Io } from './context.js';
import { askLine } from './prompt.js';
import { knownIncident, mirrorPending } from './note.js';
import { guarded, openReportContext, UsageError } from './reportContext.js';

/**
 * `act ACTION [name=value …]`: one catalogue action outside a runbook, through the same engine and the
 * same guard rails: the plan (current → target, blast radius) is printed first, then confirmed on the
 * terminal (the target's name typed for a dangerous action against production), applied, read back and
 * journaled, attached to `--incident` when given. For scripts, `--yes` confirms what needs a plain yes;
 * what needs the target typed takes `--confirm TARGET` instead, so that no script reboots a production
 * database on a reflexive flag.
 *
 * Exit codes: 0 done (or nothing to change, or a dry run); 1 declined, a conflict (someone changed the
 * target since the plan), or applied but not verified; 2 usage or a refusal (read-only, a wrong
 * confirmation); 3 configuration; 4 the change failed at the source.
 */

export interface ActOptions {
  readonly incident?: string;
  readonly dryRun?: boolean;
  readonly yes?: boolean;
  readonly confirm?: string;
  readonly verifyAlarm?: string;
  readonly verifyTimeout?: number;
  readonly json?: boolean;
}

/** name=value arguments; a value starting with [ or { is JSON (reassign's `to`, a silence's matchers). */
export function parseActParams(args: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new UsageError(`a parameter is name=value, not ${JSON.stringify(arg)}`);
    const name = arg.slice(0, eq);
    const raw = arg.slice(eq + 1);
    if (Object.hasOwn(params, name)) throw new UsageError(`parameter ${name} is given twice`);
    if (/^\s*[[{]/.test(raw)) {
      try {
        params[name] = JSON.parse(raw);
      } catch {
        throw new UsageError(`parameter ${name}: ${JSON.stringify(raw)} starts like JSON but is not JSON`);
      }
    } else {
      params[name] = raw;
    }
  }
  return params;
}

/** The plan as the terminal shows it before asking. */
export function planLines(plan: ActionPlan): string[] {
  const out = [
    `${plan.title}: ${plan.summary}`,
    `  ${plan.action} on ${plan.target} · ${plan.danger}${plan.production ? ' · PRODUCTION' : ''}`,
  ];
  for (const c of plan.changes) out.push(`  ${c.what}: ${c.from ?? '–'} → ${c.to ?? '–'}`);
  for (const b of plan.blastRadius) out.push(`  ! ${b}`);
  if (plan.verify.alarm)
    out.push(
      `  verify: alarm ${plan.verify.alarm} is ${plan.verify.state ?? 'OK'} within ${formatDuration(plan.verify.timeoutMs)}`,
    );
  return out.map(inertLine);
}

/** The answer to the plan's confirmation: from the flags, or asked on the terminal. */
async function answerFor(needed: Confirmation, plan: ActionPlan, options: ActOptions, io: Io): Promise<ConfirmAnswer> {
  if (options.confirm !== undefined) return { answer: 'confirm', typed: options.confirm };
  if (options.yes) {
    if (needed.kind === 'typed')
      throw new UsageError(
        `${plan.action} on ${plan.target} is dangerous in production: confirm it by naming the target, --confirm ${needed.text} (--yes is not enough)`,
      );
    return { answer: 'confirm' };
  }
  if (!process.stdin.isTTY)
    throw new UsageError(
      `needs a confirmation and there is no terminal to ask on: pass ${needed.kind === 'typed' ? `--confirm ${needed.text}` : '--yes'} (--dry-run shows and records the plan)`,
    );
  if (needed.kind === 'typed') {
    const typed = (await askLine(`type ${needed.text} to confirm (anything else declines): `, io)).trim();
    return typed === needed.text
      ? { answer: 'confirm', typed }
      : { answer: 'decline', reason: `the name typed (${JSON.stringify(typed.slice(0, 64))}) is not ${needed.text}` };
  }
  const yes = (await askLine(`${plan.title} on ${plan.target}? (y/N) `, io)).trim().toLowerCase();
  return yes === 'y' || yes === 'yes'
    ? { answer: 'confirm' }
    : { answer: 'decline', reason: 'declined at the confirmation' };
}

function outcomeJson(
  outcome: ActionOutcome | { status: 'conflict'; conflicts: readonly string[]; prepared: PreparedAction },
) {
  if (outcome.status === 'conflict')
    return { status: 'conflict', conflicts: outcome.conflicts, plan: outcome.prepared.plan };
  return outcome;
}

const EXIT_BY_STATUS: Record<string, number> = {
  verified: 0,
  'nothing-to-do': 0,
  'dry-run': 0,
  declined: 1,
  conflict: 1,
};

export async function runAct(
  action: string,
  args: readonly string[],
  globals: GlobalOptions,
  options: ActOptions,
  io: Io,
): Promise<number> {
  return guarded(io, 'act', async () => {
    const [
      { isActionId, ACTION_IDS },
      { createActionEngine },
      { ReadOnlyError, ActionPlanError, ConfirmationError },
      { realClock, simulatedClock },
    ] = await Promise.all([
      import('../core/actions/catalogue.js'),
      import('../core/actions/engine.js'),
      import('../core/actions/errors.js'),
      import('../core/actions/clock.js'),
    ]);
    if (!isActionId(action))
      throw new UsageError(`no action ${JSON.stringify(action)}; the catalogue: ${ACTION_IDS.join(', ')}`);
    const params = parseActParams(args);
    const rc = await openReportContext(globals, io);
    const config = rc.config;
    try {
      const sources = rc.sources;
      if (options.incident) await knownIncident(rc, options.incident);
      // The frozen headless sandbox moves only when a wait moves it; real sources wait on the wall clock.
      const simulation = sources.simulation;
      const clock = simulation?.frozen
        ? simulatedClock({ now: () => sources.now(), advance: (ms) => simulation.advance(ms) })
        : realClock();
      const engine = createActionEngine({
        sources,
        actor: localUser(config.effective),
        who: rc.who,
        clock,
        journal: rc.journal,
        readonly: config.effective.readonly === true,
        limits: actionLimits(config.effective.limits),
        ...(rc.team ? { claims: rc.team.claims() } : {}),
        ...(options.incident ? { journalIncidentId: options.incident, incidentId: options.incident } : {}),
      });
      const request = {
        action,
        params,
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.verifyAlarm
          ? { verify: { alarm: options.verifyAlarm, timeoutMs: options.verifyTimeout ?? 20 * 60_000 } }
          : {}),
      };
      let prepared: PreparedAction;
      try {
        prepared = await engine.prepare(request);
      } catch (error) {
        if (error instanceof ReadOnlyError)
          throw new UsageError(`refused: ${error.message}; --dry-run shows and records the plan`);
        if (error instanceof ActionPlanError) {
          if (error.reason === 'params' || error.reason === 'target') throw new UsageError(error.message);
          io.stderr.write(`vitascope-oncall: act: cannot plan: ${inertLine(error.message)}\n`);
          return error.reason === 'read' ? EXIT.source : EXIT.usage;
        }
        throw error;
      }
      if (!options.json) for (const line of planLines(prepared.plan)) io.stdout.write(`${line}\n`);

      let answer: ConfirmAnswer;
      if (options.dryRun) answer = { answer: 'dry-run' };
      else if (prepared.plan.changes.length === 0) answer = { answer: 'confirm' };
      else {
        try {
          answer = await answerFor(prepared.confirmation, prepared.plan, options, io);
        } catch (error) {
          // Refused before asking (a flag that cannot confirm this, no terminal): journaled as declined.
          if (error instanceof UsageError) await engine.execute(prepared, { answer: 'decline', reason: error.message });
          throw error;
        }
      }

      let outcome;
      try {
        outcome = await engine.execute(prepared, answer);
      } catch (error) {
        if (error instanceof ConfirmationError) throw new UsageError(error.message);
        if (error instanceof Error && error.name === 'ClaimHeldError') {
          // A teammate is applying the same action to the same target: refused here, journaled as such.
          io.stderr.write(`vitascope-oncall: act: not applied: ${inertLine(error.message)}\n`);
          return EXIT.warning;
        }
        throw error;
      }
      if (options.json) io.stdout.write(`${jsonText(outcomeJson(outcome), 2)}\n`);
      else if (outcome.status === 'conflict') {
        io.stderr.write(
          `vitascope-oncall: act: not applied: the target changed since the plan: ${inertLine(outcome.conflicts.join('; '))}\n`,
        );
        for (const line of planLines(outcome.prepared.plan)) io.stdout.write(`now: ${line}\n`);
        io.stdout.write('run it again to act on the new plan\n');
      } else if (outcome.status === 'failed') {
        io.stderr.write(
          `vitascope-oncall: act: ${outcome.stage === 'verify' ? 'applied, but not verified' : 'failed'}: ${inertLine(outcome.error)}\n`,
        );
      } else {
        io.stdout.write(`${outcome.status}: ${inertLine(outcome.output.split('\n')[0] ?? '')}\n`);
        if (outcome.status === 'verified')
          for (const l of outcome.evidence.effect.split('\n')) io.stdout.write(`  ${inertLine(l)}\n`);
      }
      if (options.incident) await mirrorPending(rc, io, 'act');
      if (outcome.status === 'failed') return outcome.stage === 'verify' ? 1 : EXIT.source;
      return EXIT_BY_STATUS[outcome.status] ?? EXIT.internal;
    } finally {
      await rc.close();
    }
  });
}
