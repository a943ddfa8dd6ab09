import { DEFAULT_RULES } from '../policy/rules.js';
import { hasJapanese } from '../lang.js';
import { formatField, type Located } from './lintErrors.js';
import { DEFAULT_RUNBOOK_ID, PHASES, STEP_SCHEMAS, STEP_KINDS, type StepKind } from './schema.js';
import { isKnownVariable, KNOWN_DIMENSIONS, parseTemplate, render, sampleVars, unknownVariableMessage, type TemplateValue } from './template.js';
import type { PathSegment } from './types.js';

/**
 * The rules the schema cannot express, runbook-wide: known template variables, unique step ids, a
 * default runbook that matches nothing else, conditions on steps that come earlier and on outcomes
 * those steps have. Each step kind's own rules (known action ids and parameters, argument arrays
 * rather than shell strings, decision targets that lie ahead …) are in lintStepRules.ts.
 */

/** Each step kind's own rules, run on steps that pass their schema; a kind without rules has no entry. */
export type StepRules = Partial<Readonly<Record<StepKind, (checker: Checker, step: StepRef) => void>>>;

// ---------------------------------------------------------------------------------------------------
// The rules the schema cannot express

export const RULE_IDS = DEFAULT_RULES.map((r) => r.id);
/** Values tried for a param that has no default, so that a field is accepted if some real value would pass. */
const PLACEHOLDERS = ['sample', '1', '192.0.2.1', '30m', 'true', '400'];

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
export const isStr = (v: unknown): v is string => typeof v === 'string';

/** A step as written, where it is, and whether its own schema accepts it. */
export interface StepRef {
  readonly phase: (typeof PHASES)[number];
  readonly index: number;
  readonly raw: Obj;
  readonly path: readonly PathSegment[];
  readonly kind?: StepKind;
  /** The step passes its own schema, so its fields can be trusted. */
  readonly valid: boolean;
}

/** The runbook-wide rules; each step kind's own rules come from a StepRules table (lintStepRules.ts). */
export class Checker {
  readonly found: Located[] = [];
  readonly params: string[];
  readonly nullParams: string[];
  readonly dimensions: string[];
  readonly steps: StepRef[] = [];
  readonly stepById = new Map<string, StepRef>();
  /** Where each step comes in the walk (phase order, then list order). */
  readonly position = new Map<StepRef, number>();

  constructor(readonly raw: Obj) {
    const params = isObj(raw.params) ? raw.params : {};
    this.params = Object.keys(params);
    this.nullParams = this.params.filter((p) => params[p] === null);
    const dims = isObj(raw.matches) && isObj(raw.matches.dimensions) ? Object.keys(raw.matches.dimensions) : [];
    this.dimensions = [...new Set([...KNOWN_DIMENSIONS, ...dims])];
    const phases = isObj(raw.phases) ? raw.phases : {};
    for (const phase of PHASES) {
      const list = phases[phase];
      if (!Array.isArray(list)) continue;
      list.forEach((step, index) => {
        if (!isObj(step)) return;
        const kind = STEP_KINDS.find((k) => k === step.kind);
        const valid = kind !== undefined && STEP_SCHEMAS[kind].safeParse(step).success;
        const ref: StepRef = { phase, index, raw: step, path: ['phases', phase, index], kind, valid };
        this.position.set(ref, this.steps.length);
        this.steps.push(ref);
      });
    }
  }

  add(path: readonly PathSegment[], message: string, key = false): void {
    this.found.push({ path, message, key });
  }

  /** Variables for validating templated fields: samples, params with their defaults, and `fill` for params without one. */
  vars(fill: string): Record<string, TemplateValue> {
    const vars = sampleVars(this.dimensions);
    const params = isObj(this.raw.params) ? this.raw.params : {};
    for (const name of this.params) {
      const v = params[name];
      if (typeof v === 'number' || typeof v === 'boolean') vars[`params.${name}`] = v;
      else if (typeof v === 'string') vars[`params.${name}`] = render(v, vars).text;
      else vars[`params.${name}`] = fill;
    }
    return vars;
  }

