import { displayTimeZone, formatClock } from '../time.js';
import type { Runbook, Step } from './schema.js';

/**
 * The screen's own facts a runbook's words may name: `{{display.timezone}}` is the zone every time on the
 * screen is shown in (display.timezone, UTC under --utc, else the machine's). A prompt that says which zone
 * to write times in must name the zone the responder is looking at, never a fixed one ("JST").
 */
const DISPLAY = /\{\{\s*display\.timezone\s*\}\}/g;

/** "Asia/Tokyo (GMT+9)": the display zone, with the name the screen's clock gives it when that differs. */
export function displayZoneLabel(at: number = Date.now()): string {
  const zone = displayTimeZone();
  const shown = formatClock(at).split(' ').at(-1) ?? '';
  return shown && shown !== zone ? `${zone} (${shown})` : zone;
}

function written(text: string, zone: string): string {
  return text.includes('{{') ? text.replace(DISPLAY, zone) : text;
}

/** The runbook with the screen's variables written into its step titles and descriptions (nothing else changes). */
export function withDisplayText(runbook: Runbook, zone: string = displayZoneLabel()): Runbook {
  const step = (s: Step): Step => {
    const title = written(s.title, zone);
    const description = s.description === undefined ? undefined : written(s.description, zone);
    return title === s.title && description === s.description
      ? s
      : ({ ...s, title, ...(description !== undefined ? { description } : {}) } as Step);
  };
  const phases = Object.fromEntries(
    Object.entries(runbook.phases).map(([phase, steps]) => [phase, steps.map(step)]),
  ) as Runbook['phases'];
  return { ...runbook, phases };
}
