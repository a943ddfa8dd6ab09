import type { Alarm, Deployment, Service } from '../model.js';
import type { Sources } from '../../sources/ports.js';
import { compare, findAlarm, formatReading, readMetric } from '../actions/verify.js';
import { serviceCondition } from '../status.js';
import { formatMetricValue, metricDisplay } from '../metricUnits.js';
import { formatDuration, parseDuration } from '../time.js';
import { forecastReach } from './forecast.js';
import type { CheckStep } from './schema.js';
import { render, type TemplateVars } from './template.js';

/**
 * A `check` step judged against the live sources: an alarm in a state, a metric against a value, a
 * policy rule's alarms on a resource, or an ECS service's condition. Pure reading: nothing changes.
 *
 * No verdict without data: a check whose subject cannot be read (no datapoints, an alarm in
 * INSUFFICIENT_DATA or not there, a source not configured or failing) is neither passed nor failed but
 * `no-data`, with the reason, so that a runbook never walks a "the metric is fine" branch on silence.
 * A source that fails never fails the runner.
 */

/** A check's outcome: pass, fail, or no data to judge by. */
export type CheckOutcome = 'pass' | 'fail' | 'no-data';

export interface CheckResult {
  readonly result: CheckOutcome;
  readonly detail: string;
}

export interface CheckContext {
  readonly sources: Sources;
  readonly now: number;
  /** When the incident began (its creation, or the alarm's change to ALARM): for unchanged-since-incident. */
  readonly incidentStart?: number;
}

const DEFAULT_RECENT_MS = 6 * 60 * 60_000;

function text(template: string, vars: TemplateVars): string {
  return render(template, vars).text;
}

function pass(detail: string): CheckResult {
  return { result: 'pass', detail };
}
function fail(detail: string): CheckResult {
  return { result: 'fail', detail };
}
function noData(detail: string): CheckResult {
  return { result: 'no-data', detail };
}

function primary(s: Service): Deployment | undefined {
  return s.deployments.find((d) => d.status === 'PRIMARY') ?? s.deployments[0];
}

function td(arn: string): string {
  return /task-definition\/(.+)$/.exec(arn)?.[1] ?? arn;
}

/** Whether an alarm is about a resource: one of its dimensions has that value, or its name carries it. */
function onResource(a: Alarm, resource: string): boolean {
  return Object.values(a.metric?.dimensions ?? {}).includes(resource) || a.name.includes(`-${resource.replace(/^vitascope-/, '')}-`);
}

async function alarmCheck(step: CheckStep, vars: TemplateVars, ctx: CheckContext): Promise<CheckResult> {
  const name = text(step.alarm!, vars);
  const want = step.state ?? 'OK';
  const alarm = await findAlarm(ctx.sources, name);
  if (!alarm) return noData(`no alarm named ${name}`);
  const value = alarm.value !== undefined ? ` (${formatReading({ at: ctx.now, value: alarm.value, ...(alarm.unit ? { unit: alarm.unit } : {}) })})` : '';
  if (alarm.state === want) return pass(`alarm ${name} is ${alarm.state}${value}`);
  // INSUFFICIENT_DATA says nothing about OK or ALARM.
  return alarm.state === 'INSUFFICIENT_DATA' ? noData(`alarm ${name} has insufficient data`) : fail(`alarm ${name} is ${alarm.state}${value}, not ${want}`);
}

async function metricCheck(step: CheckStep, vars: TemplateVars, ctx: CheckContext): Promise<CheckResult> {
  const m = step.metric!;
  const dimensions = Object.fromEntries(Object.entries(m.dimensions).map(([k, v]) => [k, text(v, vars)]));
  const metric = { namespace: m.namespace, name: m.name, dimensions, ...(m.statistic ? { statistic: m.statistic } : {}) };
  if (step.forecast !== undefined) return forecastCheck(step, metric, ctx);
  const r = await readMetric(ctx.sources, metric, ctx.now);
  if (r.value === undefined) return noData(r.missing ?? 'no value');
  const holds = compare(r.value, step.op!, step.value!);
  const display = metricDisplay(metric);
  const shown = display.unit ? formatMetricValue(r.value, display) : formatReading(r);
  const detail = `${m.namespace} ${m.name} is ${shown}; ${holds ? '' : 'not '}${step.op} ${display.unit ? formatMetricValue(step.value!, display) : step.value}`;
  return holds ? pass(detail) : fail(detail);
}

