/**
 * Bounds a log message or span text at the door: invalid UTF-16 (lone surrogates, which is what invalid
 * UTF-8 becomes once a JSON decoder has replaced or escaped it) becomes U+FFFD, and a message longer than
 * the byte bound is cut on a character boundary with a marker saying how much was dropped. Control
 * characters are kept here (a pattern or a filter may need them); every printer makes them inert.
 */

/** Bytes of one message kept by default (a CloudWatch event may hold 256 KB; a screen line never needs that). */
export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024;

/** The smallest bound accepted: room for the marker and some text. */
export const MIN_MAX_MESSAGE_BYTES = 256;

const encoder = new TextEncoder();

/** The mark left where a message was cut: "…[+98,304 bytes]". */
export function bytesMarker(dropped: number): string {
  return `…[+${dropped.toLocaleString('en-US')} bytes]`;
}

function wellFormed(text: string): string {
  // Node 20 has String.prototype.toWellFormed; the regex is the fallback for older runtimes.
  const s = text as string & { toWellFormed?: () => string };
  return typeof s.toWellFormed === 'function'
    ? s.toWellFormed()
    : text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** The message well formed and at most `maxBytes` UTF-8 bytes (marker included), and whether it was cut. */
export function boundMessage(
  raw: unknown,
  maxBytes: number = DEFAULT_MAX_MESSAGE_BYTES,
): { text: string; truncated: boolean } {
  const text = wellFormed(typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : String(raw));
  // Cheap exit: a UTF-8 character is at most 3 bytes per UTF-16 code unit.
  if (text.length * 3 <= maxBytes) return { text, truncated: false };
  const total = Buffer.byteLength(text, 'utf8');
  if (total <= maxBytes) return { text, truncated: false };
  const room = Math.max(0, maxBytes - Buffer.byteLength(bytesMarker(total), 'utf8'));
  // encodeInto never writes half a character: `read` is where a whole-character cut falls.
  let head = text.length > room ? text.slice(0, room) : text;
  // A pair cut in two by the slice would be encoded as U+FFFD: leave its first half out.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  const { read } = encoder.encodeInto(head, new Uint8Array(room));
  const kept = text.slice(0, read);
  return { text: `${kept}${bytesMarker(total - Buffer.byteLength(kept, 'utf8'))}`, truncated: true };
}
