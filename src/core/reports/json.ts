import { FLAP_FIRINGS, FLAP_WINDOW_MS } from './alarms.js';
import { createFormatter } from './format.js';
import { workingHours, type Ctx } from './markdown.js';
import { messages } from './messages.js';
import { AVAILABILITY_TARGET, LATENCY_SHARE_TARGET } from './summary.js';
import type { Lang, Report } from './types.js';
import { jsonText } from '../sanitize.js';

/**
 * A report as JSON: the model itself, with instants as ISO-8601 strings (fields `at`, `from`, `to`,
 * `start`, `end`, `t` and `…At`), durations as milliseconds (`…Ms`), and the definitions of its figures
 * in the chosen language. Written by the sanitiser's jsonText, as every JSON output is: C0 and C1
 * controls and the bidirectional overrides are escaped, so the output is safe to print.
 */

const INSTANT = /^(?:at|from|to|start|end|t|[a-z]+At)$/;

export function definitions(
  report: Report,
  lang: Lang,
  hours: { start: number; end: number; timeZone: string },
): Record<string, string> {
  const m = messages(lang);
  const c: Ctx = { lang, m, f: createFormatter(lang, hours.timeZone) };
  const base = { mtta: m.footer.mtta, mttr: m.footer.mttr, merge: m.footer.merge };
  switch (report.kind) {
    case 'handoff':
      return {
        ...base,
        flapping: m.footer.flapping(String(FLAP_FIRINGS), c.f.duration(FLAP_WINDOW_MS)),
        noise: m.footer.noise,
        suggestion: m.footer.suggestion,
        runbook: m.footer.runbook,
        outsideHours: m.footer.outsideHours(workingHours(c, hours)),
      };
    case 'incident':
      return {
        ...base,
        impactWindow: m.footer.impactWindow,
        recovery: m.record.footer.recovery,
        timeline: m.record.footer.concise,
      };
    case 'postmortem':
      return {
        ...base,
        impactWindow: m.footer.impactWindow,
        recovery: m.record.footer.recovery,
        timeline: m.record.footer.concise,
        proposedFollowUps: m.record.footer.followUps,
        usersAffected: m.footer.usersAffected,
      };
    case 'summary': {
      const latency = report.sla.find((s) => s.latencyTargetMs !== undefined)?.latencyTargetMs ?? 500;
      return {
        ...base,
        availability: m.footer.availability(c.f.percent(AVAILABILITY_TARGET, 1)),
        latency: m.footer.latency(c.f.value(latency, 'milliseconds'), c.f.percent(LATENCY_SHARE_TARGET, 0)),
        capacity: m.footer.capacity,
      };
    }
  }
}

export function renderJson(report: Report, lang: Lang, extra: Record<string, unknown> = {}): string {
  const text = jsonText({ lang, ...report, ...extra }, 2, (key, value: unknown) =>
    typeof value === 'number' && INSTANT.test(key) && Number.isFinite(value) ? new Date(value).toISOString() : value,
  );
  return `${text}\n`;
}
