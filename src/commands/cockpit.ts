import { Writable } from 'node:stream';
import { actionLimits } from '../core/actions/limits.js';
import { logGroupsFor } from '../sources/logGroups.js';
import { formatDuration } from '../core/time.js';
import { colourWanted } from '../output/style.js';
import { configFor, localUser, openSources, type GlobalOptions, type Io } from './context.js';
import { EXIT } from '../core/status.js';
import type { Journal } from '../core/journal/index.js';
import { ConfigError } from '../config/load.js';
import { tuneHeapForCockpit } from '../ui/heap.js';
import { terminalLinks } from '../core/links.js';

/** Everything the cockpit loads besides the configuration and the sources. */
function cockpitModules() {
  return Promise.all([
    import('../ui/cockpit.js'),
    import('../sources/real.js'),
    import('../core/live/model.js'),
    import('../core/live/services.js'),
    import('../core/journal/paths.js'),
  ]);
}

/** The default command: the cockpit, on a terminal only. */
export async function runCockpitCommand(globals: GlobalOptions, io: Io): Promise<number> {
  const out = io.stdout as NodeJS.WriteStream;
  if (!out.isTTY || !process.stdin.isTTY) {
    io.stderr.write(
      'vitascope-oncall: the cockpit needs a terminal; for a one-shot view run `vitascope-oncall status` (or `status --json`)\n',
    );
    return EXIT.usage;
  }
  tuneHeapForCockpit();
  const colour = colourWanted(out, io.env, globals.color === false);
  // Ink's chalk settles its colour level once, as it loads, from the environment (CI=1 turns colour off
  // even at a terminal). The decision is made already (terminal, NO_COLOR, --no-color): tell chalk,
  // and take it back once loaded so that commands the runbooks run do not inherit it.
  const forceColour = process.env.FORCE_COLOR;
  if (colour && !forceColour) process.env.FORCE_COLOR = '1';
  // The screen's modules (Ink, React, Yoga: the largest part of the start) load while the
  // configuration is read and the sources open, instead of after.
  const modules = cockpitModules();
  modules
    .catch(() => undefined)
    .finally(() => {
      if (forceColour === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = forceColour;
    }); // awaited below; a configuration error must not leave it unhandled
  let config = await configFor(globals, io);
  const { resolveBindings, flattenKeyConfig, KeyOverrideError } = await import('../ui/keys.js');
  let bindings;
  try {
    bindings = resolveBindings(flattenKeyConfig(config.effective.keys), config.effective.readonly === true);
  } catch (error) {
    if (error instanceof KeyOverrideError) {
      const [field, ...rest] = error.message.split(': ');
      throw new ConfigError(config.path, field, rest.join(': '));
    }
    throw error;
  }
  // The one-line sandbox notice goes to stderr before the screen takes over; keep it visible afterwards too.
  const quiet = { ...io, stderr: new Writable({ write: (_chunk, _encoding, done) => done() }) };
  let { sources, sandbox } = await openSources(globals, config, quiet, { headless: false });
  // Who is at the keyboard, asked once (before the screen takes over): every event carries them.
  if (!config.effective.user?.name) {
    const [{ askIdentityOnce }, { askLine }, { setConfigValue }] = await Promise.all([
      import('./identity.js'),
      import('./prompt.js'),
      import('../config/store.js'),
    ]);
    const asked = await askIdentityOnce({
      config,
      sources,
      io,
      ask: (q) => askLine(q, io),
      save: (key, value) => setConfigValue(key, value, io.env),
    });
    if (asked) {
      config = await configFor(globals, io);
      // The sandbox plays its pager in the responder's name: opened again with it.
      if (sandbox) {
        await sources.close();
        ({ sources, sandbox } = await openSources(globals, config, quiet, { headless: false }));
      }
    }
  }
  const [
    { runCockpit },
    { configured },
    { appSignalPlan, defaultIntervals, LiveModel },
    { CockpitServices },
    { journalPath },
  ] = await modules.catch(async (error: unknown) => {
    await sources.close();
    throw error;
  });
  const speed = globals.speed ?? config.effective.sandbox?.speed ?? 1;
  const context = sandbox
    ? `scenario ${sandbox.scenario} · seed ${sandbox.seed} · ${speed}× time${globals.at ? ` · from +${formatDuration(globals.at)}` : ''}`
    : undefined;
  const refresh = config.effective.refresh;
  const which = configured(config.effective, io.env);
  // Prometheus first when it is configured, CloudWatch (the sandbox's included) as the fallback.
  const signals = appSignalPlan(
    { prometheus: !sandbox && which.prometheus, cloudwatch: sandbox !== undefined || which.aws },
    config.effective.prometheus?.metrics,
  );
  // The team timeline only when configured: nothing of it is loaded otherwise.
  const teamModule = config.effective.team?.url ? await import('./teamOpen.js') : undefined;
  const services = new CockpitServices({
    sources,
    policy: config.policy,
    user: localUser(config.effective),
    readonly: config.effective.readonly === true,
    journalFile: journalPath(io.env, sandbox ? 'sandbox' : 'live'),
    runbookDirs: config.effective.runbooks?.dirs ?? [],
    env: io.env,
    speed: sandbox ? speed : 1,
    sandboxTag: sandbox
      ? `${sandbox.scenario} · seed ${sandbox.seed}${sandbox.run ? ` · run ${sandbox.run}` : ''}`
      : undefined,
    limits: actionLimits(config.effective.limits),
    logGroups: (service: string) => logGroupsFor(config.effective)[service],
    ...(teamModule ? { team: (journal: Journal) => teamModule.openTeam(config.effective, io.env, journal) } : {}),
  });
  // Muted CloudWatch alarms come back when their time is up, and overdue ones now (CloudWatch has no timer).
  services.alarmActionsTimer()?.start();
  const intervals = refresh
    ? {
        alarms: refresh.alarms,
        services: refresh.services,
        incidents: refresh.incidents,
        onCall: refresh.onCall,
        metrics: refresh.metrics,
        alerts: refresh.alerts,
      }
    : undefined;
  const live = new LiveModel(
    sources,
    { ...defaultIntervals(sources.environment.kind), ...withoutUndefined(intervals) },
    undefined,
    signals,
  );
  // The one timeline: what the live model sees is journaled in core (the recorder follows the model),
  // wired here where the program is put together, never from a view.
  services.record(live);
  await runCockpit({
    live,
    services,
    sources,
    policy: config.policy,
    bindings,
    readonly: config.effective.readonly === true,
    colour,
    context,
    // Links and copying only where the terminal is known to take them, and not under --no-links.
    ...(config.effective.display?.links !== false && terminalLinks(io.env, out.isTTY === true)
      ? { clipboard: { write: (s: string) => out.write(s), links: !sandbox } }
      : {}),
    stdout: out,
    stdin: process.stdin,
    stderr: process.stderr,
  });
  return 0;
}

function withoutUndefined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
