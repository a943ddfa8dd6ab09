/** Units the policy's metrics are measured in, and how a value in each is written for people. */
export const UNITS = {
  percent: { symbol: '%', decimals: 1 },
  milliseconds: { symbol: 'ms', decimals: 0 },
  count: { symbol: '', decimals: 0 },
  messages: { symbol: 'msgs', decimals: 0 },
  connections: { symbol: 'conns', decimals: 0 },
  bytesPerSecond: { symbol: 'B/s', decimals: 0 },
  requestsPerMinute: { symbol: 'req/min', decimals: 0 },
  sessions: { symbol: 'sessions', decimals: 0 },
  users: { symbol: 'users', decimals: 0 },
  boolean: { symbol: '', decimals: 0 },
  requests: { symbol: 'req', decimals: 0 },
  times: { symbol: '×', decimals: 2 },
} as const;

export type Unit = keyof typeof UNITS;

const SI = ['', 'k', 'M', 'G', 'T'];

/** A value with its unit, compact enough for a table cell: "93.5 %", "1.2 s", "14.3 kB/s". */
export function formatValue(value: number | undefined, unit: Unit | string | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  switch (unit) {
    case 'percent':
      return `${round(value, Math.abs(value) >= 100 ? 0 : 1)} %`;
    case 'milliseconds':
      return value >= 1000 ? `${round(value / 1000, 2)} s` : `${Math.round(value)} ms`;
    case 'bytesPerSecond':
      return `${scaled(value)}B/s`;
    case 'boolean':
      return value >= 1 ? 'failing' : 'ok';
    case 'times':
      return `${round(value, 2)} ×`;
    case undefined:
      return String(round(value, 2));
    default: {
      const known = UNITS[unit as Unit];
      // A unit the policy does not list (GiB of a metric read in its display unit) is still said.
      if (!known) return unit ? `${round(value, 2)} ${unit}` : String(round(value, 2));
      const text = Math.abs(value) >= 10_000 ? scaled(value).trim() : String(round(value, known.decimals));
      return known.symbol ? `${text} ${known.symbol}` : text;
    }
  }
}

function scaled(value: number): string {
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < SI.length - 1) {
    v /= 1000;
    i += 1;
  }
  return `${round(v, i === 0 ? 0 : 1)} ${SI[i]}`;
}

function round(value: number, decimals: number): string {
  const f = 10 ** decimals;
  const r = Math.round(value * f) / f;
  return decimals === 0 ? String(r) : r.toFixed(decimals).replace(/\.?0+$/, '');
}
