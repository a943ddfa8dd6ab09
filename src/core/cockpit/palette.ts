/**
 * The `:` palette: what a typed word completes to (screens by prefix, else by their letters in order, as
 * k9s does) and where it jumps (an incident by number or id, an alarm by name). Pure; the router asks it
 * on Tab and on Enter, and the footer shows the candidates as the word is typed (a dozen screen names:
 * no per-key work over the big lists, which are searched only on Enter).
 */
import type { Alarm, Incident } from '../model.js';
import { SCREEN_REGISTRY, type ScreenId } from './screens.js';
import type { CockpitAction } from './state.js';

interface Name {
  readonly word: string;
  readonly screen?: ScreenId;
}

/** Every word `:` knows: each screen's id, title (spaces as dashes) and aliases, and quit. */
const NAMES: readonly Name[] = [
  ...SCREEN_REGISTRY.flatMap((s) =>
    [s.id, s.title.replace(/ /g, '-'), ...('aliases' in s ? s.aliases : [])]
      .filter((w, i, all) => all.indexOf(w) === i)
      .map((word) => ({ word, screen: s.id as ScreenId })),
  ),
  { word: 'quit' },
];

/** Whether the letters of `typed` appear in `word` in order ("ics" in "incidents"). */
function subsequence(typed: string, word: string): boolean {
  let at = 0;
  for (const ch of word) if (ch === typed[at]) at += 1;
  return at === typed.length;
}

/** The words a typed prefix could mean: prefixes first, then the fuzzy ones; one entry per screen. */
export function completions(typed: string): string[] {
  const t = typed.trim().replace(/^:/, '').toLowerCase();
  if (!t) return NAMES.filter((n, i) => NAMES.findIndex((m) => m.screen === n.screen) === i).map((n) => n.word);
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (n: Name) => {
    const key = n.screen ?? n.word;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(n.word);
  };
  for (const n of NAMES) if (n.word.startsWith(t)) add(n);
  for (const n of NAMES) if (subsequence(t, n.word)) add(n);
  return out;
}

/** Tab: the one completion, or the longest prefix every candidate shares (the typed word when none). */
export function complete(typed: string): string {
  const c = completions(typed);
  if (c.length === 0) return typed;
  if (c.length === 1) return c[0]!;
  const prefixed = c.filter((w) => w.startsWith(typed.toLowerCase()));
  if (prefixed.length === 0) return typed;
  let common = prefixed[0]!;
  for (const w of prefixed) while (!w.startsWith(common)) common = common.slice(0, -1);
  return common.length > typed.length ? common : typed;
}

/** What the live data offers to jump to. */
export interface JumpTargets {
  readonly incidents: readonly Incident[];
  readonly alarms: readonly Alarm[];
}

/** An incident by its number (`1042`, `#1042`) or id (`PSB1001`), else an alarm by name (exact, else the only one it starts). */
export function jump(
  typed: string,
  t: JumpTargets,
): { readonly list: 'incidents' | 'alarms'; readonly id: string } | undefined {
  const w = typed.trim().replace(/^:/, '');
  if (!w) return undefined;
  const number = /^#?(\d+)$/.exec(w);
  const lower = w.toLowerCase();
  const incident = t.incidents.find((i) => (number ? i.number === Number(number[1]) : i.id.toLowerCase() === lower));
  if (incident) return { list: 'incidents', id: incident.id };
  const exact = t.alarms.find((a) => a.name.toLowerCase() === lower || a.id === w);
  if (exact) return { list: 'alarms', id: exact.id };
  const starting = t.alarms.filter((a) => a.name.toLowerCase().startsWith(lower));
  return starting.length === 1 ? { list: 'alarms', id: starting[0]!.id } : undefined;
}

/** Enter: quit, a screen (by name, else by the only completion), or a jump; otherwise a message saying what is known. */
export function commandLine(value: string, targets: JumpTargets): CockpitAction | 'quit' {
  const word = value.trim().replace(/^:/, '').toLowerCase();
  if (word === 'q' || word === 'quit') return 'quit';
  const named = NAMES.find((n) => n.word === word);
  if (named?.screen) return { type: 'goto', screen: named.screen };
  const to = jump(value, targets);
  if (to) return { type: 'open', list: to.list, id: to.id };
  const c = completions(word);
  const only = c.length === 1 ? NAMES.find((n) => n.word === c[0]) : undefined;
  if (only?.screen) return { type: 'goto', screen: only.screen };
  if (only) return 'quit';
  const text = c.length
    ? `"${word}" could be: ${c.join(', ')} (Tab completes)`
    : `no screen, incident or alarm "${word}": screens are ${completions('').join(', ')}; an incident by number or id; an alarm by name`;
  return { type: 'flash', flash: { text, level: 'warning' } };
}
