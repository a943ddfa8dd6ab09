import { completions } from '../../core/cockpit/palette.js';
import { Box } from 'ink';
import { Text } from './SafeText.js';
import React from 'react';
import type { Environment, Health } from '../../core/model.js';
import type { SourceHealth, Snapshot } from '../../core/live/poller.js';
import { screenLine, safe } from '../../core/sanitize.js';
import { formatClock, formatDuration } from '../../core/time.js';
import type { Theme } from '../theme.js';
import type { TeamState } from '../../core/team/replicator.js';
import { EN, type MessageKey, type Translate } from '../../core/i18n/index.js';
import { useT } from '../hooks/useT.js';
import { displayWidth } from '../../output/table.js';

/** The environment banner: SANDBOX, or the AWS account and region; production in red. */
export function Banner(props: {
  readonly environment: Environment;
  readonly now: number;
  readonly theme: Theme;
  readonly context?: string;
  readonly counts: { critical: number; warning: number; info: number };
  /** The alarm source failed: no counts at all (unknown), or counts of old data (stale). */
  readonly countsKnown?: 'yes' | 'stale' | 'unknown';
  readonly readonly: boolean;
  /** The team timeline's state, when a team server is configured (core/team/replicator.ts). */
  readonly team?: TeamState;
  /** The terminal's width: the right side shortens to fit it, never wrapping. @default 200 */
  readonly width?: number;
}): React.ReactElement {
  const { environment: env, theme } = props;
  const counts =
    props.countsKnown === 'unknown'
      ? '  ✗ ? ▲ ? ● ?'
      : `  ✗ ${props.counts.critical} ▲ ${props.counts.warning} ● ${props.counts.info}${props.countsKnown === 'stale' ? ' (stale)' : ''}`;
  const { badge, clock } = headerFit(props.team, formatClock(props.now), props.width ?? 200, counts.length);
  const t = useT();
  const where =
    env.kind === 'sandbox'
      ? ` ${t('banner.sandbox')} `
      : ` ${env.production ? `${t('banner.production')} ` : ''}${[env.label, env.account, env.region]
          .filter(Boolean)
          .map((x) => screenLine(String(x)))
          .join(' · ')} `;
  const style = env.production ? theme.production : env.kind === 'sandbox' ? theme.sandbox : {};
  return (
    <Box justifyContent="space-between" flexGrow={1}>
      <Box flexShrink={1}>
        <Text wrap="truncate-end">
          <Text
            bold
            color={style.color}
            backgroundColor={style.backgroundColor}
            inverse={!theme.colour && env.production}
          >
            {safe`${where}`}
          </Text>
          {props.readonly ? <Text bold>{safe` ${t('banner.readonly')}`}</Text> : null}
          <Text color={theme.muted}>{safe`${props.context ? ` ${props.context}` : ''}`}</Text>
        </Text>
      </Box>
      <Box flexShrink={0}>
        <Text>
          {safe`  `}
          {props.countsKnown === 'unknown' ? (
            // Never "0" for alarms nobody could read.
            <Text color={theme.level.critical}>{safe`✗ ? ▲ ? ● ?`}</Text>
          ) : (
            <>
              <Text color={theme.level.critical}>{safe`✗ ${props.counts.critical}`}</Text>
              {safe` `}
              <Text color={theme.level.warning}>{safe`▲ ${props.counts.warning}`}</Text>
              {safe` `}
              <Text color={theme.level.info}>{safe`● ${props.counts.info}`}</Text>
              {props.countsKnown === 'stale' ? (
                <Text color={theme.level.warning}>{safe` ${t('banner.stale')}`}</Text>
              ) : null}
            </>
          )}
          {props.team ? <TeamBadge team={props.team} form={badge} theme={theme} /> : null}
          {safe`  `}
          <Text>{safe`${clock}`}</Text>
        </Text>
      </Box>
    </Box>
  );
}

/** "21:03" (with its zone when `zone`) of a clock "2026-01-05 21:03 JST"; the clock itself when it has another shape. */
function timeOfDay(clock: string, zone = false): string {
  const parts = clock.split(' ');
  if (parts.length !== 3) return clock;
  return zone ? `${parts[1]} ${parts[2]}` : parts[1]!;
}

/** How much of the team badge the header has room for: all of it, the count waiting, or the word. */
type BadgeForm = 'full' | 'short' | 'word';

/** The team badge's text in a form: "team: offline (since 21:03, 5 events waiting)", "team offline, 5 waiting", "team offline". */
export function teamBadgeText(t: TeamState, form: BadgeForm): string {
  if (t.state !== 'offline') return t.state === 'online' ? '  team ✓' : '  team …';
  if (form === 'word') return '  team offline';
  if (form === 'short') return `  team offline, ${t.waiting} waiting`;
  // The time of day only: the date is the clock's, beside it.
  const since = t.offlineSince !== undefined ? `since ${timeOfDay(formatClock(t.offlineSince))}, ` : '';
  return `  team: offline (${since}${t.waiting} event${t.waiting === 1 ? '' : 's'} waiting)`;
}

/**
 * The header's right side for a width, by priority: the alarm counts always; then the team badge, as
 * long as it fits, before the clock's date; the left side (where the data comes from) keeps at least
 * its label. Never wrapped: a header that wraps pushes the whole screen down a line.
 */
