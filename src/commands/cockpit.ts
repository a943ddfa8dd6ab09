import { formatDuration } from '../core/time.js';
import { colourWanted } from '../output/style.js';
import { configFor, localUser, openSources, type GlobalOptions, type Io } from './context.js';
import { EXIT } from '../core/status.js';
import { ConfigError } from '../config/store.js';

/** The default command: the cockpit, on a terminal only. */
export async function runCockpitCommand(globals: GlobalOptions, io: Io): Promise<number> {
  const out = io.stdout as NodeJS.WriteStream;
  if (!out.isTTY || !process.stdin.isTTY) {
    io.stderr.write('vitascope-oncall: the cockpit needs a terminal; for a one-shot view run `vitascope-oncall status` (or `status --json`)\n');
    return EXIT.usage;
  }
  const config = configFor(globals, io.env);
  const [{ runCockpit }, { resolveBindings, flattenKeyConfig, KeyOverrideError }] = await Promise.all([import('../ui/cockpit.js'), import('../ui/keys.js')]);
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
  const { sources, sandbox } = await openSources(globals, config, { ...io, stderr: { write: () => true } as unknown as NodeJS.WritableStream }, { headless: false });
  const speed = globals.speed ?? config.effective.sandbox?.speed ?? 1;
  const context = sandbox ? `scenario ${sandbox.scenario} · seed ${sandbox.seed} · ${speed}× time${globals.at ? ` · from +${formatDuration(globals.at)}` : ''}` : undefined;
  const refresh = config.effective.refresh;
  const { configured } = await import('../sources/real.js');
  const which = configured(config.effective, io.env);
  const { PROMETHEUS_TRENDS } = await import('../core/live/model.js');
  const trends = !sandbox && !which.aws && which.prometheus ? PROMETHEUS_TRENDS : undefined;
  const [{ CockpitServices }, { journalPath }] = await Promise.all([import('../core/live/services.js'), import('../core/journal/paths.js')]);
  const services = new CockpitServices({
    sources,
    policy: config.policy,
    user: localUser(config.effective),
    readonly: config.effective.readonly === true,
    journalFile: journalPath(io.env, sandbox ? 'sandbox' : 'live'),
    runbookDirs: config.effective.runbooks?.dirs ?? [],
    env: io.env,
    speed: sandbox ? speed : 1,
    sandboxTag: sandbox ? `${sandbox.scenario}-${sandbox.seed}` : undefined,
  });
  await runCockpit({
    services,
    sources,
    policy: config.policy,
    bindings,
    readonly: config.effective.readonly === true,
    colour: colourWanted(out, io.env, globals.color === false),
    context,
    intervals: refresh ? { alarms: refresh.alarms, services: refresh.services, incidents: refresh.incidents, onCall: refresh.onCall, metrics: refresh.metrics, alerts: refresh.alerts } : undefined,
    trends,
    stdout: out,
    stdin: process.stdin,
    stderr: process.stderr,
  });
  return 0;
}
