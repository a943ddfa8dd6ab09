import { Box } from 'ink';
import React from 'react';
import type { Dialog } from '../../core/cockpit/dialog.js';
import { safe } from '../../core/sanitize.js';
import type { Theme } from '../theme.js';
import { Text } from './SafeText.js';
import { useT } from '../hooks/useT.js';

export { dialogKey, edit, type Dialog, type DialogKey } from '../../core/cockpit/dialog.js';

export function DialogBox(props: {
  readonly dialog: Dialog;
  readonly theme: Theme;
  readonly width: number;
}): React.ReactElement {
  const { dialog: d, theme } = props;
  const t = useT();
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
              <Text color={theme.level.critical}>{safe`${t('dialog.typeToConfirm', { target: d.target })}`}</Text>
              <Text>
                {safe`> ${d.value}`}
                <Text inverse>{safe` `}</Text>
              </Text>
            </>
          ) : (
            <Text
              color={d.danger ? theme.level.critical : undefined}
            >{safe`${t('dialog.applyTo', { target: d.target })}`}</Text>
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
          <Text color={theme.muted}>{safe`${t('dialog.inputKeys')}`}</Text>
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
          <Text color={theme.muted}>{safe`${t('dialog.selectKeys')}`}</Text>
        </>
      ) : null}
      {d.kind === 'busy' ? <Text color={theme.muted}>{safe`${t('dialog.working')}`}</Text> : null}
      {d.kind === 'message' ? (
        <>
          {d.lines.map((l, i) => (
            <Text key={i} wrap="wrap">
              {safe`${l}`}
            </Text>
          ))}
          <Text color={theme.muted}>{safe`${t('dialog.close')}`}</Text>
        </>
      ) : null}
    </Box>
  );
}
