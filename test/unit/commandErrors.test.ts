import { describe, expect, it } from 'vitest';
import { CommandExit, guarded, UsageError } from '../../src/commands/errors.js';
import { JournalError } from '../../src/core/journal/errors.js';

function stderr() {
  const lines: string[] = [];
  return { lines, io: { stderr: { write: (s: string) => (lines.push(s), true) } as unknown as NodeJS.WritableStream } };
}

describe('guarded: the one place a command failure becomes a line and an exit code', () => {
  it('a CommandExit ends with its own code, its message made inert', async () => {
    const { lines, io } = stderr();
    expect(
      await guarded(io, 'alarms', async () => {
        throw new CommandExit(3, 'resources.yaml:2:1: bad \u001b[31mred');
      }),
    ).toBe(3);
    expect(lines).toEqual(['vitascope-oncall: alarms: resources.yaml:2:1: bad \u241b[31mred\n']);
  });

  it('usage errors exit 2, a journal that cannot be written 6; anything else is not swallowed', async () => {
    const { lines, io } = stderr();
    expect(
      await guarded(io, 'note', async () => {
        throw new UsageError('--at must be a time');
      }),
    ).toBe(2);
    expect(
      await guarded(io, 'note', async () => {
        throw new JournalError('the disk is full', '/tmp/j.db');
      }),
    ).toBe(6);
    await expect(
      guarded(io, 'note', async () => {
        throw new TypeError('a bug');
      }),
    ).rejects.toThrow('a bug');
    expect(await guarded(io, 'note', async () => 0)).toBe(0);
    expect(lines[0]).toBe('vitascope-oncall: note: --at must be a time\n');
  });
});
