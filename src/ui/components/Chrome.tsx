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
  const where =
    env.kind === 'sandbox'
      ? ' SANDBOX '
      : ` ${env.production ? 'PRODUCTION ' : ''}${[env.label, env.account, env.region]
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
          {props.readonly ? <Text bold>{safe` READ-ONLY`}</Text> : null}
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
              {props.countsKnown === 'stale' ? <Text color={theme.level.warning}>{safe` (stale)`}</Text> : null}
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
  if (t.state === 'offline') {
    const since = t.offlineSince !== undefined ? `since ${formatClock(t.offlineSince)}, ` : '';
    return (
      <Text
        color={props.theme.level.warning}
      >{safe`  team: offline (${since}${t.waiting} event${t.waiting === 1 ? '' : 's'} waiting)`}</Text>
    );
  }
  return <Text color={props.theme.muted}>{t.state === 'online' ? safe`  team ✓` : safe`  team …`}</Text>;
}

/** "ok 3s", "error 12s: HTTP 503", "stale 4m": a source's freshness in a few words. */
export function freshness(h: SourceHealth, now: number): { text: string; level: Health } {
  const age = h.fetchedAt === undefined ? '' : formatDuration(Math.max(0, now - h.fetchedAt));
  switch (h.state) {
    case 'unconfigured':
      return { text: 'not configured', level: 'info' };
    case 'loading':
      return { text: 'loading…', level: 'info' };
    case 'ok':
      return { text: `ok ${age}`, level: 'ok' };
    case 'error':
      return {
        text: `error ${h.errorAt !== undefined ? formatDuration(Math.max(0, now - h.errorAt)) + ' ago' : ''}: ${screenLine(h.error ?? '')}${age ? ` (data ${age} old)` : ''}`,
        level: 'warning',
      };
    case 'stale':
      return {
        text: `stale ${h.staleSince !== undefined ? formatDuration(Math.max(0, now - h.staleSince)) : ''}: ${screenLine(h.error ?? '')}${age ? ` (data ${age} old)` : ''}`,
        level: 'critical',
      };
  }
}

export function SourceLine(props: {
  readonly snapshots: readonly Snapshot<unknown>[];
  readonly now: number;
  readonly theme: Theme;
}): React.ReactElement {
  return (
    <Text wrap="truncate-end">
      {props.snapshots.map((s, i) => {
        const f = freshness(s.health, props.now);
        return (
          <Text key={s.name}>
            {i ? safe`  ` : null}
            <Text color={props.theme.muted}>{safe`${s.name} `}</Text>
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
}): React.ReactElement {
  const { theme } = props;
  if (props.editing) {
    const { kind, value } = props.editing;
    // The palette's candidates as the word is typed (a dozen screen names: cheap per key).
    const candidates = kind === 'command' ? completions(value) : [];
    const note =
      kind === 'command'
        ? candidates.length
          ? `→ ${candidates.join(' ')}  · Tab completes · ⏎ go (or #number, PSB…, alarm name)`
          : '⏎ jump to an incident (1042, PSB…) or an alarm by name'
        : kind === 'search'
          ? '⏎ keep · Esc clear'
          : '⏎ apply · Esc cancel';
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
  return (
    <Text wrap="truncate-end">
      {props.hints.map((h, i) => (
        <Text key={`${h.key}${h.label}`}>
          {i ? safe`  ` : null}
          <Text bold color={theme.accent}>{safe`<${h.key}>`}</Text>
          <Text color={theme.muted}>{safe` ${h.label}`}</Text>
        </Text>
      ))}
    </Text>
  );
}
