import type { UiLang } from '../lang.js';
import type { Alarm, Incident, Service } from '../model.js';
import type { LiveModel } from '../live/model.js';
import type { CockpitServices } from '../live/services.js';
import type { Policy } from '../policy/types.js';
import type { Sources } from '../../sources/ports.js';
import type { Binding } from './bindings.js';
import type { ListSpec } from './lists.js';

/** What a cockpit session is made of (App.tsx builds it from what src/commands/cockpit.ts puts together). */
export interface SessionOptions {
  readonly live: LiveModel;
  readonly sources: Sources;
  readonly policy: Policy;
  readonly bindings: readonly Binding[];
  readonly readonly: boolean;
  /** The journal, runbooks, the action engine and incident rooms; absent, those features say so. */
  readonly services?: CockpitServices;
  /** How each list is searched and sorted (the row renderers' own rules). */
  readonly lists: {
    readonly alarms: ListSpec<Alarm>;
    readonly services: ListSpec<Service>;
    readonly incidents: ListSpec<Incident>;
  };
  /** Called once when the responder quits (q, Ctrl-C, `:q`). */
  readonly onQuit?: () => void;
  /**
   * Writes a terminal sequence (OSC 52) for `y`; absent under --no-links or where the terminal is not
   * known to take it (core/links.ts terminalLinks). `links`: whether real sources' items have links
   * (the sandbox's are simulated: its ids are copied, never a console URL for a world that does not exist).
   */
  readonly clipboard?: { readonly write: (sequence: string) => void; readonly links: boolean };
  /** A service's log groups (the configuration's); absent, the services' own rule, else the strategy's defaults. */
  readonly logGroups?: (service: string) => readonly string[] | undefined;
  /** How often a followed log tail is polled (logTail.ts TAIL_POLL_MS unless said). */
  readonly logTailPollMs?: number;
  /** The language of the cockpit's own words, chosen once at start; @default the process's (--lang, config, locale). */
  readonly lang?: UiLang;
}
