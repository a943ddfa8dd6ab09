import { JournalError } from '../core/journal/errors.js';
import { inert, inertLine } from '../core/sanitize.js';
import { EXIT } from '../core/status.js';

/** Errors the command line turns into exit codes (cli.ts), apart from the commands that throw them. */
export class SourcesNotAvailableError extends Error {}

/** Bad arguments or input: one line on stderr, exit 2. */
export class UsageError extends Error {}

/**
 * A command that ends here with an exit code and a message for stderr (a bad resources file: 3; a source
 * that failed: 4). Thrown from deep in a command so that every step need not pass the code back up.
 */
export class CommandExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs a command: usage and journal errors, and a CommandExit, become one line on stderr and their exit
 * code; anything else is a bug and goes on to cli.ts.
 */
export async function guarded(
  io: { readonly stderr: NodeJS.WritableStream },
  command: string,
  task: () => Promise<number>,
): Promise<number> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof CommandExit) {
      io.stderr.write(`vitascope-oncall: ${command}: ${inert(error.message)}\n`);
      return error.code;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`vitascope-oncall: ${command}: ${inertLine(error.message)}\n`);
      return EXIT.usage;
    }
    if (error instanceof JournalError) {
      io.stderr.write(`vitascope-oncall: ${command}: ${inertLine(error.message)}\n`);
      // A refused field is bad input; anything else is the journal file itself (full, read-only, damaged…).
      return error.field ? EXIT.usage : EXIT.storage;
    }
    throw error;
  }
}
