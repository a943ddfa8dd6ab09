import { Box } from 'ink';
import { Text } from '../components/SafeText.js';
import React from 'react';
import { safe } from '../../core/sanitize.js';
import { displayKey, type Binding, type Scope } from '../keys.js';
import type { Theme } from '../theme.js';
import { useT } from '../hooks/useT.js';
import { commandWords } from '../../core/cockpit/bindings.js';

function Group(props: {
  readonly scope: Scope;
  readonly bindings: readonly Binding[];
  readonly theme: Theme;
  readonly compact: boolean;
}): React.ReactElement {
  const t = useT();
  return (
    <Box flexDirection="column" marginBottom={props.compact ? 0 : 1} flexShrink={0}>
      <Text bold>{safe`${t(`scope.${props.scope}`)}`}</Text>
      {props.bindings.map((b) => (
        <Text key={b.id} wrap="truncate-end">
          {safe`  ${b.keys
            .map(displayKey)
            .join(', ')
            .padEnd(props.compact ? 12 : 18)} ${commandWords(b, 'cmd', t) ?? b.description}`}
          <Text color={props.theme.muted}>{safe`${props.compact ? '' : `  ${b.id}`}`}</Text>
        </Text>
      ))}
    </Box>
  );
}

/**
 * Generated from the keybinding table (with the user's overrides), so it is never out of date.
 * Laid out in two columns when one would not fit the screen.
 */
export function HelpView(props: {
  readonly bindings: readonly Binding[];
  readonly readonly: boolean;
  readonly theme: Theme;
  readonly width: number;
  readonly height: number;
}): React.ReactElement {
  const t = useT();
  const scopes = [...new Set(props.bindings.map((b) => b.scope))];
  const groups = scopes.map((scope) => ({ scope, bindings: props.bindings.filter((b) => b.scope === scope) }));
  const lines = groups.reduce((n, g) => n + g.bindings.length + 2, 0);
  const split = lines > props.height - 4 && props.width >= 100;
  let left = groups;
  let right: typeof groups = [];
  if (split) {
    let count = 0;
    const half = lines / 2;
    const cut = groups.findIndex((g) => (count += g.bindings.length + 2) > half);
    left = groups.slice(0, Math.max(1, cut));
    right = groups.slice(Math.max(1, cut));
  }
  const height = (gs: typeof groups) => gs.reduce((n, g) => n + g.bindings.length + 2, 0);
  // Still too tall: no blank lines and no ids (the ids are in the README).
  const compact = Math.max(height(left), height(right)) > props.height - 4;
  const column = (gs: typeof groups) => (
    <Box flexDirection="column" width={split ? Math.floor(props.width / 2) - 1 : undefined}>
      {gs.map((g) => (
        <Group key={g.scope} scope={g.scope} bindings={g.bindings} theme={props.theme} compact={compact} />
      ))}
    </Box>
  );
  return (
    <Box flexDirection="column">
      <Text bold color={props.theme.title} wrap="truncate-end">
        {safe`${t('help.keys')}`}
        <Text color={props.theme.muted}>{safe`  ${t('help.scroll')}${props.readonly ? t('help.readonly') : ''}`}</Text>
      </Text>
      <Box>
        {column(left)}
        {split ? column(right) : null}
      </Box>
      <Text color={props.theme.muted} wrap="truncate-end">
        {safe`${t('help.override')}`}
      </Text>
    </Box>
  );
}
