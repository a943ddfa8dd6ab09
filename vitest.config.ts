import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { inkVersionProblem, patchedInkForVite } from './scripts/inkVendor.mjs';

// The UI tests run the renderer that ships: Ink with the stand-ins of src/ui/vendor/ (scripts/inkVendor.mjs).
const inkProblem = inkVersionProblem();
if (inkProblem) throw new Error(inkProblem);

/**
 * Inlined, Ink's files bring source maps whose TypeScript sources are not published: Vite warns once per
 * file, which says nothing about the product. Only those warnings are dropped (vitest installs its own
 * logger, so this wraps the resolved one).
 */
const quietInkSourceMaps: Plugin = {
  name: 'quiet-ink-source-maps',
  configResolved(config) {
    const warnOnce = config.logger.warnOnce.bind(config.logger);
    config.logger.warnOnce = (message, options) => {
      if (
        /^Sourcemap for ".*[\\/]node_modules[\\/]ink(-testing-library)?[\\/].*" points to missing source files$/.test(
          message,
        )
      )
        return;
      warnOnce(message, options);
    };
  },
};

export default defineConfig({
  plugins: [patchedInkForVite(), quietInkSourceMaps],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real servers; forks keep their child processes apart.
    pool: 'forks',
    env: { TZ: 'UTC', NO_COLOR: '1' },
    // Vite transforms (and so can swap modules into) only what it inlines. ink-testing-library imports
    // ink too, and must get the same inlined copy, or the tests would render through a second, unpatched Ink.
    server: { deps: { inline: [/[\\/]node_modules[\\/]ink[\\/]/, /[\\/]node_modules[\\/]ink-testing-library[\\/]/] } },
  },
});
