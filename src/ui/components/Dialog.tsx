import { Box } from 'ink';
import React from 'react';
import type { Dialog } from '../../core/cockpit/dialog.js';
import { safe } from '../../core/sanitize.js';
import type { Theme } from '../theme.js';
import { Text } from './SafeText.js';

export { dialogKey, edit, type Dialog, type DialogKey } from '../../core/cockpit/dialog.js';

export function DialogBox(props: {
  readonly dialog: Dialog;
  readonly theme: Theme;
  readonly width: number;
}): React.ReactElement {
  const { dialog: d, theme } = props;
  const width = Math.min(props.width - 4, 90);
  const border =
    d.kind === 'confirm' && d.danger
      ? theme.level.critical
      : d.kind === 'message'
        ? theme.level[d.level]
        : theme.accent;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={border} paddingX={1} width={width}>
      <Text bold>{safe`${d.title}`}</Text>
      {d.kind === 'confirm' ? (
        <>
          {d.lines.map((l, i) => (
            <Text key={i} wrap="wrap">
              {safe`${l}`}
            </Text>
          ))}
          {d.typed ? (
            <>
              <Text color={theme.level.critical}>{safe`Type ${d.target} to confirm, Esc to cancel:`}</Text>
              <Text>
                {safe`> ${d.value}`}
                <Text inverse>{safe` `}</Text>
              </Text>
            </>
          ) : (
            <Text
              color={d.danger ? theme.level.critical : undefined}
            >{safe`Apply to ${d.target}? y yes · n / Esc no`}</Text>
          )}
        </>
      ) : null}
      {d.kind === 'input' ? (
        <>
          <Text>{safe`${d.prompt}`}</Text>
          <Text>
            {safe`> ${d.value}`}
            <Text inverse>{safe` `}</Text>
          </Text>
          <Text color={theme.muted}>{safe`⏎ submit · Esc cancel`}</Text>
        </>
      ) : null}
      {d.kind === 'select' ? (
        <>
          {d.options.map((o, i) => (
            <Text key={o.value} inverse={i === d.index}>
              {i === d.index ? safe`› ` : safe`  `}
              {safe`${o.label}`}
            </Text>
          ))}
          <Text color={theme.muted}>{safe`↑↓ choose · ⏎ select · Esc cancel`}</Text>
        </>
      ) : null}
      {d.kind === 'busy' ? <Text color={theme.muted}>{safe`working…`}</Text> : null}
      {d.kind === 'message' ? (
        <>
          {d.lines.map((l, i) => (
            <Text key={i} wrap="wrap">
              {safe`${l}`}
            </Text>
          ))}
          <Text color={theme.muted}>{safe`⏎ / Esc close`}</Text>
        </>
      ) : null}
    </Box>
  );
}
