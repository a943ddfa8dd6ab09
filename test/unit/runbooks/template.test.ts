import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Alarm, Incident } from '../../../src/core/model.js';
import { contextVars, isKnownVariable, parseTemplate, render, renderArgv, renderValue, sampleVars } from '../../../src/core/runbooks/template.js';
import { evaluateWhen } from '../../../src/core/runbooks/when.js';

const HOSTILE = '$(rm -rf /); echo "x" | y';

const alarm: Alarm = {
  id: 'arn:aws:cloudwatch:ap-northeast-1:000000000000:alarm:vitascope-api-high-cpu-critical',
  name: 'vitascope-api-high-cpu-critical',
  kind: 'metric',
  state: 'ALARM',
  level: 'critical',
  metric: { namespace: 'AWS/ECS', name: 'CPUUtilization', dimensions: { ClusterName: 'vitascope-cluster', ServiceName: 'vitascope-api' } },
  threshold: 90,
  value: 93.5,
  stateSince: 0,
  actions: [],
  ruleId: 'cpu-utilization',
};

const incident: Incident = {
  id: 'Q1',
  title: HOSTILE,
  status: 'triggered',
  urgency: 'high',
  priority: 'P2',
  service: { id: 'PSVCAPI', name: 'Vitascope API' },
  createdAt: 0,
  assignees: [],
  escalationLevel: 1,
  escalatedAt: 0,
  alarmNames: ['vitascope-api-high-cpu-critical'],
};

describe('the template language', () => {
  it('substitutes variables and nothing else', () => {
    const vars = { 'alarm.name': 'a', 'params.n': 4 };
    expect(render('{{alarm.name}} / {{ params.n }} / {literal} / }}', vars)).toEqual({ text: 'a / 4 / {literal} / }}', missing: [] });
    expect(render('{{alarm.reason}}!', vars)).toEqual({ text: '!', missing: ['alarm.reason'] });
  });

  it('has no expressions', () => {
    expect(parseTemplate('{{ a + b }}').problems).toEqual(['"{{ a + b }}" is not a variable: a template holds one variable name such as {{alarm.name}}, no expressions']);
    expect(parseTemplate('{{alarm.name | upper}}').problems).toHaveLength(1);
    expect(parseTemplate('{{constructor.constructor}}').problems).toEqual([]);
    // A name that is not a variable of the context is unknown, whatever it looks like.
    expect(isKnownVariable('constructor.constructor', [])).toBe(false);
    expect(render('{{constructor.constructor}}', {}).missing).toEqual(['constructor.constructor']);
    expect(render('{{__proto__.x}}', {}).text).toBe('');
    expect(render('{{constructor}}{{toString}}', {})).toEqual({ text: '', missing: ['constructor', 'toString'] });
    expect(renderValue('{{constructor}}', {})).toBe('');
  });

  it('knows which variables exist', () => {
    expect(isKnownVariable('alarm.name', [])).toBe(true);
    expect(isKnownVariable('alarm.dimensions.ServiceName', [])).toBe(true);
    expect(isKnownVariable('alarm.dimensions.Team', [])).toBe(false);
    expect(isKnownVariable('alarm.dimensions.Team', [], ['Team'])).toBe(true);
    expect(isKnownVariable('params.service', ['service'])).toBe(true);
    expect(isKnownVariable('params.service.x', ['service'])).toBe(false);
    expect(isKnownVariable('incident.titel', [])).toBe(false);
  });
});

