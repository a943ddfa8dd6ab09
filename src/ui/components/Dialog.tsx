import { Box } from 'ink';
import { Text } from './SafeText.js';
import React from 'react';
import { hasControl, safe } from '../../core/sanitize.js';
import type { Health } from '../../core/model.js';
import type { Theme } from '../theme.js';

/** The dialogs the cockpit shows above every view; while one is open, it gets every key. */
export type Dialog =
  | {
      readonly kind: 'confirm';
      readonly title: string;
      /** The thing the action changes, named in the question (and typed, for dangerous ones). */
      readonly target: string;
      readonly lines: readonly string[];
      /** Dangerous actions against production: the target's name must be typed. */
      readonly typed: boolean;
      readonly value: string;
      readonly danger: boolean;
      readonly run: () => Promise<string>;
    }
  | { readonly kind: 'input'; readonly title: string; readonly prompt: string; readonly value: string; readonly submit: (value: string) => Promise<string> }
  | { readonly kind: 'select'; readonly title: string; readonly options: readonly { label: string; value: string }[]; readonly index: number; readonly choose: (value: string) => Promise<string> }
  | { readonly kind: 'busy'; readonly title: string }
  | { readonly kind: 'message'; readonly title: string; readonly lines: readonly string[]; readonly level: Health };

export type DialogKey = { readonly name: string; readonly input: string };

/** What a key does to a dialog: a new dialog, close it, or run its action. Pure, for tests. */
export function dialogKey(d: Dialog, key: DialogKey): { next?: Dialog; run?: () => Promise<string>; close?: boolean } {
  if (key.name === 'escape') return { close: true };
  switch (d.kind) {
    case 'confirm':
      if (d.typed) {
        if (key.name === 'return') return d.value === d.target ? { run: d.run } : { next: d };
        return { next: { ...d, value: edit(d.value, key) } };
      }
      if (key.input === 'y' || key.input === 'Y') return { run: d.run };
      if (key.input === 'n' || key.input === 'N') return { close: true };
      return { next: d };
    case 'input':
      if (key.name === 'return') return d.value.trim() ? { run: () => d.submit(d.value) } : { next: d };
      return { next: { ...d, value: edit(d.value, key) } };
    case 'select': {
      if (key.name === 'return') {
        const chosen = d.options[d.index];
        return chosen ? { run: () => d.choose(chosen.value) } : { next: d };
      }
      const delta = key.name === 'up' || key.input === 'k' ? -1 : key.name === 'down' || key.input === 'j' ? 1 : 0;
      return { next: { ...d, index: Math.min(d.options.length - 1, Math.max(0, d.index + delta)) } };
    }
    case 'busy':
      return { next: d };
    case 'message':
      return key.name === 'return' || key.input === 'q' ? { close: true } : { next: d };
  }
}

/** Text editing for one-line inputs: printable characters (typed or pasted) append, backspace deletes. */
export function edit(value: string, key: DialogKey): string {
  if (key.name === 'backspace' || key.name === 'delete') return [...value].slice(0, -1).join('');
  if (key.name === 'space') return `${value} `;
  // eslint-disable-next-line no-control-regex
  if (key.input && !key.name.startsWith('ctrl+') && !hasControl(key.input)) return value + key.input;
  return value;
}

export function DialogBox(props: { readonly dialog: Dialog; readonly theme: Theme; readonly width: number }): React.ReactElement {
  const { dialog: d, theme } = props;
  const width = Math.min(props.width - 4, 90);
  const border = d.kind === 'confirm' && d.danger ? theme.level.critical : d.kind === 'message' ? theme.level[d.level] : theme.accent;
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
              <Text>{safe`> ${d.value}█`}</Text>
            </>
          ) : (
            <Text color={d.danger ? theme.level.critical : undefined}>{safe`Apply to ${d.target}? y yes · n / Esc no`}</Text>
          )}
        </>
      ) : null}
      {d.kind === 'input' ? (
        <>
          <Text>{safe`${d.prompt}`}</Text>
          <Text>{safe`> ${d.value}█`}</Text>
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
