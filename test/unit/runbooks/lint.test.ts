import { describe, expect, it } from 'vitest';
import { lintFiles } from '../../../src/core/runbooks/lint.js';
import { formatField, formatLintError } from '../../../src/core/runbooks/lintErrors.js';
import { parseRunbookText } from '../../../src/core/runbooks/load.js';

/** Lints YAML text as runbooks/x.yaml; returns the formatted error lines. */
function lint(text: string, file = 'runbooks/x.yaml'): string[] {
  return lintFiles([parseRunbookText(file, text)]).errors.map(formatLintError);
}

/** A valid runbook with `steps` as its resolve phase (indented for the phase list). */
function withSteps(steps: string, extra = ''): string {
  return `id: test-runbook
title: Test
priority: P3
matches:
  rules: [cpu-utilization]
${extra}phases:
  resolve:
${steps}`;
}

const VALID = withSteps(`    - id: ack
      kind: action
      title: Acknowledge
      action: pagerduty.acknowledge
`);

describe('a valid runbook', () => {
  it('lints clean and loads', () => {
    const r = lintFiles([parseRunbookText('runbooks/x.yaml', VALID)]);
    expect(r.errors).toEqual([]);
    expect(r.runbooks).toHaveLength(1);
    expect(r.runbooks[0]!.runbook).toMatchObject({ id: 'test-runbook', priority: 'P3', params: {} });
    expect(r.runbooks[0]!.runbook.phases.detect).toEqual([]);
  });
});

