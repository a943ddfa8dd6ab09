import type { ConfirmAnswer } from '../actions/types.js';
import type { PreparedAction } from '../actions/engine.js';
import type { Suggestion } from './decide.js';
import type { ParamPrompt } from './paramPrompt.js';
import type { ActionStep, CommandStep, DecisionStep, NoteStep } from './schema.js';
import type { TemplateValue } from './template.js';

/**
 * The runner asks a Responder whenever a person has to act: confirm an action, take a decision, write
 * a note, give a parameter. The cockpit answers through the incident room; a headless drill answers
 * by rule (drillResponder). The runner shows the open question in its snapshot (`pending`) while it
 * waits, whichever responder answers.
 */

export type Pending =
  | {
      readonly kind: 'confirm';
      readonly stepId: string;
      readonly step: ActionStep | CommandStep;
      readonly prepared: PreparedAction;
      /** Set when the target changed since an earlier plan: the new plan must be confirmed again. */
      readonly conflicts?: readonly string[];
    }
  | { readonly kind: 'decision'; readonly stepId: string; readonly step: DecisionStep; readonly suggestion: Suggestion }
  | { readonly kind: 'note'; readonly stepId: string; readonly step: NoteStep }
  | ParamPrompt;

export interface Responder {
  confirm(p: Extract<Pending, { kind: 'confirm' }>): Promise<ConfirmAnswer>;
  /** The chosen option's id. */
  decide(p: Extract<Pending, { kind: 'decision' }>): Promise<string>;
  /** The note's text; undefined to leave it unwritten. */
  note(p: Extract<Pending, { kind: 'note' }>): Promise<string | undefined>;
  /** A value for a runbook parameter that has no default; undefined leaves it unset. */
  param(p: Extract<Pending, { kind: 'param' }>): Promise<TemplateValue | undefined>;
}

export interface DrillResponderOptions {
  /** Confirm actions (`drill --yes`); otherwise every action is journaled as a dry run. */
  readonly yes: boolean;
  /** Values for parameters without defaults (what the responder would find: the attacker's address). */
  readonly params?: Readonly<Record<string, TemplateValue>>;
  /** The text written for notes, with the step's title appended. */
  readonly placeholder?: string;
}

export const DRILL_NOTE_PLACEHOLDER = '[drill placeholder: a headless drill has no responder to write this]';

/**
 * The stand-in responder of a headless drill: takes the suggested answer of every decision (decide.ts),
 * writes a stated placeholder for every note, confirms actions only with --yes (typing the target's name
 * where the plan asks for it), and answers parameters from the drill's scenario.
 */
export function drillResponder(options: DrillResponderOptions): Responder {
  const placeholder = options.placeholder ?? DRILL_NOTE_PLACEHOLDER;
  return {
    async confirm(p) {
      if (!options.yes) return { answer: 'dry-run' };
      const c = p.prepared.confirmation;
      return c.kind === 'typed' ? { answer: 'confirm', typed: c.text } : { answer: 'confirm' };
    },
    async decide(p) {
      return p.suggestion.option.id;
    },
    async note(p) {
      return `${placeholder} ${p.step.title}`;
    },
    async param(p) {
      return options.params && Object.hasOwn(options.params, p.name) ? options.params[p.name] : undefined;
    },
  };
}

/**
 * A responder for a UI: each question becomes `current` until the UI answers it with `answer(…)`.
 * The UI re-renders on `subscribe`. Only one question is open at a time (the runner asks one by one).
 */
export interface PromptResponder extends Responder {
  readonly current: Pending | undefined;
  answer(value: ConfirmAnswer | string | TemplateValue | undefined): void;
  subscribe(listener: (current: Pending | undefined) => void): () => void;
}

export function createPromptResponder(): PromptResponder {
  let current: Pending | undefined;
  let resolve: ((v: unknown) => void) | undefined;
  const listeners = new Set<(c: Pending | undefined) => void>();
  const emit = () => listeners.forEach((l) => l(current));
  function ask<T>(p: Pending): Promise<T> {
    const answered = new Promise<T>((r) => {
      resolve = r as (v: unknown) => void;
    });
    current = p;
    // A listener may answer at once (a test, a scripted UI): the promise is ready for it.
    emit();
    return answered;
  }
  return {
    get current() {
      return current;
    },
    confirm: (p) => ask<ConfirmAnswer>(p),
    decide: (p) => ask<string>(p),
    note: (p) => ask<string | undefined>(p),
    param: (p) => ask<TemplateValue | undefined>(p),
    answer(value) {
      const r = resolve;
      resolve = undefined;
      current = undefined;
      emit();
      r?.(value);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
