import parse from 'parse-duration';

const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;

/**
 * A duration such as "15m", "1h30m", "7d" in milliseconds, or undefined when the text is not one.
 * A unit is required: a bare "10" is ambiguous at 3 a.m.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) return undefined;
  const ms = parse(trimmed);
  return ms === null || ms === undefined || !Number.isFinite(ms) ? undefined : ms;
}

/** A duration for people: "45s", "12m", "1h05m", "3d4h". Negative durations get a leading "-". */
export function formatDuration(ms: number, lang: 'en' | 'ja' = 'en'): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 0) return `-${formatDuration(-ms, lang)}`;
  const s = Math.floor(ms / 1000);
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  // Japanese in the same order and precision: "30秒", "5分", "1時間5分", "2日3時間".
  if (lang === 'ja') {
    if (s < 60) return `${s}秒`;
    if (m < 60) return `${m}分`;
    if (h < 24) return `${h}時間${m % 60 ? `${m % 60}分` : ''}`;
    return `${d}日${h % 24 ? `${h % 24}時間` : ''}`;
  }
  if (s < 60) return `${s}s`;
  if (m < 60) return `${m}m`;
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${d}d${h % 24}h`;
}

/** ISO-8601 in UTC, the form every JSON output uses. */
export function iso(t: number | undefined): string | null {
  return t === undefined ? null : new Date(t).toISOString();
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** Whether `zone` is an IANA time zone this runtime knows ("Asia/Tokyo", "UTC"). */
export function isTimeZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone every time on screen and in reports is shown in: display.timezone, or UTC under --utc;
 * undefined is the machine's zone. Set once at start (commands/context.ts configFor), like the colour
 * level: one process shows one zone.
 */
let displayZone: string | undefined;

export function setDisplayTimeZone(zone: string | undefined): void {
  if (zone !== undefined && !isTimeZone(zone)) throw new Error(`not an IANA time zone: ${zone}`);
  displayZone = zone;
}

/**
 * The zone reports are written in: the one display.timezone or --utc chose, else `fallback` (the
 * policy's working-hours zone, the team's: a report is shared, the machine's zone is one person's).
 */
export function reportTimeZone(fallback: string): string {
  return displayZone ?? fallback;
}

/** The zone times are shown in: the configured one, else the machine's (resolved, never undefined). */
export function displayTimeZone(): string {
  return displayZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

/**
 * "2026-01-05 10:15 GMT+9" in the display zone (or the one given). Formatters are reused: building one
 * costs more than formatting.
 */
export function formatClock(t: number, timeZone: string | undefined = displayZone): string {
  const key = timeZone ?? '';
  let format = clockFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    clockFormats.set(key, format);
  }
  const parts = format.formatToParts(new Date(t));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

/** "in 24m", "3m ago", "now" (within a second either way: never "in 0s" for what just happened). */
export function relative(t: number, now: number): string {
  if (Math.abs(t - now) < 1000) return 'now';
  return t >= now ? `in ${formatDuration(t - now)}` : `${formatDuration(now - t)} ago`;
}

/** A bound as people write it: "30d", "24h", "90s" (the largest unit that divides it), else formatDuration. */
export function formatBound(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return formatDuration(ms);
}
