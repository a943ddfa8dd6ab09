// Bundles src/ into dist/ with esbuild: one minified ESM entry plus lazily loaded chunks, so that
// `--version`, `status` and the cockpit each load only what they use (TESTING.md, "Timing").
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { productPlugins } from './esbuildPlugins.mjs';
import { bundledPackages, noticesText } from './notices.mjs';

const root = new URL('..', import.meta.url);

const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
// Built aside and swapped in, so a build never leaves a half-written dist/ to a running program or test.
const staging = `dist.tmp-${process.pid}`;
rmSync(new URL(staging, root), { recursive: true, force: true });

const result = await build({
  absWorkingDir: root.pathname,
  entryPoints: { main: 'src/main.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  // External maps (dist/**/*.map), linked from each file: VITASCOPE_DEBUG=1 turns Node's source-map
  // support on (bin/vitascope-oncall.js), and stacks then name src/ files and lines. Without the
  // sources' text: a stack needs only the positions, and the package stays small.
  sourcemap: 'linked',
  sourcesContent: false,
  // The /*! */ and @license comments, beside each file; THIRD-PARTY-NOTICES.txt (below) has the rest.
  legalComments: 'linked',
  metafile: true,
  chunkNames: 'chunks/[name]-[hash]',
  // pg's optional native binding (pg-native) is never used: the pure-JS protocol is.
  external: ['better-sqlite3', 'pg-native'],
  // Prefer ES modules: some packages' "main" is a UMD build that require()s its own files at run time.
  mainFields: ['module', 'main'],
  alias: { 'react-devtools-core': './scripts/stubs/react-devtools-core.js' },
  define: { 'process.env.NODE_ENV': '"production"', __VERSION__: JSON.stringify(pkg.version) },
  // Some bundled CommonJS modules call require() for Node built-ins.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  logLevel: 'warning',
  plugins: productPlugins,
}).catch(() => {
  // esbuild has printed what failed (logLevel); its stack trace would add nothing.
  rmSync(new URL(staging, root), { recursive: true, force: true });
  process.exit(1);
});

writeFileSync(
  new URL(`${staging}/THIRD-PARTY-NOTICES.txt`, root),
  noticesText(pkg, bundledPackages(result.metafile, fileURLToPath(root))),
);

const old = `dist.old-${process.pid}`;
try {
  renameSync(new URL('dist', root), new URL(old, root));
} catch {
  // no previous build
}
renameSync(new URL(staging, root), new URL('dist', root));
rmSync(new URL(old, root), { recursive: true, force: true });
