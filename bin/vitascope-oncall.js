#!/usr/bin/env node
// The launcher: answers --version without loading the program, otherwise runs the built entry.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  // VITASCOPE_DEBUG=1 prints an internal error's stack: through the bundle's source maps (dist/**/*.map)
  // it names src/ files and lines. Node reads a file's map only if this is on when the file loads.
  if (process.env.VITASCOPE_DEBUG) process.setSourceMapsEnabled(true);
  try {
    await import('../dist/main.js');
  } catch (error) {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
      process.stderr.write(
        'vitascope-oncall: not built yet; run `npm install` (or `npm run build`) in the repository\n',
      );
      process.exitCode = 5;
    } else {
      throw error;
    }
  }
}
