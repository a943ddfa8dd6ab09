/**
 * X-Ray segment documents (the JSON each service sends with PutTraceSegments) read into Spans. Parsed with
 * zod, tolerantly: only what a span needs is required (id, name, start_time); subsegments are flattened
 * with the enclosing span as their parent, iteratively and to a bounded depth and count, so a hostile
 * document can neither overflow the stack nor hold unbounded memory.
 */
import * as z from 'zod';
import type { Span } from '../logPorts.js';
import { boundMessage } from './logText.js';

/** Spans kept per trace, and subsegment nesting followed. */
export const MAX_SPANS_PER_TRACE = 5_000;
export const MAX_SUBSEGMENT_DEPTH = 32;
/** Bytes of an operation's text (a SQL statement, a URL path). */
export const MAX_OPERATION_BYTES = 256;

const http = z
  .object({
    request: z.object({ method: z.string().optional(), url: z.string().optional() }).partial().loose().optional(),
    response: z.object({ status: z.number().int().optional() }).partial().loose().optional(),
  })
  .partial()
  .loose();

/** One segment or subsegment; subsegments are kept as unknown and parsed one by one. */
const segmentDoc = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string(),
    start_time: z.number(),
    end_time: z.number().optional(),
    in_progress: z.boolean().optional(),
    parent_id: z.string().max(64).optional(),
    trace_id: z.string().optional(),
    error: z.boolean().optional(),
    fault: z.boolean().optional(),
    throttle: z.boolean().optional(),
    namespace: z.string().optional(),
    http: http.optional(),
    sql: z.object({ sanitized_query: z.string().optional(), url: z.string().optional() }).partial().loose().optional(),
    aws: z.object({ operation: z.string().optional() }).partial().loose().optional(),
    subsegments: z.array(z.unknown()).optional(),
  })
  .loose();

type SegmentDoc = z.infer<typeof segmentDoc>;

/** The path of a URL without its query (which can carry tokens or personal data), or the host for a remote call. */
function urlPart(url: string | undefined, part: 'path' | 'host'): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url, 'http://unknown.invalid');
    return part === 'host' ? (u.host === 'unknown.invalid' ? undefined : u.host) : u.pathname;
  } catch {
    return undefined;
  }
}

/** What a (sub)segment did, in words a person recognises. */
export function operationOf(doc: SegmentDoc, isSubsegment: boolean): string {
  let op: string;
  const method = doc.http?.request?.method;
  const url = doc.http?.request?.url;
  if (doc.sql) op = `SQL ${doc.sql.sanitized_query ?? doc.name}`;
  else if (doc.aws?.operation) op = `${doc.name} ${doc.aws.operation}`;
  else if (method && url)
    op = `${method.toUpperCase()} ${isSubsegment ? (urlPart(url, 'host') ?? urlPart(url, 'path')) : urlPart(url, 'path')}`;
  else op = doc.name;
  return boundMessage(op.replace(/\s+/g, ' ').trim(), MAX_OPERATION_BYTES).text;
}

/**
 * The spans of one segment document: the segment, then its subsegments (service = the segment's name,
 * parent = the enclosing span). undefined when the document is not a segment (not JSON, or without
 * id/name/start_time); a malformed subsegment is left out with its own subsegments.
 */
export function spansOfDocument(
  document: string,
  budget: { left: number } = { left: MAX_SPANS_PER_TRACE },
): Span[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(document);
  } catch {
    return undefined;
  }
  const root = segmentDoc.safeParse(json);
  if (!root.success) return undefined;
  const service = boundMessage(root.data.name, MAX_OPERATION_BYTES).text;
  const spans: Span[] = [];
  const stack: { raw: unknown; parentId?: string; depth: number; isSub: boolean }[] = [
    { raw: json, parentId: root.data.parent_id, depth: 0, isSub: false },
  ];
  while (stack.length > 0 && budget.left > 0) {
    const item = stack.pop()!;
    const parsed = item.depth === 0 ? root : segmentDoc.safeParse(item.raw);
    if (!parsed.success) continue;
    const doc = parsed.data;
    const start = Math.round(doc.start_time * 1000);
    // An in-progress span has no end yet: it is shown as ending where it started, never as a long one.
    const end = doc.end_time !== undefined ? Math.max(start, Math.round(doc.end_time * 1000)) : start;
    const status = doc.http?.response?.status;
    spans.push({
      id: boundMessage(doc.id, 64).text,
      ...(item.parentId ? { parentId: boundMessage(item.parentId, 64).text } : {}),
      service,
      operation: operationOf(doc, item.isSub),
      start,
      end,
      ...(doc.error ? { error: true } : {}),
      ...(doc.fault ? { fault: true } : {}),
      ...(status !== undefined ? { status } : {}),
    });
    budget.left--;
    if (item.depth < MAX_SUBSEGMENT_DEPTH)
      for (const sub of [...(doc.subsegments ?? [])].reverse())
        stack.push({ raw: sub, parentId: doc.id, depth: item.depth + 1, isSub: true });
  }
  return spans;
}
