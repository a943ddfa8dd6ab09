import { Text } from '../../components/SafeText.js';
import { useT } from '../../hooks/useT.js';
import type { Translate } from '../../../core/i18n/index.js';
import { displayWidth } from '../../../output/table.js';
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

const wordWidths = new Map<string, number>();

/** The widest mark word in the language `t` speaks (at least 8 cells, as the English column was). */
function markWordWidth(t: Translate): number {
  let w = wordWidths.get(t.lang);
  if (w === undefined) {
    w = Math.max(8, ...(Object.keys(MARKS) as (keyof typeof MARKS)[]).map((o) => displayWidth(t(`mark.${o}`))));
    wordWidths.set(t.lang, w);
  }
  return w;
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
  const t = useT();
  const outcome = s.outcome ?? stepOutcome(s);
  const mark = MARKS[outcome];
  const word = t(`mark.${outcome}`);
  // Padded by cells (a kanji is two), to the widest word of the language, so the titles line up.
  const pad = ' '.repeat(Math.max(0, markWordWidth(t) - displayWidth(word)));
  const result = s.kind === 'command' && s.status === 'done' ? undefined : stepResultText(s);
  const linked = props.links === true && s.kind === 'link' && s.status === 'done' && result !== undefined;
  return (
    <Text
      wrap="truncate-end"
      color={props.current ? props.theme.accent : toneColour(props.theme, mark.tone)}
      bold={props.current}
    >
      {safe`  ${mark.glyph} ${word}${pad} ${screenLine(inLanguage(s.title))}${result && !linked ? ` — ${screenLine(result)}` : ''}`}
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
