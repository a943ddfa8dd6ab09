import { Box } from 'ink';
import { Text } from '../components/SafeText.js';
import React from 'react';
import type { OnCallData } from '../../core/live/model.js';
import { unavailableReason, type Snapshot } from '../../core/live/poller.js';
import { screenLine, safe } from '../../core/sanitize.js';
import { formatClock } from '../../core/time.js';
import type { Theme } from '../theme.js';

/** Who is on call now, this week's and next week's rotation, and the escalation levels. */
export function OnCallView(props: {
  readonly onCall: Snapshot<OnCallData>;
  readonly now: number;
  readonly theme: Theme;
}): React.ReactElement {
  const { theme, now } = props;
  const data = props.onCall.data;
  if (!data)
    return (
      <Text
        color={theme.muted}
      >{safe`${props.onCall.health.state === 'loading' ? 'loading…' : `unavailable: ${screenLine(unavailableReason(props.onCall.health) ?? '')}`}`}</Text>
    );
  const weeks = new Map<number, { start: number; end: number; people: string[] }>();
  for (const s of data.rotation) {
    if (s.end <= now) continue;
    const w = weeks.get(s.start) ?? { start: s.start, end: s.end, people: [] };
    w.people.push(`${s.role} ${screenLine(s.person.name)}`);
    weeks.set(s.start, w);
  }
  const upcoming = [...weeks.values()].sort((a, b) => a.start - b.start).slice(0, 2);
  return (
    <Box flexDirection="column">
      <Text bold color={theme.title}>{safe`ON CALL NOW`}</Text>
      {data.now.map((o) => (
        <Text
          key={o.level}
        >{safe`  level ${o.level}  ${o.role.padEnd(9)}  ${screenLine(o.person.name)}${o.end ? `  until ${formatClock(o.end)}` : ''}`}</Text>
      ))}
      <Box flexDirection="column" marginTop={1}>
        <Text bold color={theme.title}>{safe`ROTATION`}</Text>
        {upcoming.map((w, i) => (
          <Text
            key={w.start}
          >{safe`  ${i === 0 ? 'this week' : 'next week'}  ${formatClock(w.start)} → ${formatClock(w.end)}   ${w.people.join(' · ')}`}</Text>
        ))}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold color={theme.title}>{safe`ESCALATION`}</Text>
        {data.policies.map((p) => (
          <Box key={p.id} flexDirection="column">
            <Text>{safe`  ${screenLine(p.name)}`}</Text>
            {p.rules.map((r) => (
              <Text
                key={r.level}
              >{safe`    level ${r.level}: ${r.targets.map((t) => screenLine(t.name)).join(', ') || '–'}, after ${r.delayMinutes} min without acknowledgement → level ${r.level + 1 <= p.rules.length ? r.level + 1 : 'none'}`}</Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
