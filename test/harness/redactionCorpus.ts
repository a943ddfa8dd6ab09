/**
 * The redaction corpus: text a responder or a tool may paste into a note or a command's output, each
 * with the part that must never be stored (secrets) or leave the machine (secrets and personal data),
 * and near misses — ordinary operational text that looks a little like them and must stay as it is.
 * Used by the unit tests (the rule set, the journal read back from SQLite, the reports) and by the
 * PagerDuty suite (what Prism receives as notes).
 */

export interface Planted {
  /** The text as pasted. */
  readonly text: string;
  /** What must not survive (a substring of text). */
  readonly value: string;
  readonly why: string;
}

/**
 * The program's own configured secret, of no recognisable shape (a passphrase-like token): only the
 * by-value rule can catch it. Tests remember it with rememberSecrets(), as readConfig does.
 */
export const CONFIGURED_SECRET = 'correct-horse-battery-staple-4417';

export const SECRETS: readonly Planted[] = [
  {
    text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    why: 'AWS secret key, named',
  },
  {
    text: 'the aws secret is qL8vX2mN9pR4tY7wZ1aB3cD5eF6gH0jK2lM4nP6r, rotate it',
    value: 'qL8vX2mN9pR4tY7wZ1aB3cD5eF6gH0jK2lM4nP6r',
    why: 'AWS secret key in prose, 40 base64 near aws/secret',
  },
  {
    text: 'AWS key pair AKIAIOSFODNN7EXAMPLE / Kq9+eJ2tR7xW4mZ8nB3vC6yU1pL5oI0aS7dF9gH2',
    value: 'Kq9+eJ2tR7xW4mZ8nB3vC6yU1pL5oI0aS7dF9gH2',
    why: 'AWS secret key after its key id',
  },
  { text: 'key AKIAIOSFODNN7EXAMPLE used from 203.0.113.45', value: 'AKIAIOSFODNN7EXAMPLE', why: 'AWS access key id' },
  { text: 'session ASIAY34FZKBOKMUTVV7A expired', value: 'ASIAY34FZKBOKMUTVV7A', why: 'AWS temporary key id' },
  {
    text: 'pasted y_NbAkKc66ryYTWUXYEu by mistake',
    value: 'y_NbAkKc66ryYTWUXYEu',
    why: 'classic 20-character PagerDuty key, bare',
  },
  { text: 'PagerDuty key: e+9ZpxR2sHx_ssDKBZ8S', value: 'e+9ZpxR2sHx_ssDKBZ8S', why: 'classic PagerDuty key, named' },
  {
    text: 'my user token u+ePXPGEdjc5Tq3HZ5PQ works',
    value: 'u+ePXPGEdjc5Tq3HZ5PQ',
    why: 'PagerDuty user token (u+…)',
  },
  {
    text: 'new scoped token pdus+_0XBPWCPdd7KNqBqhsi9TJbxz9LEZQjQgMvrTw9Sy7XcCb4HtNCiGGgx1fPbXJ in the vault',
    value: 'pdus+_0XBPWCPdd7KNqBqhsi9TJbxz9LEZQjQgMvrTw9Sy7XcCb4HtNCiGGgx1fPbXJ',
    why: 'PagerDuty scoped token (pdus+_0X…)',
  },
  {
    text: 'curl -H "Authorization: Bearer abcDEF123ghiJKL456mno" https://api.internal',
    value: 'abcDEF123ghiJKL456mno',
    why: 'bearer token in a header',
  },
  {
    text: 'Authorization: Token token=Zq81kQp0LmN3vB7cT2yR',
    value: 'Zq81kQp0LmN3vB7cT2yR',
    why: "PagerDuty's Authorization header",
  },
  {
    text: 'sent bearer 9f8e7d6c5b4a39281706fAbCdEf in the request',
    value: '9f8e7d6c5b4a39281706fAbCdEf',
    why: 'bearer token in prose',
  },
  {
    text: 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    value: 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    why: 'JWT',
  },
  { text: 'password=hunter2hunter2', value: 'hunter2hunter2', why: 'password=…' },
  { text: 'db "password": "s3cr3t p4ss phrase"', value: 's3cr3t p4ss phrase', why: 'quoted password in JSON' },
  { text: 'DB_PASSWORD: plainwords', value: 'plainwords', why: 'env-style password' },
  { text: 'postgres://app:Tr0ub4dor3xyz@db.internal:5432/vitascope', value: 'Tr0ub4dor3xyz', why: 'password in a URL' },
  {
    text: 'GET https://prom.internal/api/v1/query?query=up&token=abcd1234efgh5678',
    value: 'abcd1234efgh5678',
    why: 'token in a URL query',
  },
  {
    text: 'the api token Zx81kQp0LmN3vB7cT2yR9wE4 leaked',
    value: 'Zx81kQp0LmN3vB7cT2yR9wE4',
    why: 'random run after a key word',
  },
  {
    text: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789 in CI',
    value: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    why: 'GitHub token',
  },
  { text: 'slack xoxb-123456789012-abcdefghij', value: 'xoxb-123456789012-abcdefghij', why: 'Slack token' },
  { text: 'stripe sk_live_abcdefghijklmnop1234', value: 'sk_live_abcdefghijklmnop1234', why: 'Stripe key' },
  {
    text: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
    value: 'MIIEowIBAAKCAQEA',
    why: 'PEM private key',
  },
  {
    text: `the PagerDuty token from config is ${CONFIGURED_SECRET}, oops`,
    value: CONFIGURED_SECRET,
    why: "the program's own configured token, by value",
  },
  {
    text: `url-encoded in a link: https://x.example/?q=${encodeURIComponent(CONFIGURED_SECRET)}`,
    value: CONFIGURED_SECRET,
    why: 'configured token, encoded',
  },
];

