import { Box, Text } from 'ink';
import React from 'react';
import type { Dialog } from '../../core/cockpit/dialog.js';
import type { Theme } from '../theme.js';

export { dialogKey, edit, type Dialog, type DialogKey } from '../../core/cockpit/dialog.js';

export function DialogBox(props: { readonly dialog: Dialog; readonly theme: Theme; readonly width: number }): React.ReactElement {
  const { dialog: d, theme } = props;
  const width = Math.min(props.width - 4, 90);
  const border = d.kind === 'confirm' && d.danger ? theme.level.critical : d.kind === 'message' ? theme.level[d.level] : theme.accent;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={border} paddingX={1} width={width}>
      <Text bold>{d.title}</Text>
      {d.kind === 'confirm' ? (
        <>
          {d.lines.map((l, i) => (
            <Text key={i} wrap="wrap">
              {l}
            </Text>
          ))}
          {d.typed ? (
            <>
              <Text color={theme.level.critical}>{`Type ${d.target} to confirm, Esc to cancel:`}</Text>
              <Text>
                {`> ${d.value}`}
                <Text inverse> </Text>
              </Text>
            </>
          ) : (
            <Text color={d.danger ? theme.level.critical : undefined}>{`Apply to ${d.target}? y yes · n / Esc no`}</Text>
          )}
        </>
      ) : null}
      {d.kind === 'input' ? (
        <>
          <Text>{d.prompt}</Text>
          <Text>
            {`> ${d.value}`}
            <Text inverse> </Text>
          </Text>
          <Text color={theme.muted}>⏎ submit · Esc cancel</Text>
        </>
      ) : null}
      {d.kind === 'select' ? (
        <>
          {d.options.map((o, i) => (
            <Text key={o.value} inverse={i === d.index}>
              {i === d.index ? '› ' : '  '}
              {o.label}
            </Text>
          ))}
          <Text color={theme.muted}>↑↓ choose · ⏎ select · Esc cancel</Text>
        </>
      ) : null}
      {d.kind === 'busy' ? <Text color={theme.muted}>working…</Text> : null}
      {d.kind === 'message' ? (
        <>
          {d.lines.map((l, i) => (
            <Text key={i} wrap="wrap">
              {l}
            </Text>
          ))}
          <Text color={theme.muted}>⏎ / Esc close</Text>
        </>
      ) : null}
    </Box>
  );
}
