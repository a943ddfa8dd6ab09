import type { Alarm, Incident } from '../model.js';
import { DEFAULT_RULES } from '../policy/rules.js';
import { displayZoneLabel } from './displayText.js';
import type { ParamValue } from './schema.js';

/**
 * The runbook template language, on purpose the smallest that works: `{{name}}` is replaced by the
 * value of one variable. No expressions, filters, conditionals or code; an unknown variable is a lint
 * error, not an empty string at 3 a.m.
 *
 * Substitution happens inside one string at a time. A command's argv is rendered element by element,
 * so incident data (an alarm name, an incident title such as `$(rm -rf /); echo "x" | y`) always stays
 * ONE literal argument: it never meets a shell and never splits into several arguments.
 */

export type TemplateValue = string | number | boolean;
/** Variable name → value; undefined means known but not available in this context. */
export type TemplateVars = Readonly<Record<string, TemplateValue | undefined>>;

/** The variables a runbook may use, with a realistic sample used to validate templated fields. */
export const CONTEXT_VARIABLES: Readonly<Record<string, { readonly about: string; readonly sample: string }>> = {
  'incident.id': { about: 'the incident id (PagerDuty)', sample: 'Q0RIJJZL24RC6W' },
  'incident.number': { about: 'the incident number', sample: '1042' },
  'incident.title': { about: 'the incident title', sample: 'ALARM: vitascope-api-high-cpu-critical' },
  'incident.status': { about: 'triggered, acknowledged or resolved', sample: 'triggered' },
  'incident.priority': { about: 'P1–P4', sample: 'P2' },
  'incident.urgency': { about: 'high or low', sample: 'high' },
  'incident.service': { about: 'the PagerDuty service name', sample: 'Vitascope API' },
  'incident.url': { about: 'the incident in PagerDuty', sample: 'https://vitascope.pagerduty.com/incidents/Q0RIJJZL24RC6W' },
  'incident.alarm': { about: 'the first alarm grouped into the incident', sample: 'vitascope-api-high-cpu-critical' },
  'alarm.name': { about: 'the alarm name', sample: 'vitascope-api-high-cpu-critical' },
  'alarm.state': { about: 'OK, ALARM or INSUFFICIENT_DATA', sample: 'ALARM' },
  'alarm.level': { about: 'critical, warning or info', sample: 'critical' },
  'alarm.description': { about: 'the alarm description', sample: 'CPU utilisation of the ECS service' },
  'alarm.reason': { about: 'why the alarm is in its state', sample: 'Threshold Crossed: 2 datapoints were >= 90' },
  'alarm.rule': { about: 'the policy rule id', sample: 'cpu-utilization' },
  'alarm.namespace': { about: 'the metric namespace', sample: 'AWS/ECS' },
  'alarm.metric': { about: 'the metric name', sample: 'CPUUtilization' },
  'alarm.value': { about: 'the newest evaluated value', sample: '93.5' },
  'alarm.threshold': { about: 'the threshold', sample: '90' },
  'alarm.unit': { about: 'the unit of value and threshold', sample: 'percent' },
  'runbook.id': { about: 'this runbook', sample: 'cpu-utilization' },
  'runbook.title': { about: 'this runbook', sample: 'CPU utilisation' },
  'responder.name': { about: 'who is running the runbook', sample: 'Aiko Tanaka' },
  'display.timezone': { about: 'the zone the screen shows times in (display.timezone, UTC under --utc)', sample: 'Asia/Tokyo (GMT+9)' },
  // Findings of the room's last logs and traces steps (unknown until such a step ran: conditions on them wait).
  'findings.logs.topAddress': { about: 'the address behind most lines of one log pattern (an attacker, a scraper)', sample: '203.0.113.7' },
  'findings.logs.topPattern': { about: 'the log pattern that appeared or grew most (or the most frequent)', sample: 'WARNING login failed reason=bad_password user=<num> client=<ip>' },
  'findings.logs.revision': { about: 'the task definition revision the new log patterns name', sample: 'vitascope-api:42' },
  'findings.logs.notable': { about: 'true when a log pattern appeared or grew against the window before', sample: 'true' },
  'findings.traces.span': { about: 'the span (service and operation) that changed most per request', sample: 'vitascope-db SELECT health_readings' },
  'findings.traces.service': { about: 'the service of the span that changed most', sample: 'vitascope-db' },
  'findings.traces.change': { about: 'how it changed: more (per request), slower, new, fewer, faster or gone', sample: 'more' },
  'findings.traces.failing': { about: 'failing traces in the window', sample: '12' },
};

