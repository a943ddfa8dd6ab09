import { Box } from 'ink';
import { useT } from '../../hooks/useT.js';
import { Text } from '../../components/SafeText.js';
import React from 'react';
import type { ParamPrompt } from '../../../core/runbooks/paramPrompt.js';
import { validateParam } from '../../../core/runbooks/paramPrompt.js';
import { screenLine, safe } from '../../../core/sanitize.js';
import type { Theme } from '../../theme.js';

/**
 * A value the room asks for, with its context: what it is, why, what the target holds now, the
 * suggestion Enter takes, and what is wrong with the text as typed (the catalogue's rule), so that a key
 * meant for something else is seen for what it is before it is taken.
 */
export function ParamQuestion(props: {
  readonly prompt: ParamPrompt;
  readonly text: string;
  readonly error?: string;
  readonly theme: Theme;
}): React.ReactElement {
  const { prompt: p, text, theme } = props;
  const t = useT();
  const problem = text.trim() ? validateParam(p, text) : props.error;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold wrap="wrap">{safe`${t('room.paramGive', { about: screenLine(p.about) })}`}</Text>
      <Text color={theme.muted} wrap="wrap">
        {screenLine(p.why)}
      </Text>
      {p.current ? <Text wrap="wrap">{safe`${t('room.paramNow', { value: screenLine(p.current) })}`}</Text> : null}
      {p.suggested ? (
        <Text wrap="wrap">{safe`${t('room.paramSuggested', { value: screenLine(p.suggested.value), from: screenLine(p.suggested.from) })}`}</Text>
      ) : null}
      <Text>
        {safe`> ${screenLine(text)}`}
        <Text inverse>{safe` `}</Text>
      </Text>
      {problem ? <Text color={theme.level.critical} wrap="wrap">{safe`✗ ${screenLine(problem)}`}</Text> : null}
      <Text
        color={theme.muted}
      >{safe`${p.suggested ? t('room.paramTakeSuggested', { value: screenLine(p.suggested.value) }) : t('room.paramType')}`}</Text>
    </Box>
  );
}
