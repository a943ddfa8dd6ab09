// esbuild plugins shared by the build and the benchmarks (so both measure the same code).

const root = new URL('..', import.meta.url);

/** Ink's Output with caches that last across frames (src/ui/vendor/inkOutput.js says why). */
export const inkOutputWithLastingCaches = {
  name: 'ink-output-lasting-caches',
  setup(b) {
    b.onResolve({ filter: /^\.\/output\.js$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/ink/build/`) ? { path: new URL('src/ui/vendor/inkOutput.js', root).pathname } : undefined,
    );
    // widest-line, which Ink calls for every text node of every frame (src/ui/vendor/widestLine.js).
    b.onResolve({ filter: /^widest-line$/ }, (args) =>
      args.importer.includes(`${'node_modules'}/ink/build/`) ? { path: new URL('src/ui/vendor/widestLine.js', root).pathname } : undefined,
    );
  },
};

