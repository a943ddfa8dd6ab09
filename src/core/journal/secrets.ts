/**
 * The secret guard: the one rule set for secrets, used before the journal stores anything, by report
 * redaction (reports/redact.ts) and by everything that leaves the machine (notes mirrored to PagerDuty).
 * Secrets (tokens, keys, passwords) must never be stored or sent: command output, notes and error
 * messages are free text that a responder or a tool may paste a credential into, and the journal
 * outlives the shift, is read by reports and is mirrored to PagerDuty. Every string of an event's
 * payload (and an incident's title) passes through redactSecrets() before it is written.
 *
 * Three layers, in order:
 * 1. the program's own secrets, by value, whatever their shape: the configured PagerDuty, Prometheus
 *    and Alertmanager tokens, passwords in configured URLs, AWS secret keys and session tokens from the
 *    environment (rememberSecrets(), called when the configuration is read);
 * 2. shapes: well-known token formats (AWS key ids, PagerDuty user and scoped tokens, JWTs, GitHub,
 *    Slack, Google, Stripe, npm), Authorization headers and bearer tokens, credentials in URLs, and
 *    `name=value` / `name: value` pairs whose name says "secret";
 * 3. entropy: a random-looking run (upper and lower case and digits, high entropy, case changing often)
 *    within a few words after a key word (key, secret, token, password, credential, aws, pagerduty,
 *    bearer, auth) — an AWS secret access key or an API key pasted into prose — and, on its own, one of
 *    exactly the shape of a classic PagerDuty REST key (20 such characters).
 *
 * This is a guard against the obvious, not a proof: a secret that is not ours, has no recognisable shape,
 * no telling word before it and does not look random is not caught. Patterns are anchored so that the
 * identifiers an on-call engineer needs (ARNs, task definitions, commit SHAs, UUIDs, incident ids,
 * timestamps) stay readable.
 */

export const REDACTED = '[REDACTED]';

interface Rule {
  readonly name: string;
  readonly pattern: RegExp;
  /** The replacement; by default the whole match becomes REDACTED. */
  readonly replace?: (match: string, ...groups: string[]) => string;
}

// Names that, followed by `=` or `:`, introduce a secret value. Matched case-insensitively, also inside
// longer names (AWS_SECRET_ACCESS_KEY, x-api-key, db_password, PAGERDUTY_TOKEN).
// Affixes are bounded and the name must start where a name can start, so that a long run of letters
// (64 KiB of output) costs linear time, not quadratic.
const NAME_CORE =
  '[a-z0-9_.-]{0,40}(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth[_-]?token|session[_-]?key|routing[_-]?key|integration[_-]?key)[a-z0-9_.-]{0,40}';
const SECRET_NAME = `(?:(?<![a-z0-9_.-])${NAME_CORE})`;

