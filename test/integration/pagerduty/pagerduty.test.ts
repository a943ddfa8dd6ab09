/**
 * The PagerDuty adapter against PagerDuty's official OpenAPI spec served by Prism, through an HTTPS
 * front that records Prism's verdict on every request. Prism starts once for the whole suite (about
 * 4.5 s, 200 MB); the cases live in the *.cases.ts files beside this one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  invalidRequests,
  pagerDutySkipReason,
  startPagerDutyEnv,
  TEST_FROM,
  type PagerDutyTestEnv,
} from '../../harness/pagerdutyPrism.js';
import { VENDOR_ACCEPT } from '../../harness/pagerdutyFront.js';
import { incidentCases } from './incidents.cases.js';
import { onCallCases } from './onCall.cases.js';
import { toleranceCases } from './tolerance.cases.js';
import { pagingCases } from './paging.cases.js';
import { rateLimitCases } from './rateLimit.cases.js';
import { faultCases } from './faults.cases.js';
import { redactionCases } from './redaction.cases.js';

const skip = pagerDutySkipReason();

describe.skipIf(skip !== undefined)("PagerDuty adapter against PagerDuty's OpenAPI spec (Prism)", () => {
  let env: PagerDutyTestEnv | undefined;
  const current = (): PagerDutyTestEnv => {
    if (!env) throw new Error('the Prism environment did not start');
    return env;
  };
  beforeAll(async () => {
    env = await startPagerDutyEnv();
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  describe('incidents', () => incidentCases(current));
  describe('on-call', () => onCallCases(current));
  describe('tolerance and errors', () => toleranceCases(current));
  describe('paging', () => pagingCases(current));
  describe('rate limit', () => rateLimitCases(current));
  describe('faults through the poller', () => faultCases(current));
  describe('redaction of what is sent', () => redactionCases(current));

  it('Prism accepted every request the adapter made, in every case above', () => {
    const adapterCalls = current().front.records.filter((r) => !r.probe);
    expect(adapterCalls.length).toBeGreaterThan(50);
    expect(invalidRequests(adapterCalls)).toEqual([]);
    expect(adapterCalls.every((r) => r.accept === VENDOR_ACCEPT)).toBe(true);
    // The adapter itself sends exactly application/json: the front never had to rewrite it.
    expect(adapterCalls.filter((r) => r.contentTypeRewritten)).toEqual([]);
    expect(adapterCalls.every((r) => r.authScheme === 'Token')).toBe(true);
    const writes = adapterCalls.filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThan(5);
    expect(writes.every((r) => r.from === TEST_FROM)).toBe(true);
    const endpoints = new Set(
      adapterCalls.map(
        (r) =>
          `${r.method} ${r.path.replace(/\/incidents\/[^/]+/, '/incidents/{id}').replace(/\/escalation_policies\/[^/]+/, '/escalation_policies/{id}')}`,
      ),
    );
    expect([...endpoints].sort()).toEqual([
      'GET /escalation_policies',
      'GET /escalation_policies/{id}',
      'GET /incidents',
      'GET /incidents/{id}',
      'GET /incidents/{id}/log_entries',
      'GET /incidents/{id}/notes',
      'GET /oncalls',
      'GET /priorities',
      'GET /schedules',
      'POST /incidents/{id}/notes',
      'POST /incidents/{id}/snooze',
      'PUT /incidents/{id}',
    ]);
  });
});
