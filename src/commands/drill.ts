import os from 'node:os';
import { EXIT } from '../core/status.js';
import { inertLine, jsonText } from '../core/sanitize.js';
import type { DrillReport, DrillScenario } from '../core/drill/types.js';
import type { TemplateValue } from '../core/runbooks/template.js';
import {
  configFor,
  localUser,
  openConfiguredSources,
  realSourcesConfigured,
  type GlobalOptions,
  type Io,
} from './context.js';

/**
 * `drill --scenario NAME [--yes] [--json] [--live]`: a headless game day.
 *
 * On the sandbox (frozen; the drill advances it): start the scenario, let its alarms fire and open
 * incidents, work each with its matched runbook (actions confirmed only with --yes; notes get a stated
 * placeholder; decisions follow the runbook's rule), end when the scenario's alarms have recovered or
 * the simulated-time limit passes. Everything is in the sandbox's own journal (journal-sandbox.db), and
 * the timeline is mirrored to the incidents as notes, the sandbox's pager standing in for PagerDuty.
 *
 * --live: against the configured AWS account, the alarms are forced with SetAlarmState and every
 * action is a dry run (planned from the real resources, never applied). First it lists every alarm
 * action that will fire and who it reaches; in production it starts only with the account id typed
 * (or --confirm-account ID without a terminal; --yes alone is refused). --no-actions disables the
 * drilled alarms' actions for the drill and enables them again after, even on Ctrl-C or SIGTERM.
 * Read-only mode refuses it.
 *
 * Exit 0 only when the runbooks resolved the scenario (drill/drill.ts, drill/live.ts say what counts).
 */

export interface DrillCommandOptions {
  readonly yes?: boolean;
  readonly json?: boolean;
  readonly live?: boolean;
  readonly param?: readonly string[];
  readonly limit?: number;
  readonly mirror?: boolean;
  /** commander's --no-actions: false when given. */
  readonly actions?: boolean;
  readonly confirmAccount?: string;
}

/** --param values: numbers and booleans keep their type (a template of one placeholder keeps it too). */
function parseParams(list: readonly string[] | undefined): Record<string, TemplateValue> {
  const out: Record<string, TemplateValue> = {};
  for (const item of list ?? []) {
    const i = item.indexOf('=');
    const raw = item.slice(i + 1);
    out[item.slice(0, i)] = /^-?\d+(\.\d+)?$/.test(raw)
      ? Number(raw)
      : raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : raw;
  }
  return out;
}

/** The local user as the journal records them: by email when configured, else the OS account. */
function who(person: { name: string; email?: string }) {
  let id = person.email ?? person.name;
  if (!person.email) {
    try {
      id = os.userInfo().username;
    } catch {
      // the name will do
    }
  }
  return { kind: 'local' as const, id, name: person.name };
}

function printReport(report: DrillReport, io: Io): void {
  const w = (s: string) => io.stdout.write(`${s}\n`);
  w('');
  w(`${report.resolved ? 'RESOLVED' : 'NOT RESOLVED'}: ${inertLine(report.reason)}`);
  const m = report.minutes;
  if (m.toResolve !== undefined) {
    w(
      `resolved ${m.toResolve} simulated minutes after the first incident opened (minute ${m.firstIncident}; the drill took it up at minute ${m.started}, remediated at ${m.remedied}, recovered at ${m.recovered})`,
    );
  }
  for (const i of report.incidents) {
    const acts = i.actions.filter((a) => !a.action.startsWith('pagerduty.') && a.action !== 'command.run');
    w(
      `incident ${i.journalId}${i.sourceId !== i.journalId ? ` (${report.environment} ${i.sourceId})` : ''}: runbook ${i.runbook}, ${i.steps.done} steps done, ${i.steps.skipped} skipped; ${
        acts.map((a) => `${a.action} on ${inertLine(a.target)} ${a.status}`).join(', ') || 'no remediation'
      }; ${i.status}`,
    );
  }
  if (report.mirror)
    w(
      `mirrored to the incidents: ${report.mirror.events} events in ${report.mirror.notes} notes${report.mirror.failed ? `, ${report.mirror.failed} failed (retried next time)` : ''}`,
    );
  w(`journal: ${report.journal.path} (${report.journal.events} events of this drill)`);
}

