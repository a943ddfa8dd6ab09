import React from 'react';
import type { ParamPrompt } from '../../../core/runbooks/paramPrompt.js';
import { Panel, PANEL_FRAME } from '../../components/Panel.js';
import type { Theme } from '../../theme.js';
import { paramParts } from './questionParts.js';

/**
 * A value the room asks for, with its context (room/questionParts.ts says what it shows), fitted to
 * `width` × `height`: the question, the answer line and a refusal always in view.
 */
export function ParamQuestion(props: {
  readonly prompt: ParamPrompt;
  readonly text: string;
  readonly error?: string;
  readonly theme: Theme;
  /** @default 80 */
  readonly width?: number;
  /** @default 12 */
  readonly height?: number;
  /** @default 0 */
  readonly scroll?: number;
}): React.ReactElement {
  const width = props.width ?? 80;
  return (
    <Panel
      parts={paramParts(props.prompt, props.text, props.error, props.theme, width - PANEL_FRAME.columns)}
      width={width}
      height={props.height ?? 12}
      scroll={props.scroll ?? 0}
      borderColor={props.theme.accent}
      theme={props.theme}
    />
  );
}
