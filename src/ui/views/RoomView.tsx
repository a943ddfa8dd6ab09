import { Box } from 'ink';
import { useT } from '../hooks/useT.js';
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
}): React.ReactElement | null {
  const { room, input, theme } = props;
  const t = useT();
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
        >{safe`${screenLine(plan.title)}: ${screenLine(plan.target)}${plan.production ? `  ${t('room.production')}` : ''}`}</Text>
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
            <Text color={theme.level.critical} bold>{safe`${t('room.changedSince')}`}</Text>
            {p.conflicts.map((c, i) => (
              <Text key={`c${i}`} color={theme.level.critical}>{safe`  ${screenLine(c)}`}</Text>
            ))}
          </Box>
        ) : null}
        {plan.verify.alarm ? (
          <Text
            color={theme.muted}
          >{safe`${t('room.verify', { alarm: screenLine(plan.verify.alarm), state: plan.verify.state === 'ALARM' ? t('alarm.stateAlarm') : plan.verify.state === 'INSUFFICIENT_DATA' ? t('alarm.stateNoData') : t('alarm.stateOk'), within: formatDuration(plan.verify.timeoutMs, t.lang) })}`}</Text>
        ) : null}
        {props.readonly ? (
          <Text color={theme.level.warning}>{safe`${t('room.readonlyConfirm')}`}</Text>
        ) : typed !== undefined ? (
          <>
            <Text color={theme.level.critical}>{safe`${t('room.typedConfirm', { target: typed })}`}</Text>
            <Text>
              {safe`> ${input.text}`}
              <Text inverse>{safe` `}</Text>
            </Text>
          </>
        ) : (
          <Text
            color={plan.danger === 'dangerous' ? theme.level.critical : undefined}
          >{safe`${t('room.applyTo', { target: screenLine(plan.target) })}`}</Text>
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
          <Text wrap="wrap" color={theme.muted}>
            {screenText(inLanguage(p.step.description.trim()), 3 * SCREEN_LINE_CHARS)}
          </Text>
        ) : null}
        {p.step.options.map((o, i) => (
          <Text key={o.id} inverse={i === at}>
            {safe`${i === at ? '› ' : '  '}${screenLine(o.label)}${o.id === p.suggestion.option.id ? t('room.suggestedMark') : ''}`}
          </Text>
        ))}
        <Text
          wrap="wrap"
          color={theme.muted}
        >{safe`${t('room.suggested', { option: screenLine(p.suggestion.option.label), reason: screenLine(p.suggestion.reason) })}`}</Text>
        <Text color={theme.muted}>{safe`${t('room.decisionKeys')}`}</Text>
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
      <Text color={theme.muted}>{safe`${t('room.noteKeys')}`}</Text>
    </Box>
  );
}

/** About how many lines the open question takes (its box, wrapped), so that the steps above it fit the screen. */
function pendingRows(room: Room, width: number): number {
  const p = room.pending;
  if (!p) return 0;
  const wrap = (t: string) => Math.max(1, Math.ceil(t.length / Math.max(20, width - 4)));
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
      return (
        4 +
        p.step.options.length +
        wrap(p.suggestion.reason) +
        1 +
        (p.step.description ? Math.min(3, wrap(p.step.description)) : 0)
      );
    case 'param':
      return 7 + wrap(p.why) + (p.current ? 1 : 0) + (p.suggested ? wrap(p.suggested.from) : 0);
    default:
      return 6 + (p.step.description ? Math.min(4, wrap(p.step.description)) : 0);
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
  const t = useT();
  const r = room.runner;
  const dur = (ms: number) => formatDuration(Math.max(0, ms), t.lang);
  const notes = () =>
    r.incomplete.map((id) => `“${screenLine(r.steps.find((s) => s.id === id)?.title ?? id)}”`).join(', ');
  const done = r.steps.filter((s) => s.status === 'done').length;
  const held = room.heldBy;
  const status = held
    ? t('room.heldBy', {
        who: screenLine(`${held.user}@${held.host}`),
        pid: held.pid,
        since: dur((props.wallNow ?? props.now) - held.since),
      })
    : room.error
      ? t('room.stoppedOnError', { error: screenLine(room.error) })
      : r.status === 'completed'
        ? r.incomplete.length
          ? t('room.finishedNotes', { notes: notes() })
          : t('room.finished')
        : r.status === 'stopped'
          ? t('room.stopped')
          : r.waiting
            ? t('room.waitingFor', { what: screenLine(r.waiting.what), left: dur(r.waiting.until - props.now) })
            : room.pending
              ? t('room.waitingForYou')
              : t('room.working');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text
          bold
        >{safe`${t('room.title')}  ${screenLine(room.incident.number !== undefined ? `#${room.incident.number}` : room.incident.id)} `}</Text>
        <Text color={theme.muted}>{safe`${screenLine(room.incident.title)}`}</Text>
      </Text>
      <Text
        wrap="truncate-end"
        color={theme.muted}
      >{safe`${t('room.runbookLine', { id: screenLine(room.runbook.id), title: screenLine(t.lang === 'ja' && room.runbook.titleJa ? room.runbook.titleJa : inLanguage(room.runbook.title)), priority: room.runbook.priority, done, total: r.steps.length, journal: screenLine(room.id) })}`}</Text>
      {r.facts?.length ? (
        <Text
          wrap="truncate-end"
          color={theme.muted}
        >{safe`${t('room.facts', { facts: r.facts.map((f) => `${screenLine(f.label)} ${screenLine(f.value)}`).join(' · ') })}`}</Text>
      ) : null}
      {room.before?.length ? (
        <Text
          wrap="truncate-end"
          color={theme.muted}
        >{safe`${t('room.handedOver', { chain: room.before.map((b) => `${screenLine(inLanguage(b.title))} (${screenLine(b.why)})`).join(' → ') })}`}</Text>
      ) : null}
      <PhaseBar runner={r} theme={theme} />
      <Text
        color={room.error ? theme.level.critical : held ? theme.level.warning : theme.accent}
      >{safe`${status}`}</Text>
      {r.incomplete.length && r.status !== 'completed' ? (
        <Text
          wrap="truncate-end"
          color={theme.level.warning}
        >{safe`${t('room.requiredNotes', { notes: notes() })}`}</Text>
      ) : null}
      <RoomNews
        news={roomNews(
          {
            incident: room.incident,
            openedAt: room.openedAt ?? props.now,
            ...(room.alarm ? { alarmName: room.alarm.name } : {}),
          },
          props.incidents ?? [],
        )}
        now={props.now}
        theme={theme}
      />
      <PhaseSteps
        runner={r}
        expanded={props.expanded ?? []}
        evidence={props.input.evidence === true}
        width={props.width}
        maxRows={props.height - 10 - pendingRows(room, props.width)}
        theme={theme}
      />
      <OutputBlock
        runner={r}
        scroll={props.outputScroll ?? 0}
        lines={Math.max(4, Math.min(12, props.height - 30))}
        theme={theme}
      />
      {room.teammates?.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>{safe`${t('room.team')}`}</Text>
          {room.teammates.slice(-5).map((m) => (
            <Text
              key={m.seq}
              wrap="truncate-end"
              color={theme.muted}
            >{safe`  ${formatClock(m.at)} ${screenLine(m.who)}: ${screenLine(m.text)}`}</Text>
          ))}
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Pending room={room} input={props.input} readonly={props.readonly} theme={theme} />
      </Box>
    </Box>
  );
}
