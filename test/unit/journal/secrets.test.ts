import { describe, expect, it } from 'vitest';
import { redactDeep, redactSecrets } from '../../../src/core/journal/index.js';

describe('the journal secret guard', () => {
  it.each([
    ['password=hunter2', 'password=[REDACTED]'],
    ['DB_PASSWORD=hunter2 next', 'DB_PASSWORD=[REDACTED] next'],
    ['"password": "hunter 2"', '"password": "[REDACTED]"'],
    ["{'api_key':'abc123'}", "{'api_key':'[REDACTED]'}"],
    ['{"token":12345}', '{"token":[REDACTED]}'],
    ['PAGERDUTY_TOKEN: abc', 'PAGERDUTY_TOKEN: [REDACTED]'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = [REDACTED]'],
    ['--token abc123 --region ap-northeast-1', '--token [REDACTED] --region ap-northeast-1'],
    ['Authorization: Bearer eyJabc.def', 'Authorization: [REDACTED]'],
    ['authorization: Token token=y_NbAkKc66ryYTWUXYEu', 'authorization: [REDACTED]'],
    ['curl -H "Authorization: Basic dXNlcjpwYXNz" x', 'curl -H "Authorization: [REDACTED]" x'],
    ['postgres://app:s3cret@db:5432/x', 'postgres://app:[REDACTED]@db:5432/x'],
    ['key AKIAIOSFODNN7EXAMPLE used', 'key [REDACTED] used'],
    ['xoxb-123456789012-abcdefghij', '[REDACTED]'],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', '[REDACTED]'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', '[REDACTED]'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\nafter', '[REDACTED]\nafter'],
  ])('redacts %j', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it.each([
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-pass',
    'denied secretsmanager:GetSecretValue on api',
    'https://example.com/path?x=1',
    'task definition api:42, commit 3f2a9c0d1e2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d',
    'the token bucket refilled',
    'INC-1 PABC123 i-0123456789abcdef0',
  ])('keeps %j readable', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('drops values stored under secret-named keys whatever their shape', () => {
    expect(redactDeep({ service: 'api', apiToken: 'plain', nested: [{ password: 42, note: 'ok' }] })).toEqual({
      service: 'api',
      apiToken: '[REDACTED]',
      nested: [{ password: '[REDACTED]', note: 'ok' }],
    });
  });

  it('stays linear on long output', () => {
    const start = performance.now();
    for (const big of [
      'x'.repeat(65_536),
      'a.'.repeat(32_768),
      'a:'.repeat(32_768),
      '--token '.repeat(8_000),
      'x://a:'.repeat(10_000),
    ])
      redactSecrets(big);
    expect(performance.now() - start).toBeLessThan(1_000);
  });
});
