/**
 * The incident journal (SQLite): events, incidents, follow-ups, handoffs, the PagerDuty mirror outbox and
 * the resume state of an incident room. See journal.ts for durability, outbox.ts for the mirror.
 */
export { JournalError, storageFailure } from './errors.js';
export { holderAlive, type Lease, type LeaseHolder, type LeaseTaken } from './leases.js';
export {
  clampText,
  EVENT_KINDS,
  isEventKind,
  MAX_TEXT,
  PHASES,
  validateEvent,
  type EventInput,
  type EventKind,
  type EventOf,
  type IncidentSource,
  type JournalEvent,
  type KnownEvent,
  type PayloadOf,
  type Phase,
  type UnknownEvent,
  type Who,
  WHO_KINDS,
} from './events.js';
export {
  openJournal,
  type Appended,
  type EventQuery,
  type IncidentFilter,
  type IncidentInput,
  type IncidentRecord,
  type IncidentStatus,
  type Journal,
  type JournalChange,
  type OpenOptions,
} from './journal.js';
export { migrate } from './migrations.js';
export { MIRRORED_KINDS, type AddNote, type MirrorOptions, type MirrorResult, type MirrorStatus } from './outbox.js';
export { dataDir, JOURNAL_FILES, journalPath, type JournalKind } from './paths.js';
export type { AlarmStateRecord, FollowUp, FollowUpFilter, Handoff, HandoffFilter } from './projections.js';
export { describeEvent, eventLine } from './render.js';
export type { OutgoingEvent, Replica, StoredResult } from './replica.js';
export { MIGRATIONS, SCHEMA_VERSION, type Migration } from './schema.js';
export { REDACTED, redactDeep, redactSecrets } from './secrets.js';
export {
  emptyIncidentState,
  REDUCER_VERSION,
  reduceIncidentState,
  type ActionState,
  type IncidentState,
  type StepState,
} from './state.js';
