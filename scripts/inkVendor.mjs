// The patched Ink: which of Ink's modules src/ui/vendor/ replaces, and the one Ink version those
// replacements were written against. The build (esbuildPlugins.mjs) and the UI tests (vitest.config.ts)
// both swap them in from this table, so the renderer the tests run is the renderer that ships.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/**
 * The Ink release the files in src/ui/vendor/ were copied from and patched against. A different Ink may
 * call them differently or not at all: upgrading Ink means re-reading each patch against the new release,
 * then changing this and package.json's exact "ink" version together.
 */
export const PATCHED_INK_VERSION = '6.8.0';

const inkEntry = createRequire(join(root, 'package.json')).resolve('ink');
/** Ink's build folder, as installed (node_modules/ink/build/). */
export const INK_BUILD_DIR = dirname(inkEntry);
const requireFromInk = createRequire(inkEntry);

/**
 * Each replacement: what Ink imports (`specifier`, only from its own build folder), the file that
 * stands in for it, and the module it replaces — whose folder the stand-in's own imports resolve from,
 * so that it measures with the same string-width (and so on) as the module it replaces.
 */
export const INK_SUBSTITUTES = [
  // Ink's Output with caches that last across frames (src/ui/vendor/inkOutput.js says why).
  { specifier: './output.js', file: `${root}/src/ui/vendor/inkOutput.js`, replaces: `${INK_BUILD_DIR}/output.js` },
  // widest-line, which Ink calls for every text node of every frame (src/ui/vendor/widestLine.js).
  {
    specifier: 'widest-line',
    file: `${root}/src/ui/vendor/widestLine.js`,
    replaces: requireFromInk.resolve('widest-line'),
  },
  // is-in-ci answers "no" at an interactive terminal (src/ui/vendor/isInCi.js).
  { specifier: 'is-in-ci', file: `${root}/src/ui/vendor/isInCi.js`, replaces: requireFromInk.resolve('is-in-ci') },
];

/** The stand-in for `specifier` when Ink's own module `importer` imports it, else undefined. */
export function inkSubstitute(specifier, importer) {
  if (!importer || !importer.startsWith(`${INK_BUILD_DIR}/`)) return undefined;
  return INK_SUBSTITUTES.find((s) => s.specifier === specifier);
}

/** For an import made by a stand-in: the module it replaces, to resolve the import from; else undefined. */
export function replacedBy(importer) {
  return INK_SUBSTITUTES.find((s) => s.file === importer)?.replaces;
}

/** The installed Ink's version, or an error message when it is not the one the patches were made against. */
export function inkVersionProblem() {
  const installed = JSON.parse(readFileSync(`${dirname(INK_BUILD_DIR)}/package.json`, 'utf8')).version;
  const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies?.ink;
  if (installed !== PATCHED_INK_VERSION) {
    return `ink ${installed} is installed, but src/ui/vendor/ patches ink ${PATCHED_INK_VERSION} (scripts/inkVendor.mjs): run \`npm install\` to get the pinned version, or re-check each patch against ink ${installed} and update PATCHED_INK_VERSION with package.json`;
  }
  if (pinned !== PATCHED_INK_VERSION) {
    return `package.json asks for ink "${pinned}", but src/ui/vendor/ patches exactly ink ${PATCHED_INK_VERSION} (scripts/inkVendor.mjs): pin "ink": "${PATCHED_INK_VERSION}"`;
  }
  return undefined;
}

/** esbuild: swaps the stand-ins in, and fails the build when the installed Ink is not the patched one. */
export const patchedInkForEsbuild = {
  name: 'patched-ink',
  setup(b) {
    b.onStart(() => {
      const problem = inkVersionProblem();
      return problem ? { errors: [{ text: problem }] } : undefined;
    });
    b.onResolve({ filter: /^(\.\/output\.js|widest-line|is-in-ci)$/ }, (args) => {
      const substitute = inkSubstitute(args.path, args.importer);
      return substitute ? { path: substitute.file } : undefined;
    });
    // The stand-ins' own bare imports (string-width, slice-ansi, …), resolved as the replaced module's would be.
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const replaced = replacedBy(args.importer);
      if (!replaced || args.path.startsWith('node:')) return undefined;
      return b.resolve(args.path, { kind: args.kind, resolveDir: dirname(replaced) });
    });
  },
};

/**
 * Vite (vitest): the same substitutions. Ink and ink-testing-library must be inlined (test.server.deps.inline)
 * for Vite to see Ink's imports at all; otherwise Node loads Ink natively and the stand-ins are never used.
 * (vitest.config.ts checks the version, with inkVersionProblem, before anything runs.)
 */
export function patchedInkForVite() {
  return {
    name: 'patched-ink',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const substitute = inkSubstitute(source, importer);
      if (substitute) return substitute.file;
      const replaced = importer ? replacedBy(importer) : undefined;
      if (!replaced || source.startsWith('.') || source.startsWith('node:')) return undefined;
      return this.resolve(source, replaced, { ...options, skipSelf: true });
    },
  };
}
