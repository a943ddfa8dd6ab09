import v8 from 'node:v8';

/**
 * V8's heap sizing for the cockpit, a process that stays open for a whole shift. By default V8 lets
 * the young generation grow to 2 × 16 MB and the old one to up to four times the live data between
 * full collections: with 10,000 alarms and 500 services (about 40 MB live) the cockpit sat at
 * 165–200 MB resident, mostly garbage waiting for a collection. Growing the old generation by a
 * quarter of the live data at most, and keeping the young generation at the size it has when the
 * cockpit starts (1–2 MB), holds it near 105 MB (test/bench/cockpit.mjs). The price is CPU while keys
 * are pressed: about a quarter more, mostly in the collector's helper threads; keypress-to-frame
 * latency and idle CPU stay as they were. Headless commands keep V8's defaults (they favour speed).
 *
 * Both flags are read by V8 each time it sizes the heap, so setting them at run time takes effect at
 * once; the semi-space growth factor freezes the young generation at its size at that moment, so this
 * is called as early as the cockpit path allows (the start of the cockpit command).
 */
export const COCKPIT_V8_FLAGS = ['--heap-growing-percent=25', '--semi-space-growth-factor=1'] as const;

export function tuneHeapForCockpit(): void {
  for (const flag of COCKPIT_V8_FLAGS) v8.setFlagsFromString(flag);
}
