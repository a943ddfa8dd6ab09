/** The sandbox's Prometheus exposition puts each scenario's traffic and failures on the endpoints they belong to. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';

const MIN = 60_000;

/** app_request_count by endpoint and status, summed over methods, at the scenario's minute. */
function counts(scenario: string, minutes: number): Map<string, number> {
  const sb = createSandbox({ seed: 1, scenario, speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: { id: 'u', name: 'T' }, frozen: true });
  const before = parse(sb.world.exposition.render(sb.now()));
  sb.advance(minutes * MIN);
  const after = parse(sb.world.exposition.render(sb.now()));
  return new Map([...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)]));
}

function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^app_request_count\{method="(\w+)",endpoint="([^"]+)",status_code="(\d+)"\} ([\d.]+)$/.exec(line);
    if (m) out.set(`${m[1]} ${m[2]} ${m[3]}`, Number(m[4]));
  }
  return out;
}

describe('the exposition by endpoint', () => {
  it('error-spike: the 500s are on GET /api/v1/users/me', () => {
    const c = counts('error-spike', 12);
    const me = c.get('GET /api/v1/users/me 500')!;
    const others = [...c].filter(([k]) => k.endsWith(' 500') && !k.startsWith('GET /api/v1/users/me ')).reduce((s, [, v]) => s + v, 0);
    expect(me).toBeGreaterThan(10 * others);
  });

  it('api-scraper: GET /api/v1/insights carries the scraper\'s calls', () => {
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
