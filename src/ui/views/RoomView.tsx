import { Box } from 'ink';
import { useT } from '../hooks/useT.js';
import { Text } from '../components/SafeText.js';
import React from 'react';
import type { RoomView as Room } from '../../core/live/room.js';
import { isLocalIncident } from '../../core/live/roomRegistry.js';
import { screenLine, safe } from '../../core/sanitize.js';
import { wrapWords } from '../render/fitPanel.js';
import { formatClock, formatDuration } from '../../core/time.js';
import type { RoomInput } from '../room.js';
import type { Theme } from '../theme.js';
import { inLanguage } from '../../core/runbooks/stepText.js';
import { PhaseBar } from './room/PhaseBar.js';
import { RoomNews } from './room/RoomNews.js';
import { roomNews } from '../../core/live/roomNews.js';
import type { Incident } from '../../core/model.js';
import { Panel, panelRows, PANEL_FRAME } from '../components/Panel.js';
import { roomQuestion } from './room/questionParts.js';
import { PhaseSteps } from './room/PhaseSteps.js';
import { OutputBlock } from './room/OutputBlock.js';

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
  const t = useT();
  const r = room.runner;
  const dur = (ms: number) => formatDuration(Math.max(0, ms), t.lang);
  const notes = () =>
    r.incomplete.map((id) => `“${screenLine(r.steps.find((s) => s.id === id)?.title ?? id)}”`).join(', ');
  const done = r.steps.filter((s) => s.status === 'done').length;
  const held = room.heldBy;
  // The alarm that opened the incident: when the room follows another one's runbook, the header says so.
  const opener = room.incident.alarmNames[0];
  const forAlarm = room.alarm && opener !== undefined && room.alarm.name !== opener ? room.alarm.name : undefined;
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
  const news = roomNews(
    {
      incident: room.incident,
      openedAt: room.openedAt ?? props.now,
      ...(room.alarm ? { alarmName: room.alarm.name } : {}),
    },
    props.incidents ?? [],
  );
  // The status wraps at word boundaries (a teammate's hold, an error), counted as it is drawn.
  const statusLines = wrapWords(status, Math.max(20, props.width));
  const requiredLine = r.incomplete.length > 0 && r.status !== 'completed';
  // The lines above the steps, counted as drawn (each is one line, cut at the width; the status wraps).
  const headRows =
    3 +
    (forAlarm !== undefined ? 1 : 0) +
    (r.facts?.length ? 1 : 0) +
    (room.before?.length ? 1 : 0) +
    statusLines.length +
    (requiredLine ? 1 : 0) +
    newsRows(news);
  // The open question comes first: it may take all but the lines above and one line of steps.
  const width = Math.max(20, props.width);
  const question = roomQuestion(room, props.input, props.readonly, theme, width - PANEL_FRAME.columns);
  // The question keeps one line of steps above it (the running one): at 80x24 a decision's options and
  // the reason for its suggestion matter more than the list of steps already done.
  const questionBudget = Math.max(5, props.height - headRows - 1 - 1);
  const scroll = props.input.questionScroll ?? 0;
  const questionRows = question ? 1 + panelRows(question.parts, width, questionBudget, scroll) : 0;
  const middle = Math.max(0, props.height - headRows - questionRows);
  const outputRows = r.output?.text.trim() ? 1 + 1 + Math.max(4, Math.min(12, props.height - 30)) : 0;
  const teamRows = room.teammates?.length ? 2 + Math.min(5, room.teammates.length) : 0;
  return (
    <Box flexDirection="column" height={props.height}>
      <Box flexDirection="column" flexShrink={0}>
        <Text wrap="truncate-end">
          <Text
            bold
          >{safe`${t('room.title')}  ${screenLine(room.incident.number !== undefined ? `#${room.incident.number}` : isLocalIncident(room.incident) ? t('room.noIncident') : room.incident.id)} `}</Text>
          <Text color={theme.muted}>{safe`${screenLine(room.incident.title)}`}</Text>
        </Text>
        <Text
          wrap="truncate-end"
          color={theme.muted}
        >{safe`${t('room.runbookLine', { id: screenLine(room.runbook.id), title: screenLine(t.lang === 'ja' && room.runbook.titleJa ? room.runbook.titleJa : inLanguage(room.runbook.title)), priority: room.runbook.priority, done, total: r.steps.length, journal: screenLine(room.id) })}`}</Text>
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
          >{safe`${t('room.facts', { facts: r.facts.map((f) => `${screenLine(f.label)} ${screenLine(f.value)}`).join(' · ') })}`}</Text>
        ) : null}
        {room.before?.length ? (
          <Text
            wrap="truncate-end"
            color={theme.muted}
          >{safe`${t('room.handedOver', { chain: room.before.map((b) => `${screenLine(inLanguage(b.title))} (${screenLine(b.why)})`).join(' → ') })}`}</Text>
        ) : null}
        <PhaseBar runner={r} theme={theme} />
        {statusLines.map((line, i) => (
          <Text
            key={`s${i}`}
            wrap="truncate-end"
            color={room.error ? theme.level.critical : held ? theme.level.warning : theme.accent}
          >{safe`${line}`}</Text>
        ))}
        {r.incomplete.length && r.status !== 'completed' ? (
          <Text
            wrap="truncate-end"
            color={theme.level.warning}
          >{safe`${t('room.requiredNotes', { notes: notes() })}`}</Text>
        ) : null}
        <RoomNews news={news} now={props.now} theme={theme} />
      </Box>
      {/* Steps, output and teammates take what is left; clipped, never drawn over the question. */}
      <Box flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden">
        <Box flexDirection="column" flexShrink={0}>
          <PhaseSteps
            runner={r}
            expanded={props.expanded ?? []}
            evidence={props.input.evidence === true}
            width={props.width}
            maxRows={middle - outputRows - teamRows}
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
        </Box>
      </Box>
      {question ? (
        <Box marginTop={1} flexShrink={0}>
          <Panel
            parts={question.parts}
            width={width}
            height={questionBudget}
            scroll={scroll}
            borderColor={question.border}
            theme={theme}
          />
        </Box>
      ) : null}
    </Box>
  );
}

/** The lines RoomNews draws (components of room/RoomNews.tsx, counted the same way). */
function newsRows(news: ReturnType<typeof roomNews>): number {
  if (!news.related.length && !news.priority) return 0;
  return (
    1 +
    (news.priority ? 1 : 0) +
    (news.related.length ? 1 + Math.min(4, news.related.length) + (news.related.length > 4 ? 1 : 0) : 0)
  );
}
