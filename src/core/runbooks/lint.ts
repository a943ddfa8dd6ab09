import { readOnlyProblem } from '../actions/readOnlyCommands.js';
import type { z } from 'zod';
import { ACTION_PARAMS, isActionId } from '../actions/catalogue.js';
import { DEFAULT_RULES } from '../policy/rules.js';
import { inertLine } from '../sanitize.js';
import type { ParsedFile, PathSegment, RunbookOrigin } from './load.js';
import { DEFAULT_RUNBOOK_ID, PHASES, runbookSchema, SERVICE_CONDITIONS, STEP_SCHEMAS, STEP_KINDS, type Runbook, type StepKind } from './schema.js';
import {
  isKnownVariable,
  KNOWN_DIMENSIONS,
  parseTemplate,
  render,
  renderArgv,
  renderValue,
  sampleVars,
  unknownVariableMessage,
  type TemplateValue,
} from './template.js';

/**
 * Validation of runbook files, reporting EVERY problem, one per line, as
 *
 *     file:line:column: field: what was expected
 *
 * where field is the dotted/indexed path (phases.resolve[2].with.min). Schema errors come from zod and
 * are reworded here; the rest are rules the schema cannot express: known action ids and their
 * parameters (validated against the catalogue after templating with sample values), known template
 * variables, unique runbook and step ids, decision targets that exist and lie ahead (a runbook is walked
 * forward, so a loop is impossible), conditions on steps that come earlier, at most one default answer
 * per decision, and commands that are argument arrays rather than shell strings. A runbook with any
 * error is not loaded; the others still are.
 */

export interface LintError {
  readonly file: string;
  /** 1-based; 0 when the problem is the file or folder itself. */
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly message: string;
}

export interface LoadedRunbook {
  readonly runbook: Runbook;
  readonly file: string;
  readonly origin: RunbookOrigin;
  /** The shipped runbook's file this team runbook replaces (same id). */
  readonly overrides?: string;
}

/** phases.resolve[2].with.min; keys that are not plain names are quoted: dimensions["a.b"]. */
export function formatField(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(document)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** One error, one line; text from the file is made inert (no escape sequences reach the terminal). */
export function formatLintError(e: LintError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file;
  return inertLine(`${where}: ${e.field}: ${e.message}`);
}

export function compareLintErrors(a: LintError, b: LintError): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.field.localeCompare(b.field) || a.message.localeCompare(b.message);
}

// ---------------------------------------------------------------------------------------------------
// Rewording zod's issues

type Issue = z.core.$ZodIssue;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const s = value.length > 48 ? `${value.slice(0, 47)}…` : value;
    return JSON.stringify(s);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length ? 'a list' : 'an empty list';
  return 'a mapping';
}

const NOUN: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  record: 'a mapping (key: value)',
};

const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;
/** A custom message that is a sentence stands alone; a noun phrase ("a duration …") follows "expected". */
const SENTENCE = /\b(must|needs|need|should|cannot|can't|is|are|does|do|has|have)\b/;

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function bound(issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean }, small: boolean): string {
  const n = String(small ? issue.minimum : issue.maximum);
  return small ? (issue.inclusive === false ? `> ${n}` : `≥ ${n}`) : issue.inclusive === false ? `< ${n}` : `≤ ${n}`;
}

/** What was expected, from one issue, in words. */
function expectation(issue: Issue, value: unknown): string {
  const custom = !DEFAULT_MESSAGE.test(issue.message);
  if (custom && SENTENCE.test(issue.message)) return issue.message;
  const got = value === undefined ? '' : `, got ${describe(value)}`;
  const missing = value === undefined ? 'missing; ' : '';
  if (custom) return `${missing}expected ${issue.message}${got}`;
  switch (issue.code) {
    case 'invalid_type':
      return `${missing}expected ${NOUN[issue.expected] ?? issue.expected}${got}`;
    case 'invalid_value':
      return `${missing}expected ${issue.values.length === 1 ? String(issue.values[0]) : `one of ${issue.values.map(String).join(', ')}`}${got}`;
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const origin = issue.origin;
      if (origin === 'string') return small && Number(issue.minimum) === 1 ? 'expected text, not empty' : `expected text of length ${bound(issue, small)}${got}`;
      if (origin === 'array' || origin === 'set') return `expected ${small ? 'at least' : 'at most'} ${String(small ? issue.minimum : issue.maximum)} item(s)${got}`;
      return `expected a number ${bound(issue, small)}${got}`;
    }
    case 'invalid_format':
      return `expected ${issue.format === 'regex' ? `text matching ${issue.pattern ?? 'the pattern'}` : issue.format}${got}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}${got}`;
    case 'invalid_union': {
      const u = issue as { discriminator?: string; options?: unknown[] };
      if (u.options && u.options.length) return `${missing}expected one of ${u.options.map(String).join(', ')}${got}`;
      return `${missing}expected ${expectedOfUnion(issue)}${got}`;
    }
    default:
      return issue.message;
  }
}