const DEFAULT_TREND_MS = 30 * 60_000;

/** A metric followed at its current rate: does it meet `op value` within `forecast`? */
async function forecastCheck(step: CheckStep, metric: Parameters<typeof readMetric>[1], ctx: CheckContext): Promise<CheckResult> {
  const horizon = parseDuration(step.forecast!)!;
  const trendMs = (step.trend && parseDuration(step.trend)) || DEFAULT_TREND_MS;
  // Said as the runbook wrote them ("24h", not "24h00m").
  const horizonText = step.forecast!;
  const trendText = step.trend ?? formatDuration(DEFAULT_TREND_MS);
  const op = step.op!;
  if (op === '==' || op === '!=') return noData(`a forecast needs a direction (<, <=, > or >=), not ${op}`);
  if (!ctx.sources.metrics) return noData('no metric source');
  let points;
  try {
    const [series] = await ctx.sources.metrics.getSeries([{ id: 'f', metric, ...(metric.statistic ? { statistic: metric.statistic } : {}) }], { start: ctx.now - trendMs, end: ctx.now, stepSeconds: 60 });
    points = series?.points ?? [];
  } catch (error) {
    return noData(`the metric could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const display = metricDisplay(metric);
  const v = (x: number) => formatMetricValue(x, display);
  const name = `${metric.namespace} ${metric.name}`;
  const f = forecastReach(points, step.value!, op.startsWith('<') ? 'falling' : 'rising');
  const target = v(step.value!);
  switch (f.kind) {
    case 'too-few':
      return noData(`${name}: ${f.points} datapoints in the last ${formatDuration(trendMs)}, too few to tell its rate`);
    case 'already':
      return pass(`${name} is ${v(f.now)}: already at ${target}`);
    case 'not-heading':
      return fail(`${name} is ${v(f.now)} and ${f.perHour === 0 ? 'flat' : `${f.perHour < 0 ? 'falling' : 'rising'} ${v(Math.abs(f.perHour))} an hour`} over the last ${trendText}: not heading to ${target}`);
    case 'reaches': {
      const said = `${name} is ${v(f.now)} and ${f.perHour < 0 ? 'falling' : 'rising'} ${v(Math.abs(f.perHour))} an hour over the last ${trendText}: at that rate it reaches ${target} in about ${formatDuration(f.inMs)}`;
      return f.inMs <= horizon ? pass(`${said}, within ${horizonText}`) : fail(`${said}, not within ${horizonText}`);
    }
  }
}

async function ruleCheck(step: CheckStep, vars: TemplateVars, ctx: CheckContext): Promise<CheckResult> {
  const resource = step.resource !== undefined ? text(step.resource, vars) : undefined;
  const all = [...((await ctx.sources.alarms?.listAlarms()) ?? []), ...((await ctx.sources.alerts?.listAlarms().catch(() => [])) ?? [])];
  const alarms = all.filter((a) => a.ruleId === step.rule && (resource === undefined || onResource(a, resource)));
  const on = resource ? ` on ${resource}` : '';
  if (alarms.length === 0) return noData(`no alarms of rule ${step.rule}${on}`);
  if (step.op !== undefined && step.value !== undefined) {
    const values = alarms.map((a) => a.value).filter((v): v is number => v !== undefined);
    if (values.length === 0) return noData(`the alarms of rule ${step.rule}${on} have no value yet`);
    const v = Math.max(...values);
    const holds = compare(v, step.op, step.value);
    return { result: holds ? 'pass' : 'fail', detail: `${step.rule}${on}: ${formatReading({ at: ctx.now, value: v, ...(alarms[0]!.unit ? { unit: alarms[0]!.unit } : {}) })}; ${holds ? '' : 'not '}${step.op} ${step.value}` };
  }
  const firing = alarms.filter((a) => a.state === 'ALARM');
  if (firing.length) {
    // The reading and the threshold say how far off it is ("2.4 times, threshold 2"), not only that it fires.
    const at = (a: Alarm) => (a.value !== undefined ? ` at ${formatReading({ at: ctx.now, value: a.value, ...(a.unit ? { unit: a.unit } : {}) })}${a.threshold !== undefined ? `, threshold ${a.threshold}` : ''}` : '');
    return fail(`rule ${step.rule}${on}: ${firing.map((a) => `${a.name} in ALARM${at(a)}`).join(', ')}`);
  }
  const unknown = alarms.filter((a) => a.state !== 'OK');
  if (unknown.length) return noData(`rule ${step.rule}${on}: ${unknown.map((a) => a.name).join(', ')} with insufficient data`);
  return pass(`rule ${step.rule}${on}: every alarm OK (${alarms.map((a) => a.name).join(', ')})`);
}

async function serviceCheck(step: CheckStep, vars: TemplateVars, ctx: CheckContext): Promise<CheckResult> {
  const name = text(step.service!, vars);
  if (!ctx.sources.services) return noData('no ECS service source');
  const s = (await ctx.sources.services.listServices()).find((x) => x.name === name || x.id === name || `${x.cluster}/${x.name}` === name);
  if (!s) return noData(`no ECS service ${name}`);
  const d = primary(s);
  const counts = `desired ${s.desired}, running ${s.running}, pending ${s.pending}`;
  switch (step.condition) {
    case 'running-equals-desired':
      return s.running === s.desired ? pass(`${name}: ${counts}`) : fail(`${name}: ${counts}`);
    case 'steady': {
      const c = serviceCondition(s).condition;
      return c === 'steady' ? pass(`${name} is steady (${counts})`) : fail(`${name} is ${c} (${counts})`);
    }
    case 'rollout-completed':
      return d?.rolloutState === 'COMPLETED' && s.deployments.length === 1
        ? pass(`${name}: deployment of ${td(d.taskDefinition)} completed`)
        : fail(`${name}: ${s.deployments.map((x) => `${td(x.taskDefinition)} ${x.status.toLowerCase()} ${x.rolloutState.toLowerCase()}`).join(', ')}`);
    case 'no-recent-deployment': {
      const within = (step.within && parseDuration(step.within)) || DEFAULT_RECENT_MS;
      if (!d) return noData(`${name}: no deployment listed`);
      const age = ctx.now - d.createdAt;
      const what = `${name}: ${td(d.taskDefinition)} deployed ${formatDuration(age)} ago`;
      return age > within ? pass(`${what} (nothing in the last ${formatDuration(within)})`) : fail(`${what}, within the last ${formatDuration(within)}`);
    }
    case 'unchanged-since-incident': {
      if (!d) return noData(`${name}: no deployment listed`);
      if (ctx.incidentStart === undefined) return noData(`${name}: the incident's start is not known; nothing to compare`);
      return d.createdAt < ctx.incidentStart
        ? pass(`${name}: no deployment since the incident began (${td(d.taskDefinition)} since ${formatDuration(ctx.now - d.createdAt)} ago)`)
        : fail(`${name}: ${td(d.taskDefinition)} was deployed ${formatDuration(ctx.now - d.createdAt)} ago, after the incident began: someone already acted on it`);
    }
    case 'below-max-capacity': {
      // Whether autoscaling can still add tasks: at its maximum, more traffic only means slower answers.
      if (!s.scaling) return noData(`${name}: its autoscaling limits are not known`);
      return s.desired < s.scaling.max
        ? pass(`${name} runs ${s.desired} tasks, below its autoscaling maximum of ${s.scaling.max}`)
        : fail(`autoscaling of ${name} is at its maximum: ${s.desired} of at most ${s.scaling.max} tasks`);
    }
    default:
      return noData(`${name}: no condition to check`);
  }
}

/** Judges a check once. */
export async function evaluateCheck(step: CheckStep, vars: TemplateVars, ctx: CheckContext): Promise<CheckResult> {
  try {
    if (step.alarm !== undefined) return await alarmCheck(step, vars, ctx);
    if (step.metric !== undefined) return await metricCheck(step, vars, ctx);
    if (step.rule !== undefined) return await ruleCheck(step, vars, ctx);
    if (step.service !== undefined) return await serviceCheck(step, vars, ctx);
    return noData('the check names nothing to look at');
  } catch (error) {
    return noData(`could not be checked: ${error instanceof Error ? error.message : String(error)}`);
  }
}
