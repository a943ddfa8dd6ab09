import * as z from 'zod';
import { ACTION_PARAMS, ACTION_TITLES, isActionId, type ActionId } from '../actions/catalogue.js';
import type { Alarm, Service } from '../model.js';
import type { Sources } from '../../sources/ports.js';
import type { ActionStep, CommandStep, Runbook, Step } from './schema.js';
import { stepsOf } from './schema.js';
import { spokenName } from './conditionText.js';
import { parseTemplate, type TemplateValue, type TemplateVars } from './template.js';

/**
 * A value the room asks the responder for (a runbook parameter without a default), with its context:
 * what it is, why it is asked (the step that needs it), what the target holds now, a suggestion taken
 * from the incident, and the catalogue's rule for it, so that a key meant for something else (a `y`)
 * is refused as a disk size instead of becoming NaN. Plain data, so that it can sit in a snapshot;
 * `validateParam` and `parseParam` read it.
 */
export interface ParamPrompt {
  readonly kind: 'param';
  readonly name: string;
  /** The step that needs the value, and its title. */
  readonly stepId?: string;
  readonly stepTitle?: string;
  /** What the value is, in words. */
  readonly about: string;
  /** Why it is asked, in words (the step and what it does). */
  readonly why: string;
  /** What the target holds now ("400 GiB allocated, 91 % used"), when the sources say. */
  readonly current?: string;
  /** What Enter on an empty line takes, and where it comes from. */
  readonly suggested?: { readonly value: string; readonly from: string };
  /** The action field the value fills: its catalogue schema validates the text as it is typed. */
  readonly field?: { readonly action: ActionId; readonly name: string };
  /** A number the value must exceed (storage only grows). */
  readonly above?: number;
}

/** Where a parameter is used: the first step (action field or command argument) that names it. */
export interface ParamUse {
  readonly step: Step;
  readonly field?: { readonly action: ActionId; readonly name: string };
}

const only = (text: unknown, name: string): boolean => {
  if (typeof text !== 'string') return false;
  const parts = parseTemplate(text).parts;
  return parts.length === 1 && 'variable' in parts[0]! && parts[0].variable === `params.${name}`;
};

/** The steps that use `{{params.<name>}}`, in walk order, with the action field it fills when it is a whole field. */
export function paramUses(runbook: Runbook, name: string): ParamUse[] {
  const uses: ParamUse[] = [];
  for (const { step } of stepsOf(runbook)) {
    const text = JSON.stringify(step);
    if (!text.includes(`params.${name}`)) continue;
    if (step.kind === 'action' && isActionId(step.action)) {
      const field = Object.entries(step.with ?? {}).find(([, v]) => only(v, name))?.[0];
      uses.push({ step, ...(field ? { field: { action: step.action, name: field } } : {}) });
    } else uses.push({ step });
  }
  return uses;
}

/** What each action field a parameter may fill is, for a person. */
const FIELD_ABOUT: Readonly<Record<string, string>> = {
  'waf.block-address.address': 'the client address to block at the edge (an IP address or CIDR)',
  'waf.unblock-address.address': 'the client address whose block to lift (an IP address or CIDR)',
  'rds.grow-storage.allocatedGiB': 'the new allocated storage of the database, in GiB (it can only grow)',
  'ecs.rollback.taskDefinition': 'the task definition to roll back to (family:revision)',
  'ecs.set-desired-count.desired': 'how many tasks the service should run',
  'autoscaling.set-limits.min': 'the fewest tasks autoscaling may run',
  'autoscaling.set-limits.max': 'the most tasks autoscaling may run',
  'pagerduty.escalate.level': 'the escalation level to page (1 is the primary on call)',
  'pagerduty.snooze.duration': 'how long to snooze the incident, such as 30m or 2h',
  'alertmanager.silence.duration': 'how long the silence lasts, such as 30m or 2h',
  'cloudwatch.disable-alarm-actions.duration': 'how long the alarm stays muted (at most 7d)',
};