const RULES: readonly Rule[] = [
  // PEM private keys, whole block (or to the end of the text when truncated).
  {
    name: 'private key',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  },
  // HTTP Authorization headers: Bearer/Basic/Token schemes (PagerDuty's is `Token token=…`).
  {
    name: 'authorization header',
    pattern: /\b(authorization\s*[:=]\s*"?)(?:bearer|basic|token|digest)?\s*(?:token=)?[^\s",;]+/gi,
    replace: (_m, prefix) => `${prefix}${REDACTED}`,
  },
  {
    name: 'bearer token',
    pattern: /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
    replace: (_m, prefix) => `${prefix}${REDACTED}`,
  },
  {
    name: 'pagerduty token',
    pattern: /\b(token\s+token=)[^\s",;]+/gi,
    replace: (_m, prefix) => `${prefix}${REDACTED}`,
  },
  // Credentials inside URLs: scheme://user:password@host.
  {
    name: 'url password',
    pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@]{1,256}:)[^\s@/]{1,256}@/gi,
    replace: (_m, prefix) => `${prefix}${REDACTED}@`,
  },
  // JSON / YAML / env / CLI flag forms: "password": "x", password=x, --token x, API_KEY: x.
  {
    name: 'named secret (quoted)',
    pattern: new RegExp(`(["']?${SECRET_NAME}["']?\\s*[:=]\\s*)(["'])(?:(?!\\2).)+\\2`, 'gi'),
    replace: (_m, prefix, quote) => `${prefix}${quote}${REDACTED}${quote}`,
  },
  {
    name: 'named secret',
    // `name=value`, `name: value` and `"name": value`; a bare `name:value` is left alone so that ARNs
    // (arn:aws:secretsmanager:…) and actions (secretsmanager:GetSecretValue) stay readable.
    pattern: new RegExp(
      `(${SECRET_NAME}(?:["']\\s*:\\s*|\\s*=\\s*|\\s*:\\s+))(?!\\[REDACTED\\])[^\\s"',;&{}[\\]()]+`,
      'gi',
    ),
    replace: (_m, prefix) => `${prefix}${REDACTED}`,
  },
  {
    name: 'secret flag',
    pattern: new RegExp(`(--${NAME_CORE}\\s+)(?!\\[REDACTED\\])[^\\s"'-][^\\s"']*`, 'gi'),
    replace: (_m, prefix) => `${prefix}${REDACTED}`,
  },
  // Well-known token formats, wherever they appear.
  { name: 'aws access key id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b/g },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { name: 'github token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/g },
  { name: 'slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { name: 'slack webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g },
  { name: 'google api key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: 'stripe key', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
  { name: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  // PagerDuty user API tokens (u+…) and the newer scoped tokens (pdus+_0X…).
  { name: 'pagerduty user token', pattern: /(?<![A-Za-z0-9+])u\+[A-Za-z0-9_+-]{16,64}(?![A-Za-z0-9_+-])/g },
  { name: 'pagerduty scoped token', pattern: /(?<![A-Za-z0-9])pd[a-z]{2,4}\+_[A-Za-z0-9_+-]{16,}/g },
];

// ---- 1. the program's own secrets, by value ----

/** Shorter values are not remembered: replacing every "test" or "admin" would garble text, not protect it. */
export const MIN_KNOWN_SECRET = 8;
const known = new Set<string>();
let knownSorted: string[] = [];

/**
 * Remembers the program's own secrets (from the configuration and the environment) so that they are
 * redacted wherever they appear, whatever their shape. Values shorter than MIN_KNOWN_SECRET, and a
 * value that is one plain word (a variable set to "password" or "changeme"), are ignored: replacing
 * that word everywhere would garble every text without protecting anything.
 */
export function rememberSecrets(values: Iterable<string | undefined>): void {
  let added = false;
  for (const raw of values) {
    const v = raw?.trim();
    if (!v || v.length < MIN_KNOWN_SECRET || /^[A-Za-z]+$/.test(v)) continue;
    for (const form of new Set([v, encodeURIComponent(v)])) {
      if (!known.has(form)) {
        known.add(form);
        added = true;
      }
    }
  }
  // Longest first, so that a secret containing another is replaced whole.
  if (added) knownSorted = [...known].sort((a, b) => b.length - a.length);
}

/** Forgets every remembered secret (tests, and a process that reloads its configuration). */
export function forgetSecrets(): void {
  known.clear();
  knownSorted = [];
}

function redactKnown(text: string): string {
  let out = text;
  for (const v of knownSorted) if (out.includes(v)) out = out.split(v).join(REDACTED);
  return out;
}

// ---- 3. random-looking runs after a key word ----

// The word must start a word; "key" and "aws" are short but only count with a random run close after.
const KEY_WORD =
  /(?<![A-Za-z0-9])(?:secret|token|password|passwd|passphrase|pwd|credentials?|api[\s_-]?key|apikey|access[\s_-]?key|private[\s_-]?key|key|aws|pagerduty|bearer|auth(?:orization)?)/gi;
/** How far after a key word (on the same line) a random run counts as its value. */
const NEAR_CHARS = 48;
// A run of key characters, not glued to more of them (nor to a dotted name: host.example, v1.2.3).
const RUN = /(?<![A-Za-z0-9+/=_-])(?<![A-Za-z0-9]\.)[A-Za-z0-9+/=_-]{16,256}(?![A-Za-z0-9+/=_-])(?!\.[A-Za-z0-9])/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

function classOf(ch: string): number {
  return /[A-Z]/.test(ch) ? 0 : /[a-z]/.test(ch) ? 1 : /[0-9]/.test(ch) ? 2 : 3;
}

/** The share of characters in runs of three or more letters of one case: high for names made of words (HighLatency), low for generated keys. */
function wordShare(run: string): number {
  let inWords = 0;
  for (const m of run.matchAll(/[a-z]{3,}|[A-Z]{3,}/g)) inWords += m[0].length;
  return inWords / run.length;
}

/**
 * Whether a run looks generated rather than written: upper and lower case and digits, a high entropy
 * per character, the character class changing often and few runs of letters (words, even CamelCase
 * ones like GetMetricDataV2Request, change class rarely and are mostly letter runs).
 */
export function looksRandom(run: string, minChange = 0.4): boolean {
  if (!/[A-Z]/.test(run) || !/[a-z]/.test(run) || !/[0-9]/.test(run) || UUID.test(run)) return false;
  let changes = 0;
  for (let i = 1; i < run.length; i++) if (classOf(run[i]!) !== classOf(run[i - 1]!)) changes += 1;
  return changes / (run.length - 1) >= minChange && entropy(run) >= 3.3 && wordShare(run) < 0.6;
}

/**
 * A classic PagerDuty REST API key: 20 characters of letters, digits, _, + and -, looking random (an
 * alarm or metric name of exactly that length, made of words, stays readable).
 */
function classicPagerDutyKey(run: string): boolean {
  return run.length === 20 && /^[A-Za-z0-9_+-]+$/.test(run) && looksRandom(run, 0.45) && entropy(run) >= 3.6;
}

/** An AWS secret access key: 40 characters of base64 (no padding). */
function awsSecretKey(run: string): boolean {
  return (
    run.length === 40 && /^[A-Za-z0-9/+]+$/.test(run) && /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9/+]/.test(run)
  );
}

