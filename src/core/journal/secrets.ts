/**
 * The journal's secret guard. Secrets (tokens, keys, passwords) must never be stored: command output,
 * notes and error messages are free text that a responder or a tool may paste a credential into, and the
 * journal outlives the shift, is read by reports and is mirrored to PagerDuty. Every string of an event's
 * payload (and an incident's title) passes through redactSecrets() before it is written.
 *
 * This is a guard against the obvious, not a proof: it recognises well-known token formats and
 * `name=value` / `name: value` pairs whose name says "secret". A secret with no recognisable shape and no
 * telling name (a bare random string in prose) is not caught. Patterns are prefix- or context-anchored so
 * that the identifiers an on-call engineer needs (ARNs, task definitions, commit SHAs, incident ids) stay
 * readable.
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
  { name: 'private key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g },
  // HTTP Authorization headers: Bearer/Basic/Token schemes (PagerDuty's is `Token token=…`).
  {
    name: 'authorization header',
    pattern: /\b(authorization\s*[:=]\s*"?)(?:bearer|basic|token|digest)?\s*(?:token=)?[^\s",;]+/gi,
    replace: (_m, prefix) => `${prefix}${REDACTED}`,
  },
  { name: 'bearer token', pattern: /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: (_m, prefix) => `${prefix}${REDACTED}` },
  { name: 'pagerduty token', pattern: /\b(token\s+token=)[^\s",;]+/gi, replace: (_m, prefix) => `${prefix}${REDACTED}` },
  // Credentials inside URLs: scheme://user:password@host.
  { name: 'url password', pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@]{1,256}:)[^\s@/]{1,256}@/gi, replace: (_m, prefix) => `${prefix}${REDACTED}@` },
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
    pattern: new RegExp(`(${SECRET_NAME}(?:["']\\s*:\\s*|\\s*=\\s*|\\s*:\\s+))(?!\\[REDACTED\\])[^\\s"',;&{}[\\]()]+`, 'gi'),
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
];

/** The text with every recognisable secret replaced by [REDACTED]. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    out = rule.replace ? out.replace(rule.pattern, rule.replace as (m: string, ...g: string[]) => string) : out.replace(rule.pattern, REDACTED);
  }
  return out;
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
