/**
 * The layer boundaries of DESIGN.md, as eslint.config.js states them: lints small files at chosen
 * paths through ESLint's own Node API with the repository's config, so a rule that stops matching
 * (a changed pattern, a moved folder) fails here instead of letting every import through.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const LAYER_RULES = new Set(['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The layer-rule messages ESLint reports for `code` as if it were the file at `filePath`. */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  expect(result, `ESLint linted ${filePath}`).toBeDefined();
  // A file the config ignores would pass everything: make sure it was really linted.
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId !== null && LAYER_RULES.has(m.ruleId)).map((m) => m.message);
}

describe('the layer rules (eslint.config.js)', () => {
  it('core never imports ink or react, statically or lazily', async () => {
    expect(await layerErrors('src/core/x.ts', "import 'ink';\n")).toEqual([
      expect.stringContaining('only the UI (src/ui) imports ink or react'),
    ]);
    expect(await layerErrors('src/core/live/x.ts', "export { useState } from 'react';\n")).toHaveLength(1);
    expect(await layerErrors('src/core/x.ts', "export const load = () => import('ink');\n")).toHaveLength(1);
    expect(await layerErrors('src/core/x.ts', "export { render } from 'ink-testing-library';\n")).toHaveLength(1);
  });

  it('core never imports the UI, the commands or an adapter; the ports it may', async () => {
    expect(await layerErrors('src/core/live/x.ts', "export { App } from '../../ui/App.js';\n")).toHaveLength(1);
    expect(
      await layerErrors('src/core/x.ts', "export { runDoctorCommand } from '../commands/doctor.js';\n"),
    ).toHaveLength(1);
    expect(
      await layerErrors('src/core/actions/x.ts', "export { EcsServices } from '../../sources/aws/ecs.js';\n"),
    ).toHaveLength(1);
    expect(
      await layerErrors('src/core/x.ts', "export const aws = () => import('../sources/aws/index.js');\n"),
    ).toHaveLength(1);
    expect(
      await layerErrors(
        'src/core/actions/x.ts',
        "export type { Sources } from '../../sources/ports.js';\nexport type { LogSource } from '../../sources/logPorts.js';\n",
      ),
    ).toEqual([]);
  });

  it('the UI never imports an adapter; it may name the port types but not import values from them', async () => {
    expect(
      await layerErrors('src/ui/views/X.tsx', "export { EcsServices } from '../../sources/aws/ecs.js';\n"),
    ).toEqual([expect.stringContaining('the UI never imports an adapter')]);
    expect(
      await layerErrors(
        'src/ui/X.tsx',
        "import { createSandbox } from '../sources/sandbox/sandbox.js';\nexport const s = createSandbox;\n",
      ),
    ).toHaveLength(1);
    expect(await layerErrors('src/ui/X.tsx', "export const real = () => import('../sources/real.js');\n")).toHaveLength(
      1,
    );
    expect(
      await layerErrors(
        'src/ui/hooks/x.ts',
        "import { SOMETHING } from '../../sources/ports.js';\nexport const s = SOMETHING;\n",
      ),
    ).toHaveLength(1);
    expect(
      await layerErrors(
        'src/ui/hooks/x.ts',
        "import type { Sources } from '../../sources/ports.js';\nexport type S = Sources;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'src/ui/X.tsx',
        "import { Box } from 'ink';\nimport type { Alarm } from '../core/model.js';\nexport { Box };\nexport type A = Alarm;\n",
      ),
    ).toEqual([]);
  });

  it("the UI takes Text only from components/SafeText.tsx (sanitised strings by type), never ink's own", async () => {
    expect(
      await layerErrors('src/ui/views/X.tsx', "import { Box, Text } from 'ink';\nexport { Box, Text };\n"),
    ).toEqual([expect.stringContaining('use Text from src/ui/components/SafeText.tsx')]);
    expect(
      await layerErrors('src/ui/views/X.tsx', "import { Text } from '../components/SafeText.js';\nexport { Text };\n"),
    ).toEqual([]);
  });

  it('adapters import from core only the model, the pure helpers, and the contracts as types', async () => {
    expect(
      await layerErrors('src/sources/aws/x.ts', "export { openJournal } from '../../core/journal/index.js';\n"),
    ).toHaveLength(1);
    expect(
      await layerErrors('src/sources/x.ts', "export const j = () => import('../core/journal/index.js');\n"),
    ).toHaveLength(1);
    expect(await layerErrors('src/sources/x.ts', "export { LiveModel } from '../core/live/model.js';\n")).toHaveLength(
      1,
    );
    expect(
      await layerErrors('src/sources/sandbox/x.ts', "export { ACTION_IDS } from '../../core/actions/catalogue.js';\n"),
    ).toHaveLength(1);
    expect(await layerErrors('src/sources/aws/x.ts', "export { Box } from 'ink';\n")).toHaveLength(1);
    const allowed = [
      "export type { Alarm } from '../../core/model.js';",
      "export { clip } from '../../core/sanitize.js';",
      "export { DEFAULT_POLICY } from '../../core/policy/defaults.js';",
      "export { maskUrl } from '../../core/journal/secrets.js';",
      "export type { ActionId } from '../../core/actions/catalogue.js';",
      "export type { Reading } from '../../core/deploy/gate.js';",
    ];
    expect(await layerErrors('src/sources/sandbox/x.ts', `${allowed.join('\n')}\n`)).toEqual([]);
  });

  it('the layers are what ESLint applies to the real tree: every source file is linted, none ignored', async () => {
    for (const file of ['src/core/model.ts', 'src/ui/App.tsx', 'src/sources/ports.ts', 'src/core/live/model.ts']) {
      expect(await eslint.isPathIgnored(file), file).toBe(false);
      const config = (await eslint.calculateConfigForFile(file)) as { rules: Record<string, unknown> };
      expect(config.rules['@typescript-eslint/no-restricted-imports'], file).toBeDefined();
    }
  });
});
