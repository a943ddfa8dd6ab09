import React from 'react';
import { formatEndpointValue, type EndpointRow, type EndpointTable } from '../../../core/runbooks/endpointTable.js';
import { safe, screenLine } from '../../../core/sanitize.js';
import { formatDuration } from '../../../core/time.js';
import { Text } from '../../components/SafeText.js';
import { truncateMiddle } from '../../render/columns.js';
import type { Theme } from '../../theme.js';

const SHARE_OF: Record<EndpointTable['kind'], string> = {
  latency: 'of requests',
  errors: 'of 5xx',
  requests: 'of requests',
};
const TITLE: Record<EndpointTable['kind'], string> = {
  latency: 'p95 by',
  errors: '5xx rate by',
  requests: 'request rate by',
};
const BAR = 8;

/** "was 210 ms ↑" : the earlier value and which way it went, in a symbol and (for a reader without colour) a word. */
function versus(kind: EndpointTable['kind'], r: Pick<EndpointRow, 'value' | 'before'>): string {
  if (r.before === undefined) return 'no earlier data';
  const was = `was ${formatEndpointValue(kind, r.before)}`;
  if (r.value === undefined) return was;
  // Two values that read the same are the same to the reader ("0.1 % … was 0.1 % ↓ down" says nothing true).
  if (formatEndpointValue(kind, r.value) === formatEndpointValue(kind, r.before)) return `${was} = same`;
  const base = Math.max(Math.abs(r.before), kind === 'errors' ? 0.1 : 1e-9);
  const change = (r.value - r.before) / base;
  return Math.abs(change) < 0.1 ? `${was} = same` : `${was} ${change > 0 ? '↑ up' : '↓ down'}`;
}

function bar(share: number | undefined): string {
  if (share === undefined) return ' '.repeat(BAR);
  const cells = Math.round(share * BAR);
  return `${'█'.repeat(cells)}${'·'.repeat(BAR - cells)}`;
}

/**
 * A by-endpoint query's table as room rows: the top endpoints (names cut in the middle, so their
 * distinguishing tail stays), the value, the share as a number and a bar, and the value at the start of
 * the query's range. One row per line, so the room's row budget counts them like any other.
 */
export function endpointRows(
  key: string,
  t: EndpointTable,
  width: number,
  theme: Theme,
): { key: string; el: React.ReactElement }[] {
  const ago = formatDuration(t.beforeMs);
  const rows = [
    {
      key: `${key}-endpoints`,
      el: (
        <Text wrap="truncate-end" color={theme.muted}>
          {safe`      ${TITLE[t.kind]} ${screenLine(t.label)} · last ${formatDuration(t.windowSeconds * 1000)} · share ${SHARE_OF[t.kind]} · vs ${ago} ago`}
        </Text>
      ),
    },
  ];
  if (t.rows.length === 0) {
    rows.push({
      key: `${key}-endpoints-none`,
      el: (
        <Text wrap="truncate-end" color={t.unlabelled ? theme.level.warning : theme.muted}>
          {t.unlabelled
            ? safe`      requests, but none labelled "${screenLine(t.label)}": set prometheus.metrics.labels.endpoint`
            : safe`      no requests in the window: no breakdown`}
        </Text>
      ),
    });
    return rows;
  }
  // Fixed columns: value 9, share 5 + bar, then the comparison; the endpoint takes what is left.
  const nameWidth = Math.max(12, Math.min(36, width - 6 - 9 - (6 + BAR) - 22 - 4));
  const line = (name: string, value: string, share: string, bars: string, vs: string) =>
    `      ${truncateMiddle(screenLine(name), nameWidth).padEnd(nameWidth)}  ${value.padStart(9)}  ${share.padStart(5)} ${bars}  ${vs}`;
  t.rows.forEach((r, i) => {
    rows.push({
      key: `${key}-endpoint-${i}`,
      el: (
        <Text wrap="truncate-end">
          {screenLine(
            line(
              r.endpoint,
              formatEndpointValue(t.kind, r.value),
              r.share === undefined ? '–' : `${Math.round(r.share * 100)} %`,
              bar(r.share),
              versus(t.kind, r),
            ),
          )}
        </Text>
      ),
    });
  });
  rows.push({
    key: `${key}-endpoints-total`,
    el: (
      <Text wrap="truncate-end" color={theme.muted}>
        {screenLine(
          line(
            `all${t.more ? ` (${t.more} more not shown)` : ''}`,
            formatEndpointValue(t.kind, t.total.value),
            '',
            ' '.repeat(BAR),
            versus(t.kind, t.total),
          ),
        )}
      </Text>
    ),
  });
  return rows;
}
