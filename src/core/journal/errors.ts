/**
 * One error type for everything the journal refuses or cannot do, with the file and (for a refused
 * event) the field, so that the caller can print one clear message and exit non-zero. Nothing already
 * recorded is lost when this is thrown: a refused event or batch is rolled back whole.
 */
export class JournalError extends Error {
  override readonly name = 'JournalError';
  constructor(
    message: string,
    /** The journal file, when the problem is about it. */
    readonly file?: string,
    /** The event field that was refused, as a dotted path (payload.text). */
    readonly field?: string,
  ) {
    super(message);
  }
}
