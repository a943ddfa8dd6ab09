import type { RoomView as Room } from '../../../core/live/room.js';
import type { ParamPrompt } from '../../../core/runbooks/paramPrompt.js';
import { validateParam } from '../../../core/runbooks/paramPrompt.js';
import { inLanguage } from '../../../core/runbooks/stepText.js';
import { changeText } from '../../../core/actions/types.js';
import { SCREEN_LINE_CHARS, screenBlock, screenLine } from '../../../core/sanitize.js';
import { formatDuration } from '../../../core/time.js';
import { answerLine, type PanelParts, type PanelStyle } from '../../components/Panel.js';
import type { PanelPart } from '../../render/fitPanel.js';
import type { RoomInput } from '../../room.js';
import type { Theme } from '../../theme.js';

/** The room's open question as panel parts (components/Panel.tsx) and its border colour. */
export interface Question {
  readonly parts: PanelParts;
  readonly border: string | undefined;
}

type Part = PanelPart<PanelStyle>;

/**
 * A value the room asks for, with its context: what it is, why, what the target holds now, the
 * suggestion Enter takes, and what is wrong with the text as typed (the catalogue's rule), so that a key
 * meant for something else is seen for what it is before it is taken. At 80x24 the why and the
 * suggestion's reason give way first; the question, the answer line and the refusal always show.
 */
export function paramParts(
  p: ParamPrompt,
  text: string,
  error: string | undefined,
  theme: Theme,
  inner: number,
): Part[] {
  const problem = text.trim() ? validateParam(p, text) : error;
  return [
    { text: screenLine(`Give ${p.about}`), style: { bold: true }, pinned: true },
    { text: screenLine(p.why), style: { color: theme.muted }, optional: 2 },
    ...(p.current ? [{ text: screenLine(`Now: ${p.current}`), style: {} }] : []),
    ...(p.suggested
      ? [{ text: screenLine(`Suggested: ${p.suggested.value} — ${p.suggested.from}`), style: {}, hang: 11 }]
      : []),
    answerLine('> ', screenLine(text), inner),
    ...(problem ? [{ text: screenLine(`✗ ${problem}`), style: { color: theme.level.critical }, pinned: true }] : []),
    {
      text: p.suggested
        ? screenLine(`⏎ on an empty line takes ${p.suggested.value} · type another value and ⏎`)
        : '⏎ takes the value · ⏎ on nothing leaves it unset',
      style: { color: theme.muted },
      pinned: true,
      squeeze: true,
    },
  ];
}

/** The open question of the room (a plan to confirm, a decision, a value, a note), or undefined. */
export function roomQuestion(
  room: Room,
  input: RoomInput,
  readonly: boolean,
  theme: Theme,
  inner: number,
): Question | undefined {
  const p = room.pending;
  if (!p) return undefined;
  if (p.kind === 'confirm') {
    const plan = p.prepared.plan;
    const typed = p.prepared.confirmation.kind === 'typed' ? p.prepared.confirmation.text : undefined;
    const danger = plan.danger === 'dangerous';
    const closing: Part[] = readonly
      ? [
          {
            text: 'Read-only: t records a dry run · n declines · Esc leaves the question open',
            style: { color: theme.level.warning },
            pinned: true,
          },
        ]
      : typed !== undefined
        ? [
            {
              text: screenLine(`Type ${typed} and ⏎ to apply · Tab dry run · Esc decline:`),
              style: { color: theme.level.critical },
              pinned: true,
            },
            answerLine('> ', screenLine(input.text), inner),
          ]
        : [
            {
              text: screenLine(`Apply to ${plan.target}? y apply · t dry run · n decline`),
              style: { color: danger ? theme.level.critical : undefined },
              pinned: true,
            },
          ];
    return {
      border: danger ? theme.level.critical : theme.accent,
      parts: [
        {
          text: screenLine(`${plan.title}: ${plan.target}${plan.production ? '  (PRODUCTION)' : ''}`),
          style: { bold: true },
          pinned: true,
        },
        { text: screenLine(plan.summary), style: {} },
        ...plan.changes.map((c) => ({
          text: screenLine(`  ${changeText(c)}`),
          style: {},
          hang: 4,
        })),
        ...plan.blastRadius.map((b) => ({
          text: screenLine(`  ! ${b}`),
          style: { color: theme.level.warning },
          hang: 4,
        })),
        ...(p.conflicts?.length
          ? [
              { text: 'Changed by someone else since the plan:', style: { color: theme.level.critical, bold: true } },
              ...p.conflicts.map((c) => ({
                text: screenLine(`  ${c}`),
                style: { color: theme.level.critical },
                hang: 2,
              })),
            ]
          : []),
        ...(plan.verify.alarm
          ? [
              {
                text: screenLine(
                  `verify: ${plan.verify.alarm} back to ${plan.verify.state ?? 'OK'} within ${formatDuration(plan.verify.timeoutMs)}`,
                ),
                style: { color: theme.muted },
                optional: 1,
              },
            ]
          : []),
        ...closing,
      ],
    };
  }
  if (p.kind === 'decision') {
    const at =
      input.choice ??
      Math.max(
        0,
        p.step.options.findIndex((o) => o.id === p.suggestion.option.id),
      );
    return {
      border: theme.accent,
      parts: [
        { text: screenLine(p.step.title), style: { bold: true }, pinned: true },
        ...(p.step.description
          ? [
              {
                text: screenBlock(inLanguage(p.step.description.trim()), 3 * SCREEN_LINE_CHARS),
                style: { color: theme.muted },
                optional: 2,
              },
            ]
          : []),
        ...p.step.options.map((o, i) => ({
          text: screenLine(
            `${i === at ? '› ' : '  '}${o.label}${o.id === p.suggestion.option.id ? '   ← suggested' : ''}`,
          ),
          style: { inverse: i === at },
          hang: 2,
        })),
        {
          // Never dropped: why the suggestion is what it is matters more than the step's description.
          text: screenLine(`Suggested: ${p.suggestion.option.label} — ${p.suggestion.reason}`),
          style: { color: theme.muted },
        },
        { text: '↑↓ choose · ⏎ take it', style: { color: theme.muted }, pinned: true, squeeze: true },
      ],
    };
  }
  if (p.kind === 'param')
    return { border: theme.accent, parts: paramParts(p, input.text, room.paramError, theme, inner) };
  return {
    border: theme.accent,
    parts: [
      { text: screenLine(p.step.title), style: { bold: true }, pinned: true },
      ...(p.step.description
        ? [
            {
              text: screenBlock(inLanguage(p.step.description.trim()), 4 * SCREEN_LINE_CHARS),
              style: { color: theme.muted },
              optional: 1,
            },
          ]
        : []),
      answerLine('> ', screenLine(input.text), inner),
      {
        text: '⏎ record it in the journal (mirrored to PagerDuty when it is configured) · ⏎ on nothing skips it (it can be written later)',
        style: { color: theme.muted },
        pinned: true,
        squeeze: true,
      },
    ],
  };
}