function expectedOfUnion(issue: Issue): string {
  const branches = (issue as { errors?: Issue[][] }).errors ?? [];
  const kinds = branches.map((b) => (b[0]?.code === 'invalid_type' ? (NOUN[b[0].expected] ?? b[0].expected) : undefined)).filter((k): k is string => !!k);
  return kinds.length ? [...new Set(kinds)].join(' or ') : 'another kind of value';
}

/** The one alternative of a union whose type matched the value, when there is exactly one. */
function unionBranch(issue: Issue): Issue[] | undefined {
  const branches = (issue as { errors?: Issue[][] }).errors ?? [];
  const matched = branches.filter((b) => !b.some((i) => i.code === 'invalid_type' && i.path.length === 0));
  return matched.length === 1 ? matched[0] : undefined;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/** The keys an object schema accepts at a path (following the discriminator of step unions). */
function allowedKeys(schema: z.ZodType, path: readonly PathSegment[], data: unknown): string[] | undefined {
  type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[]; discriminator?: string; values?: unknown[] };
  const def = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;
  const unwrap = (s: z.ZodType | undefined, d: unknown): z.ZodType | undefined => {
    for (let i = 0; s && i < 20; i++) {
      const x = def(s);
      if (x.innerType) s = x.innerType;
      else if (x.type === 'pipe' && x.in) s = x.in;
      else if (x.type === 'union' && x.discriminator && x.options) {
        const want = d && typeof d === 'object' ? (d as Record<string, unknown>)[x.discriminator] : undefined;
        s = x.options.find((o) => def(def(o).shape?.[x.discriminator!] ?? o).values?.includes(want));
      } else if (x.type === 'union' && x.options) {
        // A plain union: the alternative of the value's shape (a list or a mapping).
        s = x.options.find((o) => (def(o).type === 'array') === Array.isArray(d));
      } else return s;
    }
    return s;
  };
  let s: z.ZodType | undefined = schema;
  let d = data;
  for (const seg of path) {
    s = unwrap(s, d);
    if (!s) return undefined;
    const x = def(s);
    if (x.type === 'object') s = x.shape?.[String(seg)];
    else if (x.type === 'array') s = x.element;
    else if (x.type === 'record') s = x.valueType;
    else return undefined;
    d = d && typeof d === 'object' ? (d as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  s = unwrap(s, d);
  const x = s && def(s);
  return x?.type === 'object' && x.shape ? Object.keys(x.shape) : undefined;
}

interface Located {
  readonly path: readonly PathSegment[];
  readonly key?: boolean;
  readonly message: string;
}

/** zod issues as located messages; unknown keys become one error each, at the key. */
function fromIssues(issues: readonly Issue[], data: unknown, schema: z.ZodType, prefix: readonly PathSegment[] = [], base: readonly PathSegment[] = []): Located[] {
  const out: Located[] = [];
  for (const issue of issues) {
    // `base` is where these issues sit in `data` (inside a union); `prefix` is prepended for reporting.
    const inData = [...base, ...(issue.path as PathSegment[])];
    const path = [...prefix, ...(issue.path as PathSegment[])];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(schema, inData, data);
      for (const key of issue.keys) {
        const near = allowed?.filter((k) => editDistance(k, key) <= 2).sort((a, b) => editDistance(a, key) - editDistance(b, key))[0];
        const hint = near ? `; did you mean ${near}?` : allowed ? `; expected one of ${allowed.join(', ')}` : '';
        out.push({ path: [...path, key], key: true, message: `unknown field${hint}` });
      }
    } else if (issue.code === 'invalid_union' && !(issue as { discriminator?: string }).discriminator && unionBranch(issue)) {
      // The value had the right shape for one alternative (a mapping, or a list): report that one's problems.
      out.push(...fromIssues(unionBranch(issue)!, data, schema, path, inData));
    } else if (issue.code === 'invalid_key') {
      const inner = (issue as { issues?: Issue[] }).issues?.[0];
      const key = path[path.length - 1];
      out.push({ path, key: true, message: `the key ${describe(key)} is not valid: expected ${inner && !DEFAULT_MESSAGE.test(inner.message) ? inner.message : 'another key'}` });
    } else {
      out.push({ path, message: expectation(issue, valueAt(data, inData)) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The rules the schema cannot express

const RULE_IDS = DEFAULT_RULES.map((r) => r.id);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'csh', 'tcsh', 'ash', 'busybox', 'cmd', 'cmd.exe', 'powershell', 'pwsh']);
/** Values tried for a param that has no default, so that a field is accepted if some real value would pass. */
const PLACEHOLDERS = ['sample', '1', '192.0.2.1', '30m', 'true', '400'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

interface StepRef {
  readonly phase: (typeof PHASES)[number];
  readonly index: number;
  readonly raw: Obj;
  readonly path: readonly PathSegment[];
  readonly kind?: StepKind;
  /** The step passes its own schema, so its fields can be trusted. */
  readonly valid: boolean;
}

class Checker {
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

  run(): void {
    this.checkRoot();
    this.checkTemplates(this.raw, []);
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
      switch (step.kind) {
        case 'check':
          this.checkCheck(step);
          break;
        case 'query':
          this.exactlyOne(step, ['query', 'promql', 'metric'], 'a query needs exactly one of query (a named query), promql, metric');
          break;
        case 'action':
          this.checkAction(step);
          break;
        case 'command':
          this.checkCommand(step);
          break;
        case 'decision':
          this.checkDecision(step);
          break;
        case 'link':
          this.checkLink(step);
          break;
        default:
          break;
      }
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

  checkCheck(step: StepRef): void {
    const s = step.raw;
    const subject = this.exactlyOne(step, ['alarm', 'metric', 'rule', 'service'], 'a check needs exactly one of alarm, metric, rule, service');
    const only = (field: string, allowed: readonly string[], what: string) => {
      if (s[field] !== undefined && subject !== undefined && !allowed.includes(subject)) this.add([...step.path, field], `only used ${what}`, true);
    };
    only('state', ['alarm'], 'with alarm (the state it must be in)');
    only('op', ['metric', 'rule'], 'with metric or rule (the comparison)');
    only('value', ['metric', 'rule'], 'with metric or rule (the comparison)');
    only('resource', ['rule'], 'with rule (the resource the rule is evaluated on)');
    only('condition', ['service'], 'with service (the condition it must be in)');
    if ((subject === 'metric' || subject === 'rule') && (s.op === undefined) !== (s.value === undefined)) {
      this.add(step.path, 'op and value go together, e.g. op: "<" and value: 70');
    }
    if (subject === 'metric' && s.op === undefined && s.value === undefined) this.add(step.path, 'a metric check needs op and value, e.g. op: "<" and value: 70');
    if (subject === 'service' && s.condition === undefined) {
      this.add(step.path, `a service check needs condition: ${SERVICE_CONDITIONS.slice(0, -1).join(', ')} or ${SERVICE_CONDITIONS[SERVICE_CONDITIONS.length - 1]}`);
    }
    if (s.within !== undefined && s.condition !== 'no-recent-deployment') this.add([...step.path, 'within'], 'only used with condition: no-recent-deployment (how recent is recent)', true);
    if (subject === 'rule' && isStr(s.rule) && !RULE_IDS.includes(s.rule)) this.add([...step.path, 'rule'], `unknown policy rule ${JSON.stringify(s.rule)}; expected one of ${RULE_IDS.join(', ')}`);
  }

  checkAction(step: StepRef): void {
    const verify = step.raw.verify;
    if (isObj(verify)) {
      const at = [...step.path, 'verify'];
      const subject = ['alarm', 'metric'].filter((f) => verify[f] !== undefined);
      if (subject.length !== 1) this.add(subject.length ? [...at, subject[1]!] : at, 'verify needs exactly one of alarm (back in a state) or metric (with op and value)', subject.length > 1);
      if (verify.state !== undefined && verify.alarm === undefined) this.add([...at, 'state'], 'only used with alarm (the state it must reach)', true);
      if (verify.metric !== undefined && (verify.op === undefined || verify.value === undefined)) this.add(at, 'a metric to verify needs op and value, e.g. op: "<" and value: 70');
      if (verify.metric === undefined) for (const f of ['op', 'value']) if (verify[f] !== undefined) this.add([...at, f], 'only used with metric (the comparison)', true);
    }
    const id = step.raw.action;
    if (!isStr(id) || !isActionId(id)) return;
    const schema = ACTION_PARAMS[id] as z.ZodType;
    const given = isObj(step.raw.with) ? step.raw.with : {};
    const prefix = [...step.path, 'with'];
    const problems = this.withPlaceholders(given, (vars) => {
      const rendered = renderValue(given, vars);
      const result = schema.safeParse(rendered);
      return result.success ? [] : fromIssues(result.error.issues, rendered, schema, prefix);
    });
    // Report the value as written, not as rendered with samples.
    for (const p of problems) this.found.push(p.key ? p : { ...p, message: p.message.replace(/, got .*$/, `, got ${describe(valueAt(given, p.path.slice(prefix.length)))}`) });
  }

  checkCommand(step: StepRef): void {
    const argv = step.raw.command as string[];
    const program = argv[0]!.split(/[\\/]/).pop()!.toLowerCase();
    const viaEnv = program === 'env' && argv[1] !== undefined && SHELLS.has(argv[1].split(/[\\/]/).pop()!.toLowerCase());
    if ((SHELLS.has(program) || viaEnv) && argv.some((a) => /^(-c|\/c|-command|-Command|-e)$/.test(a))) {
      this.add([...step.path, 'command', 0], `${JSON.stringify(argv[0])} with ${argv.find((a) => /^(-c|\/c|-command|-Command|-e)$/.test(a))} turns the argument array back into a shell string; name the program itself`);
    }
    if (argv[0]!.includes('{{')) this.add([...step.path, 'command', 0], 'the program to run cannot come from a template');
    const notReadOnly = step.raw.readonly === true ? readOnlyProblem(argv) : undefined;
    if (notReadOnly) this.add([...step.path, 'readonly'], `marked read-only, but ${notReadOnly}`);
    const problems = this.withPlaceholders(argv, (vars) => {
      const r = renderArgv(argv, vars);
      return r.argv.length === argv.length ? [] : [{ path: [...step.path, 'command'], message: 'rendering changed the number of arguments' }];
    });
    this.found.push(...problems);
  }

  checkLink(step: StepRef): void {
    const url = step.raw.url as string;
    const problems = this.withPlaceholders(url, (vars) => {
      const text = render(url, vars).text;
      try {
        const u = new URL(text);
        if (u.protocol === 'http:' || u.protocol === 'https:') return [];
      } catch {
        // reported below
      }
      return [{ path: [...step.path, 'url'], message: `expected an http:// or https:// URL, got ${describe(url)}` }];
    });
    this.found.push(...problems);
  }

  checkDecision(step: StepRef): void {
    const options = step.raw.options as { id: string; goto: string; when?: unknown; default?: boolean }[];
    const ids = new Set<string>();
    const here = this.position.get(step)!;
    const defaults = options.flatMap((o, i) => (o.default === true ? [i] : []));
    for (const i of defaults.slice(1)) this.add([...step.path, 'options', i, 'default'], `only one option can be the default; options[${defaults[0]}] already is`);
    options.forEach((o, i) => {
      const at = [...step.path, 'options', i];
      if (ids.has(o.id)) this.add([...at, 'id'], `duplicate option id ${JSON.stringify(o.id)}`);
      ids.add(o.id);
      if (o.goto === step.raw.id) this.add([...at, 'goto'], 'a decision cannot go to itself');
      else if ((PHASES as readonly string[]).includes(o.goto)) {
        if (PHASES.indexOf(o.goto as (typeof PHASES)[number]) <= PHASES.indexOf(step.phase)) {
          this.add([...at, 'goto'], `${JSON.stringify(o.goto)} does not lie ahead: a decision goes forward, to a later step or phase (runbooks are walked once, without loops)`);
        }
      } else if (!this.stepById.has(o.goto)) {
        this.add([...at, 'goto'], `no step or phase ${JSON.stringify(o.goto)}: expected a step id of this runbook or one of ${PHASES.join(', ')}`);
      } else if (this.position.get(this.stepById.get(o.goto)!)! <= here) {
        this.add([...at, 'goto'], `step ${JSON.stringify(o.goto)} comes before this decision: a decision goes forward, to a later step or phase (runbooks are walked once, without loops)`);
      }
      if (Array.isArray(o.when)) o.when.forEach((c, j) => isObj(c) && this.checkCondition(step, c, ['options', i, 'when', j]));
      else if (isObj(o.when)) this.checkCondition(step, o.when, ['options', i, 'when']);
    });
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

/** One file's errors, and its runbook when it has none. */
export function lintFile(parsed: ParsedFile): { runbook?: Runbook; errors: LintError[] } {
  if (parsed.syntaxErrors.length) return { errors: [...parsed.syntaxErrors] };
  const place = (l: Located): LintError => {
    const pos = parsed.locate(l.path, l.key);
    return { file: parsed.file, line: pos.line, column: pos.column, field: formatField(l.path), message: l.message };
  };
  const data = parsed.data;
  if (data === undefined || data === null) {
    return { errors: [place({ path: [], message: 'the file is empty: expected a runbook (id, title, priority, matches, phases)' })] };
  }
  if (!isObj(data)) return { errors: [place({ path: [], message: `expected a mapping with id, title, priority, matches and phases, got ${describe(data)}` })] };
  const found: Located[] = [];
  const result = runbookSchema.safeParse(data);
  if (!result.success) found.push(...fromIssues(result.error.issues, data, runbookSchema));
  const checker = new Checker(data);
  checker.run();
  found.push(...checker.found);
  const seen = new Set<string>();
  const errors = found
    .map(place)
    .filter((e) => {
      const k = formatLintError(e);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort(compareLintErrors);
  return errors.length === 0 && result.success ? { runbook: result.data, errors } : { errors };
}

/**
 * Lints a set of files together: each one on its own, then runbook ids across files. Within the
 * shipped runbooks, and within the team's, an id is unique; a team runbook with a shipped runbook's id
 * replaces it (that is how a team adapts a shipped runbook without forking the package).
 */
export function lintFiles(files: readonly ParsedFile[]): { runbooks: LoadedRunbook[]; errors: LintError[] } {
  const errors: LintError[] = [];
  const firstOf = new Map<string, { file: ParsedFile; where: string }>();
  const byId = new Map<string, LoadedRunbook>();
  for (const file of files) {
    const linted = lintFile(file);
    errors.push(...linted.errors);
    const id = isObj(file.data) && isStr(file.data.id) ? file.data.id : undefined;
    let duplicate = false;
    if (id !== undefined) {
      const pos = file.locate(['id']);
      const where = `${file.file}:${pos.line}:${pos.column}`;
      const key = `${file.origin}:${id}`;
      const first = firstOf.get(key);
      if (first) {
        duplicate = true;
        errors.push({ file: file.file, line: pos.line, column: pos.column, field: 'id', message: `duplicate runbook id ${JSON.stringify(id)}: also ${first.where}` });
      } else firstOf.set(key, { file, where });
    }
    if (linted.runbook && !duplicate) {
      const shipped = byId.get(linted.runbook.id);
      const overrides = file.origin === 'user' && shipped?.origin === 'shipped' ? shipped.file : undefined;
      byId.set(linted.runbook.id, { runbook: linted.runbook, file: file.file, origin: file.origin, ...(overrides ? { overrides } : {}) });
    }
  }
  return { runbooks: [...byId.values()], errors: errors.sort(compareLintErrors) };
}
