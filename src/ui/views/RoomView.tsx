import { Box } from 'ink';
import { Text } from '../components/SafeText.js';
import React from 'react';
import type { RoomView as Room } from '../../core/live/room.js';
import { SCREEN_LINE_CHARS, screenLine, screenText, safe } from '../../core/sanitize.js';
import { formatClock, formatDuration } from '../../core/time.js';
import type { RoomInput } from '../room.js';
import type { Theme } from '../theme.js';
import { inLanguage } from '../../core/runbooks/stepText.js';
import { PhaseBar } from './room/PhaseBar.js';
import { RoomNews } from './room/RoomNews.js';
import { roomNews } from '../../core/live/roomNews.js';
import type { Incident } from '../../core/model.js';
import { ParamQuestion } from './room/ParamQuestion.js';
import { PhaseSteps } from './room/PhaseSteps.js';
import { OutputBlock } from './room/OutputBlock.js';

function Pending(props: {
  readonly room: Room;
  readonly input: RoomInput;
  readonly readonly: boolean;
  readonly theme: Theme;
  /** Too little room for the whole question: its description and reason take one row each. @default false */
  readonly tight?: boolean;
}): React.ReactElement | null {
  const { room, input, theme } = props;
  const long = props.tight ? 'truncate-end' : 'wrap';
  const p = room.pending;
  if (!p) return null;
  if (p.kind === 'confirm') {
    const plan = p.prepared.plan;
    const typed = p.prepared.confirmation.kind === 'typed' ? p.prepared.confirmation.text : undefined;
    return (
      <Box
        flexDirection="column"
        borderStyle="round"
        borderColor={plan.danger === 'dangerous' ? theme.level.critical : theme.accent}
        paddingX={1}
      >
        <Text
          bold
        >{safe`${screenLine(plan.title)}: ${screenLine(plan.target)}${plan.production ? '  (PRODUCTION)' : ''}`}</Text>
        <Text>{screenLine(plan.summary)}</Text>
        {plan.changes.map((c, i) => (
          <Text
            key={i}
          >{safe`  ${screenLine(c.what)}: ${screenLine(String(c.from))} → ${screenLine(String(c.to))}`}</Text>
        ))}
        {plan.blastRadius.map((b, i) => (
          <Text key={`b${i}`} color={theme.level.warning} wrap="wrap">{safe`  ! ${screenLine(b)}`}</Text>
        ))}
        {p.conflicts?.length ? (
          <Box flexDirection="column">
            <Text color={theme.level.critical} bold>{safe`Changed by someone else since the plan:`}</Text>
            {p.conflicts.map((c, i) => (
              <Text key={`c${i}`} color={theme.level.critical}>{safe`  ${screenLine(c)}`}</Text>
            ))}
          </Box>
        ) : null}
        {plan.verify.alarm ? (
          <Text
            color={theme.muted}
          >{safe`verify: ${screenLine(plan.verify.alarm)} back to ${plan.verify.state ?? 'OK'} within ${formatDuration(plan.verify.timeoutMs)}`}</Text>
        ) : null}
        {props.readonly ? (
          <Text
            color={theme.level.warning}
          >{safe`Read-only: t records a dry run · n declines · Esc leaves the question open`}</Text>
        ) : typed !== undefined ? (
          <>
            <Text color={theme.level.critical}>{safe`Type ${typed} and ⏎ to apply · Tab dry run · Esc decline:`}</Text>
            <Text>
              {safe`> ${input.text}`}
              <Text inverse>{safe` `}</Text>
            </Text>
          </>
        ) : (
          <Text
            color={plan.danger === 'dangerous' ? theme.level.critical : undefined}
          >{safe`Apply to ${screenLine(plan.target)}? y apply · t dry run · n decline`}</Text>
        )}
      </Box>
    );
  }
  if (p.kind === 'decision') {
    const at =
      input.choice ??
      Math.max(
        0,
        p.step.options.findIndex((o) => o.id === p.suggestion.option.id),
      );
    return (
      <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
        <Text bold>{screenLine(p.step.title)}</Text>
        {p.step.description ? (
          <Text wrap={long} color={theme.muted}>
            {screenText(inLanguage(p.step.description.trim()), 3 * SCREEN_LINE_CHARS)}
          </Text>
        ) : null}
        {p.step.options.map((o, i) => (
          <Text key={o.id} inverse={i === at}>
            {safe`${i === at ? '› ' : '  '}${screenLine(o.label)}${o.id === p.suggestion.option.id ? '   ← suggested' : ''}`}
          </Text>
        ))}
        <Text
          wrap={long}
          color={theme.muted}
        >{safe`Suggested: ${screenLine(p.suggestion.option.label)} — ${screenLine(p.suggestion.reason)}`}</Text>
        <Text color={theme.muted}>{safe`↑↓ choose · ⏎ take it`}</Text>
      </Box>
    );
  }
  if (p.kind === 'param')
    return (
      <ParamQuestion
        prompt={p}
        text={input.text}
        {...(room.paramError ? { error: room.paramError } : {})}
        theme={theme}
      />
    );
  const prompt = p.step.title;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold>{screenLine(prompt)}</Text>
      {p.step.description ? (
        <Text wrap="wrap" color={theme.muted}>
          {screenText(inLanguage(p.step.description.trim()), 4 * SCREEN_LINE_CHARS)}
        </Text>
      ) : null}
      <Text>
        {safe`> ${input.text}`}
        <Text inverse>{safe` `}</Text>
      </Text>
      <Text
        color={theme.muted}
      >{safe`⏎ record it in the journal (mirrored to PagerDuty when it is configured) · ⏎ on nothing skips it (it can be written later)`}</Text>
    </Box>
  );
}

