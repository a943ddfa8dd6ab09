/** The sandbox's Prometheus exposition puts each scenario's traffic and failures on the endpoints they belong to. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { goFloat } from '../../../src/sources/sandbox/exposition.js';

const MIN = 60_000;

/** app_request_count_total by endpoint and status at the scenario's minute. */
function counts(scenario: string, minutes: number): Map<string, number> {
  const sb = createSandbox({
    seed: 1,
    scenario,
    speed: 1,
    startOffsetMs: 0,
    policy: DEFAULT_POLICY,
    user: { id: 'u', name: 'T' },
    frozen: true,
  });
  const before = parse(sb.world.exposition.render(sb.now()));
  sb.advance(minutes * MIN);
  const after = parse(sb.world.exposition.render(sb.now()));
  return new Map([...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)]));
}

function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^app_request_count_total\{method="(\w+)",endpoint="([^"]+)",status_code="(\d+)"\} ([\d.e+]+)$/.exec(
      line,
    );
    if (m) out.set(`${m[1]} ${m[2]} ${m[3]}`, Number(m[4]));
  }
  return out;
}

describe('the exposition as prometheus_client writes it', () => {
  const sb = createSandbox({
    seed: 1,
    scenario: 'calm',
    speed: 1,
    startOffsetMs: 0,
    policy: DEFAULT_POLICY,
    user: { id: 'u', name: 'T' },
    frozen: true,
  });
  sb.advance(5 * MIN);
  const text = sb.world.exposition.render(sb.now());
  const lines = text.trimEnd().split('\n');

  it('names the counter app_request_count_total with an app_request_count_created gauge, and the histogram _bucket/_count/_sum/_created', () => {
    // The families in generate_latest's order: each with its HELP and TYPE, the _created ones as gauges after their family.
    expect(lines.filter((l) => l.startsWith('# TYPE '))).toEqual([
      '# TYPE app_request_count_total counter',
      '# TYPE app_request_count_created gauge',
      '# TYPE app_request_latency_seconds histogram',
      '# TYPE app_request_latency_seconds_created gauge',
    ]);
    const names = new Set(lines.filter((l) => !l.startsWith('#')).map((l) => l.slice(0, l.indexOf('{'))));
    expect([...names]).toEqual([
      'app_request_count_total',
      'app_request_count_created',
      'app_request_latency_seconds_bucket',
      'app_request_latency_seconds_count',
      'app_request_latency_seconds_sum',
      'app_request_latency_seconds_created',
    ]);
    // No sample under the plain name an older client library would use.
    expect(lines.some((l) => l.startsWith('app_request_count{'))).toBe(false);
  });

  it('writes labels in the declared order, le and values as Python writes floats, created as Go exponent form', () => {
    const les = lines
      .filter((l) => l.startsWith('app_request_latency_seconds_bucket{method="GET",endpoint="/api/v1/users/me",'))
      .map((l) => /le="([^"]+)"/.exec(l)![1]);
    expect(les).toEqual([
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.075',
      '0.1',
      '0.25',
      '0.5',
      '0.75',
      '1.0',
      '2.5',
      '5.0',
      '7.5',
      '10.0',
      '+Inf',
    ]);
    for (const l of lines.filter((x) => x.startsWith('app_request_count_total{')))
      expect(l).toMatch(
        /^app_request_count_total\{method="\w+",endpoint="[^"]+",status_code="\d{3}"\} \d+\.\d+(e\+0\d+)?$/,
      );
    const created = lines.filter((l) => l.startsWith('app_request_count_created{')).map((l) => l.split(' ')[1]);
    expect(new Set(created)).toEqual(new Set([goFloat(sb.world.origin / 1000)]));
    expect(created[0]).toMatch(/^1\.\d+e\+09$/);
    expect([
      goFloat(3),
      goFloat(0.005),
      goFloat(1704067200),
      goFloat(12345678),
      goFloat(Number.POSITIVE_INFINITY),
    ]).toEqual(['3.0', '0.005', '1.7040672e+09', '1.2345678e+07', '+Inf']);
  });
});

describe('the exposition by endpoint', () => {
  it('error-spike: the 500s are on GET /api/v1/users/me', () => {
    const c = counts('error-spike', 12);
    const me = c.get('GET /api/v1/users/me 500')!;
    const others = [...c]
      .filter(([k]) => k.endsWith(' 500') && !k.startsWith('GET /api/v1/users/me '))
      .reduce((s, [, v]) => s + v, 0);
    expect(me).toBeGreaterThan(10 * others);
  });

  it("api-scraper: GET /api/v1/insights carries the scraper's calls", () => {
    const calm = counts('calm', 30).get('GET /api/v1/insights 200')!;
    const scraped = counts('api-scraper', 30).get('GET /api/v1/insights 200')!;
    expect(scraped).toBeGreaterThan(10 * calm);
  });

  it('login-regression: sign-ins are refused with 401, not 5xx', () => {
    const calm = counts('calm', 60);
    const broken = counts('login-regression', 60);
    expect(broken.get('POST /api/v1/auth/login 401')!).toBeGreaterThan(10 * calm.get('POST /api/v1/auth/login 401')!);
    expect(broken.get('POST /api/v1/auth/login 500')!).toBeLessThan(2 * calm.get('POST /api/v1/auth/login 500')! + 5);
  });
});
