import type { Database, Environment, Person, Service } from '../model.js';
import type { Sources } from '../../sources/ports.js';
import type { ActionId, ActionParams } from './catalogue.js';
import type { Clock } from './clock.js';
import { ActionPlanError } from './errors.js';
import type { Change } from './types.js';

/**
 * What one catalogue action has to provide to the engine (engine.ts), split the cli-kit way into
 * read → pure plan → apply:
 * - read: the target's current state, through the ports only;
 * - plan: a PURE function of parameters and state: what changes, the blast radius (tested with small
 *   fake states, exact objects);
 * - conflicts: PURE, what changed between the state the plan saw and a fresh read, by someone else;
 * - apply: the change, through a capability port; returns what to journal as its output;
 * - effect: PURE, whether a fresh read shows the change.
 */

/** What an action runs with. */
export interface ActionContext {
  readonly sources: Sources;
  /** Who acts (the local user), for silences' createdBy and for telling our own log entries apart. */
  readonly actor: Person;
  readonly clock: Clock;
  /** The incident the room is about, as its source knows it: the default for pagerduty.* actions. */
  readonly incidentId?: string;
  /** Output as it arrives (a command's), already made inert. */
  readonly onOutput?: (chunk: string) => void;
  readonly signal?: AbortSignal;
  /** 'plan' while the plan's state is read; a handler may read more context then than for the re-reads around apply. */
  readonly stage?: 'plan';
}

/** The plan as an action's own function makes it; the engine adds the catalogue's fields. */
export interface PlanDraft {
  /** Lower than the catalogue's danger when the plan shows this run is harmless (a read-only command). */
  readonly danger?: 'safe';
  readonly target: string;
  readonly summary: string;
  readonly changes: readonly Change[];
  readonly blastRadius: readonly string[];
}

/** What a pure plan function may know besides parameters and state. */
export interface PlanEnv {
  readonly now: number;
  readonly production: boolean;
  /** The AWS settings commands run with (environment.aws). */
  readonly aws?: Environment['aws'];
}

export interface ActionHandler<A extends ActionId, S> {
  readonly id: A;
  /** The target's name from the parameters alone (for journaling a failure before anything was read). */
  target(params: ActionParams<A>, ctx: Pick<ActionContext, 'incidentId'>): string;
  read(params: ActionParams<A>, ctx: ActionContext): Promise<S>;
  plan(params: ActionParams<A>, state: S, env: PlanEnv): PlanDraft;
  /** Concurrent changes by someone else: fields the plan relied on that no longer hold. */
  conflicts(before: S, now: S, ctx: { readonly actor: Person }): string[];
  apply(params: ActionParams<A>, state: S, ctx: ActionContext): Promise<string>;
  effect(params: ActionParams<A>, before: S, after: S): { readonly ok: boolean; readonly evidence: string };
}

/** A handler of any action, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHandler = ActionHandler<any, any>;

/** The capability port an action needs, or a plan error naming it. */
export function requirePort<T>(port: T | undefined, action: ActionId, what: string, sources: Sources): T {
  if (port === undefined) {
    throw new ActionPlanError(
      action,
      `${action} needs ${what}, which ${sources.environment.label} does not offer`,
      'unsupported',
    );
  }
  return port;
}

/** The ECS service a parameter names: its name, its ARN, or cluster/name. */
export async function findService(sources: Sources, action: ActionId, ref: string): Promise<Service> {
  const port = requirePort(sources.services, action, 'the ECS service listing', sources);
  const services = await port.listServices();
  const found = services.filter((s) => s.id === ref || s.name === ref || `${s.cluster}/${s.name}` === ref);
  if (found.length === 0)
    throw new ActionPlanError(
      action,
      `no ECS service ${ref} (known: ${services.map((s) => s.name).join(', ') || 'none'})`,
      'target',
    );
  if (found.length > 1)
    throw new ActionPlanError(
      action,
      `${ref} names services in clusters ${found.map((s) => s.cluster).join(', ')}; use cluster/name or the ARN`,
      'target',
    );
  return found[0]!;
}

export async function findDatabase(sources: Sources, action: ActionId, id: string): Promise<Database> {
  const port = requirePort(sources.databases, action, 'the RDS instance listing', sources);
  const list = await port.listDatabases();
  const found = list.find((d) => d.id === id);
  if (!found)
    throw new ActionPlanError(
      action,
      `no RDS instance ${id} (known: ${list.map((d) => d.id).join(', ') || 'none'})`,
      'target',
    );
  return found;
}

/** "2 → 6", for summaries. */
export function arrow(from: unknown, to: unknown): string {
  return `${from === null || from === undefined ? '–' : String(from)} → ${to === null || to === undefined ? '–' : String(to)}`;
}

/** The short name of a task definition ARN: vitascope-api:41. */
export function taskDefinitionName(arn: string): string {
  const m = /task-definition\/([^/]+)$/.exec(arn);
  return m ? m[1]! : arn;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
