import type { AlarmState, MetricRef } from '../model.js';
import type { ActionId } from './catalogue.js';

/**
 * The shapes the remediation engine hands to its callers (the runbook runner, the cockpit, `drill`):
 * plain data, printable as JSON, so a plan can be shown, journaled, diffed in a test and read in a
 * report without knowing anything about the code that made it.
 */

export type Danger = 'safe' | 'careful' | 'dangerous';
export type ComparisonOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** One value the action changes: "desired count: 2 → 6". */
export interface Change {
  readonly what: string;
  readonly from: string | number | boolean | null;
  readonly to: string | number | boolean | null;
}

/** A metric compared with a value, e.g. CPUUtilization < 70. */
export interface MetricCondition {
  readonly metric: MetricRef;
  readonly op: ComparisonOp;
  readonly value: number;
}

/** How the engine proves the action worked: an alarm reaching a state, or a metric condition, within a timeout. */
export interface VerifySpec {
  readonly alarm?: string;
  /** The state the alarm must reach; OK unless given. */
  readonly state?: AlarmState;
  readonly metric?: MetricCondition;
  /** 0: only the immediate effect is checked (the target reads back as changed). */
  readonly timeoutMs: number;
}

/**
 * What an action will do, before it does it: made by a pure function from the target's current state
 * (read through the ports), shown to the responder, journaled, and compared again right before apply.
 */
export interface ActionPlan {
  readonly action: ActionId;
  readonly title: string;
  /** What it acts on, as a person names it: a service, a database, an incident, an address. */
  readonly target: string;
  readonly danger: Danger;
  /** Whether the target is production (environment.production): decides typed confirmation. */
  readonly production: boolean;
  /** The validated parameters. */
  readonly params: Readonly<Record<string, unknown>>;
  /** One line: "vitascope-api: desired count 2 → 6". */
  readonly summary: string;
  /** Current → target values; empty when there is nothing to change. */
  readonly changes: readonly Change[];
  /** What else it does: outages, tasks replaced, what autoscaling will do to the change. */
  readonly blastRadius: readonly string[];
  readonly verify: VerifySpec;
}

/** The confirmation an action needs: a plain yes, or the target's name typed (dangerous, production). */
export type Confirmation = { readonly kind: 'yes' } | { readonly kind: 'typed'; readonly text: string };

/** The responder's answer to a confirmation. */
export type ConfirmAnswer =
  | { readonly answer: 'confirm'; readonly typed?: string }
  /** Journal the plan as a dry run and change nothing. */
  | { readonly answer: 'dry-run' }
  | { readonly answer: 'decline'; readonly reason?: string };

/** An alarm or metric reading kept as evidence: before the change, and after it. */
export interface Reading {
  readonly at: number;
  /** The alarm's state (alarms only). */
  readonly state?: AlarmState;
  readonly value?: number;
  readonly unit?: string;
  /** Why there is no reading (no such alarm, no datapoints). */
  readonly missing?: string;
}

export interface Evidence {
  /** The alarm or metric verified, in words. */
  readonly subject?: string;
  readonly before?: Reading;
  readonly after?: Reading;
  /** How long after the change the condition held (or the timeout). */
  readonly waitedMs: number;
  /** What the target reads back as after the change. */
  readonly effect: string;
}

/**
 * Where an action ended, for the runner and the UI. `changed` says whether the change was applied to the
 * target (its apply step returned), so that no reader has to infer it from the output's wording: false for
 * a dry run, a declined plan, a plan with nothing to change, and a failure before or in the apply step.
 */
export type ActionOutcome =
  | {
      readonly status: 'verified';
      readonly plan: ActionPlan;
      readonly runId: string;
      readonly output: string;
      readonly evidence: Evidence;
      readonly changed: true;
    }
  | {
      readonly status: 'dry-run';
      readonly plan: ActionPlan;
      readonly runId: string;
      readonly output: string;
      readonly changed: false;
    }
  | {
      readonly status: 'nothing-to-do';
      readonly plan: ActionPlan;
      readonly runId: string;
      readonly output: string;
      readonly changed: false;
    }
  | {
      readonly status: 'declined';
      readonly plan: ActionPlan;
      readonly runId: string;
      readonly output: string;
      readonly changed: false;
    }
  | {
      readonly status: 'failed';
      readonly plan: ActionPlan;
      readonly runId: string;
      readonly stage: 'apply' | 'verify';
      readonly error: string;
      readonly output: string;
      readonly evidence?: Evidence;
      /** True when it failed at verify (the change was applied but does not show, or did not help). */
      readonly changed: boolean;
    };

/**
 * A change in words: "desired count: 2 → 6"; a change with nothing before it (a command that runs) is
 * just what it does, "runs: aws ecs describe-services …", never "null → …".
 */
export function changeText(c: Change): string {
  const shown = (v: Change['from']) => (typeof v === 'string' ? v : String(v));
  return c.from === null || c.from === undefined
    ? `${c.what}: ${shown(c.to)}`
    : `${c.what}: ${shown(c.from)} → ${shown(c.to)}`;
}