export async function runDrillCommand(globals: GlobalOptions, options: DrillCommandOptions, io: Io): Promise<number> {
  if (!globals.scenario) {
    io.stderr.write('vitascope-oncall: drill needs --scenario NAME (vitascope-oncall sandbox lists them)\n');
    return EXIT.usage;
  }
  const config = await configFor(globals, io);
  const [
    { scenarios, remedyActionOf },
    { loadRunbooks, resolveRunbookDir, shippedRunbooksDir },
    { openJournal, journalPath },
    { formatLintError },
  ] = await Promise.all([
    import('../sources/sandbox/scenarios.js'),
    import('../core/runbooks/load.js'),
    import('../core/journal/index.js'),
    import('../core/runbooks/lintErrors.js'),
  ]);
  const seed = globals.seed ?? config.effective.sandbox?.seed ?? 1;
  const scenario = scenarios(seed).find((s) => s.name === globals.scenario);
  if (!scenario) {
    io.stderr.write(`vitascope-oncall: unknown scenario ${inertLine(globals.scenario)}\n`);
    return EXIT.config;
  }
  if (scenario.exercises.length === 0) {
    io.stderr.write(
      `vitascope-oncall: scenario ${scenario.name} exercises no runbook (nothing fires): choose another\n`,
    );
    return EXIT.usage;
  }
  const dirs = (config.effective.runbooks?.dirs ?? []).map((d) => resolveRunbookDir(d, io.env));
  const set = loadRunbooks({ shipped: shippedRunbooksDir() ?? false, dirs });
  for (const e of set.errors) io.stderr.write(`vitascope-oncall: runbook left out: ${formatLintError(e)}\n`);

  // What the scenario knows and a responder would find (the attacker's address, the new storage size):
  // the stand-in responder answers with it when a runbook asks for a parameter it has no default for.
  const remedy = scenario.remedyAction ?? (scenario.remedy ? remedyActionOf(scenario.remedy) : undefined);
  const answers: Record<string, TemplateValue> = { ...(remedy?.params ?? {}) };
  const params = parseParams(options.param);

  const actor = localUser(config.effective);
  const progress = (line: string) => (options.json ? io.stderr : io.stdout).write(`${line}\n`);
  const drillScenario: DrillScenario = scenario;
  let report: DrillReport;

  if (options.live) {
    if (!realSourcesConfigured(config.effective, io.env) || !config.effective.aws) {
      io.stderr.write(
        'vitascope-oncall: drill --live needs AWS configured (aws.region and credentials, or --endpoint-url): it sets the alarms of that account\n',
      );
      return EXIT.config;
    }
    const readonly = config.effective.readonly === true;
    const [live, { realClock }, { readOnlySources }, { UndoList }, { askLine }, { ReadOnlyError }] = await Promise.all([
      import('../core/drill/live.js'),
      import('../core/actions/clock.js'),
      import('../core/actions/readonlyPorts.js'),
      import('../core/drill/undo.js'),
      import('./prompt.js'),
      import('../core/actions/errors.js'),
    ]);
    const opened = await openConfiguredSources(config, io);
    // Read-only holds where the changing calls happen too, not only in this check.
    const sources = readonly ? readOnlySources(opened, 'drill --live') : opened;
    const noActions = options.actions === false;
    const undo = new UndoList();
    let journal: ReturnType<typeof openJournal> | undefined;
    // Ctrl-C or SIGTERM mid-drill: put the alarms back (their state, their actions) before leaving.
    const interrupted = (signal: NodeJS.Signals) => {
      progress(`${signal}: putting back what the drill changed (${undo.pending.join('; ') || 'nothing'})`);
      void undo.runAll().then((r) => {
        for (const f of r.failed)
          io.stderr.write(
            `vitascope-oncall: drill: could not undo ${inertLine(f.what)}: ${inertLine(f.error)} — do it by hand\n`,
          );
        journal?.close();
        process.exit(signal === 'SIGINT' ? 130 : 143);
      });
    };
    try {
      const preflight = await live.previewLiveDrill({ sources, scenario: drillScenario, noActions });
      for (const line of live.describePreflight(preflight)) progress(inertLine(line));
      // Read-only: nothing to consent to; the drill itself refuses (below).
      const consent = readonly
        ? ({ kind: 'go' } as const)
        : live.liveDrillConsent(preflight, {
            confirmAccount: options.confirmAccount,
            yes: options.yes,
            terminal: process.stdin.isTTY === true,
          });
      if (consent.kind === 'refuse') {
        io.stderr.write(`vitascope-oncall: drill --live: ${inertLine(consent.reason)}\n`);
        return EXIT.usage;
      }
      if (consent.kind === 'ask') {
        const typed = (
          await askLine('This is production. Type the account id to start the drill (anything else stops): ', io)
        ).trim();
        if (typed !== consent.account) {
          io.stderr.write('vitascope-oncall: drill --live: not the account id: nothing was changed\n');
          return EXIT.usage;
        }
      }
      process.on('SIGINT', interrupted);
      process.on('SIGTERM', interrupted);
      journal = openJournal(journalPath(io.env, 'sandbox'));
      report = await live.runLiveDrill({
        scenario: drillScenario,
        sources,
        clock: realClock(),
        journal,
        runbooks: set.runbooks,
        actor,
        who: who(actor),
        yes: false,
        readonly,
        params,
        answers,
        onLine: progress,
        preflight,
        noActions,
        undo,
      });
    } catch (error) {
      if (!(error instanceof ReadOnlyError)) throw error;
      io.stderr.write(`vitascope-oncall: drill --live refused: ${inertLine(error.message)}; nothing was changed\n`);
      return EXIT.usage;
    } finally {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      // Whatever the drill did not put back itself (it stopped on an error) is put back now.
      const left = await undo.runAll();
      for (const f of left.failed)
        io.stderr.write(
          `vitascope-oncall: drill: could not undo ${inertLine(f.what)}: ${inertLine(f.error)} — do it by hand\n`,
        );
      journal?.close();
      await opened.close();
    }
  } else {
    const [{ createSandbox }, { runSandboxDrill }, { newRunTag }] = await Promise.all([
      import('../sources/sandbox/sandbox.js'),
      import('../core/drill/drill.js'),
      import('../core/record/run.js'),
    ]);
    // A run of its own: the incidents it opens have ids no other run has ("PSB1001.<run>").
    const run = newRunTag();
    const sandbox = createSandbox({
      seed,
      scenario: scenario.name,
      speed: 1,
      startOffsetMs: 0,
      policy: config.policy,
      user: actor,
      frozen: true,
      run,
    });
    const mirror = options.mirror !== false;
    const journal = openJournal(journalPath(io.env, 'sandbox'), { mirror, now: () => sandbox.now() });
    try {
      report = await runSandboxDrill({
        scenario: drillScenario,
        sources: sandbox,
        world: sandbox,
        origin: sandbox.world.origin,
        policy: config.policy,
        journal,
        runbooks: set.runbooks,
        actor,
        who: who(actor),
        yes: options.yes === true,
        readonly: config.effective.readonly === true,
        params,
        answers,
        ...(options.limit ? { limitMs: options.limit } : {}),
        mirror,
        onLine: progress,
      });
    } finally {
      journal.close();
      await sandbox.close();
    }
  }
  if (options.json) io.stdout.write(`${jsonText({ ...report, exitCode: report.resolved ? 0 : 1 }, 2)}\n`);
  else printReport(report, io);
  return report.resolved ? 0 : 1;
}
