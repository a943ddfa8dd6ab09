// The cockpit's state lives in core (src/core/cockpit/state.ts); the names the views and tests use here.
export { commandLine } from '../core/cockpit/palette.js';
export {
  compileFilter,
  INITIAL_STATE,
  listOf,
  reduce,
  SCREENS,
  scopesFor,
  type CockpitAction as UiAction,
  type CockpitState as UiState,
  type ListId,
  type ListState,
  type ScreenId,
} from '../core/cockpit/state.js';
