/**
 * The text of CloudWatch Logs requests and answers: Insights string literals, FilterLogEvents patterns for a
 * plain substring, Insights' @timestamp and @log fields as AWS and moto write them.
 */

/** An Insights string literal: backslashes and double quotes escaped. */
export function insightsString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * A FilterLogEvents pattern for a plain substring: a quoted phrase, or none when the text holds a double
 * quote (a pattern cannot escape one); the rows are filtered here either way.
 */
export function filterPattern(text: string | undefined): string | undefined {
  if (!text || text.includes('"')) return undefined;
  return `"${text}"`;
}

/** Epoch ms of an Insights @timestamp: "2026-12-04 20:13:23.000" (UTC) from AWS, digits from moto. */
export function insightsTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d{10,16}$/.test(value)) return Number(value);
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)Z?$/.exec(value);
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}T${m[2]}Z`);
  return Number.isFinite(t) ? t : undefined;
}

/** A group as Insights names it in @log ("123456789012:/ecs/vitascope-api") or as it is. */
export function groupOf(value: string | undefined, groups: readonly string[]): string {
  if (!value) return groups.length === 1 ? groups[0]! : '?';
  const bare = value.replace(/^\d{12}:/, '');
  return groups.includes(bare) ? bare : (groups.find((g) => value.endsWith(g)) ?? bare);
}
