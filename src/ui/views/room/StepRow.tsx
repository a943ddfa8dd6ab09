import { Text } from '../../components/SafeText.js';
import React from 'react';
import { MARKS, stepOutcome, type Mark } from '../../../core/runbooks/marks.js';
import type { StepView } from '../../../core/runbooks/progress.js';
import { inLanguage, stepResultText } from '../../../core/runbooks/stepText.js';
import { screenLine, safe } from '../../../core/sanitize.js';
import type { Theme } from '../../theme.js';
import { Link } from '../../components/Link.js';
import { linkUrl } from '../../../core/links.js';

/** A mark's colour from the theme (none under NO_COLOR: the glyph and the word carry it). */
export function toneColour(theme: Theme, tone: Mark['tone']): string | undefined {
  switch (tone) {
    case 'ok':
      return theme.ok;
    case 'bad':
      return theme.level.critical;
    case 'unknown':
      return theme.level.info;
    case 'muted':
      return theme.muted;
    case 'active':
      return theme.accent;
    default:
      return undefined;
  }
}

/**
 * One step of the room: its one mark (glyph and word, marks.ts), its title in the screen's language, and
 * what it found or why it was skipped, in words (no step or option ids).
 */
export function StepRow(props: {
  readonly step: StepView;
  readonly current: boolean;
  readonly theme: Theme;
  /** A link step's URL (a dashboard, a runbook page) drawn as a clickable link where links are on. @default false */
  readonly links?: boolean;
}): React.ReactElement {
  const s = props.step;
  const mark = MARKS[s.outcome ?? stepOutcome(s)];
  const result = s.kind === 'command' && s.status === 'done' ? undefined : stepResultText(s);
  const linked = props.links === true && s.kind === 'link' && s.status === 'done' && result !== undefined;
  return (
    <Text
      wrap="truncate-end"
      color={props.current ? props.theme.accent : toneColour(props.theme, mark.tone)}
      bold={props.current}
    >
      {safe`  ${mark.glyph} ${mark.word.padEnd(8)} ${screenLine(inLanguage(s.title))}${result && !linked ? ` — ${screenLine(result)}` : ''}`}
      {/* The URL is its own label: what is clicked is what is read (https only, checked by linkUrl). */}
      {linked ? (
        <>
          {safe` — `}
          <Link label={screenLine(result!)} url={linkUrl(result)} on />
        </>
      ) : null}
    </Text>
  );
}
