import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, setConfigValue, unsetConfigValue } from '../../src/config/store.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const file = () => path.join(dir, 'config.json');
const write = (text: string) => fs.writeFileSync(file(), text);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vo-config-'));
  env = { VITASCOPE_ONCALL_CONFIG_DIR: dir };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function problem(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loading the configuration', () => {
  it('works with no file at all: the defaults', () => {
    const c = loadConfig(env);
    expect(c.path).toBe(file());
    expect(c.effective).toEqual({});
    expect(c.policy.rules.find((r) => r.id === 'cpu-utilization')!.thresholds).toEqual({ warning: 70, critical: 90 });
  });

  it('names the file, line and column of malformed JSON, and leaves the file untouched', () => {
    const text = '{\n  "aws": { "region": "ap-northeast-1", }\n}\n';
    write(text);
    const e = problem(() => loadConfig(env));
    expect(e.message).toBe(`${file()}:2:40: not valid JSON (PropertyNameExpected)`);
    expect(fs.readFileSync(file(), 'utf8')).toBe(text);
  });

  it('names the bad field of an invalid file', () => {
    write(JSON.stringify({ aws: { region: 'tokyo' } }));
    expect(problem(() => loadConfig(env)).message).toBe(`${file()}: aws.region: an AWS region such as ap-northeast-1`);
    write(JSON.stringify({ prometheus: { url: 'ftp://x' } }));
    expect(problem(() => loadConfig(env)).field).toBe('prometheus.url');
    write(JSON.stringify({ pagerduty: { tokn: 'x' } }));
    expect(problem(() => loadConfig(env)).message).toBe(`${file()}: pagerduty.tokn: unknown setting`);
    write(JSON.stringify({ policy: { rules: { 'cpu-utilization': { warning: 95 } } } }));
    expect(problem(() => loadConfig(env)).message).toBe(
      `${file()}: policy.rules.cpu-utilization: thresholds must rise with the level (info ≤ warning ≤ critical)`,
    );
    write(JSON.stringify({ policy: { rules: { 'no-such-rule': { warning: 1 } } } }));
    expect(problem(() => loadConfig(env)).field).toBe('policy.rules.no-such-rule');
  });

  it('applies environment overrides, and names the variable when one is invalid', () => {
    write(JSON.stringify({ aws: { region: 'us-east-1' }, pagerduty: { token: 'from-file' } }));
    const c = loadConfig({
      ...env,
      AWS_REGION: 'ap-northeast-1',
      PAGERDUTY_TOKEN: 'from-env',
      VITASCOPE_READONLY: '1',
    });
    expect(c.effective.aws?.region).toBe('ap-northeast-1');
    expect(c.effective.pagerduty?.token).toBe('from-env');
    expect(c.effective.readonly).toBe(true);
    expect(c.origins.get('aws.region')).toBe('env AWS_REGION');
    expect(c.origins.get('pagerduty.token')).toBe('env PAGERDUTY_TOKEN');
    expect(problem(() => loadConfig({ ...env, VITASCOPE_PROMETHEUS_URL: 'not a url' })).message).toBe(
      'environment VITASCOPE_PROMETHEUS_URL: prometheus.url: an http:// or https:// URL',
    );
    expect(problem(() => loadConfig({ ...env, VITASCOPE_READONLY: 'maybe' })).where).toBe(
      'environment VITASCOPE_READONLY',
    );
  });

  it('takes deadlines in seconds from the file or the environment, within bounds', () => {
    write(JSON.stringify({ timeouts: { request: 5 } }));
    const c = loadConfig({ ...env, VITASCOPE_TIMEOUT_SOURCE: '0.5' });
    expect(c.effective.timeouts).toEqual({ request: 5, source: 0.5 });
    expect(c.origins.get('timeouts.source')).toBe('env VITASCOPE_TIMEOUT_SOURCE');
    expect(problem(() => loadConfig({ ...env, VITASCOPE_TIMEOUT_REQUEST: 'soon' })).message).toBe(
      'environment VITASCOPE_TIMEOUT_REQUEST: timeouts.request: expected a number (of seconds), e.g. 2 or 0.5',
    );
    expect(problem(() => loadConfig({ ...env, VITASCOPE_TIMEOUT_CONNECT: '0' })).where).toBe(
      'environment VITASCOPE_TIMEOUT_CONNECT',
    );
    write(JSON.stringify({ timeouts: { source: 99999 } }));
    expect(problem(() => loadConfig(env)).field).toBe('timeouts.source');
  });

  it('lets users override any policy threshold', () => {
    write(
      JSON.stringify({
        policy: {
          rules: { 'api-latency-p95': { warning: 400, critical: 800, evaluationPeriods: 5 } },
          escalation: { delayMinutes: 15 },
        },
      }),
    );
    const c = loadConfig(env);
    const rule = c.policy.rules.find((r) => r.id === 'api-latency-p95')!;
    expect(rule.thresholds).toEqual({ warning: 400, critical: 800 });
    expect(rule.evaluation.evaluationPeriods).toBe(5);
    expect(rule.evaluation.datapointsToAlarm).toBe(5);
    expect(c.policy.escalation.every((e) => e.delayMinutes === 15)).toBe(true);
  });
});

