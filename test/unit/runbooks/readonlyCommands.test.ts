import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The README promises that the shipped runbooks mark their read-only commands, so `y` is enough for them
 * (an unmarked command asks for its name typed in production: "vitascope-oncall does not know what it
 * changes"). An AWS CLI call that only reads (describe-, list-, get-) must say so.
 */
describe('the shipped runbooks’ read-only commands', () => {
  it('mark every AWS CLI describe/list/get call readonly, and no call that changes something', () => {
    const unmarked: string[] = [];
    const wrong: string[] = [];
    const dir = path.resolve('runbooks');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) return v.forEach(walk);
        if (!v || typeof v !== 'object') return;
        const o = v as Record<string, unknown>;
        if (o.kind === 'command' && Array.isArray(o.command) && o.command[0] === 'aws') {
          const reads = /^(describe|list|get)-/.test(String(o.command[2]));
          if (reads && o.readonly !== true) unmarked.push(`${f} ${String(o.id)}`);
          if (!reads && o.readonly === true) wrong.push(`${f} ${String(o.id)}`);
        }
        Object.values(o).forEach(walk);
      };
      walk(parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    }
    expect(unmarked).toEqual([]);
    expect(wrong).toEqual([]);
  });
});
