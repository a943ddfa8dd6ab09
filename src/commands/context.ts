import os from 'node:os';
import type { Person } from '../core/model.js';
import type { Policy } from '../core/policy/types.js';
import { readConfig, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Sources } from '../sources/ports.js';
import { configured } from '../sources/real.js';
import { SourcesNotAvailableError } from './errors.js';
import { inertLine } from '../core/sanitize.js';
import { setDisplayTimeZone } from '../core/time.js';
import { langFromEnv, setUiLang } from '../core/lang.js';

/** Options every command accepts (given before or after the subcommand). */
export interface GlobalOptions {
  readonly demo?: boolean;
  readonly scenario?: string;
  readonly seed?: number;
  readonly speed?: number;
  /** Milliseconds of simulated time to look ahead (headless) or to start at (cockpit). */
  readonly at?: number;
  readonly profile?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly readonly?: boolean;
  /** commander's --no-color: false when given. */
  readonly color?: boolean;
  /** --utc: every time in UTC, whatever display.timezone says. */
  readonly utc?: boolean;
  /** --lang: the interface's language (display.lang, else the locale). */
  readonly lang?: 'en' | 'ja';
  /** commander's --no-links: false when given. */
  readonly links?: boolean;
}

/** Streams and environment a command runs with; tests pass their own. */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

export const DEFAULT_SCENARIO = 'calm';
export const DEFAULT_SEED = 1;

/** Prints the configuration's warnings (a file holding a secret that others can read), once each per process. */
const warned = new Set<string>();
export function printConfigWarnings(loaded: LoadedConfig, stderr: NodeJS.WritableStream): void {
  for (const w of loaded.warnings ?? []) {
    if (warned.has(w)) continue;
    warned.add(w);
    stderr.write(`vitascope-oncall: warning: ${inertLine(w)}\n`);
  }
}

/**
 * The configuration with command-line flags applied on top (flags beat environment beat file).
 * Asynchronous: the validator is loaded only when there is something to validate (config/load.ts).
 */
export async function configFor(globals: GlobalOptions, io: Pick<Io, 'env' | 'stderr'>): Promise<LoadedConfig> {
  const env = io.env;
  const loaded = await readConfig(env);
  printConfigWarnings(loaded, io.stderr);
  const effective: Config = structuredClone(loaded.effective);
  const origins = new Map(loaded.origins);
  const aws = { ...effective.aws };
  if (globals.profile) {
    aws.profile = globals.profile;
    origins.set('aws.profile', 'flag');
  }
  if (globals.region) {
    aws.region = globals.region;
    origins.set('aws.region', 'flag');
  }
  if (globals.endpointUrl) {
    aws.endpointUrl = globals.endpointUrl;
    origins.set('aws.endpointUrl', 'flag');
  }
  if (Object.keys(aws).length > 0) effective.aws = aws;
  if (globals.readonly) {
    effective.readonly = true;
    origins.set('readonly', 'flag');
  }
  const display = { ...effective.display };
  if (globals.utc) {
    display.timezone = 'UTC';
    origins.set('display.timezone', 'flag');
  }
  if (globals.lang) {
    display.lang = globals.lang;
    origins.set('display.lang', 'flag');
  }
  if (globals.links === false) {
    display.links = false;
    origins.set('display.links', 'flag');
  }
  if (Object.keys(display).length > 0) effective.display = display;
  // One process shows one zone and speaks one language: every clock and label follows them from here on.
  setDisplayTimeZone(display.timezone);
  setUiLang(display.lang ?? langFromEnv(env));
  return { ...loaded, effective, origins };
}

/** Whether any real source is configured; without one the product runs on the sandbox. */
export function realSourcesConfigured(config: Config, env: NodeJS.ProcessEnv): boolean {
  return Object.values(configured(config, env)).some(Boolean);
}

export function localUser(config: Config): Person {
  let name = config.user?.name;
  if (!name) {
    try {
      name = os.userInfo().username;
    } catch {
      name = 'responder';
    }
  }
  return { id: 'local', name, email: config.user?.email };
}

export interface OpenedSources {
  readonly sources: Sources;
  /** Scenario and seed (and the run's tag, for a lived run), when the sources are the sandbox. */
  readonly sandbox?: { readonly scenario: string; readonly seed: number; readonly run?: string };
}

/** The configured real sources (AWS, PagerDuty, Prometheus, Alertmanager): the one place commands open them. */
export async function openConfiguredSources(
  config: LoadedConfig,
  io: Pick<Io, 'env'>,
): Promise<import('../sources/real.js').RealSources> {
  const { openRealSources } = await import('../sources/real.js');
  try {
    return await openRealSources(config.effective, io.env, config.policy.rules);
  } catch (error) {
    throw new SourcesNotAvailableError(
      `cannot open the configured sources: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Opens the sandbox or the real sources. Headless commands look at one frozen moment of the sandbox
 * (`--at` after its start); the cockpit lets simulated time run at `--speed`.
 */
export async function openSources(
  globals: GlobalOptions,
  config: LoadedConfig,
  io: Io,
  mode: { readonly headless: boolean },
): Promise<OpenedSources> {
  const useSandbox = globals.demo === true || !realSourcesConfigured(config.effective, io.env);
  if (!useSandbox) {
    const sources = await openConfiguredSources(config, io);
    if (!mode.headless) return { sources };
    try {
      // Headless commands give each source one deadline in all (sources/sourceDeadlines.ts).
      const [{ withSourceDeadlines }, { deadlinesFor }, { sourceLabels }] = await Promise.all([
        import('../sources/sourceDeadlines.js'),
        import('../sources/deadlines.js'),
        import('../sources/real.js'),
      ]);
      return {
        sources: withSourceDeadlines(sources, deadlinesFor(config.effective), sourceLabels(sources.configured)),
      };
    } catch (error) {
      await sources.close();
      throw new SourcesNotAvailableError(
        `cannot open the configured sources: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (globals.demo !== true) {
    io.stderr.write(
      'vitascope-oncall: no AWS, PagerDuty or Prometheus configured: showing the SANDBOX, a simulated production (--demo hides this line)\n',
    );
  }
  const scenario = globals.scenario ?? config.effective.sandbox?.scenario ?? DEFAULT_SCENARIO;
  const seed = globals.seed ?? config.effective.sandbox?.seed ?? DEFAULT_SEED;
  const { createSandbox } = await import('../sources/sandbox/sandbox.js');
  // A lived run (the cockpit) gets ids of its own; a headless look at a frozen moment is the same
  // deterministic world every time, with the same ids (PSB1001).
  const run = mode.headless ? undefined : (await import('../core/record/run.js')).newRunTag();
  const sources = createSandbox({
    ...(run ? { run } : {}),
    seed,
    scenario,
    speed: globals.speed ?? config.effective.sandbox?.speed ?? 1,
    startOffsetMs: globals.at ?? 0,
    policy: config.policy,
    user: localUser(config.effective),
    frozen: mode.headless,
  });
  return { sources, sandbox: { scenario, seed, ...(run ? { run } : {}) } };
}

export { SourcesNotAvailableError };

export type { Policy };
