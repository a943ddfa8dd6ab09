import { Box } from 'ink';
import { Text } from '../components/SafeText.js';
import React from 'react';
import type { RoomView as Room } from '../../core/live/room.js';
import { SCREEN_LINE_CHARS, screenBlock, screenLine, safe } from '../../core/sanitize.js';
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
          <Text wrap="wrap" color={theme.muted}>
            {screenBlock(inLanguage(p.step.description.trim()), 3 * SCREEN_LINE_CHARS)}
          </Text>
        ) : null}
        {p.step.options.map((o, i) => (
          <Text key={o.id} inverse={i === at}>
            {safe`${i === at ? '› ' : '  '}${screenLine(o.label)}${o.id === p.suggestion.option.id ? '   ← suggested' : ''}`}
          </Text>
        ))}
        <Text
          wrap="wrap"
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
          {screenBlock(inLanguage(p.step.description.trim()), 4 * SCREEN_LINE_CHARS)}
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
  // Each line of a block wraps on its own (a description's line breaks are kept).
  const wrap = (t: string) =>
    t.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / Math.max(20, width - 4))), 0);
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
        4 + p.step.options.length + wrap(p.suggestion.reason) + 1 + (p.step.description ? wrap(p.step.description) : 0)
      );
    case 'param':
      return 7 + wrap(p.why) + (p.current ? 1 : 0) + (p.suggested ? wrap(p.suggested.from) : 0);
    default:
      return 6 + (p.step.description ? wrap(p.step.description) : 0);
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
  /** Whether a link step's URL (a dashboard) is drawn as a clickable link (OSC 8). @default false */
  readonly links?: boolean;
}): React.ReactElement {
  const { room, theme } = props;
  const r = room.runner;
  const done = r.steps.filter((s) => s.status === 'done').length;
  const held = room.heldBy;
  // The alarm that opened the incident: when the room follows another one's runbook, the header says so.
  const opener = room.incident.alarmNames[0];
  const forAlarm = room.alarm && opener !== undefined && room.alarm.name !== opener ? room.alarm.name : undefined;
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
      {forAlarm !== undefined ? (
        <Text
          wrap="truncate-end"
          color={theme.muted}
        >{safe`for alarm ${screenLine(forAlarm)}, grouped into this incident, which ${screenLine(opener!)} opened`}</Text>
      ) : null}
      {r.facts?.length ? (
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
      {r.incomplete.length && r.status !== 'completed' ? (
        <Text
          wrap="truncate-end"
          color={theme.level.warning}
        >{safe`required notes still to write: ${r.incomplete.map((id) => `“${screenLine(r.steps.find((s) => s.id === id)?.title ?? id)}”`).join(', ')}`}</Text>
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
        maxRows={props.height - 10 - (forAlarm !== undefined ? 1 : 0) - pendingRows(room, props.width)}
        theme={theme}
        links={props.links === true}
      />
      <OutputBlock
        runner={r}
        scroll={props.outputScroll ?? 0}
        lines={Math.max(4, Math.min(12, props.height - 30))}
        theme={theme}
      />
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
        <Pending room={room} input={props.input} readonly={props.readonly} theme={theme} />
      </Box>
    </Box>
  );
}
