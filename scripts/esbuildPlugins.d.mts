// Types for scripts/esbuildPlugins.mjs, which the TypeScript tests import.
import type { BuildOptions, Plugin } from 'esbuild';

export const REQUIRE_BANNER: string;
export const betterSqliteFromRepo: Plugin;
export const NODE_BUNDLE_WITH_SQLITE: BuildOptions;
export const patchedInkForEsbuild: Plugin;
export const yogaWasmWithoutFetch: Plugin;
export const productPlugins: Plugin[];
