import type * as z from 'zod';
import { ACTION_PARAMS, isActionId } from '../actions/catalogue.js';
import { readOnlyProblem } from '../actions/readOnlyCommands.js';
import { describe, fromIssues, valueAt } from './lintErrors.js';
import { isObj, isStr, RULE_IDS, type Checker, type StepRef, type StepRules } from './lintRules.js';
import { PHASES, SERVICE_CONDITIONS } from './schema.js';
import { render, renderArgv, renderValue } from './template.js';

/**
 * Each step kind's own lint rules, run on steps that pass their schema: a check's one subject and the
 * fields that go with it, an action's known id and parameters (validated against the catalogue after
 * templating with sample values), a command that is an argument array rather than a shell string, a
 * link that is an http(s) URL, a decision whose targets exist and lie ahead (a runbook is walked
 * forward, so a loop is impossible) with at most one default answer.
 */

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'csh', 'tcsh', 'ash', 'busybox', 'cmd', 'cmd.exe', 'powershell', 'pwsh']);

function checkCheck(checker: Checker, step: StepRef): void {
  const s = step.raw;
  const subject = checker.exactlyOne(step, ['alarm', 'metric', 'rule', 'service'], 'a check needs exactly one of alarm, metric, rule, service');
  const only = (field: string, allowed: readonly string[], what: string) => {
    if (s[field] !== undefined && subject !== undefined && !allowed.includes(subject)) checker.add([...step.path, field], `only used ${what}`, true);
  };
  only('state', ['alarm'], 'with alarm (the state it must be in)');
  only('op', ['metric', 'rule'], 'with metric or rule (the comparison)');
  only('value', ['metric', 'rule'], 'with metric or rule (the comparison)');
  only('resource', ['rule'], 'with rule (the resource the rule is evaluated on)');
  only('condition', ['service'], 'with service (the condition it must be in)');
  if ((subject === 'metric' || subject === 'rule') && (s.op === undefined) !== (s.value === undefined)) {
    checker.add(step.path, 'op and value go together, e.g. op: "<" and value: 70');
  }
  if (subject === 'metric' && s.op === undefined && s.value === undefined) checker.add(step.path, 'a metric check needs op and value, e.g. op: "<" and value: 70');
  if (subject === 'service' && s.condition === undefined) {
    checker.add(step.path, `a service check needs condition: ${SERVICE_CONDITIONS.slice(0, -1).join(', ')} or ${SERVICE_CONDITIONS[SERVICE_CONDITIONS.length - 1]}`);
  }
  only('forecast', ['metric'], 'with metric (how far ahead its current rate is followed)');
  if (s.trend !== undefined && s.forecast === undefined) checker.add([...step.path, 'trend'], 'only used with forecast (the window its rate is measured over)', true);
  if (s.within !== undefined && s.condition !== 'no-recent-deployment') checker.add([...step.path, 'within'], 'only used with condition: no-recent-deployment (how recent is recent)', true);
  if (subject === 'rule' && isStr(s.rule) && !RULE_IDS.includes(s.rule)) checker.add([...step.path, 'rule'], `unknown policy rule ${JSON.stringify(s.rule)}; expected one of ${RULE_IDS.join(', ')}`);
}


function checkAction(checker: Checker, step: StepRef): void {
  const verify = step.raw.verify;
  if (isObj(verify)) {
    const at = [...step.path, 'verify'];
    const subject = ['alarm', 'metric'].filter((f) => verify[f] !== undefined);
    if (subject.length !== 1) checker.add(subject.length ? [...at, subject[1]!] : at, 'verify needs exactly one of alarm (back in a state) or metric (with op and value)', subject.length > 1);
    if (verify.state !== undefined && verify.alarm === undefined) checker.add([...at, 'state'], 'only used with alarm (the state it must reach)', true);
    if (verify.metric !== undefined && (verify.op === undefined || verify.value === undefined)) checker.add(at, 'a metric to verify needs op and value, e.g. op: "<" and value: 70');
    if (verify.metric === undefined) for (const f of ['op', 'value']) if (verify[f] !== undefined) checker.add([...at, f], 'only used with metric (the comparison)', true);
  }
  const id = step.raw.action;
  if (!isStr(id) || !isActionId(id)) return;
  const schema = ACTION_PARAMS[id] as z.ZodType;
  const given = isObj(step.raw.with) ? step.raw.with : {};
  const prefix = [...step.path, 'with'];
  const problems = checker.withPlaceholders(given, (vars) => {
    const rendered = renderValue(given, vars);
    const result = schema.safeParse(rendered);
    return result.success ? [] : fromIssues(result.error.issues, rendered, schema, prefix);
  });
  // Report the value as written, not as rendered with samples.
  for (const p of problems) checker.found.push(p.key ? p : { ...p, message: p.message.replace(/, got .*$/, `, got ${describe(valueAt(given, p.path.slice(prefix.length)))}`) });
}


