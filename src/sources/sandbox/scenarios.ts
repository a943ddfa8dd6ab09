import type { ActionId } from '../../core/actions/catalogue.js';
import { infraScenarios } from './infraScenarios.js';
import { releaseScenarios } from './releaseScenarios.js';
import { SCENARIO_NAMES } from './scenarioNames.js';

export { attackerAddress, scraperAddress } from './infraScenarios.js';

/** What a task definition revision does wrong, once deployed. */
export interface RevisionEffect {
  /** Extra p95 latency while its tasks take traffic. */
  readonly slowMs?: number;
  readonly memoryLeakPerMinute?: number;
  /** Its containers never pass their health check: ECS stops them, and the circuit breaker fails the rollout. */
  readonly failsHealthChecks?: boolean;
  /** Sign-in (and token refresh) fails for the mobile apps. */
  readonly breaksMobileSignIn?: boolean;
  /** One endpoint answers this share of its requests with 500. */
  readonly failingEndpoint?: { readonly method: string; readonly path: string; readonly share: number };
  /** Share of the sync-processor Lambda's invocations that fail on the messages its tasks enqueue. */
  readonly lambdaPoison?: number;
}

/** What a scenario can do to the simulated world; implemented by World. */
export interface ScenarioWorld {
  readonly seed: number;
  setDemandFactor(factor: (minute: number) => number): void;
  deploy(service: string, revision: number, effect: RevisionEffect, why: string): void;
  startConnectionLeak(perMinute: number): void;
  /** Writes to the database that use storage: perMinuteGiB until totalGiB have been written. */
  startBackfill(perMinuteGiB: number, totalGiB: number): void;
  startAttack(address: string, attemptsPerMinute: number): void;
  startScraper(address: string, requestsPerMinute: (minute: number) => number): void;
  setDependencyDown(name: string, down: boolean): void;
}

/**
 * The remediation that ends a scenario, in terms of the capability ports. Growing storage has no
 * kind here (code elsewhere switches over these kinds exhaustively): disk-fill states its remedy in
 * remedyAction only, which every scenario with a remedy has.
 */
export type Remedy =
  | { readonly kind: 'scaling-limits'; readonly service: string; readonly min: number; readonly max: number }
  | { readonly kind: 'desired-count'; readonly service: string; readonly desired: number }
  | { readonly kind: 'reboot-database'; readonly database: string; readonly failover: boolean }
  | { readonly kind: 'rollback'; readonly service: string }
  | { readonly kind: 'force-deployment'; readonly service: string }
  | { readonly kind: 'block-address'; readonly address: string };

export interface ScenarioEvent {
  readonly minute: number;
  apply(world: ScenarioWorld): void;
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  /** The alarms the scenario drives to ALARM, and the minute by which all of them are there. */
  readonly fires: readonly string[];
  readonly firesBy: number;
  /** The policy rules whose runbooks this scenario exercises in a drill. */
  readonly exercises: readonly string[];
  /** What brings it back: the remedy, the alarms it clears, and how long after it is applied they are OK at most. */
  readonly remedy?: Remedy;
  readonly recovers?: readonly string[];
  readonly recoversWithin?: number;
  /** The minute from which the remedy helps (a backlog can only drain once its cause has gone). */
  readonly remedyFrom?: number;
  /**
   * The remedy as the remediation catalogue names it: every scenario with a remedy has one, and it is
   * the only statement of remedies that Remedy has no kind for (growing storage).
   */
  readonly remedyAction?: RemedyAction;
  /**
   * Alarms whose cause the remedy ends but that stay in ALARM well past recoversWithin (a rolling
   * window has to move past the bad hours), and within how many minutes of a remedy applied at
   * firesBy they are OK again. Not in recovers: a drill does not wait for them.
   */
  readonly lingering?: { readonly alarms: readonly string[]; readonly minutes: number };
  readonly events: readonly ScenarioEvent[];
}

/** A remediation catalogue action and its parameters (core/actions/catalogue.ts). */
export interface RemedyAction {
  readonly id: ActionId;
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

/** The catalogue action that carries out a Remedy. */
export function remedyActionOf(r: Remedy): RemedyAction {
  switch (r.kind) {
    case 'scaling-limits':
      return { id: 'autoscaling.set-limits', params: { service: r.service, min: r.min, max: r.max } };
    case 'desired-count':
      return { id: 'ecs.set-desired-count', params: { service: r.service, desired: r.desired } };
    case 'reboot-database':
      return { id: 'rds.reboot', params: { database: r.database, failover: r.failover } };
    case 'rollback':
      return { id: 'ecs.rollback', params: { service: r.service } };
    case 'force-deployment':
      return { id: 'ecs.force-new-deployment', params: { service: r.service } };
    case 'block-address':
      return {
        id: 'waf.block-address',
        params: { address: r.address, reason: 'Sandbox scenario: the address named in the scenario' },
      };
  }
}

/** The order scenarios are listed in (a scenario missing there would come last). */
const ORDER = SCENARIO_NAMES;

export function scenarios(seed: number): readonly Scenario[] {
  const all = [...infraScenarios(seed), ...releaseScenarios(seed)].map((s): Scenario =>
    s.remedy && !s.remedyAction ? { ...s, remedyAction: remedyActionOf(s.remedy) } : s,
  );
  const rank = (name: string) => {
    const i = ORDER.indexOf(name);
    return i < 0 ? ORDER.length : i;
  };
  return all.sort((a, b) => rank(a.name) - rank(b.name));
}

export function scenarioNames(): string[] {
  return scenarios(0).map((s) => s.name);
}

export function findScenario(name: string, seed: number): Scenario | undefined {
  return scenarios(seed).find((s) => s.name === name);
}
