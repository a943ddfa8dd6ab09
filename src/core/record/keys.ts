import { createHash } from 'node:crypto';

/**
 * An event's idempotency key, within the journal's 512 characters: a key built from outside names (alert
 * labels, people) that would be longer keeps its start and ends with a digest of the whole, so that the
 * same observation still gives the same key and two different ones never share it.
 */
export function eventKey(...parts: readonly (string | number)[]): string {
  const key = parts.join(':');
  if (key.length <= 500) return key;
  return `${key.slice(0, 440)}…${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** An alarm's id as the journal keeps it (at most 512 characters: a long alert's labels are digested). */
export function journalAlarmId(id: string): string {
  return id.length <= 512 ? id : eventKey(id);
}
