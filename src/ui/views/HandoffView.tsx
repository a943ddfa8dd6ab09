import { Box } from 'ink';
import { Text } from '../components/SafeText.js';
import React from 'react';
import type { Snapshot } from '../../core/live/poller.js';
import { context } from '../../core/reports/markdown.js';
import { suggestionPlain } from '../../core/reports/renderHandoff.js';
import type { AlarmRow, DurationStats, HandoffReport } from '../../core/reports/types.js';
import { screenLine, safe } from '../../core/sanitize.js';
import { formatClock, formatDuration } from '../../core/time.js';
import type { Theme } from '../theme.js';

function stat(d: DurationStats): string {
  return d.count === 0 || d.meanMs === undefined
    ? '–'
    : `${formatDuration(d.meanMs)} (median ${formatDuration(d.medianMs ?? d.meanMs)}, n=${d.count})`;
}

function describeRisk(k: HandoffReport['next']['risks'][number]): string {
  switch (k.kind) {
    case 'open-incident':
      return `incident ${screenLine(k.incidentId)} open for ${formatDuration(k.openMs)}: ${screenLine(k.title)}`;
    case 'follow-up':
      return `follow-up #${k.id} (${screenLine(k.owner)})${k.overdue ? ' overdue' : ''}: ${screenLine(k.text)}`;
    case 'in-alarm':
      return `${screenLine(k.alarmName)} is in ALARM`;
    case 'noise':
      return `${screenLine(k.alarmName)} fires unanswered (${k.unanswered}×): tune it`;
    case 'failed-action':
      return `${k.actionId} on ${screenLine(k.target)} failed`;
    case 'active-block':
      return `${screenLine(k.address)} blocked at the WAF since ${formatClock(k.blockedAt)}${k.who ? ` by ${screenLine(k.who)}` : ''}: review it`;
  }
}

/** The report's own sentence for a noisy alarm (renderHandoff.ts), never the raw suggestion object. */
function noiseAdvice(a: AlarmRow, timeZone: string): string {
  const text = suggestionPlain(context('en', timeZone), a);
  return text ? `: ${screenLine(text)}` : '';
}

function Section(props: {
  readonly title: string;
  readonly theme: Theme;
  readonly children: React.ReactNode;
}): React.ReactElement {
  return (
    <Box flexDirection="column" marginTop={1} flexShrink={0}>
      <Text bold color={props.theme.title}>
        {safe`${props.title}`}
      </Text>
      {props.children}
    </Box>
  );
}

/**
 * The handoff screen: the week as the handoff report sees it (incidents with MTTA/MTTR, what is still
 * open, actions, noisy alarms, pages at night, next week), the outgoing responder's notes, and the
 * incoming responder's acknowledgement. `n` adds a note, `a` acknowledges: both go to the journal.
 */