/** Sample values of alarm.dimensions.<Name>, for validating templated fields. */
const DIMENSION_SAMPLES: Readonly<Record<string, string>> = {
  ClusterName: 'vitascope-cluster',
  ServiceName: 'vitascope-api',
  DBInstanceIdentifier: 'vitascope-db',
  QueueName: 'vitascope-sync-queue',
  FunctionName: 'vitascope-sync-processor',
  Dependency: 'wearables-gateway',
};

/** Dimension names the policy's metrics use; a runbook may add its own through matches.dimensions. */
export const KNOWN_DIMENSIONS: readonly string[] = [...new Set(DEFAULT_RULES.flatMap((r) => r.metric.dimensions))].sort();

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const PLACEHOLDER = /\{\{([\s\S]*?)\}\}/g;

export type TemplatePart = { readonly literal: string } | { readonly variable: string };

export interface ParsedTemplate {
  readonly parts: readonly TemplatePart[];
  /** Syntax problems: not a variable name, an unclosed {{. */
  readonly problems: readonly string[];
}

/** Splits a string into literal text and variable references. */
export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const problems: string[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const inner = m[1]!.trim();
    if (m.index > last) parts.push({ literal: text.slice(last, m.index) });
    if (NAME.test(inner)) parts.push({ variable: inner });
    else {
      problems.push(`"${m[0]}" is not a variable: a template holds one variable name such as {{alarm.name}}, no expressions`);
      parts.push({ literal: m[0] });
    }
    last = m.index + m[0].length;
  }
  const rest = text.slice(last);
  if (rest.includes('{{')) problems.push('"{{" is never closed with "}}"');
  if (rest) parts.push({ literal: rest });
  return { parts, problems };
}

/** The variables a string refers to. */
export function variablesIn(text: string): string[] {
  return parseTemplate(text).parts.flatMap((p) => ('variable' in p ? [p.variable] : []));
}

export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/**
 * Whether a variable exists for a runbook with these parameters. `dimensions` are the dimension names
 * the runbook may read (the policy's, plus the ones it matches on).
 */
export function isKnownVariable(name: string, params: readonly string[], dimensions: readonly string[] = KNOWN_DIMENSIONS): boolean {
  if (Object.hasOwn(CONTEXT_VARIABLES, name)) return true;
  const [head, second, third, ...more] = name.split('.');
  if (head === 'params') return second !== undefined && third === undefined && params.includes(second);
  if (head === 'alarm' && second === 'dimensions') return third !== undefined && more.length === 0 && dimensions.includes(third);
  return false;
}

/** What the linter says about an unknown variable: the families that do exist. */
export function unknownVariableMessage(name: string, params: readonly string[], dimensions: readonly string[] = KNOWN_DIMENSIONS): string {
  const [head, second] = name.split('.');
  if (head === 'params') {
    return params.length
      ? `unknown variable {{${name}}}: this runbook's params are ${params.map((p) => `params.${p}`).join(', ')}`
      : `unknown variable {{${name}}}: declare it under params first`;
  }
  if (head === 'alarm' && second === 'dimensions') {
    return `unknown variable {{${name}}}: known dimensions are ${dimensions.join(', ')} (add others through matches.dimensions)`;
  }
  const families = [...new Set(Object.keys(CONTEXT_VARIABLES).map((k) => k.split('.')[0]))];
  const same = Object.keys(CONTEXT_VARIABLES).filter((k) => k.startsWith(`${head}.`));
  return same.length
    ? `unknown variable {{${name}}}: expected one of ${same.join(', ')}${head === 'alarm' ? ', alarm.dimensions.<Name>' : ''}`
    : `unknown variable {{${name}}}: variables start with ${[...families, 'params'].join('., ')}.`;
}

/** A variable's value; only the context's own entries count (never Object.prototype's "constructor"). */
function lookup(vars: TemplateVars, name: string): TemplateValue | undefined {
  return Object.hasOwn(vars, name) ? vars[name] : undefined;
}

/** The value of each placeholder, or the names that have none. */
export function render(text: string, vars: TemplateVars): { text: string; missing: string[] } {
  const missing: string[] = [];
  let out = '';
  for (const part of parseTemplate(text).parts) {
    if ('literal' in part) out += part.literal;
    else {
      const v = lookup(vars, part.variable);
      if (v === undefined) missing.push(part.variable);
      else out += String(v);
    }
  }
  return { text: out, missing };
}

/**
 * A command's arguments, each element rendered on its own: the result has exactly as many elements
 * as the template, whatever the data holds (spaces, quotes, `$(…)`, `;`, `|`).
 */
