import { execa } from 'execa';
import { inert } from '../sanitize.js';
import { formatDuration, parseDuration } from '../time.js';
import type { ActionParams } from './catalogue.js';
import type { Environment } from '../model.js';
import { ActionPlanError, OutputError } from './errors.js';
import type { ActionHandler, PlanDraft } from './handler.js';
import { readOnlyProblem } from './readOnlyCommands.js';

/**
 * command.run, and the runbooks' command steps: a program run with an argument ARRAY, never through a
 * shell (execa with shell: false; never execaCommand, which splits a string). Incident data templated
 * into an element stays that one literal argument whatever it holds: `$(rm -rf /)`, quotes, `;`, `|`.
 * Output (stdout and stderr interleaved) is captured up to a cap and made inert as it is read, so
 * nobody, the journal included, ever holds a raw escape sequence from it.
 */

/** Output kept per run; the rest is counted, not kept (the journal clamps further, to 64 KiB). */
export const MAX_OUTPUT_CHARS = 256 * 1024;

/** Makes command output safe to print, keeping its lines: every control character but the newline becomes visible. */
export function inertOutput(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => inert(line.replace(/\t/g, '    ')))
    .join('\n');
}

export interface CommandOptions {
  readonly timeoutMs: number;
  readonly cwd?: string;
  /** Output as it arrives, already inert. */
  readonly onOutput?: (chunk: string) => void;
  readonly signal?: AbortSignal;
  readonly maxChars?: number;
  /** The child's whole environment (the configured world's AWS settings applied); the process's own when absent. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface CommandResult {
  readonly argv: readonly string[];
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  /** Captured output, inert, capped. */
  readonly output: string;
  /** Characters not kept beyond the cap. */
  readonly dropped: number;
  readonly durationMs: number;
  /** Why it did not run or did not finish (not found, timed out, killed). */
  readonly error?: string;
}

/** Runs argv[0] with argv[1…] as its arguments, no shell; resolves when it exits (never rejects for the program's failure). */
export async function runCommand(argv: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error('a command needs at least the program to run');
  const max = options.maxChars ?? MAX_OUTPUT_CHARS;
  const started = Date.now();
  const subprocess = execa(file, args, {
    shell: false,
    timeout: options.timeoutMs,
    cwd: options.cwd,
    reject: false,
    stdin: 'ignore',
    buffer: false,
    all: true,
    stripFinalNewline: false,
    windowsHide: true,
    forceKillAfterDelay: 2_000,
    ...(options.env ? { env: options.env, extendEnv: false } : {}),
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  let kept = '';
  let dropped = 0;
  const all = subprocess.all;
  if (all) {
    all.setEncoding('utf8');
    all.on('data', (chunk: string) => {
      const safe = inertOutput(chunk);
      options.onOutput?.(safe);
      const room = max - kept.length;
      if (room >= safe.length) kept += safe;
      else {
        if (room > 0) kept += safe.slice(0, room);
        dropped += safe.length - Math.max(0, room);
      }
    });
  }
  const result = await subprocess;
  const failure = result as typeof result & { code?: string; shortMessage?: string };
  let error: string | undefined;
  if (result.timedOut)
    error = `timed out after ${options.timeoutMs < 1000 ? `${options.timeoutMs}ms` : formatDuration(options.timeoutMs)}`;
  else if (result.isCanceled) error = 'stopped';
  else if (result.exitCode === undefined && result.signal) error = `killed by ${result.signal}`;
  else if (result.exitCode === undefined)
    error = failure.code === 'ENOENT' ? `${file}: program not found` : inert(failure.shortMessage ?? 'could not run');
  return {
    argv,
    ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
    ...(result.signal ? { signal: result.signal } : {}),
    timedOut: result.timedOut,
    output: dropped ? `${kept}\n… [${dropped} more characters of output not kept]` : kept,
    dropped,
    durationMs: Date.now() - started,
    ...(error ? { error } : {}),
  };
}

/** argv as a person reads it: elements with spaces or quotes are quoted (display only; never run like this). */
export function displayArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

const AWS_CREDENTIAL_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

/**
 * A command's environment in the configured world: the AWS profile, region and endpoint the program
 * itself talks to reach the child as AWS_PROFILE, AWS_REGION (and AWS_DEFAULT_REGION) and
 * AWS_ENDPOINT_URL, so `aws …` in a runbook reads the same account as the cockpit, not whatever the shell
 * had. With a profile configured, credentials in the environment are left out: the program's SDK
 * clients skip them for the profile too, and the AWS CLI would prefer them to it.
 */
export function commandEnv(
  environment: Pick<Environment, 'aws'>,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv | undefined {
  const aws = environment.aws;
  if (!aws) return undefined;
  const env: NodeJS.ProcessEnv = { ...base };
  if (aws.profile) {
    env.AWS_PROFILE = aws.profile;
    for (const k of AWS_CREDENTIAL_VARS) delete env[k];
  }
  if (aws.region) env.AWS_REGION = env.AWS_DEFAULT_REGION = aws.region;
  if (aws.endpointUrl) env.AWS_ENDPOINT_URL = aws.endpointUrl;
  return env;
}

function timeoutOf(p: ActionParams<'command.run'>): number {
  const ms = parseDuration(p.timeout);
  if (ms === undefined || ms <= 0) throw new ActionPlanError('command.run', `not a timeout: ${p.timeout}`, 'params');
  return ms;
}

/** Pure: command.run. */
export function planCommand(p: ActionParams<'command.run'>, world: Pick<Environment, 'aws'> = {}): PlanDraft {
  const shown = displayArgv(p.argv);
  if (p.readonly) {
    const problem = readOnlyProblem(p.argv);
    if (problem) throw new ActionPlanError('command.run', `marked read-only, but ${problem}`, 'refused');
  }
  const aws = world.aws;
  const where =
    aws && (aws.profile || aws.region || aws.endpointUrl)
      ? ` (AWS: ${[aws.profile && `profile ${aws.profile}`, aws.region, aws.endpointUrl].filter(Boolean).join(', ')})`
      : '';
  return {
    ...(p.readonly ? { danger: 'safe' as const } : {}),
    target: p.argv[0]!,
    summary: `run ${inert(shown)}`,
    changes: [{ what: 'runs', from: null, to: inert(shown) }],
    blastRadius: [
      p.readonly
        ? `runs ${inert(p.argv[0]!)} on this machine${inert(where)}: marked read-only, an operation that only reads`
        : `runs ${inert(p.argv[0]!)} on this machine with your credentials and environment${inert(where)}${p.cwd ? ` in ${inert(p.cwd)}` : ''}: vitascope-oncall does not know what it changes`,
      `stopped after ${p.timeout}; its output is kept in the journal (secrets redacted)`,
    ],
  };
}

export const commandRun: ActionHandler<'command.run', Record<string, never>> = {
  id: 'command.run',
  target: (p) => p.argv[0] ?? 'command',
  read: async () => ({}),
  plan: (p, _t, env) => planCommand(p, env),
  conflicts: () => [],
  async apply(p, _t, ctx) {
    const env = commandEnv(ctx.sources.environment);
    const r = await runCommand(p.argv, {
      timeoutMs: timeoutOf(p),
      cwd: p.cwd,
      onOutput: ctx.onOutput,
      signal: ctx.signal,
      ...(env ? { env } : {}),
    });
    const status = r.error ?? `exit ${r.exitCode}`;
    if (r.error !== undefined || r.exitCode !== 0) throw new OutputError(`${inert(p.argv[0]!)}: ${status}`, r.output);
    return r.output;
  },
  effect: () => ({ ok: true, evidence: 'exit 0' }),
};
