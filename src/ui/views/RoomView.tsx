import { Box, Text } from 'ink';
import React from 'react';
import type { RoomView as Room } from '../../core/live/room.js';
import type { StepView } from '../../core/runbooks/progress.js';
import type { FindingRecord } from '../../core/runbooks/steps/findingText.js';
import { inLanguage } from '../../core/lang.js';
import { SCREEN_LINE_CHARS, screenLine, screenText } from '../../core/sanitize.js';
import { formatClock, formatDuration } from '../../core/time.js';
import { sparkline, resample } from '../components/Charts.js';
import type { RoomInput } from '../room.js';
import type { Theme } from '../theme.js';

const PHASES = ['detect', 'triage', 'investigate', 'resolve', 'postmortem'] as const;

const MARK: Record<StepView['status'], string> = { pending: '·', running: '▶', waiting: '…', done: '✓', skipped: '↷' };

/** A check's outcome in words and its mark; no data is its own outcome, never shown as a pass. */
const RESULT_TEXT = { pass: 'pass', fail: 'fail', 'no-data': 'no data' } as const;
const RESULT_MARK = { pass: '✓', fail: '✗', 'no-data': '?' } as const;

function stepLine(s: StepView): string {
  const result = s.result ? ` [${RESULT_TEXT[s.result]}]` : s.chose ? ` [chose ${s.chose}]` : s.action ? ` [${s.action.status}]` : '';
  const why = s.status === 'skipped' && s.reason ? ` — ${s.reason}` : '';
  const mark = s.status === 'done' && s.result ? RESULT_MARK[s.result] : MARK[s.status];
  return `${mark} ${inLanguage(s.title)}${result}${why}`;
}

/** The phases as a progress bar: done ✓, current ●, to come ○. */
function PhaseBar(props: { readonly room: Room; readonly theme: Theme }): React.ReactElement {
  const current = props.room.runner.phase;
  const at = current ? PHASES.indexOf(current) : props.room.runner.status === 'completed' ? PHASES.length : -1;
  return (
    <Text>
      {PHASES.map((p, i) => (
        <Text key={p} color={i < at ? props.theme.ok : i === at ? props.theme.accent : props.theme.muted} bold={i === at}>
          {`${i < at ? '✓' : i === at ? '●' : '○'} ${p}${i < PHASES.length - 1 ? '  ─  ' : ''}`}
        </Text>
      ))}
    </Text>
  );
}

function Pending(props: { readonly room: Room; readonly input: RoomInput; readonly readonly: boolean; readonly theme: Theme }): React.ReactElement | null {
  const { room, input, theme } = props;
  const p = room.pending;
  if (!p) return null;
  if (p.kind === 'confirm') {
    const plan = p.prepared.plan;
    const typed = p.prepared.confirmation.kind === 'typed' ? p.prepared.confirmation.text : undefined;
    return (
      <Box flexDirection="column" borderStyle="round" borderColor={plan.danger === 'dangerous' ? theme.level.critical : theme.accent} paddingX={1}>
        <Text bold>{`${screenLine(plan.title)}: ${screenLine(plan.target)}${plan.production ? '  (PRODUCTION)' : ''}`}</Text>
        <Text>{screenLine(plan.summary)}</Text>
        {plan.changes.map((c, i) => (
          <Text key={i}>{`  ${screenLine(c.what)}: ${screenLine(String(c.from))} → ${screenLine(String(c.to))}`}</Text>
        ))}
        {plan.blastRadius.map((b, i) => (
          <Text key={`b${i}`} color={theme.level.warning} wrap="wrap">{`  ! ${screenLine(b)}`}</Text>
        ))}
        {p.conflicts?.length ? (
          <Box flexDirection="column">
            <Text color={theme.level.critical} bold>Changed by someone else since the plan:</Text>
            {p.conflicts.map((c, i) => (
              <Text key={`c${i}`} color={theme.level.critical}>{`  ${screenLine(c)}`}</Text>
            ))}
          </Box>
        ) : null}
        {plan.verify.alarm ? <Text color={theme.muted}>{`verify: ${screenLine(plan.verify.alarm)} back to ${plan.verify.state ?? 'OK'} within ${formatDuration(plan.verify.timeoutMs)}`}</Text> : null}
        {props.readonly ? (
          <Text color={theme.level.warning}>Read-only: t records a dry run · n declines · Esc leaves the question open</Text>
        ) : typed !== undefined ? (
          <>
            <Text color={theme.level.critical}>{`Type ${typed} and ⏎ to apply · Tab dry run · Esc decline:`}</Text>
            <Text>{`> ${input.text}█`}</Text>
          </>
        ) : (
          <Text color={plan.danger === 'dangerous' ? theme.level.critical : undefined}>{`Apply to ${screenLine(plan.target)}? y apply · t dry run · n decline`}</Text>
        )}
      </Box>
    );
  }
  if (p.kind === 'decision') {
    const at = input.choice ?? Math.max(0, p.step.options.findIndex((o) => o.id === p.suggestion.option.id));
    return (
      <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
        <Text bold>{screenLine(p.step.title)}</Text>
        {p.step.options.map((o, i) => (
          <Text key={o.id} inverse={i === at}>
            {`${i === at ? '› ' : '  '}${screenLine(o.label)}${o.id === p.suggestion.option.id ? `   (suggested: ${screenLine(p.suggestion.reason)})` : ''}`}
          </Text>
        ))}
        <Text color={theme.muted}>↑↓ choose · ⏎ take it</Text>
      </Box>
    );
  }
  const prompt = p.kind === 'note' ? inLanguage(p.step.title) : `A value for ${p.name}`;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold>{screenLine(prompt)}</Text>
      {p.kind === 'note' && p.step.description ? <Text wrap="wrap" color={theme.muted}>{screenText(inLanguage(p.step.description.trim()), 4 * SCREEN_LINE_CHARS)}</Text> : null}
      <Text>{`> ${input.text}█`}</Text>
      <Text color={theme.muted}>{p.kind === 'note' ? '⏎ record it in the journal (mirrored to PagerDuty when it is configured) · ⏎ on nothing skips it' : '⏎ use it'}</Text>
    </Box>
  );
}

