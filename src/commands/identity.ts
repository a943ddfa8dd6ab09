import os from 'node:os';
import type { Person } from '../core/model.js';
import { inertLine } from '../core/sanitize.js';
import type { LoadedConfig } from '../config/load.js';
import type { Sources } from '../sources/ports.js';
import type { Io } from './context.js';

/**
 * Who the responder is, asked once: every event in the journal carries a person, not an OS account (the
 * handoff read "Outgoing: root"). On the first interactive start without `user.name`, the cockpit asks
 * for a name and an email before it opens, offering the PagerDuty user of the token (GET /users/me) when
 * PagerDuty is configured, the OS account otherwise, and saves them as `user.name` / `user.email`.
 * Without a terminal nothing is asked (scripts keep working; VITASCOPE_USER_NAME/EMAIL set it there).
 */

const LOOKUP_MS = 3_000;

/** The token's PagerDuty user, if there is one and it answers in time. */
export async function pagerDutyUser(sources: Sources): Promise<Person | undefined> {
  const whoAmI = sources.incidents?.whoAmI?.bind(sources.incidents);
  if (!whoAmI) return undefined;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), LOOKUP_MS);
  try {
    return await whoAmI(controller.signal);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

export interface Ask {
  (question: string): Promise<string>;
}

/**
 * Asks for the name and email when the configuration has no user.name; returns what was saved (or
 * undefined when nothing was asked). `save` writes one setting (config set).
 */
export async function askIdentityOnce(o: {
  readonly config: LoadedConfig;
  readonly sources: Sources;
  readonly io: Io;
  readonly ask: Ask;
  readonly save: (key: string, value: string) => void;
}): Promise<{ name: string; email?: string } | undefined> {
  if (o.config.effective.user?.name) return undefined;
  const pd = await pagerDutyUser(o.sources);
  let osName = 'responder';
  try {
    osName = os.userInfo().username;
  } catch {
    // No account name: the plain default.
  }
  const defaultName = pd?.name ?? osName;
  const defaultEmail = o.config.effective.user?.email ?? pd?.email ?? o.config.effective.pagerduty?.from;
  o.io.stdout.write(
    `vitascope-oncall records who did what in its journal and reports. Who are you?${pd ? ` (PagerDuty says: ${inertLine(pd.name)})` : ''}\n`,
  );
  const name = (await o.ask(`  your name [${inertLine(defaultName)}]: `)).trim() || defaultName;
  let email: string | undefined;
  for (let tries = 0; tries < 3; tries++) {
    const typed = (
      await o.ask(`  your email${defaultEmail ? ` [${inertLine(defaultEmail)}]` : ' (optional)'}: `)
    ).trim();
    const value = typed || defaultEmail;
    if (!value || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      email = value;
      break;
    }
    o.io.stdout.write(`  "${inertLine(value)}" is not an email address\n`);
  }
  o.save('user.name', name);
  if (email) o.save('user.email', email);
  o.io.stdout.write(
    `  saved as user.name${email ? ' and user.email' : ''} (change with: vitascope-oncall config set user.name …)\n`,
  );
  return { name, ...(email ? { email } : {}) };
}