describe('command arguments', () => {
  it(`keep incident data with shell metacharacters as ONE literal argument: ${HOSTILE}`, () => {
    const vars = contextVars({ incident, alarm });
    const r = renderArgv(['echo', '{{incident.title}}', 'title={{incident.title}}', '{{alarm.name}}'], vars);
    expect(r.missing).toEqual([]);
    expect(r.argv).toEqual(['echo', HOSTILE, `title=${HOSTILE}`, 'vitascope-api-high-cpu-critical']);
  });

  it('reach the program exactly as rendered: no shell ever sees them', () => {
    const vars = contextVars({ incident: { ...incident, title: `${HOSTILE}\n; touch /tmp/pwned 'a b'` } });
    const { argv } = renderArgv([process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', '{{incident.title}}', 'x {{incident.title}} y'], vars);
    const out = execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([`${HOSTILE}\n; touch /tmp/pwned 'a b'`, `x ${HOSTILE}\n; touch /tmp/pwned 'a b' y`]);
  });

  it('report what is missing instead of running with a hole', () => {
    expect(renderArgv(['aws', '--services', '{{alarm.dimensions.ServiceName}}'], {})).toEqual({ argv: ['aws', '--services', ''], missing: ['alarm.dimensions.ServiceName'] });
  });
});

describe('action parameters', () => {
  it('keep the type of a whole-value placeholder', () => {
    const vars = { 'params.min': 4, 'params.failover': false, 'params.service': 'vitascope-api' };
    expect(renderValue({ min: '{{params.min}}', failover: '{{params.failover}}', service: '{{params.service}}', note: 'min {{params.min}}', list: ['{{params.service}}'] }, vars)).toEqual({
      min: 4,
      failover: false,
      service: 'vitascope-api',
      note: 'min 4',
      list: ['vitascope-api'],
    });
  });
});

describe('the context', () => {
  it('flattens the alarm, the incident, the runbook, the responder and the params', () => {
    const vars = contextVars({
      alarm,
      incident,
      responder: { name: 'Aiko Tanaka' },
      runbook: { id: 'cpu-utilization', title: 'CPU', params: { service: '{{alarm.dimensions.ServiceName}}', min: 4, address: null, other: '{{alarm.reason}}' } },
      params: { min: 6 },
    });
    expect(vars).toMatchObject({
      'alarm.name': 'vitascope-api-high-cpu-critical',
      'alarm.dimensions.ServiceName': 'vitascope-api',
      'alarm.value': 93.5,
      'alarm.rule': 'cpu-utilization',
      'incident.title': HOSTILE,
      'incident.service': 'Vitascope API',
      'responder.name': 'Aiko Tanaka',
      'runbook.id': 'cpu-utilization',
      'params.service': 'vitascope-api',
      'params.min': 6,
    });
    // Known but not available: asked, not guessed.
    expect(vars['params.address']).toBeUndefined();
    expect(vars['params.other']).toBeUndefined();
  });

  it('an incident alone still gives the alarm name', () => {
    expect(contextVars({ incident })['alarm.name']).toBe('vitascope-api-high-cpu-critical');
  });

  it('has a sample for every variable, for the linter', () => {
    const samples = sampleVars();
    expect(samples['alarm.dimensions.DBInstanceIdentifier']).toBe('vitascope-db');
    expect(Object.values(samples).every((v) => String(v).length > 0)).toBe(true);
  });
});

describe('when', () => {
  const vars = { 'alarm.dimensions.ServiceName': 'vitascope-api' };
  const outcomes = new Map([
    ['cause', { chose: 'deploy' }],
    ['cpu', { result: 'fail' as const }],
  ]);
  it.each([
    [undefined, 'yes'],
    [{ var: 'alarm.dimensions.ServiceName', is: 'vitascope-api' }, 'yes'],
    [{ var: 'alarm.dimensions.ServiceName', is: ['vitascope-worker', 'vitascope-*'] }, 'yes'],
    [{ var: 'alarm.dimensions.ServiceName', not: 'vitascope-api' }, 'no'],
    [{ var: 'alarm.dimensions.QueueName', is: '*' }, 'pending'],
    [{ step: 'cause', chose: 'deploy' }, 'yes'],
    [{ step: 'cause', chose: ['traffic', 'deploy'] }, 'yes'],
    [{ step: 'cause', chose: 'traffic' }, 'no'],
    [{ step: 'cpu', result: 'fail' }, 'yes'],
    [{ step: 'later', result: 'pass' }, 'pending'],
    [[{ step: 'cause', chose: 'deploy' }, { var: 'alarm.dimensions.ServiceName', is: 'vitascope-worker' }], 'no'],
    [[{ step: 'later', result: 'pass' }, { var: 'alarm.dimensions.ServiceName', is: 'vitascope-api' }], 'pending'],
  ] as const)('%j → %s', (when, expected) => {
    expect(evaluateWhen(when as never, vars, outcomes)).toBe(expected);
  });
});