  /** Runs `validate` once per placeholder when the value uses a param without default; keeps problems every run had. */
  withPlaceholders(value: unknown, validate: (vars: Record<string, TemplateValue>) => Located[]): Located[] {
    const text = JSON.stringify(value) ?? '';
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const needsFill = this.nullParams.some((p) => new RegExp(`\\{\\{\\s*params\\.${escape(p)}\\s*\\}\\}`).test(text));
    const runs = (needsFill ? PLACEHOLDERS : [PLACEHOLDERS[0]!]).map((fill) => validate(this.vars(fill)));
    const key = (l: Located) => `${formatField(l.path)}|${l.key ? 'k' : 'v'}`;
    const everyRun = runs.slice(1).reduce((keep, run) => {
      const there = new Set(run.map(key));
      return keep.filter((l) => there.has(key(l)));
    }, runs[0]!);
    return everyRun;
  }

  run(stepRules: StepRules): void {
    this.checkRoot();
    this.checkTemplates(this.raw, []);
    this.checkLanguage();
    const seen = new Map<string, StepRef>();
    for (const step of this.steps) {
      const id = step.raw.id;
      if (isStr(id)) {
        const first = seen.get(id);
        if (first) this.add([...step.path, 'id'], `duplicate step id ${JSON.stringify(id)}: also ${formatField([...first.path, 'id'])}`);
        else seen.set(id, step);
        if ((PHASES as readonly string[]).includes(id)) this.add([...step.path, 'id'], `${JSON.stringify(id)} is a phase name; decisions could not tell the step from the phase`);
      }
    }
    for (const [id, step] of seen) this.stepById.set(id, step);
    for (const step of this.steps) {
      const when = step.raw.when;
      if (Array.isArray(when)) when.forEach((c, i) => isObj(c) && this.checkCondition(step, c, ['when', i]));
      else if (isObj(when)) this.checkCondition(step, when, ['when']);
      if (!step.valid) continue;
      if (step.kind) stepRules[step.kind]?.(this, step);
    }
  }

  /**
   * Titles and option labels are shown as they are written (a description goes through core/lang.ts, which
   * keeps the language of the interface out of "English (日本語)"): Japanese there mixes into the English
   * interface. The runbook's Japanese title is titleJa; the Japanese of a step goes in its description.
   */
  checkLanguage(): void {
    const english = (path: readonly PathSegment[], v: unknown) => {
      if (isStr(v) && hasJapanese(v))
        this.add(path, `Japanese in an English field (shown as it is): write it in English; Japanese belongs in ${path.length === 1 ? 'titleJa' : "the step's description, as \"English (日本語)\""}`);
    };
    english(['title'], this.raw.title);
    for (const step of this.steps) {
      english([...step.path, 'title'], step.raw.title);
      if (Array.isArray(step.raw.options))
        step.raw.options.forEach((o, i) => isObj(o) && english([...step.path, 'options', i, 'label'], o.label));
    }
  }

  checkRoot(): void {
    const { raw } = this;
    const matches = isObj(raw.matches) ? raw.matches : undefined;
    if (isObj(matches) && Array.isArray(matches.rules)) {
      matches.rules.forEach((r, i) => {
        if (isStr(r) && !RULE_IDS.includes(r)) this.add(['matches', 'rules', i], `unknown policy rule ${JSON.stringify(r)}; expected one of ${RULE_IDS.join(', ')}`);
      });
    }
    const criteria = matches ? Object.keys(matches).filter((k) => matches[k] !== undefined) : [];
    if (raw.id === DEFAULT_RUNBOOK_ID) {
      if (criteria.length) this.add(['matches'], 'the default runbook matches everything, after every other runbook; remove matches');
    } else if (isStr(raw.id) && criteria.length === 0 && (matches || raw.matches === undefined)) {
      this.add(['matches'], `nothing to match: expected at least one of alarms, rules, metrics, dimensions, services (only the runbook with id ${DEFAULT_RUNBOOK_ID} matches everything)`);
    }
    if (isObj(raw.phases) && this.steps.length === 0 && PHASES.every((p) => Array.isArray((raw.phases as Obj)[p]) || (raw.phases as Obj)[p] === undefined)) {
      this.add(['phases'], 'expected at least one step in one of the phases detect, triage, investigate, resolve, postmortem');
    }
  }

