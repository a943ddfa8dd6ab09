import { Box } from 'ink';
import { Text } from '../components/SafeText.js';
import React from 'react';
import type { OnCallData } from '../../core/live/model.js';
import { unavailableReason, type Snapshot } from '../../core/live/poller.js';
import { screenLine, safe } from '../../core/sanitize.js';
import { formatClock } from '../../core/time.js';
import type { Theme } from '../theme.js';
import { useT } from '../hooks/useT.js';
import { displayWidth } from '../../output/table.js';

/** Who is on call now, this week's and next week's rotation, and the escalation levels. */
export function OnCallView(props: {
  readonly onCall: Snapshot<OnCallData>;
  readonly now: number;
  readonly theme: Theme;
}): React.ReactElement {
  const { theme, now } = props;
  const t = useT();
  const role = (r: 'primary' | 'secondary' | 'manager') => t(`role.${r}`);
  // Roles padded by cells to the widest in the language (a kanji is two).
  const roleWidth = Math.max(...(['primary', 'secondary', 'manager'] as const).map((r) => displayWidth(role(r))));
  const data = props.onCall.data;
  if (!data)
    return (
      <Text
        color={theme.muted}
      >{safe`${props.onCall.health.state === 'loading' ? t('health.loading') : t('oncall.unavailable', { reason: screenLine(unavailableReason(props.onCall.health) ?? '') })}`}</Text>
    );
  const weeks = new Map<number, { start: number; end: number; people: string[] }>();
  for (const s of data.rotation) {
    if (s.end <= now) continue;
    const w = weeks.get(s.start) ?? { start: s.start, end: s.end, people: [] };
    w.people.push(`${role(s.role)} ${screenLine(s.person.name)}`);
    weeks.set(s.start, w);
  }
  const upcoming = [...weeks.values()].sort((a, b) => a.start - b.start).slice(0, 2);
  return (
    <Box flexDirection="column">
      <Text bold color={theme.title}>{safe`${t('oncall.now')}`}</Text>
      {data.now.map((o) => (
        <Text
          key={o.level}
        >{safe`  ${t('oncall.level', { level: o.level })}  ${role(o.role)}${' '.repeat(Math.max(0, roleWidth - displayWidth(role(o.role))))}  ${screenLine(o.person.name)}${o.end ? `  ${t('oncall.until', { clock: formatClock(o.end) })}` : ''}`}</Text>
      ))}
      <Box flexDirection="column" marginTop={1}>
        <Text bold color={theme.title}>{safe`${t('oncall.rotation')}`}</Text>
        {upcoming.map((w, i) => (
          <Text
            key={w.start}
          >{safe`  ${i === 0 ? t('oncall.thisWeek') : t('oncall.nextWeek')}  ${formatClock(w.start)} → ${formatClock(w.end)}   ${w.people.join(' · ')}`}</Text>
        ))}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        <Text bold color={theme.title}>{safe`${t('oncall.escalation')}`}</Text>
        {data.policies.map((p) => (
          <Box key={p.id} flexDirection="column">
            <Text>{safe`  ${screenLine(p.name)}`}</Text>
            {p.rules.map((r) => (
              <Text
                key={r.level}
              >{safe`    ${t('oncall.rule', { level: r.level, targets: r.targets.map((x) => screenLine(x.name)).join(', ') || '–', minutes: r.delayMinutes, next: r.level + 1 <= p.rules.length ? r.level + 1 : t('oncall.none') })}`}</Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
