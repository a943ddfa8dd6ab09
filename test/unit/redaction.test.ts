/**
 * The redaction corpus (test/harness/redactionCorpus.ts) through the one rule set, wherever text is
 * kept or sent: the secret guard, the report redactor, the outgoing function (notes to PagerDuty, a
 * future team server), the journal as read back from its SQLite file, and the reports built from it.
 * Near misses (timestamps, counts, ARNs, ids, dates) must come through unchanged everywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forgetSecrets,
  looksRandom,
  maskUrl,
  redactSecrets,
  rememberSecrets,
  urlSecrets,
} from '../../src/core/journal/secrets.js';
import { createRedactor, noRedaction, redactOutgoing } from '../../src/core/reports/redact.js';
import { produceIncidentReport } from '../../src/core/reports/index.js';
import { configuredSecrets } from '../../src/config/secrets.js';
import { CONFIGURED_SECRET, NEAR_MISSES, PERSONAL, SECRETS } from '../harness/redactionCorpus.js';
import { tempDir, tempJournal } from './journal/helpers.js';
import { context, fakeSources } from './reports/fixtures.js';

beforeAll(() => rememberSecrets([CONFIGURED_SECRET]));
afterAll(() => forgetSecrets());

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

describe('the secret guard', () => {
  it.each(SECRETS.map((s) => [s.why, s] as const))('removes %s', (_why, s) => {
    const out = redactSecrets(s.text);
    expect(out).not.toContain(s.value);
    expect(out).toContain('[REDACTED]');
  });

  it.each(NEAR_MISSES)('keeps %j', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('remembers only values long enough to be secrets, and forgets them on request', () => {
    rememberSecrets(['test', 'short', undefined, '', 'password', 'changeme']);
    expect(redactSecrets('a test of short words; the password field; changeme')).toBe(
      'a test of short words; the password field; changeme',
    );
    rememberSecrets(['Zebra-Crossing-Quietly']);
    expect(redactSecrets('x Zebra-Crossing-Quietly y')).toBe('x [REDACTED] y');
    forgetSecrets();
    expect(redactSecrets('x Zebra-Crossing-Quietly y')).toBe('x Zebra-Crossing-Quietly y');
    rememberSecrets([CONFIGURED_SECRET]);
  });

  it('tells generated runs from names', () => {
    for (const random of ['Zx81kQp0LmN3vB7cT2yR9wE4', 'y_NbAkKc66ryYTWUXYEu'])
      expect(looksRandom(random), random).toBe(true);
    for (const name of [
      'GetMetricDataV2Request',
      'CPUUtilization95th',
      '3f2a9c0d-1e2b-4c3d-8e5f-6a7b8c9d0e1f',
      'vitascope-api-prod-2026',
    ])
      expect(looksRandom(name), name).toBe(false);
  });
});

describe('what leaves the machine and what a report shows', () => {
  const everything = [...SECRETS, ...PERSONAL];

  it.each(everything.map((s) => [s.why, s] as const))('the report redactor and redactOutgoing remove %s', (_why, s) => {
    expect(createRedactor().text(s.text)).not.toContain(s.value);
    expect(redactOutgoing(s.text)).not.toContain(s.value);
  });

  it.each(NEAR_MISSES)('keep %j', (text) => {
    const r = createRedactor();
    expect(r.text(text)).toBe(text);
    expect(r.counts().total).toBe(0);
    expect(redactOutgoing(text)).toBe(text);
  });

  it('outgoing text is plain: escape sequences and bidi overrides shown, line breaks kept', () => {
    expect(redactOutgoing('rolled back\u001b[31m now\u0007\nline two\u202e\u009b2J')).toBe(
      'rolled back␛[31m now␇\nline two\\u202e\\u009b2J',
    );
    expect(redactOutgoing('mail aiko@example.com\tnow')).toBe('mail [REDACTED:email]\tnow');
  });

  it('--no-redact keeps personal data but never a secret', () => {
    const r = noRedaction();
    expect(r.text('aiko@example.com y_NbAkKc66ryYTWUXYEu')).toBe('aiko@example.com [REDACTED]');
    expect(r.deep({ a: [`token ${CONFIGURED_SECRET}`] })).toEqual({ a: ['token [REDACTED]'] });
  });
});

describe('the journal, read back from its SQLite file', () => {
  it('holds none of the secrets, in events, incident titles and follow-ups, on disk either', () => {
    const file = path.join(tempDir(), 'journal.db');
    const j = tempJournal({}, file);
    const who = { kind: 'local' as const, id: 'aiko', name: 'Aiko Tanaka' };
    const at = Date.UTC(2026, 0, 5, 10);
    j.upsertIncident({
      id: 'PCORPUS',
      title: `API down; key ${SECRETS[5]!.value}`,
      status: 'triggered',
      source: 'pagerduty',
      createdAt: at,
    });
    SECRETS.forEach((s, i) => {
      j.append({ kind: 'note', who, incidentId: 'PCORPUS', at: at + i, payload: { text: s.text } });
      j.append({
        kind: 'action.failed',
        who,
        incidentId: 'PCORPUS',
        at: at + i,
        payload: {
          runId: `r${i}`,
          actionId: 'command.run',
          target: 'aws',
          stage: 'apply',
          error: `exit 1: ${s.text}`,
          output: s.text,
        },
      });
    });
    j.addFollowUp({
      text: `rotate the aws secret ${SECRETS[0]!.value}`,
      owner: 'Kenji',
      who,
      incidentId: 'PCORPUS',
      at,
    });
    for (const text of NEAR_MISSES)
      j.append({ kind: 'note', who, incidentId: 'PCORPUS', at: at + 100, payload: { text } });
    j.close();

    const db = new Database(file, { readonly: true });
    try {
      const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
      const dump = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
      for (const s of SECRETS) expect(dump, s.why).not.toContain(JSON.stringify(s.value).slice(1, -1));
      expect(dump).toContain('[REDACTED]');
      for (const text of NEAR_MISSES) expect(dump).toContain(JSON.stringify(text).slice(1, -1));
    } finally {
      db.close();
    }
    // Not in the pages either (the WAL included): the secret never reached the disk.
    const bytes = fs
      .readdirSync(path.dirname(file))
      .map((f) => fs.readFileSync(path.join(path.dirname(file), f)).toString('latin1'))
      .join('');
    for (const s of SECRETS.filter((x) => /^[\x20-\x7e]+$/.test(x.value)))
      expect(bytes.includes(s.value), s.why).toBe(false);
  });
});

describe('reports', () => {
  it('an incident report, Markdown and JSON, shows none of the corpus and every near miss', async () => {
    const j = tempJournal();
    const who = { kind: 'local' as const, id: 'aiko', name: 'Aiko Tanaka' };
    const at = Date.UTC(2026, 0, 5, 10);
    j.upsertIncident({ id: 'PREPORT', title: 'API errors', status: 'triggered', source: 'pagerduty', createdAt: at });
    [...SECRETS, ...PERSONAL].forEach((s, i) =>
      j.append({ kind: 'note', who, incidentId: 'PREPORT', at: at + 1000 * i, payload: { text: s.text } }),
    );
    NEAR_MISSES.forEach((text, i) =>
      j.append({ kind: 'note', who, incidentId: 'PREPORT', at: at + 100_000 + i, payload: { text } }),
    );
    const ctx = context(j, fakeSources({ now: at + 3_600_000 }), at + 3_600_000);
    for (const format of ['md', 'json'] as const) {
      const produced = await produceIncidentReport(ctx, 'PREPORT', { lang: 'en', format, redact: true });
      const text = produced!.text;
      for (const s of [...SECRETS, ...PERSONAL]) expect(text, `${format}: ${s.why}`).not.toContain(s.value);
      expect(text).not.toMatch(CONTROL);
      if (format === 'json') {
        const notes = JSON.stringify(JSON.parse(text));
        for (const n of NEAR_MISSES) expect(notes, n).toContain(JSON.stringify(n).slice(1, -1));
      }
    }
    // Even with --no-redact, the secrets stay out.
    const raw = (await produceIncidentReport(ctx, 'PREPORT', { lang: 'en', format: 'json', redact: false }))!.text;
    for (const s of SECRETS) expect(raw, s.why).not.toContain(s.value);
    expect(raw).toContain('aiko.tanaka@vitascope.example');
  });
});

describe('the configuration', () => {
  it("collects the program's own secrets: tokens, passwords and query tokens in URLs, secret variables", () => {
    const found = configuredSecrets(
      {
        pagerduty: { token: 'pd-token-from-file' },
        prometheus: { url: 'https://admin:S3cretPass@prom.internal/?token=qtok12345678' },
        alertmanager: { token: 'am-token-xyz' },
      },
      {
        AWS_SECRET_ACCESS_KEY: 'aws-secret-value',
        GITHUB_TOKEN: 'gh-token-value',
        AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token',
        HOME: '/home/x',
      },
    );
    expect(found.sort()).toEqual(
      ['S3cretPass', 'am-token-xyz', 'aws-secret-value', 'gh-token-value', 'pd-token-from-file', 'qtok12345678'].sort(),
    );
  });

  it('shows URLs with userinfo and secret query values masked', () => {
    expect(maskUrl('https://admin:S3cret@prom.internal:9090/api?x=1&token=abc&api_key=k')).toBe(
      'https://admin:********@prom.internal:9090/api?x=1&token=********&api_key=********',
    );
    expect(maskUrl('https://ghp_TOKEN@github.com/org/repo')).toBe('https://********@github.com/org/repo');
    expect(maskUrl('https://prom.internal:9090')).toBe('https://prom.internal:9090');
    expect(maskUrl('https://prom.internal/')).toBe('https://prom.internal/');
    expect(maskUrl('not a url')).toBe('not a url');
    expect(urlSecrets('https://u:p%40ss@h/?sig=s1')).toEqual(['p@ss', 's1']);
  });
});