/** The pure part of a prompt: what the value is and why it is asked, from where the runbook uses it. */
export function describeParam(runbook: Runbook, name: string, at?: Step): Pick<ParamPrompt, 'name' | 'about' | 'why' | 'stepId' | 'stepTitle' | 'field'> {
  const uses = paramUses(runbook, name);
  const use = (at && uses.find((u) => u.step.id === at.id)) ?? uses[0];
  const field = use?.field;
  const about = (field && FIELD_ABOUT[`${field.action}.${field.name}`]) ?? (use?.step.kind === 'command' ? `the ${spokenName(name)} for the command` : `the ${spokenName(name)}`);
  const what = field ? ACTION_TITLES[field.action].replace(/^./, (c) => c.toLowerCase()) : use?.step.kind === 'command' ? 'run a command' : undefined;
  const why = use ? `The step “${use.step.title}” needs it${what ? ` to ${what}` : ''}.` : 'The runbook needs it.';
  return { name, about, why, ...(use ? { stepId: use.step.id, stepTitle: use.step.title } : {}), ...(field ? { field } : {}) };
}

/** A zod issue in words for a person typing one value. */
function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int')) return 'a number is needed';
  if (issue.code === 'too_small') return `at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big') return `at most ${String(issue.maximum)}`;
  if (issue.code === 'invalid_format' || issue.code === 'invalid_union') return issue.message && !/^Invalid/.test(issue.message) ? issue.message : 'not in the expected form';
  return issue.message.replace(/^Invalid input: /, '');
}

/** The catalogue schema of one action field, when there is one to check against. */
function fieldSchema(field: ParamPrompt['field']): z.ZodType | undefined {
  if (!field) return undefined;
  const schema = ACTION_PARAMS[field.action] as unknown as { shape?: Record<string, z.ZodType> };
  return schema.shape?.[field.name];
}

/** The value a text gives, typed as the field wants it (a number for a count or a size). */
export function parseParam(p: ParamPrompt, text: string): TemplateValue {
  const t = text.trim();
  const schema = fieldSchema(p.field);
  if (schema && /^-?\d+(?:\.\d+)?$/.test(t)) {
    const r = schema.safeParse(Number(t));
    if (r.success && typeof r.data === 'number') return r.data;
  }
  return t;
}

/**
 * Whether the text is a value for this prompt: undefined when it is, otherwise what is wrong, in words.
 * An empty text is valid when there is a suggestion (Enter takes it).
 */
export function validateParam(p: ParamPrompt, text: string): string | undefined {
  const t = text.trim();
  if (t === '') return p.suggested ? undefined : `type ${p.about}`;
  const schema = fieldSchema(p.field);
  if (schema) {
    const r = schema.safeParse(parseParam(p, t));
    if (!r.success) return `${issueText(r.error.issues[0]!)}: ${p.about}`;
  }
  if (p.above !== undefined) {
    const n = Number(t);
    if (!(n > p.above)) return `more than ${p.above} is needed (${p.current ?? 'the current value'})`;
  }
  return undefined;
}

/** The value the answer stands for: the suggestion for an empty line, the typed text otherwise. */
export function answerParam(p: ParamPrompt, text: string): { readonly value?: TemplateValue; readonly error?: string } {
  const error = validateParam(p, text);
  if (error) return { error };
  const t = text.trim();
  if (t === '') return p.suggested ? { value: parseParam(p, p.suggested.value) } : {};
  return { value: parseParam(p, t) };
}

const IPV4 = /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?:\/\d{1,2})?\b/;

/** An address the alarm itself carries: a label or dimension holding one, or its reason or description naming one. */
export function addressInAlarm(alarm: Alarm | undefined): { value: string; from: string } | undefined {
  if (!alarm) return undefined;
  const fields: [string, string | undefined][] = [
    ...Object.entries(alarm.metric?.dimensions ?? {}).map(([k, v]): [string, string] => [`the alarm's ${k}`, v]),
    ...Object.entries(alarm.labels ?? {}).map(([k, v]): [string, string] => [`the alert's label ${k}`, v]),
    ['the alarm\'s reason', alarm.reason],
    ['the alarm\'s description', alarm.description],
  ];
  for (const [from, v] of fields) {
    const m = v ? IPV4.exec(v) : null;
    if (m) return { value: m[0], from };
  }
  return undefined;
}

