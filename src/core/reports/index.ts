/**
 * Reports written from the journal and the sources: the weekly handoff, the incident report, the
 * postmortem draft and the executive summary; Markdown or JSON, English or Japanese, redacted.
 * Builders (handoff.ts, incident.ts, postmortem.ts, summary.ts) are pure; gather.ts reads; produce.ts
 * puts them together. Core code: no ink, no react.
 */
export {
  FLAP_FIRINGS,
  FLAP_WINDOW_MS,
  analyseAlarms,
  mergeTransitions,
  suggestThreshold,
  suggestWindow,
} from './alarms.js';
export { actionRuns } from './actions.js';
export { lineChartSvg, sparkline, xmlEscape } from './charts.js';
export { createFormatter, type Formatter } from './format.js';
export {
  comparesDirectly,
  findIncident,
  gatherHandoff,
  gatherIncident,
  gatherPostmortem,
  gatherSummary,
  type GatherContext,
} from './gather.js';
export { buildHandoff, type HandoffInput } from './handoff.js';
export { buildIncidentReport, impactWindow, type IncidentInput } from './incident.js';
export { fromJournal, fromSource, mergeIncidents } from './incidents.js';
export { renderJson } from './json.js';
export { messages, type Messages } from './messages.js';
export { buildPostmortem, impactFigures, slug, type ImpactSeries, type PostmortemInput } from './postmortem.js';
export {
  latestEventAt,
  produceHandoff,
  produceIncidentReport,
  producePostmortem,
  produceSummary,
  redactReport,
  type ProduceOptions,
} from './produce.js';
export {
  createRedactor,
  marker,
  noRedaction,
  redactForMirror,
  REDACTION_KINDS,
  type RedactionCounts,
  type RedactionKind,
  type Redactor,
} from './redact.js';
export { renderHandoffMarkdown } from './renderHandoff.js';
export { renderIncidentMarkdown } from './renderIncident.js';
export { renderPostmortem } from './renderPostmortem.js';
export { renderSummaryMarkdown } from './renderSummary.js';
export { buildSummary, AVAILABILITY_TARGET, LATENCY_SHARE_TARGET, ERROR_RATE_DOWN_PERCENT } from './summary.js';
export { byPriority, mean, median, mtta, mttr, timeToAcknowledge, timeToResolve } from './stats.js';
export { mergeTimeline } from './timeline.js';
export type * from './types.js';
