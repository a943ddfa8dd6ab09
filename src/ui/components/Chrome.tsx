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
}): React.ReactElement {
  const { environment: env, theme } = props;
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
          {props.team ? <TeamBadge team={props.team} theme={theme} /> : null}
          {safe`  `}
          <Text>{safe`${formatClock(props.now)}`}</Text>
        </Text>
      </Box>
    </Box>
  );
}

/** "team: offline (since 21:03, 5 events waiting)": never silent about a team server that cannot be reached. */
function TeamBadge(props: { readonly team: TeamState; readonly theme: Theme }): React.ReactElement {
  const t = props.team;
  const tr = useT();
  if (t.state === 'offline') {
    const since = t.offlineSince !== undefined ? tr('banner.teamSince', { clock: formatClock(t.offlineSince) }) : '';
    const waiting = t.waiting === 1 ? tr('banner.teamEvent') : tr('banner.teamEvents', { n: t.waiting });
    return <Text color={props.theme.level.warning}>{safe`  ${tr('banner.teamOffline', { since, waiting })}`}</Text>;
  }
  return (
    <Text
      color={props.theme.muted}
    >{safe`  ${tr(t.state === 'online' ? 'banner.teamOnline' : 'banner.teamConnecting')}`}</Text>
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
