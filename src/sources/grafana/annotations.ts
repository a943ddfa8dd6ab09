/**
 * Grafana's annotations API (POST /api/annotations with {time, tags, text}), and anything that speaks
 * it. The token (a Grafana service account token or API key) goes in `Authorization: Bearer`; it is
 * never part of an error message, even when the server echoes it back.
 */

import { DEFAULT_DEADLINES } from '../deadlines.js';

export interface Annotation {
  /** Epoch ms. */
  readonly time: number;
  /** Epoch ms; makes it a region annotation. */
  readonly timeEnd?: number;
  readonly tags: readonly string[];
  readonly text: string;
  readonly dashboardUID?: string;
}

export interface AnnotationResult {
  readonly status: number;
  /** Grafana's id of the new annotation, when it says. */
  readonly id?: number;
}

export class AnnotationError extends Error {
  override readonly name = 'AnnotationError';
}

/**
 * The endpoint for a URL: the URL itself when it has a path, else Grafana's /api/annotations under it
 * (so both https://grafana.example.com and https://grafana.example.com/api/annotations work).
 */
export function annotationsEndpoint(url: string): string {
  const u = new URL(url);
  if (u.pathname === '' || u.pathname === '/') u.pathname = '/api/annotations';
  return u.toString();
}

function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}

export async function postAnnotation(
  url: string,
  annotation: Annotation,
  options: { token?: string; timeoutMs?: number } = {},
): Promise<AnnotationResult> {
  const endpoint = annotationsEndpoint(url);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = JSON.stringify({
    ...(annotation.dashboardUID ? { dashboardUID: annotation.dashboardUID } : {}),
    time: annotation.time,
    ...(annotation.timeEnd !== undefined ? { timeEnd: annotation.timeEnd } : {}),
    tags: annotation.tags,
    text: annotation.text,
  });
  let res: Response;
  let text: string;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_DEADLINES.requestMs),
    });
    text = await res.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const why = (error as Error).name === 'TimeoutError' ? 'no answer in time' : (cause ?? (error as Error).message);
    throw new AnnotationError(redact(`cannot reach ${endpoint}: ${why}`, options.token));
  }
  if (res.status < 200 || res.status > 299) {
    const quoted = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new AnnotationError(
      redact(`${endpoint} answered HTTP ${res.status}${quoted ? `: ${quoted}` : ''}`, options.token),
    );
  }
  let id: number | undefined;
  try {
    const parsed = JSON.parse(text) as { id?: unknown };
    if (typeof parsed.id === 'number') id = parsed.id;
  } catch {
    // a compatible server need not answer JSON
  }
  return { status: res.status, ...(id !== undefined ? { id } : {}) };
}