export function renderArgv(argv: readonly string[], vars: TemplateVars): { argv: string[]; missing: string[] } {
  const missing = new Set<string>();
  const out = argv.map((element) => {
    const r = render(element, vars);
    r.missing.forEach((m) => missing.add(m));
    return r.text;
  });
  return { argv: out, missing: [...missing] };
}

/**
 * An action's `with:` parameters, rendered. A string that is exactly one placeholder of a number or
 * boolean keeps that type ("{{params.failover}}" with false stays false, it does not become the
 * string "false", which a coercing schema would read as true).
 */
export function renderValue(value: unknown, vars: TemplateVars, missing: Set<string> = new Set()): unknown {
  if (typeof value === 'string') {
    const parts = parseTemplate(value).parts;
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only && 'variable' in only) {
      const v = lookup(vars, only.variable);
      if (v === undefined) missing.add(only.variable);
      return v === undefined ? '' : v;
    }
    const r = render(value, vars);
    r.missing.forEach((m) => missing.add(m));
    return r.text;
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, vars, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, vars, missing)]));
  }
  return value;
}

export interface TemplateContext {
  readonly alarm?: Alarm;
  readonly incident?: Incident;
  readonly runbook?: { readonly id: string; readonly title: string; readonly params?: Readonly<Record<string, ParamValue>> };
  /** Values the responder gave for the runbook's params (they win over the defaults). */
  readonly params?: Readonly<Record<string, TemplateValue>>;
  readonly responder?: { readonly name: string };
  /** Values found by the room's steps so far (findings.logs.*, findings.traces.*); param defaults may use them. */
  readonly findings?: Readonly<Record<string, TemplateValue | undefined>>;
}

/**
 * The variables of a context. Param defaults may themselves use the other variables (a default of
 * "{{alarm.dimensions.ServiceName}}"), but not other params.
 */
export function contextVars(ctx: TemplateContext): Record<string, TemplateValue | undefined> {
  const vars: Record<string, TemplateValue | undefined> = {};
  const { alarm, incident } = ctx;
  if (incident) {
    Object.assign(vars, {
      'incident.id': incident.id,
      'incident.number': incident.number,
      'incident.title': incident.title,
      'incident.status': incident.status,
      'incident.priority': incident.priority,
      'incident.urgency': incident.urgency,
      'incident.service': incident.service.name,
      'incident.url': incident.url,
      'incident.alarm': incident.alarmNames[0],
    });
  }
  if (alarm) {
    Object.assign(vars, {
      'alarm.name': alarm.name,
      'alarm.state': alarm.state,
      'alarm.level': alarm.level,
      'alarm.description': alarm.description,
      'alarm.reason': alarm.reason,
      'alarm.rule': alarm.ruleId,
      'alarm.namespace': alarm.metric?.namespace,
      'alarm.metric': alarm.metric?.name,
      'alarm.value': alarm.value,
      'alarm.threshold': alarm.threshold,
      'alarm.unit': alarm.unit,
    });
    for (const [k, v] of Object.entries(alarm.metric?.dimensions ?? {})) vars[`alarm.dimensions.${k}`] = v;
  } else if (incident?.alarmNames[0]) {
    vars['alarm.name'] = incident.alarmNames[0];
  }
  if (ctx.runbook) {
    vars['runbook.id'] = ctx.runbook.id;
    vars['runbook.title'] = ctx.runbook.title;
  }
  if (ctx.responder) vars['responder.name'] = ctx.responder.name;
  vars['display.timezone'] = displayZoneLabel();
  for (const [k, v] of Object.entries(ctx.findings ?? {})) if (k.startsWith('findings.')) vars[k] = v;
  const base = { ...vars };
  for (const [name, dflt] of Object.entries(ctx.runbook?.params ?? {})) {
    const given = ctx.params && Object.hasOwn(ctx.params, name) ? ctx.params[name] : undefined;
    if (given !== undefined) vars[`params.${name}`] = given;
    else if (dflt === null) vars[`params.${name}`] = undefined;
    else if (typeof dflt === 'string') {
      const r = render(dflt, base);
      vars[`params.${name}`] = r.missing.length ? undefined : r.text;
    } else vars[`params.${name}`] = dflt;
  }
  return vars;
}

/** Sample variables for validation: every context variable and dimension gets a realistic value. */
export function sampleVars(dimensions: readonly string[] = KNOWN_DIMENSIONS): Record<string, TemplateValue> {
  const vars: Record<string, TemplateValue> = {};
  for (const [k, v] of Object.entries(CONTEXT_VARIABLES)) vars[k] = v.sample;
  for (const d of dimensions) vars[`alarm.dimensions.${d}`] = Object.hasOwn(DIMENSION_SAMPLES, d) ? DIMENSION_SAMPLES[d]! : 'sample';
  return vars;
}
