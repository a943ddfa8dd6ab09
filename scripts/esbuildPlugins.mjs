// esbuild plugins shared by the build and the benchmarks (so both measure the same code).

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { patchedInkForEsbuild } from './inkVendor.mjs';

/** Ink with the stand-ins of src/ui/vendor/ (scripts/inkVendor.mjs); the build fails on another Ink version. */
export { patchedInkForEsbuild };

const requireHere = createRequire(import.meta.url);

/** For ESM bundles of CommonJS code that calls require() for Node's built-ins. */
export const REQUIRE_BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/**
 * For bundles made on the fly by tests and benchmarks: better-sqlite3 is a native addon and cannot be
 * bundled, so it is imported by absolute URL from this repository's node_modules.
 */
export const betterSqliteFromRepo = {
  name: 'better-sqlite3-from-repo',
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, () => ({
      path: pathToFileURL(requireHere.resolve('better-sqlite3')).href,
      external: true,
    }));
  },
};

/** esbuild options for a Node bundle made on the fly (tests, benchmarks) that may open the journal. */
export const NODE_BUNDLE_WITH_SQLITE = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  banner: { js: REQUIRE_BANNER },
  plugins: [betterSqliteFromRepo],
};

/**
 * Yoga's Emscripten loader checks `typeof fetch` and then fetches its own embedded wasm (a data: URL).
 * On Node, merely reading the global `fetch` loads undici (about 25 ms of the cockpit's start, then
 * a few ms more to fetch a data: URL). With the check answered "no fetch", the loader decodes the
 * embedded base64 itself: the same bytes, compiled the same way. The build fails if the check is not
 * found where it is expected (a new yoga-layout), rather than silently loading undici again.
 */
export const yogaWasmWithoutFetch = {
  name: 'yoga-wasm-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const source = await readFile(args.path, 'utf8');
      const check = '"function"!=typeof fetch';
      const found = source.split(check).length - 1;
      if (found !== 2)
        return {
          errors: [
            {
              text: `yoga-wasm-without-fetch: expected the fetch check twice in ${args.path}, found it ${found} times`,
            },
          ],
        };
      return { contents: source.replaceAll(check, '!0'), loader: 'js' };
    });
  },
};

/** Every plugin the product is built with (the benchmarks bundle with the same). */
export const productPlugins = [patchedInkForEsbuild, yogaWasmWithoutFetch];
