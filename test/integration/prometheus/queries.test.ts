/**
 * The named queries' PromQL and the small pure pieces of the adapters, without a server: the
 * strategy's expressions are written exactly as it writes them, label values are escaped, and what
 * a query decides itself cannot be overridden. (The values they give are checked in history.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { silenceProblem } from '../../../src/sources/alertmanager/index.js';
import { appMetrics } from '../../../src/core/appMetrics.js';
import { similarNames } from '../../../src/sources/prometheus/discover.js';
import { serviceValue } from '../../../src/sources/prometheus/gate.js';
import {
  expressionFor,
  levelOf,
  NAMED_QUERY_IDS,
  parseSampleValue,
  promDuration,
  thresholdOf,
} from '../../../src/sources/prometheus/index.js';

describe('named queries', () => {
  it("are the strategy's PromQL on what prometheus_client exposes, for the strategy's job", () => {
    expect(expressionFor('p95_latency_seconds')).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(app_request_latency_seconds_bucket{job="vitascope-api"}[5m])))',
    );
    expect(expressionFor('p95_latency_seconds_by_endpoint')).toBe(
      'histogram_quantile(0.95, sum by (le, endpoint) (rate(app_request_latency_seconds_bucket{job="vitascope-api"}[5m])))',
    );
    expect(expressionFor('request_rate_per_second_by_endpoint', { windowSeconds: 60 })).toBe(
      'sum by (endpoint) (rate(app_request_count_total{job="vitascope-api"}[1m]))',
    );
    expect(expressionFor('error_rate_percent', { dimensions: { endpoint: '/api/v1/sync' } })).toBe(
      '100 * (sum(rate(app_request_count_total{job="vitascope-api",endpoint="/api/v1/sync",status_code=~"5.."}[5m])) or 0 * sum(rate(app_request_count_total{job="vitascope-api",endpoint="/api/v1/sync"}[5m]))) / sum(rate(app_request_count_total{job="vitascope-api",endpoint="/api/v1/sync"}[5m]))',
    );
    // A dimension on the service label replaces the configured service.
    expect(expressionFor('request_rate_per_second', { dimensions: { job: 'vitascope-worker' } })).toBe(
      'sum(rate(app_request_count_total{job="vitascope-worker"}[5m]))',
    );
    expect(NAMED_QUERY_IDS).toHaveLength(6);
  });

  it('follow the configured names: metrics, service and labels', () => {
    const names = appMetrics({
      requestCount: 'http_requests_total',
      requestLatency: 'http_request_duration_seconds',
      service: '',
      labels: { endpoint: 'path', statusCode: 'code' },
    });
    expect(expressionFor('error_rate_percent_by_endpoint', { names, windowSeconds: 60 })).toBe(
      '100 * (sum by (path) (rate(http_requests_total{code=~"5.."}[1m])) or 0 * sum by (path) (rate(http_requests_total[1m]))) / sum by (path) (rate(http_requests_total[1m]))',
    );
    expect(expressionFor('p95_latency_seconds_by_endpoint', { names })).toBe(
      'histogram_quantile(0.95, sum by (le, path) (rate(http_request_duration_seconds_bucket[5m])))',
    );
    expect(() => expressionFor('error_rate_percent', { names, dimensions: { code: '500' } })).toThrow(
      /decides the label "code"/,
    );
  });

  it('escape label values and refuse bad or reserved labels', () => {
    expect(expressionFor('request_rate_per_second', { dimensions: { endpoint: 'a"b\\c\nd' } })).toBe(
      'sum(rate(app_request_count_total{job="vitascope-api",endpoint="a\\"b\\\\c\\nd"}[5m]))',
    );
    expect(() => expressionFor('request_rate_per_second', { dimensions: { 'bad-label': 'x' } })).toThrow(
      /not a label name/,
    );
    expect(() => expressionFor('request_rate_per_second', { dimensions: { __name__: 'x' } })).toThrow(
      /not a label name/,
    );
    expect(() => expressionFor('p95_latency_seconds', { dimensions: { le: '1' } })).toThrow(/decides the label "le"/);
    expect(() => expressionFor('p95', {})).toThrow(/no Prometheus query named "p95"; known: p95_latency_seconds/);
    expect(() => expressionFor('p95_latency_seconds', { windowSeconds: 0 })).toThrow(/positive/);
  });

  it('write windows as PromQL durations', () => {
    expect([promDuration(300), promDuration(3600), promDuration(90)]).toEqual(['5m', '1h', '90s']);
  });
});

describe('what is near a name that matched nothing', () => {
  it('similar names: a few edits away or sharing a distinctive word, closest first', () => {
    const names = [
      'app_request_count',
      'app_request_count_created',
      'app_request_latency_seconds_bucket',
      'go_goroutines',
      'http_requests_total',
      'up',
    ];
    expect(similarNames(names, 'app_request_count_total')).toEqual([
      'app_request_count',
      'app_request_count_created',
      'http_requests_total',
      'app_request_latency_seconds_bucket',
    ]);
    expect(similarNames(names, 'node_cpu_seconds_total')).toEqual([]);
  });

  it("--service: the job itself when the server has it, else the strategy's job name for a short one", () => {
    expect(serviceValue('api', ['vitascope-api', 'vitascope-worker'], 'job')).toBe('vitascope-api');
    expect(serviceValue('api', ['api', 'vitascope-api'], 'job')).toBe('api');
    expect(serviceValue('vitascope-api', [], 'job')).toBe('vitascope-api');
    expect(serviceValue('api', [], 'job')).toBe('vitascope-api');
    // The strategy's scrape config also labels the series service="api": that label takes the name as it is.
    expect(serviceValue('api', [], 'service')).toBe('api');
    expect(serviceValue('', ['vitascope-api'], 'job')).toBe('');
  });
});

describe('small parsers', () => {
  it('read Prometheus sample values, including the infinities', () => {
    expect(parseSampleValue('1.5')).toBe(1.5);
    expect(parseSampleValue('+Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parseSampleValue('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseSampleValue('NaN')).toBeNaN();
  });

  it('read thresholds from the end of an expression', () => {
    expect(thresholdOf('histogram_quantile(0.95, x) > 1')).toEqual({
      threshold: 1,
      comparison: 'GreaterThanThreshold',
    });
    expect(thresholdOf('x >= 0.05 ')).toEqual({ threshold: 0.05, comparison: 'GreaterThanOrEqualToThreshold' });
    expect(thresholdOf('sum(x) <= 1e3')).toEqual({ threshold: 1000, comparison: 'LessThanOrEqualToThreshold' });
    expect(thresholdOf('x > 1 and on() y')).toBeUndefined();
    expect(thresholdOf('up == 0')).toBeUndefined();
  });

  it("map severities to the strategy's levels", () => {
    expect(['critical', 'Warning', ' info ', 'page', undefined].map(levelOf)).toEqual([
      'critical',
      'warning',
      'info',
      undefined,
      undefined,
    ]);
  });

  it('judge silences the way Alertmanager does, before sending', () => {
    const now = 1_000_000;
    const base = { startsAt: now, endsAt: now + 60_000, createdBy: 'me', comment: 'why' };
    expect(
      silenceProblem({ ...base, matchers: [{ name: 'alertname', value: 'X', isRegex: false }] }, now),
    ).toBeUndefined();
    // A negative matcher on a value matches the empty string; alone it would silence nearly everything.
    expect(
      silenceProblem(
        { ...base, matchers: [{ name: 'alertname', value: 'X', isRegex: false, isEqual: false } as never] },
        now,
      ),
    ).toMatch(/empty string/);
    expect(
      silenceProblem(
        { ...base, matchers: [{ name: 'alertname', value: '', isRegex: false, isEqual: false } as never] },
        now,
      ),
    ).toBeUndefined();
    expect(silenceProblem({ ...base, matchers: [{ name: 'alertname', value: '(', isRegex: true }] }, now)).toMatch(
      /not a regular expression/,
    );
  });
});