function redactRandomRuns(text: string): string {
  const ends: number[] = [];
  KEY_WORD.lastIndex = 0;
  for (const m of text.matchAll(KEY_WORD)) ends.push(m.index + m[0].length);
  let k = 0;
  RUN.lastIndex = 0;
  return text.replace(RUN, (run: string, offset: number) => {
    // The last key word ending before this run (both lists are in text order).
    while (k < ends.length && ends[k]! <= offset) k += 1;
    const end = k > 0 ? ends[k - 1]! : -1;
    const near = end >= 0 && offset - end <= NEAR_CHARS && !text.slice(end, offset).includes('\n');
    if (near && (awsSecretKey(run) || looksRandom(run))) return REDACTED;
    if (classicPagerDutyKey(run)) return REDACTED;
    return run;
  });
}

/** The text with every recognisable secret replaced by [REDACTED]. */
export function redactSecrets(text: string): string {
  let out = redactKnown(text);
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    out = rule.replace
      ? out.replace(rule.pattern, rule.replace as (m: string, ...g: string[]) => string)
      : out.replace(rule.pattern, REDACTED);
  }
  return redactRandomRuns(out);
}

const SECRET_KEY = new RegExp(`^${NAME_CORE}$`, 'i');

/** Whether an object key names a secret (token, apiKey, db_password, …): its string value is dropped whole. */
export function isSecretName(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * A copy of a JSON-like value with redactSecrets() applied to every string in it. A string (or number)
 * stored under a key that names a secret ({ token: "…" }) is replaced whole, whatever its shape.
 */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretName(k) && (typeof v === 'string' || typeof v === 'number') ? REDACTED : redactDeep(v);
    }
    return out as T;
  }
  return value;
}

// ---- URLs ----

const MASK = '********';
const SECRET_QUERY =
  /^(?:sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|code|auth|key|access_token|api_key|apikey|token|pass|password|pwd)$/i;

/** Whether a URL query parameter's name says its value is a secret (token, api_key, X-Amz-Signature, …). */
function secretQueryName(name: string): boolean {
  return SECRET_QUERY.test(name) || isSecretName(name);
}

function parseUrl(text: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim())) return undefined;
  try {
    return new URL(text.trim());
  } catch {
    return undefined;
  }
}

function queryPairs(search: string): { raw: string; name: string; value: string }[] {
  return search
    .replace(/^\?/, '')
    .split('&')
    .filter(Boolean)
    .map((raw) => {
      const eq = raw.indexOf('=');
      const decode = (s: string) => {
        try {
          return decodeURIComponent(s.replace(/\+/g, ' '));
        } catch {
          return s;
        }
      };
      return { raw, name: decode(eq < 0 ? raw : raw.slice(0, eq)), value: eq < 0 ? '' : decode(raw.slice(eq + 1)) };
    });
}

/**
 * A URL as it may be shown: the password of its userinfo (or a userinfo that is only a name, which is
 * then usually a token) and the values of secret-looking query parameters replaced by ********. Text
 * that is not a URL is returned as it is.
 */
export function maskUrl(text: string): string {
  const u = parseUrl(text);
  if (!u) return text;
  const userinfo = u.password ? `${u.username}:${MASK}@` : u.username ? `${MASK}@` : '';
  const pairs = queryPairs(u.search);
  const query = pairs.length
    ? `?${pairs.map((p) => (secretQueryName(p.name) && p.value ? `${p.raw.slice(0, p.raw.indexOf('='))}=${MASK}` : p.raw)).join('&')}`
    : u.search;
  return `${u.protocol}//${userinfo}${u.host}${
    u.pathname === '/' &&
    !text
      .trim()
      .replace(/[?#].*$/, '')
      .endsWith('/')
      ? ''
      : u.pathname
  }${query}${u.hash}`;
}

/** The secrets a URL carries: its userinfo's password (or lone name) and secret-looking query values. */
export function urlSecrets(text: string): string[] {
  const u = parseUrl(text);
  if (!u) return [];
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const out = u.password ? [decode(u.password)] : u.username ? [decode(u.username)] : [];
  for (const p of queryPairs(u.search)) if (secretQueryName(p.name) && p.value) out.push(p.value);
  return out;
}