  /** Every string is checked: template syntax, and variables that exist for this runbook. */
  checkTemplates(value: unknown, path: PathSegment[]): void {
    if (isStr(value)) {
      if (!value.includes('{{')) return;
      if (path[0] === 'matches') {
        this.add(path, 'templates are not allowed in matches: matching happens before there is anything to substitute');
        return;
      }
      const parsed = parseTemplate(value);
      for (const p of parsed.problems) this.add(path, p);
      for (const part of parsed.parts) {
        if (!('variable' in part)) continue;
        if (path[0] === 'params' && part.variable.startsWith('params.')) this.add(path, `a param default cannot use another param ({{${part.variable}}})`);
        else if (!isKnownVariable(part.variable, this.params, this.dimensions)) this.add(path, unknownVariableMessage(part.variable, this.params, this.dimensions));
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => this.checkTemplates(v, [...path, i]));
    else if (isObj(value)) for (const [k, v] of Object.entries(value)) this.checkTemplates(v, [...path, k]);
  }

  exactlyOne(step: StepRef, fields: readonly string[], message: string): string | undefined {
    const present = fields.filter((f) => step.raw[f] !== undefined);
    if (present.length === 1) return present[0];
    if (present.length === 0) this.add(step.path, message);
    else this.add([...step.path, present[1]!], message, true);
    return undefined;
  }

  checkCondition(step: StepRef, w: Obj, where: readonly PathSegment[]): void {
    const at = [...step.path, ...where];
    const hasVar = w.var !== undefined;
    const hasStep = w.step !== undefined;
    if (hasVar === hasStep) {
      this.add(at, 'expected either var (with is or not) or step (with result or chose)');
      return;
    }
    if (hasVar) {
      if (isStr(w.var) && !isKnownVariable(w.var, this.params, this.dimensions)) this.add([...at, 'var'], unknownVariableMessage(w.var, this.params, this.dimensions));
      if (w.is === undefined && w.not === undefined) this.add(at, 'a var condition needs is or not (globs)');
      for (const f of ['result', 'chose']) if (w[f] !== undefined) this.add([...at, f], 'only used with step', true);
      return;
    }
    for (const f of ['is', 'not']) if (w[f] !== undefined) this.add([...at, f], 'only used with var', true);
    if (!isStr(w.step)) return;
    const target = this.stepById.get(w.step);
    if (!target) {
      this.add([...at, 'step'], `no step ${JSON.stringify(w.step)} in this runbook`);
      return;
    }
    if (w.step === step.raw.id) this.add([...at, 'step'], 'a step cannot depend on itself');
    else if (this.position.get(target)! > this.position.get(step)!) {
      this.add([...at, 'step'], `${JSON.stringify(w.step)} comes later in the runbook: its outcome is not known when this step is reached`);
    }
    if (w.result === undefined && w.chose === undefined) this.add(at, 'a step condition needs result (pass, fail or no-data, for a check) or chose (an option id, for a decision)');
    if (w.result !== undefined && target.kind !== 'check') this.add([...at, 'result'], `result is for check steps; ${JSON.stringify(w.step)} is a ${String(target.kind)}`);
    if (w.chose !== undefined) {
      if (target.kind !== 'decision') this.add([...at, 'chose'], `chose is for decision steps; ${JSON.stringify(w.step)} is a ${String(target.kind)}`);
      else if (Array.isArray(target.raw.options)) {
        const ids = target.raw.options.flatMap((o) => (isObj(o) && isStr(o.id) ? [o.id] : []));
        const chosen = Array.isArray(w.chose) ? w.chose.map((c, i) => [c, [...at, 'chose', i]] as const) : [[w.chose, [...at, 'chose']] as const];
        for (const [c, where] of chosen) {
          if (isStr(c) && !ids.includes(c)) this.add(where, `${JSON.stringify(w.step)} has no option ${JSON.stringify(c)}; expected one of ${ids.join(', ')}`);
        }
      }
    }
  }
}
