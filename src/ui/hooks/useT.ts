import { createContext, useContext } from 'react';
import { EN, type Translate } from '../../core/i18n/index.js';

/**
 * The session's translator (snapshot.t) for the views below App: provided once from the snapshot, so a
 * view reads the language the session speaks and no view holds a global. English where no App is above
 * (a component rendered alone in a test).
 */
export const TranslateContext = createContext<Translate>(EN);

export function useT(): Translate {
  return useContext(TranslateContext);
}
