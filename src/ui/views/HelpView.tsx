import { Box, Text } from 'ink';
import React from 'react';
import { displayKey, type Binding, type Scope } from '../keys.js';
import type { Theme } from '../theme.js';

const TITLES: Record<Scope, string> = { global: 'everywhere', list: 'lists', detail: 'details', alarms: 'alarms', services: 'services', incidents: 'incidents' };

/** Generated from the keybinding table (with the user's overrides), so it is never out of date. */
export function HelpView(props: { readonly bindings: readonly Binding[]; readonly readonly: boolean; readonly theme: Theme }): React.ReactElement {
  const scopes = [...new Set(props.bindings.map((b) => b.scope))];
  return (
    <Box flexDirection="column">
      <Text bold color={props.theme.title}>KEYS</Text>
      {scopes.map((scope) => (
        <Box key={scope} flexDirection="column" marginTop={1}>
          <Text bold>{TITLES[scope]}</Text>
          {props.bindings
            .filter((b) => b.scope === scope)
            .map((b) => (
              <Text key={b.id}>
                {`  ${b.keys.map(displayKey).join(', ').padEnd(22)} ${b.description}`}
                <Text color={props.theme.muted}>{`  ${b.id}`}</Text>
              </Text>
            ))}
        </Box>
      ))}
      <Box marginTop={1}>
        <Text color={props.theme.muted}>
          {props.readonly ? 'Read-only: every action that changes anything is off. ' : ''}Override keys in the config: vitascope-oncall config set keys.incident.ack '["a","A"]'
        </Text>
      </Box>
    </Box>
  );
}
