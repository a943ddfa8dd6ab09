import { formatValue } from '../policy/units.js';
import type { Lang } from './types.js';

/**
 * Numbers, dates and durations written the way each language writes them. Dates are shown in the team's
 * time zone (the policy's working-hours zone), named, so that a report reads the same wherever it is
 * opened: English "Mon 5 Jan 2026 10:15 GMT+9", Japanese "2026/1/5(月) 10:15 JST".
 */
export interface Formatter {
  readonly lang: Lang;
  readonly timeZone: string;
  number(n: number | undefined, decimals?: number): string;
  /** A share (0–1) as a percentage. */
  percent(share: number | undefined, decimals?: number): string;
  duration(ms: number | undefined): string;
  dateTime(t: number | undefined): string;
  /** Date and time without the zone name, for table cells. */
  shortDateTime(t: number | undefined): string;
  date(t: number | undefined): string;
  /** A metric value with its unit (policy units). */
  value(v: number | undefined, unit: string | undefined): string;
}

const DASH = '–';

export function createFormatter(lang: Lang, timeZone: string): Formatter {
  const locale = lang === 'ja' ? 'ja-JP' : 'en-GB';
  const numberFormats = new Map<number, Intl.NumberFormat>();
  const nf = (decimals: number) => {
    let f = numberFormats.get(decimals);
    if (!f)
      numberFormats.set(
        decimals,
        (f = new Intl.NumberFormat(locale, { maximumFractionDigits: decimals, minimumFractionDigits: 0 })),
      );
    return f;
  };
  const full = new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: lang === 'ja' ? 'numeric' : 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const short = new Intl.DateTimeFormat(locale, {
    timeZone,
    month: lang === 'ja' ? 'numeric' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const dateOnly = new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: lang === 'ja' ? 'numeric' : 'short',
    day: 'numeric',
    weekday: 'short',
  });
  const defined = (t: number | undefined): t is number => t !== undefined && Number.isFinite(t);
  return {
    lang,
    timeZone,
    number: (n, decimals = 0) => (n === undefined || !Number.isFinite(n) ? DASH : nf(decimals).format(n)),
    percent: (share, decimals = 1) =>
      share === undefined || !Number.isFinite(share) ? DASH : `${nf(decimals).format(share * 100)} %`,
    duration: (ms) =>
      ms === undefined || !Number.isFinite(ms) ? DASH : lang === 'ja' ? durationJa(ms) : durationEn(ms),
    dateTime: (t) => (defined(t) ? full.format(new Date(t)).replace(/\s+/g, ' ') : DASH),
    shortDateTime: (t) => (defined(t) ? short.format(new Date(t)) : DASH),
    date: (t) => (defined(t) ? dateOnly.format(new Date(t)) : DASH),
    value: (v, unit) => {
      const text = formatValue(v, unit);
      if (lang !== 'ja' || text === DASH) return text;
      return unit === 'boolean' ? (v !== undefined && v >= 1 ? '障害' : '正常') : text;
    },
  };
}

function durationEn(ms: number): string {
  if (ms < 0) return `-${durationEn(-ms)}`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? ` ${String(s % 60).padStart(2, '0')}s` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  const d = Math.floor(h / 24);
  return `${d}d ${h % 24}h`;
}

function durationJa(ms: number): string {
  if (ms < 0) return `-${durationJa(-ms)}`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}分${s % 60 ? `${s % 60}秒` : ''}`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}時間${m % 60 ? `${m % 60}分` : ''}`;
  const d = Math.floor(h / 24);
  return `${d}日${h % 24 ? `${h % 24}時間` : ''}`;
}