function checkCommand(checker: Checker, step: StepRef): void {
  const argv = step.raw.command as string[];
  const program = argv[0]!.split(/[\\/]/).pop()!.toLowerCase();
  const viaEnv = program === 'env' && argv[1] !== undefined && SHELLS.has(argv[1].split(/[\\/]/).pop()!.toLowerCase());
  if ((SHELLS.has(program) || viaEnv) && argv.some((a) => /^(-c|\/c|-command|-Command|-e)$/.test(a))) {
    checker.add([...step.path, 'command', 0], `${JSON.stringify(argv[0])} with ${argv.find((a) => /^(-c|\/c|-command|-Command|-e)$/.test(a))} turns the argument array back into a shell string; name the program itself`);
  }
  if (argv[0]!.includes('{{')) checker.add([...step.path, 'command', 0], 'the program to run cannot come from a template');
  const notReadOnly = step.raw.readonly === true ? readOnlyProblem(argv) : undefined;
  if (notReadOnly) checker.add([...step.path, 'readonly'], `marked read-only, but ${notReadOnly}`);
  const problems = checker.withPlaceholders(argv, (vars) => {
    const r = renderArgv(argv, vars);
    return r.argv.length === argv.length ? [] : [{ path: [...step.path, 'command'], message: 'rendering changed the number of arguments' }];
  });
  checker.found.push(...problems);
}


function checkLink(checker: Checker, step: StepRef): void {
  const url = step.raw.url as string;
  const problems = checker.withPlaceholders(url, (vars) => {
    const text = render(url, vars).text;
    try {
      const u = new URL(text);
      if (u.protocol === 'http:' || u.protocol === 'https:') return [];
    } catch {
      // reported below
    }
    return [{ path: [...step.path, 'url'], message: `expected an http:// or https:// URL, got ${describe(url)}` }];
  });
  checker.found.push(...problems);
}


function checkDecision(checker: Checker, step: StepRef): void {
  const options = step.raw.options as { id: string; goto: string; when?: unknown; default?: boolean }[];
  const ids = new Set<string>();
  const here = checker.position.get(step)!;
  const defaults = options.flatMap((o, i) => (o.default === true ? [i] : []));
  for (const i of defaults.slice(1)) checker.add([...step.path, 'options', i, 'default'], `only one option can be the default; options[${defaults[0]}] already is`);
  options.forEach((o, i) => {
    const at = [...step.path, 'options', i];
    if (ids.has(o.id)) checker.add([...at, 'id'], `duplicate option id ${JSON.stringify(o.id)}`);
    ids.add(o.id);
    if (o.goto === step.raw.id) checker.add([...at, 'goto'], 'a decision cannot go to itself');
    else if ((PHASES as readonly string[]).includes(o.goto)) {
      if (PHASES.indexOf(o.goto as (typeof PHASES)[number]) <= PHASES.indexOf(step.phase)) {
        checker.add([...at, 'goto'], `${JSON.stringify(o.goto)} does not lie ahead: a decision goes forward, to a later step or phase (runbooks are walked once, without loops)`);
      }
    } else if (!checker.stepById.has(o.goto)) {
      checker.add([...at, 'goto'], `no step or phase ${JSON.stringify(o.goto)}: expected a step id of this runbook or one of ${PHASES.join(', ')}`);
    } else if (checker.position.get(checker.stepById.get(o.goto)!)! <= here) {
      checker.add([...at, 'goto'], `step ${JSON.stringify(o.goto)} comes before this decision: a decision goes forward, to a later step or phase (runbooks are walked once, without loops)`);
    }
    if (Array.isArray(o.when)) o.when.forEach((c, j) => isObj(c) && checker.checkCondition(step, c, ['options', i, 'when', j]));
    else if (isObj(o.when)) checker.checkCondition(step, o.when, ['options', i, 'when']);
  });
}


/** CloudWatch's own rule for a log group name: 1–512 of letters, digits and _ - / . # */
const LOG_GROUP = /^[A-Za-z0-9_\-/.#]{1,512}$/;

function checkLogs(checker: Checker, step: StepRef): void {
  const groups = step.raw.groups;
  if (!Array.isArray(groups)) return;
  groups.forEach((g, i) => {
    if (!isStr(g)) return;
    const problems = checker.withPlaceholders(g, (vars) => {
      const text = render(g, vars).text;
      return LOG_GROUP.test(text) ? [] : [{ path: [...step.path, 'groups', i], message: `not a log group name (letters, digits and _ - / . #, at most 512), got ${describe(g)}` }];
    });
    checker.found.push(...problems);
  });
}

/** The rules by step kind; a new kind with rules of its own adds one line here. */
export const STEP_RULES: StepRules = {
  check: checkCheck,
  query: (checker, step) => void checker.exactlyOne(step, ['query', 'promql', 'metric'], 'a query needs exactly one of query (a named query), promql, metric'),
  action: checkAction,
  command: checkCommand,
  decision: checkDecision,
  link: checkLink,
  logs: checkLogs,
};
