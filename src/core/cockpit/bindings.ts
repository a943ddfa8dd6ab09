/**
 * The keybinding table as the cockpit uses it: the commands' keys with the user's overrides, which
 * command a key runs in the scopes in view, and the footer's hints. The table itself is commands.ts.
 */
import { COMMANDS, type CommandId, type CommandSpec } from './commands.js';
import type { Scope } from './screens.js';
import { CATALOGUES, EN, type MessageKey, type Translate } from '../i18n/index.js';

export type { CommandId, Scope };

/** A command as the keys and the help see it (its handler stays with the table). */
export type Binding = Omit<CommandSpec, 'id' | 'run'> & { readonly id: CommandId };

export const DEFAULT_BINDINGS: readonly Binding[] = COMMANDS;

export class KeyOverrideError extends Error {}

/** The table with user overrides applied; unknown ids or empty key lists are refused by name. */
export function resolveBindings(
  overrides: Readonly<Record<string, string | readonly string[]>> | undefined,
  readonly: boolean,
): Binding[] {
  const known = new Map<string, Binding>(DEFAULT_BINDINGS.map((b) => [b.id, b]));
  for (const [id, keys] of Object.entries(overrides ?? {})) {
    if (!known.has(id)) throw new KeyOverrideError(`keys.${id}: no such command (see the help screen, ?, for the ids)`);
    const list = typeof keys === 'string' ? [keys] : [...keys];
    if (list.length === 0 || list.some((k) => k.length === 0))
      throw new KeyOverrideError(`keys.${id}: needs at least one key`);
    known.set(id, { ...known.get(id)!, keys: list });
  }
  return [...known.values()].filter((b) => !(readonly && b.action));
}

/** The command a key runs in a scope (the first binding that claims it); undefined when none. */
export function commandFor(
  bindings: readonly Binding[],
  name: string,
  scopes: readonly Scope[],
): CommandId | undefined {
  for (const scope of scopes) {
    const found = bindings.find((b) => b.scope === scope && b.keys.includes(name));
    if (found) return found.id;
  }
  return undefined;
}

/** "a ack  R resolve …": the footer's hints for the scopes in view. */
export function hints(
  bindings: readonly Binding[],
  scopes: readonly Scope[],
  t: Translate = EN,
): { key: string; label: string }[] {
  // A hint whose key a more specific scope takes (`/` filters the logs rather than searching them) is not shown.
  return bindings
    .filter((b) => b.hint && scopes.includes(b.scope) && commandFor(bindings, b.keys[0]!, scopes) === b.id)
    .map((b) => ({ key: displayKey(b.keys[0]!), label: commandWords(b, 'hint', t) ?? b.hint! }));
}

/**
 * A command's hint or help description in the cockpit's language (the catalogue's `hint.<id>` and
 * `cmd.<id>`); undefined for a command the catalogue does not know (test/unit/i18n.test.ts says none).
 */
export function commandWords(b: Pick<Binding, 'id'>, which: 'hint' | 'cmd', t: Translate = EN): string | undefined {
  const key = `${which}.${b.id}`;
  return key in CATALOGUES.en ? t(key as MessageKey) : undefined;
}

export function displayKey(k: string): string {
  const names: Record<string, string> = {
    return: '⏎',
    escape: 'esc',
    up: '↑',
    down: '↓',
    pageup: 'PgUp',
    pagedown: 'PgDn',
    space: 'space',
  };
  return names[k] ?? k;
}

/** The config's `keys` (nested by the dots of the ids, or flat) as { id: keys }. */
export function flattenKeyConfig(
  config:
    | Readonly<Record<string, string | readonly string[] | Readonly<Record<string, string | readonly string[]>>>>
    | undefined,
): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = {};
  for (const [k, v] of Object.entries(config ?? {})) {
    if (typeof v === 'string' || Array.isArray(v)) out[k] = v as string | readonly string[];
    else for (const [k2, v2] of Object.entries(v as Record<string, string | readonly string[]>)) out[`${k}.${k2}`] = v2;
  }
  return out;
}