/**
 * A logs or traces step's finding: its line, then its top items (patterns with counts, trend and a sparkline,
 * or traces with their critical paths), and, behind room.evidence, the lines and trace ids they stand on.
 * Everything here is outside text: made inert and cut to the screen.
 */
function Finding(props: { readonly finding: FindingRecord; readonly evidence: boolean; readonly width: number; readonly theme: Theme }): React.ReactElement {
  const f = props.finding;
  const spark = Math.max(8, Math.min(20, Math.floor(props.width / 6)));
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" color={f.complete ? props.theme.accent : props.theme.level.warning}>{`      ${screenLine(f.summary)}`}</Text>
      {f.items.slice(0, 5).map((it, i) => (
        <Text key={i} wrap="truncate-end" color={props.theme.muted}>
          {`        ${it.series?.length ? `${sparkline(resample(it.series.map((v, j) => ({ t: j, v })), spark))} ` : ''}${it.count !== undefined ? `${it.count}${it.previousCount !== undefined ? ` (was ${it.previousCount})` : ''} ` : ''}${it.trend ? `${it.trend} ` : ''}${screenLine(it.text)}`}
        </Text>
      ))}
      {props.evidence
        ? f.evidence.slice(0, 5).map((e, i) => (
            <Text key={`e${i}`} wrap="truncate-end">{`        │ ${screenLine(e)}`}</Text>
          ))
        : f.evidence.length
          ? <Text color={props.theme.muted}>{`        the ${f.kind === 'logs' ? 'lines' : 'traces'} behind it: the evidence key`}</Text>
          : null}
    </Box>
  );
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
}): React.ReactElement {
  const { room, theme } = props;
  const r = room.runner;
  const current = r.phase;
  const steps = r.steps.filter((s) => s.phase === current);
  const done = r.steps.filter((s) => s.status === 'done').length;
  const held = room.heldBy;
  const status = held
    ? `held by ${screenLine(`${held.user}@${held.host}`)} pid ${held.pid} since ${formatDuration(Math.max(0, (props.wallNow ?? props.now) - held.since))}: its steps run there; this room shows the journal and takes over when it stops`
    : room.error
      ? `stopped on an error: ${screenLine(room.error)} (g to try again)`
      : r.status === 'completed'
        ? r.incomplete.length
          ? `runbook finished; notes still to write: ${r.incomplete.join(', ')}`
          : 'runbook finished'
        : r.status === 'stopped'
          ? 'stopped (g to go on)'
          : r.waiting
            ? `waiting: ${screenLine(r.waiting.what)} (${formatDuration(Math.max(0, r.waiting.until - props.now))} left; s skips)`
            : room.pending
              ? 'waiting for you'
              : 'working…';
  const output = r.output?.text.trim() ? r.output.text.trimEnd().split('\n').slice(-6) : [];
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{`INCIDENT ROOM  ${screenLine(room.incident.number !== undefined ? `#${room.incident.number}` : room.incident.id)} `}</Text>
        <Text color={theme.muted}>{`${screenLine(room.incident.title)}`}</Text>
      </Text>
      <Text wrap="truncate-end" color={theme.muted}>{`runbook ${screenLine(room.runbook.id)} — ${screenLine(inLanguage(room.runbook.title))} · ${room.runbook.priority} · ${done}/${r.steps.length} steps done · journal ${screenLine(room.id)}`}</Text>
      <PhaseBar room={room} theme={theme} />
      <Text color={room.error ? theme.level.critical : held ? theme.level.warning : theme.accent}>{status}</Text>
      <Box flexDirection="column" marginTop={1}>
        {steps.map((s) => (
          <Box key={s.id} flexDirection="column">
            <Text wrap="truncate-end" color={s.result === 'fail' ? theme.level.warning : s.result === 'no-data' ? theme.level.info : s.status === 'skipped' ? theme.muted : s.id === r.current ? theme.accent : undefined} bold={s.id === r.current}>
              {`  ${screenLine(stepLine(s))}`}
            </Text>
            {s.points?.length ? <Text color={theme.muted}>{`      ${sparkline(resample(s.points, Math.max(10, props.width - 12)))}`}</Text> : null}
            {s.output && s.status === 'done' && s.kind !== 'command' && !s.finding ? <Text wrap="truncate-end" color={theme.muted}>{`      ${screenLine(s.output)}`}</Text> : null}
            {s.finding ? <Finding finding={s.finding} evidence={props.input.evidence === true} width={props.width} theme={theme} /> : null}
          </Box>
        ))}
      </Box>
      {output.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>{`output of ${screenLine(r.output!.stepId)}`}</Text>
          {output.map((l, i) => (
            <Text key={i} wrap="truncate-end" color={theme.muted}>{`  ${screenLine(l)}`}</Text>
          ))}
        </Box>
      ) : null}
      {room.teammates?.length ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold>TEAM</Text>
          {room.teammates.map((t) => (
            <Text key={t.seq} wrap="truncate-end" color={theme.muted}>{`  ${formatClock(t.at)} ${screenLine(t.who)}: ${screenLine(t.text)}`}</Text>
          ))}
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Pending room={room} input={props.input} readonly={props.readonly} theme={theme} />
      </Box>
    </Box>
  );
}
