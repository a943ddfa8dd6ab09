#!/usr/bin/env node
// The launcher: answers --version without loading the program, otherwise runs the built entry.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  try {
    await import('../dist/main.js');
  } catch (error) {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
      process.stderr.write('vitascope-oncall: not built yet; run `npm install` (or `npm run build`) in the repository\n');
      process.exitCode = 5;
    } else {
      throw error;
    }
  }
}