/** About how many lines the open question takes (its box, wrapped), so that the steps above it fit the screen. */
function pendingRows(room: Room, width: number): number {
  const p = room.pending;
  if (!p) return 0;
  // Words wrap, not characters: a line breaks before the word that does not fit, so count a little short.
  const wrap = (t: string) => Math.max(1, Math.ceil(t.length / Math.max(20, width - 12)));
  switch (p.kind) {
    case 'confirm': {
      const plan = p.prepared.plan;
      return (
        6 +
        wrap(plan.summary) +
        plan.changes.length +
        plan.blastRadius.reduce((n, b) => n + wrap(b), 0) +
        (p.conflicts?.length ?? 0) +
        1
      );
    }
    case 'decision':
      // Borders, the title, the description as drawn (wrapped in full), each option (a long label
      // wraps), the suggestion with its reason, the hint.
      return (
        2 +
        wrap(p.step.title) +
        (p.step.description ? wrap(p.step.description.trim()) : 0) +
        p.step.options.reduce(
          (n, o) =>
            n +
            Math.max(
              1,
              Math.ceil(
                `› ${o.label}${o.id === p.suggestion.option.id ? '   ← suggested' : ''}`.length /
                  Math.max(20, width - 6),
              ),
            ),
          0,
        ) +
        wrap(`Suggested: ${p.suggestion.option.label} — ${p.suggestion.reason}`) +
        1
      );
    case 'param':
      return 7 + wrap(p.why) + (p.current ? 1 : 0) + (p.suggested ? wrap(p.suggested.from) : 0);
    default:
      // Borders, the title (wrapped), the description, the prompt, and the hint (two rows at 80 columns).
      return (
        2 +
        wrap(p.step.title) +
        (p.step.description ? Math.min(4, wrap(p.step.description)) : 0) +
        1 +
        wrap(
          '⏎ record it in the journal (mirrored to PagerDuty when it is configured) · ⏎ on nothing skips it (it can be written later)',
        )
      );
  }
}

/**
 * The incident room: the runbook's phases as a progress bar, every step with its state, the current
 * question (an action's plan to confirm, a decision, a note), live checks, queries as sparklines, and
 * the output of a running command.
 */