describe('errors are file:line:column: field: what was expected', () => {
  it('formats paths as dotted and indexed fields', () => {
    expect(formatField(['phases', 'resolve', 2, 'with', 'min'])).toBe('phases.resolve[2].with.min');
    expect(formatField(['matches', 'dimensions', 'a.b'])).toBe('matches.dimensions["a.b"]');
    expect(formatField([])).toBe('(document)');
  });

  it('reports a bad action parameter at the value, against the catalogue', () => {
    const errors = lint(
      withSteps(`    - id: ack
      kind: action
      title: Acknowledge
      action: pagerduty.acknowledge
    - id: other
      kind: note
      title: Note
    - id: scale
      kind: action
      title: Scale
      action: autoscaling.set-limits
      with:
        service: vitascope-api
        min: -1
        max: 8
`),
    );
    expect(errors).toEqual(['runbooks/x.yaml:21:14: phases.resolve[2].with.min: expected a number ≥ 0, got -1']);
  });

  it('reports EVERY error of a file, in order, not just the first', () => {
    const errors = lint(`id: Bad_Id
title: ""
priority: P5
matches:
  rules: [cpu-utilisation]
  alarms: ["/[/"]
phases:
  detect:
    - id: ack
      kind: nope
      title: x
    - id: ack
      kind: note
      title: x
      colour: red
`);
    expect(errors).toEqual([
      'runbooks/x.yaml:1:5: id: expected kebab-case: lower-case letters, digits and single hyphens, e.g. api-high-cpu, got "Bad_Id"',
      'runbooks/x.yaml:2:8: title: expected text, not empty, got ""',
      'runbooks/x.yaml:3:11: priority: expected one of P1, P2, P3, P4, got "P5"',
      expect.stringMatching(/^runbooks\/x\.yaml:5:11: matches\.rules\[0\]: unknown policy rule "cpu-utilisation"; expected one of cpu-utilization, /),
      'runbooks/x.yaml:6:12: matches.alarms[0]: this /regular expression/ does not compile; write a glob (* and ?) or a valid /regex/',
      'runbooks/x.yaml:10:13: phases.detect[0].kind: expected one of check, query, action, command, note, decision, link, logs, traces, got "nope"',
      'runbooks/x.yaml:12:11: phases.detect[1].id: duplicate step id "ack": also phases.detect[0].id',
      'runbooks/x.yaml:15:7: phases.detect[1].colour: unknown field; expected one of id, title, description, when, kind, required, section',
    ]);
  });

  it('names a missing field and points at the object that lacks it', () => {
    expect(lint('id: x\npriority: P2\nmatches: { rules: [error-rate] }\nphases:\n  detect:\n    - { id: a, kind: note }\n')).toEqual([
      'runbooks/x.yaml:1:1: title: missing; expected text',
      'runbooks/x.yaml:6:7: phases.detect[0].title: missing; expected text',
    ]);
    expect(lint('id: x\ntitle: t\npriority: P2\nmatches: { rules: [error-rate] }\n')).toEqual(['runbooks/x.yaml:1:1: phases: missing; expected a mapping (key: value)']);
  });

  it('suggests the nearest field for a misspelt one', () => {
    const errors = lint(withSteps(`    - id: run
      kind: command
      title: Run
      command: [aws, sts, get-caller-identity]
      tiemout: 10s
`));
    expect(errors).toEqual(['runbooks/x.yaml:12:7: phases.resolve[0].tiemout: unknown field; did you mean timeout?']);
  });

  it('reports YAML syntax errors with their position, and nothing else for that file', () => {
    expect(lint('id: x\ntitle: Acknowledge (P1: now)\n')).toEqual(['runbooks/x.yaml:2:8: yaml: not valid YAML: nested mappings are not allowed in compact mappings']);
    expect(lint('id: x\nid: y\n')).toEqual(['runbooks/x.yaml:2:1: yaml: not valid YAML: map keys must be unique']);
  });

  it('rejects an empty file and a file that is not a mapping', () => {
    expect(lint('')).toEqual(['runbooks/x.yaml:1:1: (document): the file is empty: expected a runbook (id, title, priority, matches, phases)']);
    expect(lint('- a\n- b\n')).toEqual(['runbooks/x.yaml:1:1: (document): expected a mapping with id, title, priority, matches and phases, got a list']);
  });

  it('makes text from the file inert in the message', () => {
    const errors = lint('id: x\ntitle: t\npriority: "P\\e[31m1"\nmatches: { rules: [error-rate] }\nphases: { detect: [{ id: a, kind: note, title: t }] }\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toContain('\u001b');
    expect(errors[0]).toContain('got "P\\u001b[31m1"');
  });
});

describe('each top-level field', () => {
  const base = (over: string) => `${over}\nphases:\n  detect:\n    - { id: a, kind: note, title: t }\n`;
  it.each([
    ['id: a b\ntitle: t\npriority: P1\nmatches: { rules: [error-rate] }', /^runbooks\/x\.yaml:1:5: id: expected kebab-case/],
    ['id: a\ntitle: 3\npriority: P1\nmatches: { rules: [error-rate] }', /^runbooks\/x\.yaml:2:8: title: expected text, got 3$/],
    ['id: a\ntitle: t\npriority: high\nmatches: { rules: [error-rate] }', /^runbooks\/x\.yaml:3:11: priority: expected one of P1, P2, P3, P4, got "high"$/],
    ['id: a\ntitle: t\npriority: P1\nmatches: { rules: error-rate }', /^runbooks\/x\.yaml:4:19: matches\.rules: expected a list, got "error-rate"$/],
    ['id: a\ntitle: t\npriority: P1\nmatches: { alarms: [] }', /^runbooks\/x\.yaml:4:20: matches\.alarms: expected at least one alarm name pattern, got an empty list$/],
    ['id: a\ntitle: t\npriority: P1\nmatches: { metrics: [{ name: CPUUtilization }] }', /^runbooks\/x\.yaml:4:22: matches\.metrics\[0\]\.namespace: missing; expected text$/],
    ['id: a\ntitle: t\npriority: P1\nmatches: { dimensions: { ServiceName: 3 } }', /^runbooks\/x\.yaml:4:39: matches\.dimensions\.ServiceName: expected text, got 3$/],
    ['id: a\ntitle: t\npriority: P1\nmatches: { servcies: [x] }', /^runbooks\/x\.yaml:4:12: matches\.servcies: unknown field; did you mean services\?$/],
    ['id: a\ntitle: t\npriority: P1\nmatches: {}', /^runbooks\/x\.yaml:4:10: matches: nothing to match: expected at least one of alarms, rules, metrics, dimensions, services/],
    ['id: a\ntitle: t\npriority: P1', /^runbooks\/x\.yaml:1:1: matches: nothing to match/],
    ['id: a\ntitle: t\npriority: P1\nmatches: { rules: [error-rate] }\nparams: { 1x: 3 }', /^runbooks\/x\.yaml:5:11: params\["1x"\]: the key "1x" is not valid: expected a parameter name: a letter, then letters, digits or _$/],
    ['id: a\ntitle: t\npriority: P1\nmatches: { rules: [error-rate] }\nparams: { x: [1] }', /^runbooks\/x\.yaml:5:14: params\.x: expected a string, number, boolean, or null \(asked when the runbook starts\), got a list$/],
    ['id: a\ntitle: t\npriority: P1\nmatches: { rules: [error-rate] }\nowner: me', /^runbooks\/x\.yaml:5:1: owner: unknown field; expected one of id, title, titleJa, description, priority, matches, params, phases$/],
  ])('%#', (head, expected) => {
    const errors = lint(base(head));
    expect(errors, errors.join('\n')).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
  });

  it('the default runbook matches everything and may not narrow it', () => {
    expect(lint(base('id: default\ntitle: t\npriority: P3'))).toEqual([]);
    expect(lint(base('id: default\ntitle: t\npriority: P3\nmatches: { rules: [error-rate] }'))).toEqual([
      'runbooks/x.yaml:4:10: matches: the default runbook matches everything, after every other runbook; remove matches',
    ]);
  });

  it('a runbook needs at least one step, and phases are the five of the strategy', () => {
    expect(lint('id: a\ntitle: t\npriority: P1\nmatches: { rules: [error-rate] }\nphases: {}\n')).toEqual([
      'runbooks/x.yaml:5:9: phases: expected at least one step in one of the phases detect, triage, investigate, resolve, postmortem',
    ]);
    expect(lint('id: a\ntitle: t\npriority: P1\nmatches: { rules: [error-rate] }\nphases:\n  mitigate: []\n')).toEqual([
      'runbooks/x.yaml:6:3: phases: expected at least one step in one of the phases detect, triage, investigate, resolve, postmortem',
      'runbooks/x.yaml:6:3: phases.mitigate: unknown field; expected one of detect, triage, investigate, resolve, postmortem',
    ]);
  });

  it('templates are refused in matches', () => {
    expect(lint(base('id: a\ntitle: t\npriority: P1\nmatches: { alarms: ["{{alarm.name}}"] }'))).toEqual([
      'runbooks/x.yaml:4:21: matches.alarms[0]: templates are not allowed in matches: matching happens before there is anything to substitute',
    ]);
  });
});

/** The errors of one resolve step. */
function stepErrors(step: string, extra = ''): string[] {
  return lint(withSteps(step, extra));
}

describe('each step kind', () => {
  it('logs and traces: a service (templated), log group names CloudWatch accepts, a window that is a duration, findings as variables', () => {
    expect(stepErrors('    - { id: l, kind: logs, title: t, service: "{{alarm.dimensions.ServiceName}}", groups: ["/ecs/{{alarm.dimensions.ServiceName}}"], filter: ERROR, window: 15m }\n')).toEqual([]);
    expect(stepErrors('    - { id: l, kind: traces, title: t, service: vitascope-api }\n')).toEqual([]);
    expect(stepErrors('    - { id: l, kind: logs, title: t, service: api, groups: ["/ecs/my api"] }\n')).toEqual([
      'runbooks/x.yaml:8:61: phases.resolve[0].groups[0]: not a log group name (letters, digits and _ - / . #, at most 512), got "/ecs/my api"',
    ]);
    expect(stepErrors('    - { id: l, kind: logs, title: t, service: api, window: soon }\n')).toEqual([
      'runbooks/x.yaml:8:60: phases.resolve[0].window: expected a duration with a unit, e.g. 30s, 5m, 1h, got "soon"',
    ]);
    expect(stepErrors('    - { id: l, kind: traces, title: t }\n')[0]).toContain('phases.resolve[0].service');
    // Findings fill parameters and conditions; a finding that does not exist is an unknown variable.
    expect(stepErrors('    - { id: b, kind: action, title: t, action: waf.block-address, with: { address: "{{findings.logs.topAddress}}", reason: x }, when: { var: findings.logs.notable, is: "true" } }\n')).toEqual([]);
    expect(stepErrors('    - { id: n, kind: note, title: "{{findings.logs.nothing}}" }\n')[0]).toContain('unknown variable {{findings.logs.nothing}}: expected one of findings.logs.topAddress');
  });

  it('check: exactly one subject, and the fields that go with it', () => {
    expect(stepErrors('    - { id: c, kind: check, title: t }\n')).toEqual(['runbooks/x.yaml:8:7: phases.resolve[0]: a check needs exactly one of alarm, metric, rule, service']);
    expect(stepErrors('    - { id: c, kind: check, title: t, alarm: x, service: y, condition: steady }\n')).toEqual([
      'runbooks/x.yaml:8:49: phases.resolve[0].service: a check needs exactly one of alarm, metric, rule, service',
    ]);
    expect(stepErrors('    - { id: c, kind: check, title: t, alarm: x, state: ok }\n')).toEqual([
      'runbooks/x.yaml:8:56: phases.resolve[0].state: expected one of OK, ALARM, INSUFFICIENT_DATA, got "ok"',
    ]);
    expect(stepErrors('    - { id: c, kind: check, title: t, alarm: x, op: "<", value: 3 }\n')).toEqual([
      'runbooks/x.yaml:8:49: phases.resolve[0].op: only used with metric or rule (the comparison)',
      'runbooks/x.yaml:8:58: phases.resolve[0].value: only used with metric or rule (the comparison)',
    ]);
    expect(stepErrors('    - { id: c, kind: check, title: t, metric: { namespace: AWS/ECS, name: CPUUtilization } }\n')).toEqual([
      'runbooks/x.yaml:8:7: phases.resolve[0]: a metric check needs op and value, e.g. op: "<" and value: 70',
    ]);
    expect(stepErrors('    - { id: c, kind: check, title: t, metric: { namespace: AWS/ECS, name: CPUUtilization }, op: "=<", value: 70 }\n')).toEqual([
      'runbooks/x.yaml:8:97: phases.resolve[0].op: expected one of <, <=, >, >=, ==, !=, got "=<"',
    ]);
    expect(stepErrors('    - { id: c, kind: check, title: t, rule: cpu-usage }\n')).toEqual([
      expect.stringMatching(/^runbooks\/x\.yaml:8:45: phases\.resolve\[0\]\.rule: unknown policy rule "cpu-usage"; expected one of cpu-utilization, /),
    ]);
    expect(stepErrors('    - { id: c, kind: check, title: t, service: vitascope-api }\n')).toEqual([
      'runbooks/x.yaml:8:7: phases.resolve[0]: a service check needs condition: running-equals-desired, steady, rollout-completed, no-recent-deployment, unchanged-since-incident or below-max-capacity',
    ]);
    expect(stepErrors('    - { id: c, kind: check, title: t, service: vitascope-api, condition: up }\n')).toEqual([
      'runbooks/x.yaml:8:74: phases.resolve[0].condition: expected one of running-equals-desired, steady, rollout-completed, no-recent-deployment, unchanged-since-incident, below-max-capacity, got "up"',
    ]);
    expect(stepErrors('    - { id: c, kind: check, title: t, service: vitascope-api, condition: no-recent-deployment, within: 6h, wait: 10m }\n')).toEqual([]);
    expect(stepErrors('    - { id: c, kind: check, title: t, service: vitascope-api, condition: steady, within: 6h }\n')).toEqual([
      'runbooks/x.yaml:8:82: phases.resolve[0].within: only used with condition: no-recent-deployment (how recent is recent)',
    ]);
    expect(stepErrors('    - { id: c, kind: check, title: t, metric: { namespace: AWS/RDS, name: FreeStorageSpace }, op: "<=", value: 0, forecast: 24h, trend: 6h }\n')).toEqual([]);
    expect(stepErrors('    - { id: c, kind: check, title: t, alarm: x, forecast: 1h }\n').map((e) => e.replace(/:\d+:\d+:/, ':'))).toEqual([
      'runbooks/x.yaml: phases.resolve[0].forecast: only used with metric (how far ahead its current rate is followed)',
    ]);
    expect(stepErrors('    - { id: c, kind: check, title: t, metric: { namespace: AWS/RDS, name: FreeStorageSpace }, op: "<=", value: 0, trend: 6h }\n').map((e) => e.replace(/:\d+:\d+:/, ':'))).toEqual([
      'runbooks/x.yaml: phases.resolve[0].trend: only used with forecast (the window its rate is measured over)',
    ]);
    expect(stepErrors('    - { id: c, kind: check, title: t, alarm: x, wait: soon }\n')).toEqual([
      'runbooks/x.yaml:8:55: phases.resolve[0].wait: expected a duration with a unit, e.g. 30s, 5m, 1h, got "soon"',
    ]);
  });

  it('query: a named query, promql or a metric — exactly one', () => {
    expect(stepErrors('    - { id: q, kind: query, title: t, query: p99-latency }\n')).toEqual([
      'runbooks/x.yaml:8:46: phases.resolve[0].query: expected one of p95-latency, p95-latency-by-endpoint, error-rate, error-rate-by-endpoint, request-rate, request-rate-by-endpoint, got "p99-latency"',
    ]);
    expect(stepErrors('    - { id: q, kind: query, title: t, query: error-rate, promql: "up" }\n')).toEqual([
      'runbooks/x.yaml:8:58: phases.resolve[0].promql: a query needs exactly one of query (a named query), promql, metric',
    ]);
    expect(stepErrors('    - { id: q, kind: query, title: t, query: error-rate, range: 10 }\n')).toEqual([
      'runbooks/x.yaml:8:65: phases.resolve[0].range: expected text, got 10',
    ]);
    expect(stepErrors('    - { id: q, kind: query, title: t, query: error-rate, range: soon, show: table }\n')).toEqual([
      'runbooks/x.yaml:8:65: phases.resolve[0].range: expected a duration with a unit, e.g. 30s, 5m, 1h, got "soon"',
      'runbooks/x.yaml:8:77: phases.resolve[0].show: expected one of value, graph, got "table"',
    ]);
  });

  it('action: an id of the catalogue, parameters that validate', () => {
    expect(stepErrors('    - { id: a, kind: action, title: t, action: ecs.restart }\n')).toEqual([
      expect.stringMatching(/^runbooks\/x\.yaml:8:48: phases\.resolve\[0\]\.action: expected an action of the catalogue: ecs\.set-desired-count, .*, got "ecs\.restart"$/),
    ]);
    expect(stepErrors('    - { id: a, kind: action, title: t, action: ecs.rollback }\n')).toEqual([
      'runbooks/x.yaml:8:7: phases.resolve[0].with.service: missing; expected text',
    ]);
    expect(stepErrors('    - { id: a, kind: action, title: t, action: ecs.rollback, with: { service: vitascope-api, revision: 41 } }\n')).toEqual([
      'runbooks/x.yaml:8:94: phases.resolve[0].with.revision: unknown field; expected one of service, taskDefinition',
    ]);
    expect(stepErrors('    - { id: a, kind: action, title: t, action: autoscaling.set-limits, with: { service: vitascope-api, min: 9, max: 8 } }\n')).toEqual([
      'runbooks/x.yaml:8:109: phases.resolve[0].with.min: min must not exceed max',
    ]);
    expect(stepErrors('    - { id: a, kind: action, title: t, action: waf.block-address, with: { address: the-attacker, reason: x } }\n')).toEqual([
      'runbooks/x.yaml:8:84: phases.resolve[0].with.address: expected an IP address or CIDR, got "the-attacker"',
    ]);
    expect(stepErrors('    - { id: a, kind: action, title: t, action: alertmanager.silence, with: { matchers: { alertname: x }, duration: forever, comment: x } }\n')).toEqual([
      'runbooks/x.yaml:8:116: phases.resolve[0].with.duration: expected a duration such as 30m or 2h, got "forever"',
    ]);
  });

  it('command: readonly only where the command only reads (aws describe/get/list, logs tail; kubectl get)', () => {
    expect(stepErrors('    - { id: c, kind: command, title: t, command: [aws, logs, tail, /ecs/x, --since, 15m], readonly: true }\n')).toEqual([]);
    expect(stepErrors('    - { id: c, kind: command, title: t, command: [kubectl, get, pods], readonly: true }\n')).toEqual([]);
    expect(stepErrors('    - { id: c, kind: command, title: t, command: [aws, ecs, update-service, --force-new-deployment], readonly: true }\n')).toEqual([
      'runbooks/x.yaml:8:112: phases.resolve[0].readonly: marked read-only, but aws ecs update-service is not an operation that only reads (describe-, get-, list-, logs tail…)',
    ]);
    expect(stepErrors('    - { id: c, kind: command, title: t, command: [psql, -c, "select 1"], readonly: true }\n')[0]).toContain('only aws and kubectl commands that only read can be marked read-only (psql cannot be checked)');
  });

  it('action: templated parameters are validated with sample values and param defaults', () => {
    // A param default is used as is: 9 > 8 is caught even through a template.
    expect(
      stepErrors(
        '    - { id: a, kind: action, title: t, action: autoscaling.set-limits, with: { service: "{{alarm.dimensions.ServiceName}}", min: "{{params.min}}", max: 8 } }\n',
        'params: { min: 9 }\n',
      ),
    ).toEqual(['runbooks/x.yaml:9:130: phases.resolve[0].with.min: min must not exceed max']);
    // A param without a default (asked at run time) passes if some real value would.
    expect(stepErrors('    - { id: a, kind: action, title: t, action: waf.block-address, with: { address: "{{params.ip}}", reason: "brute force {{incident.id}}" } }\n', 'params: { ip: null }\n')).toEqual([]);
    // Text around a placeholder is still checked.
    expect(stepErrors('    - { id: a, kind: action, title: t, action: waf.block-address, with: { address: "ip {{params.ip}}", reason: x } }\n', 'params: { ip: null }\n')).toEqual([
      'runbooks/x.yaml:9:84: phases.resolve[0].with.address: expected an IP address or CIDR, got "ip {{params.ip}}"',
    ]);
  });

  it('command: an argument array, never a shell string', () => {
    expect(stepErrors('    - { id: c, kind: command, title: t, command: "aws ecs describe-services --services {{alarm.name}}" }\n')).toEqual([
      'runbooks/x.yaml:8:50: phases.resolve[0].command: expected an argument array such as [aws, ecs, describe-services], not a shell string (runbook commands never go through a shell), got "aws ecs describe-services --services {{alarm.na…"',
    ]);
    expect(stepErrors('    - { id: c, kind: command, title: t, command: [sh, -c, "echo {{incident.title}}"] }\n')).toEqual([
      'runbooks/x.yaml:8:51: phases.resolve[0].command[0]: "sh" with -c turns the argument array back into a shell string; name the program itself',
    ]);
    expect(stepErrors('    - { id: c, kind: command, title: t, command: [/usr/bin/env, bash, -c, x] }\n')).toEqual([
      'runbooks/x.yaml:8:51: phases.resolve[0].command[0]: "/usr/bin/env" with -c turns the argument array back into a shell string; name the program itself',
    ]);
    expect(stepErrors('    - { id: c, kind: command, title: t, command: ["{{params.tool}}", x] }\n', 'params: { tool: aws }\n')).toEqual([
      'runbooks/x.yaml:9:51: phases.resolve[0].command[0]: the program to run cannot come from a template',
    ]);
    expect(stepErrors('    - { id: c, kind: command, title: t, command: [aws, 3] }\n')).toEqual([
      'runbooks/x.yaml:8:56: phases.resolve[0].command[1]: expected a string (quote numbers and flags that YAML would read otherwise), got 3',
    ]);
    expect(stepErrors('    - { id: c, kind: command, title: t, command: [] }\n')).toEqual([
      'runbooks/x.yaml:8:50: phases.resolve[0].command: expected at least the program to run, got an empty list',
    ]);
    expect(stepErrors('    - { id: c, kind: command, title: t, command: [aws, ecs, list-clusters], timeout: 1 minute }\n')).toEqual([
      'runbooks/x.yaml:8:86: phases.resolve[0].timeout: expected a duration with a unit, e.g. 30s, 5m, 1h, got "1 minute"',
    ]);
  });

  it('note: required is true or false', () => {
    expect(stepErrors('    - { id: n, kind: note, title: t, required: yes }\n')).toEqual(['runbooks/x.yaml:8:48: phases.resolve[0].required: expected true or false, got "yes"']);
  });

  it('decision: options whose targets exist', () => {
    const step = (goto: string) => `    - id: d
      kind: decision
      title: Which?
      options:
        - { id: a, label: A, goto: ${goto} }
        - { id: b, label: B, goto: postmortem }
    - { id: s, kind: note, title: t }
`;
    expect(stepErrors(step('s'))).toEqual([]);
    expect(stepErrors(step('investigate'))).toEqual([
      'runbooks/x.yaml:12:36: phases.resolve[0].options[0].goto: "investigate" does not lie ahead: a decision goes forward, to a later step or phase (runbooks are walked once, without loops)',
    ]);
    expect(stepErrors(step('nowhere'))).toEqual([
      'runbooks/x.yaml:12:36: phases.resolve[0].options[0].goto: no step or phase "nowhere": expected a step id of this runbook or one of detect, triage, investigate, resolve, postmortem',
    ]);
    expect(stepErrors(step('d'))).toEqual(['runbooks/x.yaml:12:36: phases.resolve[0].options[0].goto: a decision cannot go to itself']);
    expect(stepErrors('    - { id: d, kind: decision, title: t, options: [{ id: a, label: A, goto: resolve }] }\n')).toEqual([
      'runbooks/x.yaml:8:51: phases.resolve[0].options: expected at least two options, got a list',
    ]);
    expect(stepErrors('    - { id: d, kind: decision, title: t, options: [{ id: a, label: A, goto: postmortem }, { id: a, label: B, goto: postmortem }] }\n')).toEqual([
      'runbooks/x.yaml:8:97: phases.resolve[0].options[1].id: duplicate option id "a"',
    ]);
    expect(stepErrors('    - { id: resolve, kind: note, title: t }\n')).toEqual([
      'runbooks/x.yaml:8:13: phases.resolve[0].id: "resolve" is a phase name; decisions could not tell the step from the phase',
    ]);
  });

  it('link: an http(s) URL after templating', () => {
    expect(stepErrors('    - { id: l, kind: link, title: t, url: "{{incident.url}}" }\n')).toEqual([]);
    expect(stepErrors('    - { id: l, kind: link, title: t, url: "file:///etc/passwd" }\n')).toEqual([
      'runbooks/x.yaml:8:43: phases.resolve[0].url: expected an http:// or https:// URL, got "file:///etc/passwd"',
    ]);
  });

  it('when: a known variable or an earlier step, with the fields that go with it', () => {
    const two = (when: string) => `    - id: d
      kind: decision
      title: Which?
      options: [{ id: a, label: A, goto: c }, { id: b, label: B, goto: c }]
    - { id: c, kind: check, title: t, alarm: x, when: ${when} }
`;
    expect(stepErrors(two('{ step: d, chose: a }'))).toEqual([]);
    expect(stepErrors(two('{ step: d, chose: [a, b] }'))).toEqual([]);
    expect(stepErrors(two('[{ step: d, chose: a }, { var: alarm.dimensions.ServiceName, is: vitascope-api }]'))).toEqual([]);
    expect(stepErrors(two('{ step: d, chose: c }'))).toEqual(['runbooks/x.yaml:12:73: phases.resolve[1].when.chose: "d" has no option "c"; expected one of a, b']);
    expect(stepErrors(two('{ step: d, result: pass }'))).toEqual(['runbooks/x.yaml:12:74: phases.resolve[1].when.result: result is for check steps; "d" is a decision']);
    expect(stepErrors(two('{ step: e, chose: a }'))).toEqual(['runbooks/x.yaml:12:63: phases.resolve[1].when.step: no step "e" in this runbook']);
    expect(stepErrors(two('{ var: alarm.dimensions.Service, is: x }'))).toEqual([
      'runbooks/x.yaml:12:62: phases.resolve[1].when.var: unknown variable {{alarm.dimensions.Service}}: known dimensions are ClusterName, DBInstanceIdentifier, Dependency, FunctionName, QueueName, ServiceName (add others through matches.dimensions)',
    ]);
    expect(stepErrors(two('{ var: alarm.name }'))).toEqual(['runbooks/x.yaml:12:55: phases.resolve[1].when: a var condition needs is or not (globs)']);
    expect(stepErrors(two('{ var: alarm.name, is: x, step: d }'))).toEqual([
      'runbooks/x.yaml:12:55: phases.resolve[1].when: expected either var (with is or not) or step (with result or chose)',
    ]);
    expect(stepErrors(two('{ var: alarm.name, iz: x }'))).toEqual([
      'runbooks/x.yaml:12:55: phases.resolve[1].when: a var condition needs is or not (globs)',
      'runbooks/x.yaml:12:74: phases.resolve[1].when.iz: unknown field; did you mean is?',
    ]);
    expect(stepErrors(two('[{ var: alarm.name, iz: x }]'))).toEqual([
      'runbooks/x.yaml:12:56: phases.resolve[1].when[0]: a var condition needs is or not (globs)',
      'runbooks/x.yaml:12:75: phases.resolve[1].when[0].iz: unknown field; did you mean is?',
    ]);
  });
});

describe('templates', () => {
  it('unknown variables are errors, wherever they are', () => {
    expect(stepErrors('    - { id: n, kind: note, title: "Impact on {{incident.titel}}" }\n')).toEqual([
      expect.stringMatching(/^runbooks\/x\.yaml:8:35: phases\.resolve\[0\]\.title: unknown variable \{\{incident\.titel\}\}: expected one of incident\.id, incident\.number, incident\.title, /),
    ]);
    expect(stepErrors('    - { id: n, kind: note, title: "{{params.service}}" }\n')).toEqual([
      'runbooks/x.yaml:8:35: phases.resolve[0].title: unknown variable {{params.service}}: declare it under params first',
    ]);
    expect(stepErrors('    - { id: n, kind: note, title: "{{params.servce}}" }\n', 'params: { service: x }\n')).toEqual([
      "runbooks/x.yaml:9:35: phases.resolve[0].title: unknown variable {{params.servce}}: this runbook's params are params.service",
    ]);
    expect(stepErrors('    - { id: n, kind: note, title: "{{env.HOME}}" }\n')).toEqual([
      'runbooks/x.yaml:8:35: phases.resolve[0].title: unknown variable {{env.HOME}}: variables start with incident., alarm., runbook., responder., display., findings., params.',
    ]);
  });

  it('no expressions, no unclosed braces, params do not refer to params', () => {
    expect(stepErrors('    - { id: n, kind: note, title: "{{ alarm.value * 2 }}" }\n')).toEqual([
      'runbooks/x.yaml:8:35: phases.resolve[0].title: "{{ alarm.value * 2 }}" is not a variable: a template holds one variable name such as {{alarm.name}}, no expressions',
    ]);
    expect(stepErrors('    - { id: n, kind: note, title: "{{alarm.name" }\n')).toEqual(['runbooks/x.yaml:8:35: phases.resolve[0].title: "{{" is never closed with "}}"']);
    expect(stepErrors('    - { id: n, kind: note, title: t }\n', 'params: { a: x, b: "{{params.a}}" }\n')).toEqual([
      'runbooks/x.yaml:6:20: params.b: a param default cannot use another param ({{params.a}})',
    ]);
  });

  it('a dimension the runbook matches on becomes a variable', () => {
    const extra = 'params: {}\n';
    const text = `id: t
title: t
priority: P3
matches:
  dimensions: { Team: payments }
${extra}phases:
  resolve:
    - { id: n, kind: note, title: "{{alarm.dimensions.Team}}" }
`;
    expect(lint(text)).toEqual([]);
  });
});

describe('ids across files', () => {
  const file = (id: string) => `id: ${id}\ntitle: t\npriority: P3\nmatches: { rules: [error-rate] }\nphases: { detect: [{ id: a, kind: note, title: t }] }\n`;

  it('a runbook id is unique within the shipped runbooks and within the team ones', () => {
    const r = lintFiles([
      parseRunbookText('team/a.yaml', file('same'), 'user'),
      parseRunbookText('team/b.yaml', file('same'), 'user'),
      parseRunbookText('team/c.yaml', file('other'), 'user'),
    ]);
    expect(r.errors.map(formatLintError)).toEqual(['team/b.yaml:1:5: id: duplicate runbook id "same": also team/a.yaml:1:5']);
    expect(r.runbooks.map((x) => x.runbook.id)).toEqual(['same', 'other']);
  });

  it('a team runbook with a shipped id replaces the shipped one', () => {
    const r = lintFiles([parseRunbookText('runbooks/error-rate.yaml', file('error-rate'), 'shipped'), parseRunbookText('team/mine.yaml', file('error-rate'), 'user')]);
    expect(r.errors).toEqual([]);
    expect(r.runbooks).toHaveLength(1);
    expect(r.runbooks[0]).toMatchObject({ file: 'team/mine.yaml', origin: 'user', overrides: 'runbooks/error-rate.yaml' });
  });

  it('bad files never hide good ones', () => {
    const r = lintFiles([parseRunbookText('a.yaml', 'id: [\n'), parseRunbookText('b.yaml', file('fine'))]);
    expect(r.errors).toHaveLength(1);
    expect(r.runbooks.map((x) => x.runbook.id)).toEqual(['fine']);
  });
});

describe('robustness', () => {
  it('never throws on odd input', () => {
    for (const text of [
      'params: { "x(": null, "constructor": 1 }\nphases: { resolve: [{ id: a, kind: action, title: t, action: waf.block-address, with: { address: "{{params.x(}}" } }] }\n',
      'phases: { resolve: [null, 3, [], { kind: check }, { when: [1, null] }] }\n',
      '&a [*a]\n',
      'id: x\nphases: !!binary aGVsbG8=\n',
      'a: &x 1\nb: *y\n',
    ]) {
      expect(() => lint(text), text).not.toThrow();
      expect(lint(text).length, text).toBeGreaterThan(0);
    }
  });
});

describe('note sections', () => {
  it('takes a known section on a note step, and names the allowed ones for an unknown', () => {
    const note = (section: string) => withSteps(`    - id: cause
      kind: note
      title: Root cause
      section: ${section}
`);
    const good = lintFiles([parseRunbookText('runbooks/x.yaml', note('root-cause'))]);
    expect(good.errors).toEqual([]);
    const step = good.runbooks[0]!.runbook.phases.resolve[0]!;
    expect(step.kind === 'note' && step.section).toBe('root-cause');
    const bad = lint(note('rootcause'));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^runbooks\/x\.yaml:11:\d+: phases\.resolve\[0\]\.section: /);
    expect(bad[0]).toContain('root-cause');
    expect(bad[0]).toContain('follow-up');
  });

  it('refuses a section on a step that is not a note', () => {
    const errors = lint(withSteps(`    - id: ack
      kind: action
      title: Acknowledge
      action: pagerduty.acknowledge
      section: response
`));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/phases\.resolve\[0\]\.section: /);
  });
});

describe('one language on screen', () => {
  it('refuses Japanese in the fields shown as they are (titles, option labels), naming the line and field', () => {
    const errors = lint(
      withSteps(`    - id: board
      kind: link
      title: The API performance dashboard (API応答時間 P95)
      url: https://grafana.example.com/d/x
    - id: which
      kind: decision
      title: Which way?
      options:
        - id: a
          label: 再起動
          goto: postmortem
        - id: b
          label: Wait
          goto: postmortem
`),
    );
    expect(errors).toEqual([
      expect.stringMatching(/^runbooks\/x\.yaml:10:\d+: phases\.resolve\[0\]\.title: Japanese in an English field/),
      expect.stringMatching(/^runbooks\/x\.yaml:17:\d+: phases\.resolve\[1\]\.options\[0\]\.label: Japanese in an English field/),
    ]);
  });

  it('keeps accepting the bilingual description, which the screen shows in one language', () => {
    const text = withSteps(`    - id: ack
      kind: action
      title: Acknowledge
      description: Raised limits cost money (容量計画).
      action: pagerduty.acknowledge
`);
    expect(lint(text)).toEqual([]);
  });
});
