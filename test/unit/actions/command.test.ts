/**
 * command.run with real child processes: an argument array, never a shell. Incident data full of shell
 * metacharacters, templated into one element, reaches the program as that one literal argument; the
 * output is captured, capped and made inert before anything prints it; timeouts and missing programs
 * are failures with their reason, journaled with the output.
 */
import { describe, expect, it } from 'vitest';
import { realClock } from '../../../src/core/actions/clock.js';
import { inertOutput, runCommand } from '../../../src/core/actions/command.js';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import type { Who } from '../../../src/core/journal/index.js';
import { renderArgv } from '../../../src/core/runbooks/template.js';
import type { Sources } from '../../../src/sources/ports.js';
import { tempJournal } from '../journal/helpers.js';

const NODE = process.execPath;
/** A child that prints its arguments as JSON, then an escape sequence on stderr. */
const ECHO_ARGS =
  'process.stdout.write(JSON.stringify(process.argv.slice(1)) + "\\n"); process.stderr.write("\\u001b[2J\\u001b]0;pwned\\u0007 done\\n")';
const HOSTILE = '$(touch /tmp/vo-pwned); echo "x" | rm -rf ~ `id` && ; \' \\ * ?';
const me = { id: 'local', name: 'Aiko Tanaka' };
const who: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };
const sources = {
  environment: { kind: 'sandbox', label: 'SANDBOX', production: false },
  now: Date.now,
  close: async () => {},
} as Sources;

