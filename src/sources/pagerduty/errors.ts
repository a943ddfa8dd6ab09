/**
 * The adapter's error: it carries the HTTP status so that the live model can tell throttling (429,
 * recognised by isThrottling) from other failures, and it never carries the token.
 */

export class PagerDutyError extends Error {
  override readonly name = 'PagerDutyError';
  /** The HTTP status PagerDuty answered with, when it answered. */
  readonly status?: number;
  /** PagerDuty's own error code (error.code in its error body). */
  readonly code?: number;
  /** For 429: how long PagerDuty asked us to wait, when it said. */
  readonly retryAfterMs?: number;
  /** The answer came but did not hold what the product needs (not JSON, a required field missing). */
  readonly malformed?: boolean;

  constructor(
    message: string,
    details: { status?: number; code?: number; retryAfterMs?: number; malformed?: boolean } = {},
  ) {
    super(message);
    if (details.malformed) this.malformed = true;
    if (details.status !== undefined) this.status = details.status;
    if (details.code !== undefined) this.code = details.code;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** The message of PagerDuty's error body: { error: { message, code, errors: [...] } }. */
export function describeErrorBody(body: unknown): { message?: string; code?: number } {
  const error = (body as { error?: { message?: unknown; code?: unknown; errors?: unknown } } | undefined)?.error;
  if (!error || typeof error !== 'object') return {};
  const parts: string[] = [];
  if (typeof error.message === 'string' && error.message) parts.push(error.message);
  if (Array.isArray(error.errors)) {
    const details = error.errors.filter((e): e is string => typeof e === 'string' && e.length > 0);
    if (details.length > 0) parts.push(details.join('; '));
  }
  return {
    message: parts.length > 0 ? parts.join(': ') : undefined,
    code: typeof error.code === 'number' ? error.code : undefined,
  };
}

/** Removes every occurrence of a secret from a text (defence in depth: messages are built without it). */
export function scrub(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join('***') : text;
}