/** What finds a suggestion and the current value for a prompt: the incident's facts, read live. */
export interface ParamFacts {
  readonly sources: Sources;
  readonly alarm?: Alarm;
  /** The room's variables: the templated params and the steps' findings (findings.logs.topAddress…). */
  readonly vars: TemplateVars;
  /** The value given the last time (a retry): offered again. */
  readonly previous?: TemplateValue;
  readonly signal?: AbortSignal;
}

/** Where the sources say a field's target is now, and what to suggest for it. */
type Suggester = (f: ParamFacts, with_: Readonly<Record<string, TemplateValue | undefined>>) => Promise<Pick<ParamPrompt, 'current' | 'suggested' | 'above'>>;

const address: Suggester = async (f) => {
  const found = f.vars['findings.logs.topAddress'];
  if (found !== undefined && String(found) !== '') return { suggested: { value: String(found), from: 'the address behind most of the log lines the room found' } };
  const inAlarm = addressInAlarm(f.alarm);
  return inAlarm ? { suggested: inAlarm } : {};
};

const SUGGESTERS: Partial<Record<string, Suggester>> = {
  'waf.block-address.address': address,
  'waf.unblock-address.address': async (f) => {
    const given = f.vars['params.address'];
    return given !== undefined ? { suggested: { value: String(given), from: 'the address blocked in this room' } } : address(f, {});
  },
  'rds.grow-storage.allocatedGiB': async (f, w) => {
    const db = w['database'];
    if (!f.sources.storageResizable || db === undefined) return {};
    const s = await f.sources.storageResizable.getStorage(String(db));
    const used = s.usedPercent !== undefined ? `, ${Math.round(s.usedPercent)} % used` : '';
    const max = s.maxAllocatedGiB !== undefined ? ` (storage autoscaling up to ${s.maxAllocatedGiB} GiB)` : '';
    const next = Math.min(65_536, Math.max(20, s.allocatedGiB * 2));
    return {
      current: `${String(db)} has ${s.allocatedGiB} GiB allocated${used}${max}`,
      above: s.allocatedGiB,
      suggested: { value: String(next), from: 'double the current allocation (the usual step: it can be grown again only after six hours)' },
    };
  },
  'ecs.rollback.taskDefinition': async (f, w) => {
    const name = w['service'];
    if (name === undefined) return {};
    const services: Service[] = f.sources.services ? await f.sources.services.listServices(f.signal) : [];
    const svc = services.find((s) => s.name === String(name) || s.id === String(name));
    const prev = f.sources.redeployable && svc ? await f.sources.redeployable.previousTaskDefinition(svc.id) : undefined;
    return {
      ...(svc ? { current: `${svc.name} runs ${svc.taskDefinition}` } : {}),
      ...(prev ? { suggested: { value: prev, from: 'the task definition the service ran before the current one' } } : {}),
    };
  },
};

/**
 * The whole prompt for a parameter a step needs now: the pure description, plus what the sources say
 * (the current value, a suggestion). A source that fails leaves the prompt without them, never wrong.
 */
export async function paramPrompt(runbook: Runbook, name: string, step: ActionStep | CommandStep | undefined, facts: ParamFacts, with_: Readonly<Record<string, TemplateValue | undefined>> = {}): Promise<ParamPrompt> {
  const base = describeParam(runbook, name, step);
  let found: Pick<ParamPrompt, 'current' | 'suggested' | 'above'> = {};
  const suggester = base.field ? SUGGESTERS[`${base.field.action}.${base.field.name}`] : undefined;
  if (suggester) {
    try {
      found = await suggester(facts, with_);
    } catch {
      // No current value or suggestion: the responder types it, as before.
    }
  }
  if (facts.previous !== undefined) found = { ...found, suggested: { value: String(facts.previous), from: 'the value given the last time' } };
  return { kind: 'param', ...base, ...found };
}
