import { Box } from 'ink';
import { useT } from '../../hooks/useT.js';
import { Text } from '../../components/SafeText.js';
import React from 'react';
import type { RoomNews as News } from '../../../core/live/roomNews.js';
import { screenLine, safe } from '../../../core/sanitize.js';
import { formatDuration } from '../../../core/time.js';
import type { Theme } from '../../theme.js';

/** Incidents opened since the room opened (same service or alarm family) and a change of the incident's priority, announced. */
export function RoomNews(props: {
  readonly news: News;
  readonly now: number;
  readonly theme: Theme;
}): React.ReactElement | null {
  const { news, theme } = props;
  const t = useT();
  if (!news.related.length && !news.priority) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {news.priority ? (
        <Text
          wrap="truncate-end"
          color={theme.level.warning}
          bold
        >{safe`${t('room.priorityChanged', { from: news.priority.from ?? t('room.none'), to: news.priority.to ?? t('room.none') })}`}</Text>
      ) : null}
      {news.related.length ? <Text bold>{safe`${t('room.openedSince', { n: news.related.length })}`}</Text> : null}
      {news.related.slice(0, 4).map(({ incident: i, why }) => (
        <Text key={i.id} wrap="truncate-end">
          {safe`  ${i.priority ?? '—'} ${t(`incident.${i.status}`)} ${screenLine(i.number !== undefined ? `#${i.number}` : i.id)} ${screenLine(i.title)} — ${t('room.relatedLine', { ago: t('common.ago', { duration: formatDuration(Math.max(0, props.now - i.createdAt), t.lang) }), why: screenLine(why) })}`}
        </Text>
      ))}
      {news.related.length > 4 ? (
        <Text color={theme.muted}>{safe`  ${t('room.moreRelated', { n: news.related.length - 4 })}`}</Text>
      ) : null}
    </Box>
  );
}
