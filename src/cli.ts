import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError, configPath } from './config/load.js';
import { dataDir } from './core/journal/paths.js';
import { formatBound, parseDuration } from './core/time.js';
import { AT_MAX_MS, langOption } from './commands/options.js';
import { EXIT } from './core/status.js';
import { SCENARIO_NAMES, UnknownScenarioError } from './sources/sandbox/scenarioNames.js';
import type { Io } from './commands/context.js';
import { SourcesNotAvailableError } from './commands/errors.js';
import { registerCommands } from './commands/register/index.js';
import { inert, inertLine, inertText } from './core/sanitize.js';
import { JournalError } from './core/journal/errors.js';
import { storageAdvice, storageProblem } from './core/storage.js';
import path from 'node:path';

declare const __VERSION__: string;
/** Set by the build from package.json; "dev" when running from source (tests). */
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

function wholeNumber(v: string): number {
  // Safe integers only: 99999999999999999999 would become 1e20, a seed nobody typed.
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)))
    throw new InvalidArgumentError(`expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}.`);
  return Number(v);
}

function speed(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 10_000)
    throw new InvalidArgumentError('expected a number above 0 and at most 10000, e.g. 10.');
  return n;
}

function duration(v: string): number {
  const ms = parseDuration(v);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration with a unit, e.g. 15m, 2h, 1h30m, 7d.');
  // The sandbox simulates every minute up to --at: a month is seconds, years would be hours.
  if (ms > AT_MAX_MS) throw new InvalidArgumentError(`expected at most ${formatBound(AT_MAX_MS)}.`);
  return ms;
}

function scenario(v: string): string {
  if (!SCENARIO_NAMES.includes(v)) throw new InvalidArgumentError(`expected one of ${SCENARIO_NAMES.join(', ')}.`);
  return v;
}

function region(v: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(v))
    throw new InvalidArgumentError('expected an AWS region such as ap-northeast-1.');
  return v;
}

function endpoint(v: string): string {
  try {
    const u = new URL(v);
    if (u.protocol === 'http:' || u.protocol === 'https:') return v;
  } catch {
    // fall through
  }
  throw new InvalidArgumentError('expected an http:// or https:// URL.');
}

/** Builds the command line. Each subcommand lives in src/commands/, registered by src/commands/register/. */
export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('vitascope-oncall');
  const run = async (task: () => Promise<number>) => {
    setExit(await task());
  };
  program
    .description(
      'The terminal cockpit for the Vitascope on-call engineer.\nWith no command it opens the cockpit; without AWS or PagerDuty configured it runs on the sandbox.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(new Option('--demo', 'use the sandbox (a simulated production) even when real sources are configured'))
    .addOption(new Option('--scenario <name>', `sandbox scenario: ${SCENARIO_NAMES.join(', ')}`).argParser(scenario))
    .addOption(new Option('--seed <n>', 'sandbox seed (same seed, same world)').argParser(wholeNumber))
    .addOption(new Option('--speed <x>', 'sandbox time runs x times faster than real time').argParser(speed))
    .addOption(
      new Option('--at <duration>', 'look at the sandbox this long after it starts, e.g. 15m').argParser(duration),
    )
    .addOption(new Option('--profile <name>', 'AWS profile'))
    .addOption(new Option('--region <region>', 'AWS region').argParser(region))
    .addOption(new Option('--endpoint-url <url>', 'AWS endpoint (for tests and local stacks)').argParser(endpoint))
    .addOption(new Option('--readonly', 'remove every action that changes anything'))
    .addOption(new Option('--no-color', 'no colour (NO_COLOR works too)'))
    .addOption(new Option('--utc', "show every time in UTC (display.timezone otherwise; default the machine's zone)"))
    .addOption(
      new Option(
        '--lang <lang>',
        'the language: en or ja (display.lang; the cockpit defaults to LC_ALL/LC_MESSAGES/LANG, reports to en)',
      ).argParser(langOption),
    )
    .addOption(new Option('--no-links', 'no clickable links (OSC 8) and no copying to the clipboard (OSC 52)'))
    .showSuggestionAfterError(true)
    // commander's own messages quote what was typed (an unknown option, a bad value: `--speed "$(printf
    // '\e]2;PWN\a')"`): every error and help-after-error passes the sanitiser, on every subcommand (they
    // inherit this configuration), so that no argument can retitle or repaint the terminal.
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(inertText(s)),
      outputError: (s, write) => write(inertText(s)),
    })
    .exitOverride();

  program.allowExcessArguments(true).action((_options, command: Command) =>
    run(async () => {
      // The root takes no arguments: a stray word is a mistyped command. unknownCommand() is
      // commander's own (untyped) reporter: same wording and suggestions as elsewhere.
      if (command.args.length > 0) (command as unknown as { unknownCommand(): never }).unknownCommand();
      const { runCockpitCommand } = await import('./commands/cockpit.js');
      return runCockpitCommand(command.opts(), io);
    }),
  );

  registerCommands(program, io, run);
  for (const cmd of allCommands(program)) {
    if (cmd === program) continue;
    cmd.version(VERSION, '-V, --version', 'print the version');
    // Subcommands copied the root's allowance of stray words; theirs is a usage error (`status foo`: exit 2).
    cmd.allowExcessArguments(false);
  }
  return program;
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

/** Runs the command line; resolves to the process exit code. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version exit 0; every usage error exits 2 after commander's one line.
      return error.exitCode === 0 ? 0 : EXIT.usage;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`vitascope-oncall: configuration: ${inert(error.message)}\n`);
      return EXIT.config;
    }
    if (error instanceof UnknownScenarioError) {
      io.stderr.write(`vitascope-oncall: ${inertLine(error.message)}\n`);
      return EXIT.config;
    }
    if (error instanceof SourcesNotAvailableError) {
      io.stderr.write(`vitascope-oncall: ${inertLine(error.message)}\n`);
      return EXIT.source;
    }
    // The journal, or a file or folder of ours, cannot be used (full, read-only, damaged, locked): the
    // file and what to do, never "internal error". Told apart by tags (the error class, errno and SQLite codes).
    const storage = storageMessage(error, io.env);
    if (storage) {
      io.stderr.write(`vitascope-oncall: ${inert(storage)}\n`);
      return EXIT.storage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`vitascope-oncall: internal error: ${inert(message)}\n`);
    if (io.env.VITASCOPE_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${inertText(error.stack)}\n`);
    return EXIT.internal;
  }
}

/** The message for an error about the program's own files, or undefined when it is not one. */
function storageMessage(error: unknown, env: NodeJS.ProcessEnv): string | undefined {
  if (error instanceof JournalError) return error.field ? undefined : error.message;
  const kind = storageProblem(error);
  const file = (error as { path?: unknown } | undefined)?.path;
  if (!kind || typeof file !== 'string') return undefined;
  const inside = (dir: string) => path.resolve(file).startsWith(`${dir}${path.sep}`) || path.resolve(file) === dir;
  const what = inside(path.dirname(configPath(env)))
    ? 'the configuration'
    : inside(dataDir(env))
      ? 'the journal'
      : 'this file';
  return `${storageAdvice(kind, file, what)} (${error instanceof Error ? error.message : String(error)})`;
}

/** The process entry: real streams, real exit. */
export async function start(): Promise<void> {
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
  process.exitCode = code;
  // The command is over: a socket a silent server still holds open (abandoned at its deadline) must not
  // keep the process alive. Normally the process has ended long before this unref'd timer fires.
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}

/** How long a finished command waits for its last connections to close before it exits anyway. */
export const EXIT_GRACE_MS = 1_000;