export function HandoffView(props: {
  readonly handoff: Snapshot<HandoffReport>;
  readonly height: number;
  readonly theme: Theme;
}): React.ReactElement {
  const { theme } = props;
  const r = props.handoff.data;
  if (!r)
    return (
      <Text
        color={theme.muted}
      >{safe`${props.handoff.health.state === 'error' ? `the handoff could not be built: ${screenLine(props.handoff.health.error ?? '')}` : 'building the handoff report…'}`}</Text>
    );
  // Everything is listed: the screen scrolls (ScreenBody's ScrollBox).
  const few = Number.MAX_SAFE_INTEGER;
  const pending = r.notes.filter((n) => !n.acknowledgedAt);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>{safe`HANDOFF`}</Text>
        <Text
          color={theme.muted}
        >{safe`  ${formatClock(r.period.from)} → ${formatClock(r.period.to)}  ·  on call: ${r.people.onCall.map((s) => `${s.role} ${screenLine(s.person)}`).join(', ') || '–'}`}</Text>
      </Text>
      <Text wrap="truncate-end">
        {safe`${r.totals.incidents} incident${r.totals.incidents === 1 ? '' : 's'} · ${r.totals.escalated} escalated · MTTA ${stat(r.totals.mtta)} · MTTR ${stat(r.totals.mttr)} · `}
        {safe`${r.byPriority.map((p) => `${p.priority} ${p.incidents}${p.open ? ` (${p.open} open)` : ''}`).join('  ')}`}
      </Text>
      <Section
        title={`STILL OPEN  ${r.openIncidents.length} incident${r.openIncidents.length === 1 ? '' : 's'} · ${r.openFollowUps.length} follow-up${r.openFollowUps.length === 1 ? '' : 's'}`}
        theme={theme}
      >
        {r.openIncidents.slice(0, few).map((i) => (
          <Text
            key={i.id}
            wrap="truncate-end"
            color={theme.level.warning}
          >{safe`  ${i.priority ?? '–'} ${screenLine(i.id)} ${i.status} ${screenLine(i.title)}`}</Text>
        ))}
        {r.openFollowUps.slice(0, few).map((f) => (
          <Text
            key={f.id}
            wrap="truncate-end"
            color={f.overdue ? theme.level.critical : undefined}
          >{safe`  follow-up #${f.id} (${screenLine(f.owner)})${f.overdue ? ' OVERDUE' : ''}: ${screenLine(f.text)}`}</Text>
        ))}
      </Section>
      <Section title={`ACTIONS  ${r.actions.length}`} theme={theme}>
        {r.actions.slice(-few).map((a) => (
          <Text
            key={a.runId}
            wrap="truncate-end"
          >{safe`  ${formatClock(a.at)}  ${a.actionId} ${screenLine(a.target)} — ${a.outcome}${a.dryRun ? ' (dry run)' : ''}${a.who ? ` · ${screenLine(a.who)}` : ''}`}</Text>
        ))}
      </Section>
      <Section
        title={`ALARMS  ${r.alarms.firings} firings of ${r.alarms.alarmsFired} alarms · ${r.alarms.noise.length} noise candidates · ${r.alarms.flapping.length} flapping · ${r.alarms.withoutRunbook.length} without a runbook`}
        theme={theme}
      >
        {r.alarms.noise.slice(0, few).map((a) => (
          <Text
            key={a.alarmName}
            wrap="truncate-end"
            color={theme.muted}
          >{safe`  noise: ${screenLine(a.alarmName)} fired ${a.firings}×, ${a.unanswered} unanswered${noiseAdvice(a, r.footer.timeZone)}`}</Text>
        ))}
      </Section>
      <Section
        title={`OUTSIDE WORKING HOURS  ${r.outsideHours.pages.length} of ${r.outsideHours.total} pages`}
        theme={theme}
      >
        {r.outsideHours.pages.slice(0, few).map((p) => (
          <Text
            key={`${p.incidentId}${p.at}`}
            wrap="truncate-end"
          >{safe`  ${formatClock(p.at)}  ${p.priority ?? '–'} ${screenLine(p.title)}`}</Text>
        ))}
      </Section>
      <Section
        title={`NOTES FROM THE OUTGOING RESPONDER  ${r.notes.length}${pending.length ? ` · ${pending.length} not acknowledged` : ''}`}
        theme={theme}
      >
        {r.notes.slice(-few).map((n) => (
          <Text key={n.id} wrap="truncate-end">
            {safe`  ${formatClock(n.at)} ${screenLine(n.from)}: ${screenLine(n.text)}`}
            <Text
              color={n.acknowledgedAt ? theme.ok : theme.level.warning}
            >{safe`${n.acknowledgedAt ? `  ✓ ${screenLine(n.acknowledgedBy ?? '')}` : '  awaiting acknowledgement'}`}</Text>
          </Text>
        ))}
      </Section>
      <Section title="NEXT WEEK" theme={theme}>
        <Text wrap="truncate-end">{safe`  ${r.next.rotation.map((s) => `${s.role} ${screenLine(s.person)}`).join(' · ') || '–'}`}</Text>
        {r.next.risks.slice(0, few).map((k, i) => (
          <Text key={i} wrap="truncate-end" color={theme.level.warning}>
            {safe`  risk: ${describeRisk(k)}`}
          </Text>
        ))}
      </Section>
    </Box>
  );
}
