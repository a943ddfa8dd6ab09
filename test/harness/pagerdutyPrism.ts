/**
 * PagerDuty's official OpenAPI spec served by Prism, behind the HTTPS front, for the PagerDuty suite.
 * Prism starts in about 4.5 s and takes about 200 MB, so a suite starts it once. Prism is an npm
 * devDependency and openssl is part of the machine image: under CI=true a missing one fails the run,
 * elsewhere the suite is skipped with the reason (requireTool).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createPagerDutySources,
  type PagerDutyOptions,
  type PagerDutySources,
} from '../../src/sources/pagerduty/index.js';
import { expect } from 'vitest';
import { makeCertificate, startPagerDutyFront, type FrontRecord, type PagerDutyFront } from './pagerdutyFront.js';
import { haveCommand, requireTool, startServer, type RunningServer } from './servers.js';

export const PRISM_BIN = fileURLToPath(new URL('../../node_modules/.bin/prism', import.meta.url));
export const PAGERDUTY_SPEC = process.env.PAGERDUTY_OPENAPI ?? '/work/shared/pagerduty/openapiv3.json';
/** A fake token; tests assert it never shows up in an error. */
export const TEST_TOKEN = 'u+TESTtokenNEVERshown';
export const TEST_FROM = 'oncall@vitascope.example';

/** Why the suite cannot run, or undefined. Throws under CI=true. */
export function pagerDutySkipReason(): string | undefined {
  return (
    requireTool('Prism (@stoplight/prism-cli)', existsSync(PRISM_BIN), 'it is an npm devDependency: run npm install') ??
    requireTool(
      "PagerDuty's OpenAPI spec",
      existsSync(PAGERDUTY_SPEC),
      `expected at ${PAGERDUTY_SPEC} (or set PAGERDUTY_OPENAPI)`,
    ) ??
    requireTool('openssl', haveCommand('openssl', ['version']), 'apt-get install openssl')
  );
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/priorities`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

export function startPrism(): Promise<RunningServer> {
  return startServer({
    name: 'prism',
    command: PRISM_BIN,
    args: (port) => ['mock', '-h', '127.0.0.1', '-p', String(port), PAGERDUTY_SPEC],
    ready: answers,
    timeoutMs: 45_000,
  });
}

export interface PagerDutyTestEnv {
  readonly prism: RunningServer;
  readonly front: PagerDutyFront;
  /** An adapter pointed at the front; closed with the environment. */
  sources(overrides?: PagerDutyOptions): PagerDutySources;
  /** Records made since `mark` (a length of front.records taken earlier). */
  since(mark: number): FrontRecord[];
  close(): Promise<void>;
}

export async function startPagerDutyEnv(): Promise<PagerDutyTestEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'vitascope-pd-'));
  const { key, cert } = makeCertificate(dir);
  const prism = await startPrism();
  const front = await startPagerDutyFront({ prismUrl: prism.url, key, cert });
  const opened: PagerDutySources[] = [];
  return {
    prism,
    front,
    sources(overrides = {}) {
      const s = createPagerDutySources({
        token: TEST_TOKEN,
        apiUrl: front.url,
        ca: front.ca,
        from: TEST_FROM,
        escalationPolicyId: 'PT20YPA',
        ...overrides,
      });
      opened.push(s);
      return s;
    },
    since: (mark) => front.records.slice(mark),
    async close() {
      await Promise.all(opened.map((s) => s.close()));
      await front.close();
      await prism.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A line per request that Prism (or the front) found invalid; empty when all were valid. */
export function invalidRequests(records: readonly FrontRecord[]): string[] {
  return records
    .filter((r) => r.requestViolations.length > 0)
    .map(
      (r) =>
        `${r.method} ${r.path}?${r.query.toString()} → ${r.requestViolations.map((v) => `${v.location.join('.')}: ${v.message}`).join('; ')}`,
    );
}

/** Runs fn, asserts that every request it made was valid by the spec, and returns them with its result. */
export async function expectValid<T>(
  env: PagerDutyTestEnv,
  fn: () => Promise<T>,
): Promise<{ result: T; calls: FrontRecord[] }> {
  const mark = env.front.records.length;
  const result = await fn();
  const calls = env.since(mark);
  expect(invalidRequests(calls)).toEqual([]);
  return { result, calls };
}
