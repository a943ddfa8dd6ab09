// Types for scripts/esbuildPlugins.mjs, which the TypeScript tests import.
import type { Plugin } from 'esbuild';

export const REQUIRE_BANNER: string;
export const betterSqliteFromRepo: Plugin;
export const inkOutputWithLastingCaches: Plugin;
export const yogaWasmWithoutFetch: Plugin;
export const interactiveIsNotCi: Plugin;
export const productPlugins: Plugin[];
