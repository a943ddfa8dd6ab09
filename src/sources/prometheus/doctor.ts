/**
 * `doctor`'s look at the app's metrics on a Prometheus server: what the server really has
 * (/api/v1/label/__name__/values, the service label's values, the series' label names) against the
 * names the configuration gives them (prometheus.metrics.*). When something configured matches
 * nothing, the check names the exact setting to change and the nearby names or values that exist.
 */
import {
  APP_METRIC_SETTINGS,
  bucketName,
  counterNames,
  selector,
  type AppMetricLabels,
  type AppMetrics,
} from '../../core/appMetrics.js';
import type { Check } from '../doctor.js';
import type { PrometheusClient } from './client.js';
import { similarNames } from './discover.js';
import { NAME_LOOKBACK_MS } from './names.js';

type Row = Omit<Check, 'source'>;

function list(values: readonly string[], max = 8): string {
  return values.length > max ? `${values.slice(0, max).join(', ')}, … (${values.length} in all)` : values.join(', ');
}

/**
 * The counter: its configured name, else its plain one (an older client library), else nothing but
 * similar names. The service's own series decide first (`forService`); the whole server's names after.
 */
function counterRow(
  m: AppMetrics,
  names: readonly string[],
  forService: readonly string[],
): { row: Row; counter?: string } {
  const [configured, plain] = counterNames(m);
  const check = `request counter (${APP_METRIC_SETTINGS.requestCount})`;
  if (forService.includes(configured!) || (!(plain && forService.includes(plain)) && names.includes(configured!)))
    return { row: { check, result: 'ok', detail: `${configured} present` }, counter: configured };
  if (plain && names.includes(plain)) {
    return {
      row: {
        check,
        result: 'warn',
        detail: `${configured} is not on the server but ${plain} is (a client library without the _total suffix): queries, the cockpit and deploy-check use it, but exported rules use ${configured}`,
        fix: `vitascope-oncall config set ${APP_METRIC_SETTINGS.requestCount} ${plain}`,
      },
      counter: plain,
    };
  }
  const near = similarNames(names, configured!);
  return {
    row: {
      check,
      result: 'fail',
      detail: `no ${configured}${plain ? ` (nor ${plain})` : ''} series in the last ${NAME_LOOKBACK_MS / 3_600_000}h${near.length ? `; similar names on the server: ${near.join(', ')}` : ''}`,
      fix: near.length
        ? `if one of those is the app's request counter: vitascope-oncall config set ${APP_METRIC_SETTINGS.requestCount} ${near[0]}`
        : `scrape the API's /metrics (the strategy's ${m.service || 'vitascope-api'} job in scrape_configs), or set ${APP_METRIC_SETTINGS.requestCount}`,
    },
  };
}

function histogramRow(m: AppMetrics, names: readonly string[]): { row: Row; ok: boolean } {
  const bucket = bucketName(m);
  const check = `latency histogram (${APP_METRIC_SETTINGS.requestLatency})`;
  if (names.includes(bucket)) return { row: { check, result: 'ok', detail: `${bucket} present` }, ok: true };
  const near = similarNames(
    names.filter((n) => n.endsWith('_bucket')),
    bucket,
  ).map((n) => n.replace(/_bucket$/, ''));
  return {
    row: {
      check,
      result: 'fail',
      detail: `no ${bucket} series${near.length ? `; histograms with similar names: ${near.join(', ')}` : ''}`,
      fix: near.length
        ? `if one of those is the app's latency histogram: vitascope-oncall config set ${APP_METRIC_SETTINGS.requestLatency} ${near[0]}`
        : `expose the histogram from the API, or set ${APP_METRIC_SETTINGS.requestLatency}`,
    },
    ok: false,
  };
}