export function RoomView(props: {
  readonly room: Room;
  readonly input: RoomInput;
  readonly readonly: boolean;
  readonly now: number;
  /** The wall clock, for how long another process has held the room (leases are wall-clock). @default now */
  readonly wallNow?: number;
  readonly width: number;
  readonly height: number;
  readonly theme: Theme;
  /** Phases shown step by step; the others fold to one line (the current phase always unfolds). @default [] */
  readonly expanded?: readonly string[];
  /** Lines of command output scrolled back from its end. @default 0 */
  readonly outputScroll?: number;
  /** The live incidents, for what opened since the room did and the incident's priority now. @default [] */
  readonly incidents?: readonly Incident[];
}): React.ReactElement {
  const { room, theme } = props;
  const r = room.runner;
  const done = r.steps.filter((s) => s.status === 'done').length;
  const held = room.heldBy;
  const status = held
    ? `held by ${screenLine(`${held.user}@${held.host}`)} pid ${held.pid} since ${formatDuration(Math.max(0, (props.wallNow ?? props.now) - held.since))}: its steps run there; this room shows the journal and takes over when it stops`
    : room.error
      ? `stopped on an error: ${screenLine(room.error)} (g to try again)`
      : r.status === 'completed'
        ? r.incomplete.length
          ? `runbook finished; notes still to write: ${r.incomplete.map((id) => `“${screenLine(r.steps.find((s) => s.id === id)?.title ?? id)}”`).join(', ')}`
          : 'runbook finished'
        : r.status === 'stopped'
          ? 'stopped (g to go on)'
          : r.waiting
            ? `waiting: ${screenLine(r.waiting.what)} (${formatDuration(Math.max(0, r.waiting.until - props.now))} left; s skips)`
            : room.pending
              ? 'waiting for you'
              : 'working…';
  const news = roomNews(
    {
      incident: room.incident,
      openedAt: room.openedAt ?? props.now,
      ...(room.alarm ? { alarmName: room.alarm.name } : {}),
    },
    props.incidents ?? [],
  );
  const outputLines = Math.max(4, Math.min(12, props.height - 30));
  // Every row the room draws besides its steps, so that the steps take what is left and the frame never
  // grows past the terminal (Ink would scroll it: the title row lost, rows drawn over one another).
  const incompleteShown = r.incomplete.length > 0 && r.status !== 'completed';
  const around =
    2 +
    (r.facts?.length ? 1 : 0) +
    (room.before?.length ? 1 : 0) +
    1 +
    Math.max(1, Math.ceil(status.length / Math.max(20, props.width - 2))) +
    (incompleteShown ? 1 : 0) +
    (news.related.length || news.priority
      ? 1 +
        (news.priority ? 1 : 0) +
        (news.related.length ? 1 + Math.min(4, news.related.length) + (news.related.length > 4 ? 1 : 0) : 0)
      : 0) +
    (r.output?.text.trim() ? 2 + outputLines : 0) +
    (room.teammates?.length ? 2 + Math.min(5, room.teammates.length) : 0) +
    1;
  // The steps' own top margin aside. On a small terminal with a tall question open, the question wins:
  // it names its step, and a list cut to nothing but "more above / below" says nothing.
  // One row spare under a question: its rows are estimated, and one too many scrolls the whole frame.
  const stepRows = props.height - around - 1 - (room.pending ? pendingRows(room, props.width) + 1 : 0);
  // Even without the steps the question does not fit: the facts and the notes list make way, and the
  // question's description and reason take one row each (the steps and facts come back once answered).
  const tight = room.pending !== undefined && stepRows < 0;
  const squeezed = tight && stepRows + (r.facts?.length ? 1 : 0) + (incompleteShown ? 1 : 0) < 0;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text
          bold
        >{safe`INCIDENT ROOM  ${screenLine(room.incident.number !== undefined ? `#${room.incident.number}` : room.incident.id)} `}</Text>
        <Text color={theme.muted}>{safe`${screenLine(room.incident.title)}`}</Text>
      </Text>
      <Text
        wrap="truncate-end"
        color={theme.muted}
      >{safe`runbook ${screenLine(room.runbook.id)} — ${screenLine(inLanguage(room.runbook.title))} · ${room.runbook.priority} · ${done}/${r.steps.length} steps done · journal ${screenLine(room.id)}`}</Text>
      {r.facts?.length && !tight ? (
        <Text
          wrap="truncate-end"
          color={theme.muted}
        >{safe`facts: ${r.facts.map((f) => `${screenLine(f.label)} ${screenLine(f.value)}`).join(' · ')}`}</Text>
      ) : null}
      {room.before?.length ? (
        <Text
          wrap="truncate-end"
          color={theme.muted}
        >{safe`handed over from ${room.before.map((b) => `${screenLine(inLanguage(b.title))} (${screenLine(b.why)})`).join(' → ')}`}</Text>
      ) : null}
      <PhaseBar runner={r} theme={theme} />
      <Text
        color={room.error ? theme.level.critical : held ? theme.level.warning : theme.accent}
      >{safe`${status}`}</Text>
      {incompleteShown && !tight ? (
        <Text
          wrap="truncate-end"
          color={theme.level.warning}
        >{safe`required notes still to write: ${r.incomplete.map((id) => `“${screenLine(r.steps.find((s) => s.id === id)?.title ?? id)}”`).join(', ')}`}</Text>
      ) : null}
      <RoomNews news={news} now={props.now} theme={theme} />
      {stepRows >= 3 || !room.pending ? (
        <PhaseSteps
          runner={r}
          expanded={props.expanded ?? []}
          evidence={props.input.evidence === true}
          width={props.width}
          maxRows={stepRows}
          theme={theme}
        />
      ) : null}
      <OutputBlock runner={r} scroll={props.outputScroll ?? 0} lines={outputLines} theme={theme} />
      {room.teammates?.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>{safe`TEAM`}</Text>
          {room.teammates.slice(-5).map((t) => (
            <Text
              key={t.seq}
              wrap="truncate-end"
              color={theme.muted}
            >{safe`  ${formatClock(t.at)} ${screenLine(t.who)}: ${screenLine(t.text)}`}</Text>
          ))}
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Pending room={room} input={props.input} readonly={props.readonly} theme={theme} tight={squeezed} />
      </Box>
    </Box>
  );
}
