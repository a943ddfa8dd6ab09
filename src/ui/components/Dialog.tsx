import React from 'react';
import type { Dialog } from '../../core/cockpit/dialog.js';
import { screenLine } from '../../core/sanitize.js';
import type { Translate } from '../../core/i18n/index.js';
import type { Theme } from '../theme.js';
import { useT } from '../hooks/useT.js';
import { answerLine, Panel, PANEL_FRAME, type PanelParts } from './Panel.js';

export { dialogKey, edit, type Dialog, type DialogKey } from '../../core/cockpit/dialog.js';

/** The dialog's parts: its title and the answer line pinned, its text in between (scrolling when too tall). */
function dialogParts(d: Dialog, theme: Theme, inner: number, t: Translate): PanelParts {
  const title = { text: screenLine(d.title), style: { bold: true }, pinned: true };
  switch (d.kind) {
    case 'confirm':
      return [
        title,
        ...d.lines.map((l) => ({ text: screenLine(l), style: {}, hang: 2 })),
        ...(d.typed
          ? [
              {
                text: screenLine(t('dialog.typeToConfirm', { target: d.target })),
                style: { color: theme.level.critical },
                pinned: true,
              },
              answerLine('> ', screenLine(d.value), inner),
            ]
          : [
              {
                text: screenLine(t('dialog.applyTo', { target: d.target })),
                style: { color: d.danger ? theme.level.critical : undefined },
                pinned: true,
              },
            ]),
      ];
    case 'input':
      return [
        title,
        { text: screenLine(d.prompt), style: {} },
        answerLine('> ', screenLine(d.value), inner),
        { text: t('dialog.inputKeys'), style: { color: theme.muted }, pinned: true, squeeze: true },
      ];
    case 'select':
      return [
        title,
        ...d.options.map((o, i) => ({
          text: `${i === d.index ? '› ' : '  '}${screenLine(o.label)}`,
          style: { inverse: i === d.index },
          oneLine: true,
        })),
        { text: t('dialog.selectKeys'), style: { color: theme.muted }, pinned: true, squeeze: true },
      ];
    case 'busy':
      return [title, { text: t('dialog.working'), style: { color: theme.muted } }];
    case 'message':
      return [
        title,
        ...d.lines.map((l) => ({ text: screenLine(l), style: {} })),
        { text: `${t('dialog.close')} · PgUp/PgDn`, style: { color: theme.muted }, pinned: true, squeeze: true },
      ];
  }
}

/**
 * A dialog above the view, fitted to the body of the screen (`width` × `height`): wrapped at word
 * boundaries, its text scrolling (PgUp/PgDn) between the pinned title and answer line when too tall.
 */
export function DialogBox(props: {
  readonly dialog: Dialog;
  readonly theme: Theme;
  readonly width: number;
  /** The rows the dialog may take (the screen's body). @default 20 */
  readonly height?: number;
}): React.ReactElement {
  const { dialog: d, theme } = props;
  const t = useT();
  const width = Math.max(20, Math.min(props.width - 4, 90));
  const border =
    d.kind === 'confirm' && d.danger
      ? theme.level.critical
      : d.kind === 'message'
        ? theme.level[d.level]
        : theme.accent;
  // The chosen option of a long list stays in view.
  const scroll = d.kind === 'select' ? Math.max(0, d.index - 2) : d.kind === 'busy' ? 0 : (d.scroll ?? 0);
  return (
    <Panel
      parts={dialogParts(d, theme, width - PANEL_FRAME.columns, t)}
      width={width}
      height={props.height ?? 20}
      scroll={scroll}
      borderColor={border}
      theme={theme}
    />
  );
}
