import { ReadOnlyError } from './errors.js';

/**
 * Read-only mode at the last step before the world changes. The engine refuses read-only plans early
 * (so that the responder is told before confirming), and every call that changes something — the
 * catalogue's applies, `alarms apply`'s PutMetricAlarm — also passes through here, so that a path that
 * forgot the early check still changes nothing.
 */
export async function guardChange<T>(readonly: boolean, what: string, change: () => Promise<T>): Promise<T> {
  if (readonly) throw new ReadOnlyError(what);
  return change();
}