describe('runCommand', () => {
  it('passes incident data with shell metacharacters as ONE literal argument (templated per element)', async () => {
    const { argv } = renderArgv([NODE, '-e', ECHO_ARGS, 'title:', '{{incident.title}}', 'plain'], {
      'incident.title': HOSTILE,
    });
    expect(argv).toHaveLength(6);
    const r = await runCommand(argv, { timeoutMs: 10_000 });
    expect(r.exitCode).toBe(0);
    const [first] = r.output.split('\n');
    expect(JSON.parse(first!)).toEqual(['title:', HOSTILE, 'plain']);
  });

  it('captures stdout and stderr made inert: no escape sequence survives', async () => {
    const chunks: string[] = [];
    const r = await runCommand([NODE, '-e', ECHO_ARGS], { timeoutMs: 10_000, onOutput: (c) => chunks.push(c) });
    expect(r.output).not.toMatch(/\u001b|\u0007/);
    expect(r.output).toContain('␛[2J␛]0;pwned␇ done');
    expect(chunks.join('')).toBe(r.output);
    expect(inertOutput('a\tb\r\nc\u001b[0m')).toBe('a    b\nc␛[0m');
  });

  it('caps the output it keeps, says how much it dropped', async () => {
    const r = await runCommand([NODE, '-e', 'process.stdout.write("x".repeat(200000))'], {
      timeoutMs: 10_000,
      maxChars: 1000,
    });
    expect(r.dropped).toBe(199_000);
    expect(r.output).toBe(`${'x'.repeat(1000)}\n… [199000 more characters of output not kept]`);
  });

  it('stops a program that runs past its timeout; a missing program is a clear error', async () => {
    const slow = await runCommand([NODE, '-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 300 });
    expect(slow).toMatchObject({ timedOut: true, error: 'timed out after 300ms' });
    const missing = await runCommand(['vo-no-such-program-xyz', 'arg'], { timeoutMs: 1000 });
    expect(missing).toMatchObject({ error: 'vo-no-such-program-xyz: program not found' });
  });
});

describe('command.run through the engine', () => {
  it('is planned, confirmed, applied with its output, and journaled', async () => {
    const journal = tempJournal();
    const engine = createActionEngine({
      sources,
      actor: me,
      who,
      clock: realClock(),
      journal,
      journalIncidentId: 'room',
    });
    const out = await engine.run(
      {
        action: 'command.run',
        params: { argv: [NODE, '-e', 'console.log("hello", process.argv[1])', HOSTILE], timeout: '10s' },
      },
      async () => ({ answer: 'confirm' }),
    );
    expect(out.status).toBe('verified');
    expect(out.plan).toMatchObject({ danger: 'dangerous', target: NODE });
    const applied = journal.query({ kinds: ['action.applied'] })[0]!;
    expect((applied.payload as { output: string }).output).toBe(`hello ${HOSTILE}\n`);
  });

  it('a failing program is a failed action that keeps what it printed', async () => {
    const journal = tempJournal();
    const engine = createActionEngine({ sources, actor: me, who, clock: realClock(), journal });
    const out = await engine.run(
      {
        action: 'command.run',
        params: { argv: [NODE, '-e', 'console.log("partial"); process.exit(3)'], timeout: '10s' },
      },
      async () => ({ answer: 'confirm' }),
    );
    expect(out).toMatchObject({ status: 'failed', stage: 'apply', error: `${NODE}: exit 3`, output: 'partial\n' });
    expect(journal.query({ kinds: ['action.failed'] })[0]!.payload).toMatchObject({
      stage: 'apply',
      output: 'partial\n',
    });
  });
});

describe('commands run in the configured world', () => {
  const PRINT_AWS =
    'process.stdout.write(JSON.stringify(["AWS_PROFILE","AWS_REGION","AWS_DEFAULT_REGION","AWS_ENDPOINT_URL","AWS_ACCESS_KEY_ID","AWS_SECRET_ACCESS_KEY"].map((k) => process.env[k] ?? null)))';
  const aws = { profile: 'vitascope-prod', region: 'ap-northeast-1', endpointUrl: 'http://127.0.0.1:4566' };
  const world = {
    environment: { kind: 'aws', label: 'prod', production: true, aws },
    now: Date.now,
    close: async () => {},
  } as Sources;

  it("the child gets the configured profile, region and endpoint, and not the shell's credentials that would override the profile", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIAFROMSHELL',
      AWS_SECRET_ACCESS_KEY: 'shell-secret',
      AWS_PROFILE: 'other',
      AWS_REGION: 'us-west-2',
    });
    try {
      const engine = createActionEngine({ sources: world, actor: me, who, clock: realClock(), journal: tempJournal() });
      const out = await engine.run({ action: 'command.run', params: { argv: [NODE, '-e', PRINT_AWS] } }, async (p) =>
        p.confirmation.kind === 'typed' ? { answer: 'confirm', typed: p.confirmation.text } : { answer: 'confirm' },
      );
      expect(out.status).toBe('verified');
      expect(JSON.parse(out.output)).toEqual([
        'vitascope-prod',
        'ap-northeast-1',
        'ap-northeast-1',
        'http://127.0.0.1:4566',
        null,
        null,
      ]);
      expect(out.plan.blastRadius[0]).toContain('(AWS: profile vitascope-prod, ap-northeast-1, http://127.0.0.1:4566)');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it('a read-only command needs no typed name in production; one that is not read-only is refused when marked so', async () => {
    const engine = createActionEngine({ sources: world, actor: me, who, clock: realClock(), journal: tempJournal() });
    const ro = await engine.prepare({
      action: 'command.run',
      params: { argv: ['aws', 'ecs', 'describe-services', '--cluster', 'c'], readonly: true },
      dryRun: true,
    });
    expect(ro.plan.danger).toBe('safe');
    expect(ro.confirmation).toEqual({ kind: 'yes' });
    const rw = await engine.prepare({
      action: 'command.run',
      params: { argv: ['aws', 'ecs', 'describe-services'] },
      dryRun: true,
    });
    expect(rw.confirmation).toEqual({ kind: 'typed', text: 'aws' });
    await expect(
      engine.prepare({
        action: 'command.run',
        params: { argv: ['aws', 'ecs', 'update-service', '--force-new-deployment'], readonly: true },
      }),
    ).rejects.toThrow('marked read-only, but aws ecs update-service is not an operation that only reads');
  });
});