describe('changing the configuration', () => {
  it('sets a value after validating the whole file, atomically', () => {
    setConfigValue('policy.rules.cpu-utilization.warning', 75, env);
    setConfigValue('aws.region', 'ap-northeast-1', env);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({
      policy: { rules: { 'cpu-utilization': { warning: 75 } } },
      aws: { region: 'ap-northeast-1' },
    });
  });

  it('refuses an invalid value and writes nothing', () => {
    setConfigValue('aws.region', 'ap-northeast-1', env);
    const before = fs.readFileSync(file(), 'utf8');
    expect(problem(() => setConfigValue('aws.region', 'nowhere', env)).field).toBe('aws.region');
    expect(problem(() => setConfigValue('policy.rules.cpu-utilization.warning', 99, env)).field).toBe(
      'policy.rules.cpu-utilization',
    );
    expect(problem(() => setConfigValue('aws.regoin', 'x', env)).message).toContain('aws.regoin: unknown setting');
    expect(fs.readFileSync(file(), 'utf8')).toBe(before);
  });

  it('takes the app metric names under prometheus.metrics, and names a bad one', () => {
    setConfigValue('prometheus.metrics.requestCount', 'app_request_count', env);
    setConfigValue('prometheus.metrics.service', '', env);
    setConfigValue('prometheus.metrics.labels.service', 'service', env);
    expect(loadConfig(env).effective.prometheus).toEqual({
      metrics: { requestCount: 'app_request_count', service: '', labels: { service: 'service' } },
    });
    const bucket = problem(() =>
      setConfigValue('prometheus.metrics.requestLatency', 'app_request_latency_seconds_bucket', env),
    );
    expect(bucket.field).toBe('prometheus.metrics.requestLatency');
    expect(bucket.detail).toBe("the histogram's name without _bucket, _sum or _count (app_request_latency_seconds)");
    expect(problem(() => setConfigValue('prometheus.metrics.requestCount', 'app-request-count', env)).detail).toBe(
      'a Prometheus metric name such as app_request_count_total',
    );
    expect(problem(() => setConfigValue('prometheus.metrics.labels.statusCode', '__name__', env)).field).toBe(
      'prometheus.metrics.labels.statusCode',
    );
    expect(problem(() => setConfigValue('prometheus.metrics.job', 'x', env)).message).toContain(
      'prometheus.metrics.job: unknown setting',
    );
  });

  it('will not write over a malformed file', () => {
    write('{ nope');
    expect(() => setConfigValue('aws.region', 'ap-northeast-1', env)).toThrow(ConfigError);
    expect(fs.readFileSync(file(), 'utf8')).toBe('{ nope');
  });

  it('unsets a value and prunes empty parents', () => {
    setConfigValue('policy.rules.cpu-utilization.warning', 75, env);
    expect(unsetConfigValue('policy.rules.cpu-utilization.warning', env)).toBe(true);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toEqual({});
    expect(unsetConfigValue('aws.region', env)).toBe(false);
  });
});
