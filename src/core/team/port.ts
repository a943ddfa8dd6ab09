/**
 * The team timeline's port: what the replicator (replicator.ts) needs of a team server. The PostgreSQL
 * adapter (sources/team/postgres.ts) implements it; core never sees a driver. Every call has a deadline
 * in the adapter; a failure rejects, and the replicator turns it into "offline", never into "nothing new".
 */

/** An event's global identity: the installation (one journal file) that recorded it and its seq there. */
export interface GlobalRef {
  readonly origin: string;
  readonly seq: number;
}

/** An event as it travels: redacted on the way out (wire.ts), validated and made inert on the way in. */
export interface WireEvent {
  readonly origin: string;
  readonly originSeq: number;
  readonly at: number;
  readonly kind: string;
  readonly incidentId?: string;
  readonly who: { readonly kind: string; readonly id: string; readonly name?: string };
  readonly payload: unknown;
  /** Payload fields that name another event by its local seq (handoffId, followUpId), as global refs. */
  readonly refs?: Readonly<Record<string, GlobalRef>>;
  readonly key?: string;
}

/** A pulled event: the server's order (its id) with the event. */
export interface PulledEvent extends WireEvent {
  readonly serverId: string;
}

/** Who holds a claim on something to apply, as the server says (ages from the server's clock: no skew). */
export interface ClaimHolder {
  readonly name: string;
  readonly origin: string;
  readonly heldMs: number;
}

export type ClaimAnswer =
  { readonly kind: 'granted'; readonly token: string } | { readonly kind: 'held'; readonly by: ClaimHolder };

export interface TeamServerStatus {
  readonly schemaVersion: number;
  /** The newest schema this program knows. */
  readonly knownVersion: number;
  readonly events: number;
  readonly origins: number;
  /** Privileges the role lacks (doctor): empty when it has what it needs. */
  readonly missingPrivileges: readonly string[];
}

export interface TeamLog {
  /** Connects and brings the server schema up to date (once; concurrent starts are serialised server-side). */
  open(): Promise<void>;
  /** Stores events (all or none); one already there (same origin and seq) is left as it is. Returns how many were new. */
  push(events: readonly WireEvent[]): Promise<number>;
  /** Events of other origins not yet seen: per origin, after the highest seq given; in server order. */
  pull(after: Readonly<Record<string, number>>, exceptOrigin: string, limit: number): Promise<PulledEvent[]>;
  /** Wakes `onWake` when a teammate pushes (LISTEN/NOTIFY); `onLost` when the listening connection drops. */
  listen(onWake: () => void, onLost: (error: Error) => void): Promise<void>;
  /** Takes a claim on `key` for `ttlMs` unless another live claim holds it. */
  claim(key: string, holder: { readonly name: string; readonly origin: string }, ttlMs: number): Promise<ClaimAnswer>;
  /** Extends a claim this token holds; false when it was lost. */
  renew(key: string, token: string, ttlMs: number): Promise<boolean>;
  release(key: string, token: string): Promise<void>;
  /** Deletes events older than the team's retention. Returns how many. */
  expire(olderThanMs: number): Promise<number>;
  status(): Promise<TeamServerStatus>;
  close(): Promise<void>;
}