export function headerFit(
  team: TeamState | undefined,
  clock: string,
  width: number,
  countsWidth: number,
): { badge: BadgeForm; clock: string } {
  const shortClock = timeOfDay(clock, true);
  const left = 14;
  const forms: readonly { badge: BadgeForm; clock: string }[] = [
    { badge: 'full', clock },
    { badge: 'short', clock },
    { badge: 'short', clock: shortClock },
    { badge: 'word', clock: shortClock },
  ];
  const fits = (f: { badge: BadgeForm; clock: string }) =>
    left + countsWidth + (team ? teamBadgeText(team, f.badge).length : 0) + 2 + f.clock.length <= width;
  return forms.find(fits) ?? forms[forms.length - 1]!;
}

/** The team badge: never silent about a team server that cannot be reached, in the form the width allows. */
function TeamBadge(props: {
  readonly team: TeamState;
  readonly form: BadgeForm;
  readonly theme: Theme;
}): React.ReactElement {
  const t = props.team;
  return (
    <Text color={t.state === 'offline' ? props.theme.level.warning : props.theme.muted}>
      {safe`${teamBadgeText(t, props.form)}`}
    </Text>
  );
}

/** "ok 3s", "error 12s: HTTP 503", "stale 4m": a source's freshness in a few words. */
export function freshness(h: SourceHealth, now: number, t: Translate = EN): { text: string; level: Health } {
  const dur = (ms: number) => formatDuration(Math.max(0, ms), t.lang);
  const age = h.fetchedAt === undefined ? '' : dur(now - h.fetchedAt);
  const dataAge = age ? ` ${t('health.dataAge', { age })}` : '';
  switch (h.state) {
    case 'unconfigured':
      return { text: t('health.unconfigured'), level: 'info' };
    case 'loading':
      return { text: t('health.loading'), level: 'info' };
    case 'ok':
      return { text: t('health.ok', { age }), level: 'ok' };
    case 'error':
      return {
        text: `${h.errorAt !== undefined ? t('health.errorAgo', { ago: dur(now - h.errorAt) }) : t('health.error')}: ${screenLine(h.error ?? '')}${dataAge}`,
        level: 'warning',
      };
    case 'stale':
      return {
        text: `${t('health.stale', { since: h.staleSince !== undefined ? dur(now - h.staleSince) : '' })}: ${screenLine(h.error ?? '')}${dataAge}`,
        level: 'critical',
      };
  }
}

const SOURCE_KEYS: Readonly<Record<string, MessageKey>> = {
  alarms: 'source.alarms',
  services: 'source.services',
  incidents: 'source.incidents',
  'on-call': 'source.on-call',
  metrics: 'source.metrics',
  databases: 'source.databases',
};

/** A live source's name in words (the pollers keep their English names). */
export function sourceName(name: string, t: Translate = EN): string {
  const key = SOURCE_KEYS[name];
  return key ? t(key) : name;
}

export function SourceLine(props: {
  readonly snapshots: readonly Snapshot<unknown>[];
  readonly now: number;
  readonly theme: Theme;
}): React.ReactElement {
  const t = useT();
  return (
    <Text wrap="truncate-end">
      {props.snapshots.map((s, i) => {
        const f = freshness(s.health, props.now, t);
        return (
          <Text key={s.name}>
            {i ? safe`  ` : null}
            <Text color={props.theme.muted}>{safe`${sourceName(s.name, t)} `}</Text>
            <Text color={props.theme.level[f.level]}>{safe`${f.text}`}</Text>
          </Text>
        );
      })}
    </Text>
  );
}

export function Footer(props: {
  readonly hints: readonly { key: string; label: string }[];
  readonly editing?: { kind: 'filter' | 'command' | 'search'; value: string };
  readonly flash?: { text: string; level: Health };
  readonly theme: Theme;
  /** The terminal's width: hints that do not fit whole are left out, never cut mid-word. */
  readonly width?: number;
}): React.ReactElement {
  const { theme } = props;
  const t = useT();
  if (props.editing) {
    const { kind, value } = props.editing;
    // The palette's candidates as the word is typed (a dozen screen names: cheap per key).
    const candidates = kind === 'command' ? completions(value) : [];
    const note =
      kind === 'command'
        ? candidates.length
          ? t('footer.paletteCandidates', { candidates: candidates.join(' ') })
          : t('footer.paletteJump')
        : kind === 'search'
          ? t('footer.search')
          : t('footer.filter');
    return (
      <Text wrap="truncate-end">
        <Text bold color={theme.accent}>{safe`${kind === 'command' ? ':' : '/'}`}</Text>
        {safe`${value}`}
        <Text inverse>{safe` `}</Text>
        {safe` `}
        <Text color={theme.muted}>{safe`${note}`}</Text>
      </Text>
    );
  }
  // A result or a warning takes the whole line until the next key; otherwise the key hints.
  if (props.flash)
    return (
      <Text wrap="truncate-end" color={theme.level[props.flash.level]}>
        {screenLine(props.flash.text)}
      </Text>
    );
  // Whole hints only, by display width (a kanji is two cells): the help (?) lists every key.
  let used = 0;
  const shown = props.hints.filter((h, i) => {
    used += (i ? 2 : 0) + displayWidth(`<${h.key}> ${h.label}`);
    return props.width === undefined || used <= props.width;
  });
  return (
    <Text wrap="truncate-end">
      {shown.map((h, i) => (
        <Text key={`${h.key}${h.label}`}>
          {i ? safe`  ` : null}
          <Text bold color={theme.accent}>{safe`<${h.key}>`}</Text>
          <Text color={theme.muted}>{safe` ${h.label}`}</Text>
        </Text>
      ))}
    </Text>
  );
}
