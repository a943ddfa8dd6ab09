/**
 * Whether a source failed to answer as a server should (unreachable, past its deadline, a 5xx or 429, a
 * malformed answer), as opposed to answering "no" (credentials, permissions). `doctor` exits 4 for the
 * first kind, 1 for the second. Told from the errors' tags (class names, HTTP status, errno, the
 * adapters' `malformed` and `errorType`), never from their text.
 */
import { DeadlineError } from './deadlines.js';

/** Whether an error says the source did not answer properly (see doctor's Check.sourceFailed). */
export function didNotAnswer(error: unknown): boolean {
  if (error instanceof DeadlineError) return true;
  const e = error as {
    name?: string;
    code?: string;
    status?: number;
    malformed?: boolean;
    errorType?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: unknown;
    cause?: unknown;
  };
  if (e?.name === 'HttpApiError')
    return (
      e.status === undefined ||
      e.status >= 500 ||
      e.status === 429 ||
      e.errorType === 'malformed' ||
      e.errorType === 'timeout'
    );
  if (e?.name === 'PagerDutyError')
    return e.malformed === true || e.status === undefined || e.status >= 500 || e.status === 429;
  // The AWS SDK: aborted or timed out, a connection that failed, a 5xx or throttling, or an answer it could not read.
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.name === 'SyntaxError') return true;
  if (
    e?.code &&
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH)$/.test(e.code)
  )
    return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e?.$response !== undefined && status !== undefined && status < 300) return true; // deserialisation failed on a 2xx
  return e?.cause !== undefined && e.cause !== error ? didNotAnswer(e.cause) : false;
}
