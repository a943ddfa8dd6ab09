import { Box } from 'ink';
import { Text } from '../components/SafeText.js';
import React from 'react';
import type { Incident, TimelineEntry } from '../../core/model.js';
import type { Snapshot } from '../../core/live/poller.js';
import { priorityDef } from '../../core/policy/escalation.js';
import type { Policy } from '../../core/policy/types.js';
import { screenLine, safe } from '../../core/sanitize.js';
import { formatClock, formatDuration } from '../../core/time.js';
import { escalationText, incidentLabel, responseText } from '../render/incidents.js';
import type { Theme } from '../theme.js';
import { Link } from '../components/Link.js';
import { incidentUrl } from '../../core/links.js';

/** One incident: priority and its response target as time left, escalation, who, and its log as a timeline. */
export function IncidentDetailView(props: {
  readonly incident: Incident;
  readonly timeline: Snapshot<readonly TimelineEntry[]>;
  readonly policy: Policy;
  readonly now: number;
  /** Columns available; the title is cut to what three lines show (sanitize.ts, forScreen). @default 120 */
  readonly width?: number;
  readonly height: number;
  readonly theme: Theme;
  /** Whether the incident's label is drawn as a link to its PagerDuty page (OSC 8). @default false */
  readonly links?: boolean;
}): React.ReactElement {
  const { incident: i, policy, now, theme } = props;
  const def = priorityDef(policy, i.priority);
  const entries = props.timeline.data ?? [];
  const urgent = i.priority === 'P1' || i.priority === 'P2';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color={urgent ? theme.level.critical : theme.level.warning}>{safe`${i.priority ?? '–'} `}</Text>
        <Link bold label={screenLine(incidentLabel(i))} url={incidentUrl(i)} on={props.links === true} />
        {safe`  ${i.status}`}
        <Text
          color={theme.muted}
        >{safe`  ${screenLine(i.service.name)} · opened ${formatClock(i.createdAt)} (${formatDuration(Math.max(0, now - i.createdAt))} ago)`}</Text>
      </Text>
      <Text wrap="wrap">{screenLine(i.title, 3 * (props.width ?? 120))}</Text>
      <Text wrap="truncate-end">
        {safe`assigned ${screenLine(i.assignees.map((p) => p.name).join(', ') || 'nobody')} · escalation level ${i.escalationLevel}: ${escalationText(i, policy, now)}`}
      </Text>
      <Text wrap="truncate-end">
        {safe`respond ${def ? def.responseTarget.en : '–'}: `}
        <Text
          color={responseText(i, policy, now).startsWith('OVERDUE') ? theme.level.critical : undefined}
        >{safe`${i.status === 'triggered' ? responseText(i, policy, now) : `responded ${i.acknowledgedAt ? formatClock(i.acknowledgedAt) : ''}`}`}</Text>
        <Text color={theme.muted}>{safe`${def ? ` · ${def.channels.join(' + ')}` : ''}`}</Text>
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text bold>{safe`timeline`}</Text>
        {entries.map((e) => (
          <Text key={e.id} wrap="truncate-end">
            <Text color={theme.muted}>{safe`${formatClock(e.at)}  `}</Text>
            <Text color={theme.accent}>{safe`${e.kind.replace('incident.', '').padEnd(12)} `}</Text>
            {screenLine(e.summary)}
            <Text color={theme.muted}>{safe`${e.who ? `  — ${screenLine(e.who)}` : ''}`}</Text>
          </Text>
        ))}
        {props.timeline.health.state === 'loading' ? <Text color={theme.muted}>{safe`loading…`}</Text> : null}
        {props.timeline.health.error ? (
          <Text
            color={theme.level.warning}
          >{safe`timeline unavailable: ${screenLine(props.timeline.health.error)}`}</Text>
        ) : null}
      </Box>
    </Box>
  );
}
