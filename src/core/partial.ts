/**
 * A source that answered in part: one of the systems behind it failed, the others did not.
 * `partial` is what could be read (with the failed part's last good data where the source keeps it);
 * the message says what failed. Pollers show `partial` with the error; `status` prints it and still
 * reports the source as failed (exit 4): a missing half is never an all-clear.
 */
export class PartialAnswerError<T> extends Error {
  constructor(
    message: string,
    readonly partial: T,
  ) {
    super(message);
    this.name = 'PartialAnswerError';
  }
}
