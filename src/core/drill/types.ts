import type { ActionOutcome } from '../actions/types.js';
import type { AlarmState, Person, PriorityName } from '../model.js';
import type { Journal, Who } from '../journal/index.js';
import type { LoadedRunbook } from '../runbooks/types.js';
import type { TemplateValue } from '../runbooks/template.js';

/**
 * A drill: a headless game day. The pieces a drill needs are given to it (the world, the journal, the
 * runbooks, who plays the responder) so that the core never imports an adapter: `drill` (the command)
 * opens the sandbox or the real sources and hands them over.
 */

/** What a drill needs to know of a scenario (the sandbox's Scenario has these fields and more). */
export interface DrillScenario {
  readonly name: string;
  readonly title: string;
  /** The alarms the scenario drives to ALARM, and the minute by which all of them are there. */
  readonly fires: readonly string[];
  readonly firesBy: number;
  /** The policy rules whose runbooks the drill runs. */
  readonly exercises: readonly string[];
  /** The alarms the remedy clears, and within how many minutes of it. */
  readonly recovers?: readonly string[];
  readonly recoversWithin?: number;
  /** The minute from which the remedy can help. */
  readonly remedyFrom?: number;
}

export interface DrillCommon {
  readonly scenario: DrillScenario;
  readonly journal: Journal;
  readonly runbooks: readonly LoadedRunbook[];
  readonly actor: Person;
  readonly who: Who;
  /** Confirm actions (--yes); otherwise every action is a dry run and the drill cannot resolve. */
  readonly yes: boolean;
  readonly readonly?: boolean;
  /** Runbook parameters given on the command line (--param): they win over the runbooks' defaults. */
  readonly params?: Readonly<Record<string, TemplateValue>>;
  /**
   * What the stand-in responder answers when a runbook asks for a parameter it has no default for
   * (the attacker's address, the new storage size): what a responder would find in the logs. A drill
   * takes them from the scenario; they never override a runbook's own defaults.
   */
  readonly answers?: Readonly<Record<string, TemplateValue>>;
  /** Progress, one line at a time (already inert). */
  readonly onLine?: (line: string) => void;
  /** Tells this run's journal incidents apart from earlier drills of the same scenario. */
  readonly runTag?: string;
}

export interface DrillIncident {
  /** The incident's id in the journal (unique per drill run). */
  readonly journalId: string;
  /** As the source knows it: the sandbox's PagerDuty-style id, or the drill's own in --live. */
  readonly sourceId: string;
  readonly title: string;
  readonly priority?: PriorityName;
  readonly rule: string;
  readonly alarm: string;
  readonly runbook: string;
  /** Simulated minutes from the scenario's start (the sandbox) or wall-clock minutes from the drill's start. */
  readonly openedAtMinute: number;
  readonly status: 'triggered' | 'acknowledged' | 'resolved';
  readonly steps: { readonly done: number; readonly skipped: number };
  readonly actions: readonly DrillAction[];
  readonly incomplete: readonly string[];
}

export interface DrillAction {
  readonly stepId: string;
  readonly action: string;
  readonly target: string;
  readonly status: ActionOutcome['status'];
  readonly summary: string;
  /** Before/after evidence of a verified (or failed) remediation, in words. */
  readonly evidence?: string;
}

export interface DrillReport {
  readonly scenario: string;
  readonly environment: 'sandbox' | 'live';
  readonly resolved: boolean;
  /** Why the drill did or did not resolve the scenario. */
  readonly reason: string;
  readonly confirmed: boolean;
  readonly incidents: readonly DrillIncident[];
  /** Exercised rules whose alarm never opened an incident. */
  readonly notExercised: readonly string[];
  /** The scenario's recovery alarms at the end. */
  readonly recovery: Readonly<Record<string, AlarmState | 'missing'>>;
  readonly minutes: {
    /** The first incident the drill worked opened. */
    readonly firstIncident?: number;
    /** The drill started working the incidents (once every exercised rule's alarm had opened one). */
    readonly started?: number;
    /** The first verified remediation was applied. */
    readonly remedied?: number;
    /** Every recovery alarm was OK (the scenario resolved). */
    readonly recovered?: number;
    readonly end: number;
    /** From the first incident to recovery: the time to resolve. */
    readonly toResolve?: number;
  };
  readonly journal: { readonly path: string; readonly events: number };
  /** drill --live: the alarms it set and what their actions reach (nothing ran with --no-actions). */
  readonly live?: {
    readonly noActions: boolean;
    readonly alarms: readonly {
      readonly alarm: string;
      readonly actionsEnabled: boolean;
      readonly onAlarm: readonly string[];
      readonly onReturn: readonly string[];
    }[];
  };
  readonly mirror?: { readonly notes: number; readonly events: number; readonly failed: number };
}
