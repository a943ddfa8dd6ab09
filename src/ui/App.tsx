import { Box, useApp, useInput } from 'ink';
import { safe } from '../core/sanitize.js';
import { Text } from './components/SafeText.js';
import React, { memo, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Environment } from '../core/model.js';
import type { LiveModel } from '../core/live/model.js';
import type { Policy } from '../core/policy/types.js';
import type { CockpitServices } from '../core/live/services.js';
import { CockpitSession, type SessionOptions } from '../core/cockpit/session.js';
import { screenSpec, TAB_SCREENS, type ScreenId } from '../core/cockpit/screens.js';
import type { Sources } from '../sources/ports.js';
import { Banner, Footer } from './components/Chrome.js';
import { DialogBox } from './components/Dialog.js';
import { useTerminalSize, useTick } from './hooks/useLive.js';
import { chunkKeys, keyName, type Binding, type KeyEvent } from './keys.js';
import { LIST_SPECS } from './listSpecs.js';
import { ScreenBody } from './views/ScreenBody.js';
import type { Theme } from './theme.js';
import { TranslateContext, useT } from './hooks/useT.js';
import type { UiLang } from '../core/lang.js';

export interface AppProps {
  readonly live: LiveModel;
  readonly sources: Sources;
  readonly policy: Policy;
  readonly bindings: readonly Binding[];
  readonly readonly: boolean;
  readonly theme: Theme;
  /** A line about where the data comes from, e.g. the sandbox's scenario and speed. */
  readonly context?: string;
  /** The journal, runbooks, the action engine and incident rooms (loaded when first needed). */
  readonly services?: CockpitServices;
  /** Real time (tests pass their own). */
  readonly wallClock?: () => number;
  /** `y`'s clipboard (OSC 52), when links are on and the terminal takes them. */
  readonly clipboard?: SessionOptions['clipboard'];
  /** The language of the cockpit's own words; @default the process's (--lang, config, locale). */
  readonly lang?: UiLang;
}

const Tabs = memo(function Tabs(props: { readonly screen: ScreenId; readonly theme: Theme }): React.ReactElement {
  const t = useT();
  const title = (id: ScreenId) => t(`screen.${id}`);
  return (
    <Text color={props.theme.muted} wrap="truncate-end">
      {safe`${TAB_SCREENS.map((s, i) => (s.id === props.screen ? `[${i + 1} ${title(s.id)}]` : ` ${i + 1} ${title(s.id)} `)).join(' ')}`}
    </Text>
  );
});
const Header = memo(Banner);
const Hints = memo(Footer);

/**
 * The cockpit's shell: keys go to the session (src/core/cockpit/session.ts), which decides everything;
 * this renders its snapshot. Each part is memoised on the snapshot's slices, so a key re-renders only
 * what it changed.
 */
export function App(props: AppProps): React.ReactElement {
  const { sources, theme } = props;
  const { exit } = useApp();
  const exitRef = useRef(exit);
  exitRef.current = exit;
  const [session] = useState(
    () =>
      new CockpitSession({
        live: props.live,
        sources,
        policy: props.policy,
        bindings: props.bindings,
        readonly: props.readonly,
        services: props.services,
        lists: LIST_SPECS,
        onQuit: () => exitRef.current(),
        ...(props.clipboard ? { clipboard: props.clipboard } : {}),
        ...(props.lang ? { lang: props.lang } : {}),
      }),
  );
  useEffect(() => () => session.close(), [session]);
  const { columns: width, rows: height } = useTerminalSize();
  session.setRows(height);
  const snap = useSyncExternalStore(session.subscribe, session.snapshot);
  const live = snap.live;
  // Ages and countdowns move every second while an incident is open, every 15 s otherwise.
  useTick((live.incidents.data ?? []).some((i) => i.status !== 'resolved') ? 1000 : 15_000);
  const wallNow = (props.wallClock ?? Date.now)();

  useInput((chunk, chunkKey) => {
    for (const { input, key } of chunkKeys(chunk, chunkKey as KeyEvent))
      session.dispatch({ name: keyName(input, key), input });
  });

  const { state } = snap;
  // A list screen fits its box by construction (the table renders the rows that fit, each truncated to the
  // width): it is drawn unclipped, so Ink can reuse each unchanged row's finished line from the last frame
  // (src/ui/vendor/inkOutput.js). Everything else is clipped to the body's box.
  const fits =
    height >= 8 && !state.dialog && !state.room && !state.detail && screenSpec(state.screen).list !== undefined;
  const frame = (
    <Box flexDirection="column" width={width} height={height}>
      <Box flexShrink={0}>
        <Header
          environment={sources.environment as Environment}
          now={live.now}
          theme={theme}
          context={props.context}
          counts={snap.counts}
          countsKnown={snap.countsKnown}
          readonly={props.readonly}
          width={width}
          {...(snap.team ? { team: snap.team } : {})}
        />
      </Box>
      <Box flexShrink={0}>
        <Tabs screen={state.screen} theme={theme} />
      </Box>
      <Box flexDirection="column" flexGrow={1} flexShrink={1} overflow={fits ? 'visible' : 'hidden'}>
        {state.dialog ? (
          <DialogBox dialog={state.dialog} theme={theme} width={width} height={Math.max(5, height - 3)} />
        ) : (
          <ScreenBody
            snap={snap}
            policy={props.policy}
            bindings={props.bindings}
            readonly={props.readonly}
            wallNow={wallNow}
            width={width}
            height={Math.max(5, height - 3)}
            theme={theme}
            onScrollLayout={session.setScrollLayout}
            links={props.clipboard?.links === true}
          />
        )}
      </Box>
      <Box flexShrink={0}>
        <Hints hints={snap.hints} editing={state.editing} flash={state.flash} theme={theme} width={width} />
      </Box>
    </Box>
  );
  // The session's language for every view below (useT), from the snapshot: no view reads a global.
  return <TranslateContext.Provider value={snap.t}>{frame}</TranslateContext.Provider>;
}