/** The configured service among the service label's values of the counter. */
async function serviceRow(
  client: PrometheusClient,
  m: AppMetrics,
  counter: string,
  window: { start: number; end: number },
): Promise<Row> {
  const label = m.labels.service;
  const check = `service ${label}="${m.service}" (${APP_METRIC_SETTINGS.service})`;
  if (m.service === '')
    return {
      check: `service (${APP_METRIC_SETTINGS.service})`,
      result: 'ok',
      detail: 'every series: no service selected',
    };
  const values = await client.labelValues(label, { ...window, match: [counter] });
  if (values.includes(m.service)) {
    const others = values.filter((v) => v !== m.service);
    return {
      check,
      result: 'ok',
      detail: `${counter} has ${label}="${m.service}"${others.length ? ` (also ${list(others)})` : ''}`,
    };
  }
  if (values.length === 0) {
    const labels = (await client.labelNames({ ...window, match: [counter] })).filter((l) => l !== '__name__');
    return {
      check,
      result: 'fail',
      detail: `${counter} has no label ${label}; its labels: ${list(labels)}`,
      fix: `set ${APP_METRIC_SETTINGS.labels.service} to the label that names the service (one of ${list(labels)})`,
    };
  }
  return {
    check,
    result: 'fail',
    detail: `no ${selector(counter, [[label, m.service]])} series; ${counter} has ${label}=${list(values)}`,
    fix: `vitascope-oncall config set ${APP_METRIC_SETTINGS.service} ${values.length === 1 ? values[0] : '<one of them>'}`,
  };
}

/** The endpoint, status code and method labels on the service's counter series, and the histogram's endpoint and le. */
async function labelsRow(
  client: PrometheusClient,
  m: AppMetrics,
  counter: string,
  histogram: boolean,
  window: { start: number; end: number },
): Promise<Row> {
  const service = m.service === '' ? [] : [[m.labels.service, m.service] as const];
  const [onCounter, onHistogram] = await Promise.all([
    client.labelNames({ ...window, match: [selector(counter, service)] }),
    histogram
      ? client.labelNames({ ...window, match: [selector(bucketName(m), service)] })
      : Promise.resolve(undefined),
  ]);
  const wanted: [keyof AppMetricLabels, readonly string[] | undefined, string][] = [
    ['endpoint', onCounter, counter],
    ['statusCode', onCounter, counter],
    ['method', onCounter, counter],
    ['endpoint', onHistogram, bucketName(m)],
  ];
  const missing = wanted.filter(([role, labels]) => labels !== undefined && !labels.includes(m.labels[role]));
  const check = 'labels (prometheus.metrics.labels.*)';
  if (missing.length === 0)
    return {
      check,
      result: 'ok',
      detail: `${[m.labels.endpoint, m.labels.statusCode, m.labels.method].join(', ')} present`,
    };
  const [role, labels, series] = missing[0]!;
  return {
    check,
    result: 'fail',
    detail: `${series} has no label ${m.labels[role]}; its labels: ${list((labels ?? []).filter((l) => l !== '__name__'))}`,
    fix: `set ${APP_METRIC_SETTINGS.labels[role]} to the label that holds the ${role === 'statusCode' ? 'status code' : role}`,
  };
}

/**
 * The app-metric rows of `doctor`, in order: counter, histogram, service, labels. A row that depends
 * on an earlier one that failed is skipped with the reason.
 */
export async function appMetricChecks(client: PrometheusClient, m: AppMetrics, now = Date.now()): Promise<Row[]> {
  const window = { start: now - NAME_LOOKBACK_MS, end: now };
  const service = m.service === '' ? [] : [[m.labels.service, m.service] as const];
  const [names, forService] = await Promise.all([
    client.labelValues('__name__', window),
    client.labelValues('__name__', { ...window, match: counterNames(m).map((c) => selector(c, service)) }),
  ]);
  const { row: counter, counter: found } = counterRow(m, names, forService);
  const { row: histogram, ok: histogramOk } = histogramRow(m, names);
  const rows: Row[] = [
    {
      check: 'metric names (GET /api/v1/label/__name__/values)',
      result: 'ok',
      detail: `${names.length} metric names in the last ${NAME_LOOKBACK_MS / 3_600_000}h`,
    },
    counter,
    histogram,
  ];
  if (!found) {
    rows.push({
      check: `service (${APP_METRIC_SETTINGS.service})`,
      result: 'skip',
      detail: 'not tried: no request counter',
    });
    return rows;
  }
  const serviceCheck = await serviceRow(client, m, found, window);
  rows.push(serviceCheck);
  if (serviceCheck.result === 'fail')
    rows.push({
      check: 'labels (prometheus.metrics.labels.*)',
      result: 'skip',
      detail: 'not tried: the service matches nothing',
    });
  else rows.push(await labelsRow(client, m, found, histogramOk, window));
  return rows;
}
