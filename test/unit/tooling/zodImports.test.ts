/**
 * Zod is imported as a namespace (`import * as z from 'zod'`), never as `import { z } from 'zod'`: with
 * the named form esbuild cannot see which schema builders are used and bundles all of zod (its ~50
 * locales, JSON-schema conversion), and the cockpit evaluates about 340 KB more JavaScript before its
 * first frame (issue 14: 1,252 KB with the named form, 910 KB with the namespace form).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** A value import of names from zod (`import { z } …`, `import z, …`); `import type` is erased and costs nothing. */
const NAMED_VALUE_IMPORT = /^\s*import\s+(?!type\b)(?!\*)[^;]*?\bfrom\s+['"]zod(\/[^'"]*)?['"]/m;

describe('zod imports', () => {
  it('finds the named form in a sample and leaves the namespace and type-only forms alone', () => {
    expect(NAMED_VALUE_IMPORT.test("import { z } from 'zod';")).toBe(true);
    expect(NAMED_VALUE_IMPORT.test("import z from 'zod';")).toBe(true);
    expect(NAMED_VALUE_IMPORT.test("import * as z from 'zod';")).toBe(false);
    expect(NAMED_VALUE_IMPORT.test("import type { z } from 'zod';")).toBe(false);
  });

  it('src/ imports zod only as a namespace (or types only)', () => {
    const files = sourceFiles(src);
    expect(files.length).toBeGreaterThan(100);
    const named = files.filter((f) => NAMED_VALUE_IMPORT.test(fs.readFileSync(f, 'utf8')));
    expect(named.map((f) => path.relative(src, f))).toEqual([]);
  });
});
