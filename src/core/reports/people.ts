import type { Handoff } from '../journal/index.js';
import type { Shift } from '../model.js';
import type { Period, ReportIncident } from './types.js';

/** Names automation records itself under; not people. */
export const AUTOMATION = /^(CloudWatch|PagerDuty|Prometheus|Alertmanager|system|cockpit)\b/;

export interface HandoffPeople {
  readonly outgoing?: string;
  readonly incoming?: string;
  /** When the on-call changes hands: the end of the outgoing primary's shift. */
  readonly handoverAt?: number;
  readonly outgoingFrom?: 'schedule' | 'handoff-note' | 'acknowledgements';
  readonly incomingFrom?: 'schedule' | 'handoff-acknowledgement';
}

/**
 * Who hands over to whom. Outgoing: the primary on call at the period's end (the rotation); without a
 * rotation, the author of the period's last handoff note, else whoever acknowledged most of the period's
 * incidents. Incoming: the primary of the NEXT shift, the one starting when the outgoing one ends (never
 * the shift that covers the period's end again); without a rotation, whoever acknowledged the last
 * handoff note. The same person on both sides is then the schedule's word, and the report says they stay.
 */
export function handoffPeople(
  period: Period,
  shifts: readonly Shift[],
  handoffs: readonly Handoff[],
  incidents: readonly ReportIncident[],
): HandoffPeople {
  const primaries = shifts.filter((s) => s.role === 'primary').sort((a, b) => a.start - b.start);
  const current = primaries.find((s) => s.start <= period.to - 1 && period.to - 1 < s.end);
  const after = current?.end ?? period.to;
  const next = primaries.find((s) => s.start >= after);
  const notes = handoffs.filter((h) => h.at >= period.from && h.at < period.to).sort((a, b) => a.at - b.at);
  const lastNote = notes[notes.length - 1];
  let outgoing: { name: string; from: HandoffPeople['outgoingFrom'] } | undefined;
  if (current) outgoing = { name: current.person.name, from: 'schedule' };
  else if (lastNote) outgoing = { name: lastNote.from.name ?? lastNote.from.id, from: 'handoff-note' };
  else {
    const acks = new Map<string, number>();
    for (const i of incidents)
      if (i.acknowledgedBy && !AUTOMATION.test(i.acknowledgedBy))
        acks.set(i.acknowledgedBy, (acks.get(i.acknowledgedBy) ?? 0) + 1);
    const top = [...acks.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (top) outgoing = { name: top[0], from: 'acknowledgements' };
  }
  let incoming: { name: string; from: HandoffPeople['incomingFrom'] } | undefined;
  if (next) incoming = { name: next.person.name, from: 'schedule' };
  else {
    const acked = [...notes].reverse().find((h) => h.acknowledged);
    if (acked?.acknowledged)
      incoming = { name: acked.acknowledged.by.name ?? acked.acknowledged.by.id, from: 'handoff-acknowledgement' };
  }
  return {
    ...(outgoing ? { outgoing: outgoing.name, outgoingFrom: outgoing.from } : {}),
    ...(incoming ? { incoming: incoming.name, incomingFrom: incoming.from } : {}),
    ...(current && next ? { handoverAt: next.start } : {}),
  };
}
