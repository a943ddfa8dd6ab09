/**
 * One error type for everything the journal refuses or cannot do, with the file and (for a refused
 * event) the field, so that the caller can print one clear message and exit non-zero. Nothing already
 * recorded is lost when this is thrown: a refused event or batch is rolled back whole.
 */
import { storageAdvice, storageProblem, type StorageProblem } from '../storage.js';

export class JournalError extends Error {
  override readonly name = 'JournalError';
  constructor(
    message: string,
    /** The journal file, when the problem is about it. */
    readonly file?: string,
    /** The event field that was refused, as a dotted path (payload.text). */
    readonly field?: string,
    /** The file itself cannot be used (full, read-only, damaged, locked): exit 6 with what to do. */
    readonly kind?: StorageProblem,
  ) {
    super(message);
  }
}

/**
 * The JournalError for a SQLite or file-system failure on `file` (full, read-only, damaged, locked, I/O),
 * naming the file and what to do; undefined when the error is not one of those.
 */
export function storageFailure(file: string, error: unknown): JournalError | undefined {
  if (error instanceof JournalError) return error.kind ? error : undefined;
  const kind = storageProblem(error);
  if (!kind) return undefined;
  const why = `${error instanceof Error ? error.message : String(error)}, ${String((error as { code?: unknown }).code)}`;
  return new JournalError(`${storageAdvice(kind, file)} (${why})`, file, undefined, kind);
}
