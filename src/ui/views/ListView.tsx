import { Box } from 'ink';
import { Text } from '../components/SafeText.js';
import React from 'react';
import { safe, type Safe } from '../../core/sanitize.js';
import type { Health } from '../../core/model.js';
import type { Snapshot } from '../../core/live/poller.js';
import { Table } from '../components/Table.js';
import { freshness } from '../components/Chrome.js';
import type { ColumnSpec } from '../render/columns.js';
import type { ListState } from '../state.js';
import type { Theme } from '../theme.js';
import { useT } from '../hooks/useT.js';
import { localColumns } from '../render/localColumns.js';
import type { MessageKey, Translate } from '../../core/i18n/index.js';

const SORT_KEYS: Readonly<Record<string, MessageKey>> = {
  level: 'sort.level',
  name: 'sort.name',
  state: 'sort.state',
  since: 'sort.since',
  'status, priority': 'sort.statusPriority',
  newest: 'sort.newest',
  priority: 'sort.priority',
  health: 'sort.health',
  tasks: 'sort.tasks',
};

/** A list's sort in words (the sort tables keep their English labels). */
export function sortText(label: string, t: Translate): string {
  const key = SORT_KEYS[label];
  return key ? t(key) : label;
}

export interface ListViewProps<T> {
  readonly title: string;
  readonly items: readonly T[];
  readonly total: number;
  readonly state: ListState;
  readonly sortLabel: string;
  readonly filterError?: string;
  readonly columns: readonly ColumnSpec[];
  readonly cells: (item: T) => readonly Safe[];
  readonly health?: (item: T) => Health;
  readonly source: Snapshot<unknown>;
  readonly wallNow: number;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
}

/** A screen that is one live table: a title line (counts, filter, sort, the source's freshness) and the table. */
export function ListView<T>(p: ListViewProps<T>): React.ReactElement {
  const t = useT();
  const f = freshness(p.source.health, p.wallNow, t);
  const shown =
    p.items.length === p.total ? `${p.total}` : t('list.shownOf', { shown: p.items.length, total: p.total });
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color={p.theme.title}>{safe`${p.title}`}</Text>
        {safe` ${shown}`}
        <Text
          color={p.theme.muted}
        >{safe`  ${t('list.sortedBy', { sort: sortText(p.sortLabel, t) })}${p.state.reverse ? ` ${t('list.reversed')}` : ''}`}</Text>
        {p.state.filter ? (
          <Text color={p.theme.accent}>{safe`  ${t('list.filter', { filter: p.state.filter })}`}</Text>
        ) : null}
        {p.filterError ? <Text color={p.theme.level.warning}>{safe`  ${p.filterError}`}</Text> : null}
        <Text color={p.theme.level[f.level]}>{safe`  ${p.source.health.state === 'ok' ? '' : f.text}`}</Text>
      </Text>
      <Table
        columns={localColumns(p.columns, t)}
        items={p.items}
        cells={p.cells}
        health={p.health}
        selected={p.state.selected}
        height={p.height - 1}
        width={p.width}
        theme={p.theme}
        empty={
          p.source.health.state === 'loading'
            ? t('health.loading')
            : p.state.filter
              ? t('list.nothingMatches')
              : t('list.nothingToShow')
        }
      />
    </Box>
  );
}