export const PERSONAL: readonly Planted[] = [
  { text: 'call back on 09012345678 please', value: '09012345678', why: 'Japanese mobile, unseparated' },
  { text: 'office 03(1234)5678 ext 2', value: '03(1234)5678', why: 'Japanese landline, local part in parentheses' },
  { text: 'reach him at +81 90-1234-5678', value: '90-1234-5678', why: 'international form' },
  { text: 'or +819012345678', value: '819012345678', why: 'international, unseparated' },
  { text: '電話 ０９０−１２３４−５６７８ まで', value: '１２３４−５６７８', why: 'full-width digits and minus sign' },
  { text: '代表 ０３（１２３４）５６７８', value: '５６７８', why: 'full-width parentheses' },
  { text: 'landline 03-1234-5678 or (03) 1234-5679', value: '1234-567', why: 'Japanese landline forms' },
  { text: 'US support (415) 555-0100', value: '555-0100', why: 'North American' },
  { text: 'reporter aiko.tanaka@vitascope.example', value: 'aiko.tanaka@vitascope.example', why: 'e-mail' },
  { text: 'patient usr_8f3k2j9d cannot sync', value: 'usr_8f3k2j9d', why: 'end-user id' },
  { text: 'glucose 180 mg/dL at noon', value: '180 mg/dL', why: 'health value' },
];

/** Ordinary operational text that must come through every rule unchanged. */
export const NEAR_MISSES: readonly string[] = [
  'at 2026-01-05T10:15:03Z (2026-01-05 10:15 JST), epoch 1767577200000, 1767577200 s',
  'CPU 93.5 % ≥ 90 %, p95 1200 ms, 1,234 req/min, queue 1500 msgs, +12.5 % since 05-01-2026',
  'incident PSB1001 (#1042) PABC123 PUAIKO Q1W2E3R4T5Y6U7I8O9P0 escalated to level 2',
  'arn:aws:ecs:ap-northeast-1:123456789012:service/vitascope-cluster/vitascope-api',
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-pass denied secretsmanager:GetSecretValue',
  'vitascope-api:42 rolled back to vitascope-api:41; commit 3f2a9c0d1e2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d',
  'request id 3f2a9c0d-1e2b-4c3d-8e5f-6a7b8c9d0e1f task i-0123456789abcdef0 account 123456789012',
  'blocked 203.0.113.45 and 2001:db8::7; prometheus at 127.0.0.1:9090, version 1.2.3',
  'the token bucket refilled; api key rotation is scheduled; key metrics: CPUUtilization MemoryUtilization',
  'DescribeAlarmHistory GetMetricDataV2Request vitascope-api-high-cpu-critical window 12:30-13:45',
  'aws ecs update-service --cluster vitascope-cluster --service vitascope-api --desired-count 6',
  'seq 00012345, retry 3 times in 60s, 12 connections/min, heartbeat OK',
];
