/**
 * The catalogue's limits by meaning: which addresses a block may name (never the whole internet, a
 * private, shared, loopback, link-local, multicast or reserved range, a range wider than the configured
 * prefix, or a CIDR with host bits set), how long a silence and a command may last; the engine refuses
 * them before reading anything, dry runs included, and journals the refusal. A block is dangerous (the
 * target typed in production), and read-only mode is enforced at the change itself.
 */
import { describe, expect, it } from 'vitest';
import { simulatedClock } from '../../../src/core/actions/clock.js';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import { ActionPlanError, ReadOnlyError } from '../../../src/core/actions/errors.js';
import { guardChange } from '../../../src/core/actions/gate.js';
import { actionLimits, DEFAULT_ACTION_LIMITS } from '../../../src/core/actions/limits.js';
import { limitProblem } from '../../../src/core/actions/targets.js';
import { ACTION_DANGER } from '../../../src/core/actions/catalogue.js';
import type { Who } from '../../../src/core/journal/index.js';
import { blockProblem, cidrProblem } from '../../../src/core/net.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import type { Sources } from '../../../src/sources/ports.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { attackerAddress } from '../../../src/sources/sandbox/scenarios.js';
import { validateConfig } from '../../../src/config/validate.js';
import { tempJournal } from '../journal/helpers.js';

const real = { limits: DEFAULT_ACTION_LIMITS, sandbox: false };
const LIMITS = DEFAULT_ACTION_LIMITS.blockPrefix;

describe('what a block may name', () => {
  it.each([
    ['0.0.0.0/0', '0.0.0.0/0 is the whole IPv4 internet: blocking it would refuse every user'],
    ['::/0', '::/0 is the whole IPv6 internet: blocking it would refuse every user'],
    ['1.2.3.4/0', '1.2.3.4/0 has host bits set: the range it names is 0.0.0.0/0 (give that, or the single address)'],
    ['1.2.3.4/8', '1.2.3.4/8 has host bits set: the range it names is 1.0.0.0/8 (give that, or the single address)'],
    [
      '2a00:1450:4001:1::/48',
      '2a00:1450:4001:1::/48 has host bits set: the range it names is 2a00:1450:4001::/48 (give that, or the single address)',
    ],
    [
      '10.0.0.0/8',
      '10.0.0.0/8 covers 16,777,216 addresses: a block is at most a /24 (limits.blockPrefixV4); block the attacking addresses or a narrower range',
    ],
    [
      '8.8.0.0/16',
      '8.8.0.0/16 covers 65,536 addresses: a block is at most a /24 (limits.blockPrefixV4); block the attacking addresses or a narrower range',
    ],
    [
      '2a00:1450::/32',
      expect.stringMatching(
        /^2a00:1450::\/32 covers 79,228,162,514,264,340,000,000,000,000 addresses: a block is at most a \/48 \(limits\.blockPrefixV6\)/,
      ),
    ],
    [
      '127.0.0.1',
      expect.stringMatching(
        /^127\.0\.0\.1 is in 127\.0\.0\.0\/8, loopback: not an address the public internet reaches us from/,
      ),
    ],
    ['::1', expect.stringMatching(/^::1 is in ::1\/128, loopback:/)],
    ['10.1.2.3', expect.stringMatching(/^10\.1\.2\.3 is in 10\.0\.0\.0\/8, private \(RFC 1918\)/)],
    ['172.31.255.0/24', expect.stringMatching(/is in 172\.16\.0\.0\/12, private \(RFC 1918\)/)],
    ['192.168.1.1', expect.stringMatching(/is in 192\.168\.0\.0\/16, private \(RFC 1918\)/)],
    ['100.64.12.1', expect.stringMatching(/is in 100\.64\.0\.0\/10, carrier-grade NAT shared space \(RFC 6598\)/)],
    ['169.254.169.254', expect.stringMatching(/is in 169\.254\.0\.0\/16, link-local/)],
    ['224.0.0.251', expect.stringMatching(/is in 224\.0\.0\.0\/4, multicast/)],
    ['255.255.255.255', expect.stringMatching(/is in 240\.0\.0\.0\/4, reserved \(and broadcast\)/)],
    ['0.1.2.3', expect.stringMatching(/is in 0\.0\.0\.0\/8, "this network"/)],
    ['198.18.0.1', expect.stringMatching(/is in 198\.18\.0\.0\/15, benchmarking/)],
    ['203.0.113.7', expect.stringMatching(/is in 203\.0\.113\.0\/24, documentation \(RFC 5737\)/)],
    ['2001:db8::7', expect.stringMatching(/is in 2001:db8::\/32, documentation \(RFC 3849\)/)],
    ['fd12:3456::1', expect.stringMatching(/is in fc00::\/7, unique local \(ULA, private\)/)],
    ['fe80::1', expect.stringMatching(/is in fe80::\/10, link-local/)],
    ['ff02::1', expect.stringMatching(/is in ff00::\/8, multicast/)],
    ['::ffff:8.8.8.8', expect.stringMatching(/is in ::ffff:0:0\/96, IPv4-mapped/)],
    ['fe80::1%eth0', 'fe80::1%eth0 is not an IP address or CIDR'],
    ['1.2.3.4/33', '1.2.3.4/33 is not an IP address or CIDR'],
  ])('refuses %s', (address, message) => {
    expect(blockProblem(address, LIMITS)).toEqual(message);
    expect(limitProblem('waf.block-address', { address, reason: 'x' }, real)).toEqual(message);
  });

  it('a range wider than the limit that holds a special range is refused for the width; narrower ones for the range they contain', () => {
    expect(blockProblem('192.168.0.0/15', { v4: 8, v6: 48 })).toMatch(
      /^192\.168\.0\.0\/15 contains 192\.168\.0\.0\/16, private/,
    );
    expect(blockProblem('192.168.0.0/16', { v4: 8, v6: 48 })).toMatch(
      /^192\.168\.0\.0\/16 is in 192\.168\.0\.0\/16, private/,
    );
    expect(blockProblem('10.0.0.0/7', { v4: 1, v6: 48 })).toMatch(/^10\.0\.0\.0\/7 contains 10\.0\.0\.0\/8, private/);
    expect(blockProblem('0.0.0.0/1', LIMITS)).toMatch(/covers 2,147,483,648 addresses/);
  });

  it.each([
    '8.8.8.8',
    '8.8.8.0/24',
    '151.101.1.7/32',
    '93.184.216.0/25',
    '2606:2800:220:1::7',
    '2a00:1450:4001::/48',
    '2A00:1450:4001:0:0:0:0:0/64',
  ])('allows the public address or range %s', (address) => {
    expect(blockProblem(address, LIMITS)).toBeUndefined();
  });

  it('the sandbox may block the documentation ranges its simulated attackers use, and nothing else special', () => {
    const sandbox = { limits: DEFAULT_ACTION_LIMITS, sandbox: true };
    expect(limitProblem('waf.block-address', { address: '203.0.113.7', reason: 'x' }, sandbox)).toBeUndefined();
    expect(limitProblem('waf.block-address', { address: '2001:db8::/48', reason: 'x' }, sandbox)).toBeUndefined();
    expect(limitProblem('waf.block-address', { address: '10.0.0.1', reason: 'x' }, sandbox)).toMatch(/private/);
    expect(limitProblem('waf.block-address', { address: '0.0.0.0/0', reason: 'x' }, sandbox)).toMatch(
      /whole IPv4 internet/,
    );
  });

  it('the prefix limit comes from the configuration', () => {
    const wide = { limits: actionLimits({ blockPrefixV4: 16, blockPrefixV6: 32 }), sandbox: false };
    expect(limitProblem('waf.block-address', { address: '8.8.0.0/16', reason: 'x' }, wide)).toBeUndefined();
    expect(limitProblem('waf.block-address', { address: '8.0.0.0/15', reason: 'x' }, wide)).toMatch(
      /a block is at most a \/16 \(limits\.blockPrefixV4\)/,
    );
    expect(limitProblem('waf.block-address', { address: '2a00:1450::/32', reason: 'x' }, wide)).toBeUndefined();
    const narrow = { limits: actionLimits({ blockPrefixV4: 32 }), sandbox: false };
    expect(limitProblem('waf.block-address', { address: '8.8.8.0/31', reason: 'x' }, narrow)).toMatch(
      /a block is at most a \/32/,
    );
  });

  it('lifting a block is allowed for any well-formed range (it undoes a mistake), never one with host bits set', () => {
    expect(limitProblem('waf.unblock-address', { address: '0.0.0.0/0', reason: 'x' }, real)).toBeUndefined();
    expect(limitProblem('waf.unblock-address', { address: '10.0.0.0/8', reason: 'x' }, real)).toBeUndefined();
    expect(limitProblem('waf.unblock-address', { address: '10.0.0.1/8', reason: 'x' }, real)).toBe(
      '10.0.0.1/8 has host bits set: the range it names is 10.0.0.0/8 (give that, or the single address)',
    );
    expect(cidrProblem('2001:db8::/32')).toBeUndefined();
  });
});

describe('how long', () => {
  const silence = (duration: string) => ({ matchers: { alertname: 'x' }, duration, comment: 'c' });
  it('a silence lasts at most 7 days by default, or as configured, and the refusal names the maximum', () => {
    expect(limitProblem('alertmanager.silence', silence('36500d'), real)).toBe(
      'a silence lasts at most 7d (limits.silenceMax), not 36500d',
    );
    expect(limitProblem('alertmanager.silence', silence('7d1m'), real)).toBe(
      'a silence lasts at most 7d (limits.silenceMax), not 7d1m',
    );
    expect(limitProblem('alertmanager.silence', silence('7d'), real)).toBeUndefined();
    expect(limitProblem('alertmanager.silence', silence('2h'), real)).toBeUndefined();
    const short = { limits: actionLimits({ silenceMax: '12h' }), sandbox: false };
    expect(limitProblem('alertmanager.silence', silence('1d'), short)).toBe(
      'a silence lasts at most 12h (limits.silenceMax), not 1d',
    );
  });

  it('a command timeout is at most a day', () => {
    expect(limitProblem('command.run', { argv: ['true'], timeout: '2d', readonly: false }, real)).toBe(
      'a command timeout lasts at most 1d, not 2d',
    );
    expect(limitProblem('command.run', { argv: ['true'], timeout: '60s', readonly: false }, real)).toBeUndefined();
  });

  it('the configuration takes limits within bounds and refuses the rest by field', () => {
    expect(validateConfig({ limits: { blockPrefixV4: 16, blockPrefixV6: 40, silenceMax: '3d' } }, 'c')).toEqual({
      limits: { blockPrefixV4: 16, blockPrefixV6: 40, silenceMax: '3d' },
    });
    expect(() => validateConfig({ limits: { blockPrefixV4: 0 } }, 'c')).toThrow(/^c: limits\.blockPrefixV4: /);
    expect(() => validateConfig({ limits: { blockPrefixV6: 129 } }, 'c')).toThrow(/^c: limits\.blockPrefixV6: /);
    expect(() => validateConfig({ limits: { silenceMax: '365d' } }, 'c')).toThrow(
      'c: limits.silenceMax: a duration from 1m to 90d, such as 7d or 12h',
    );
    expect(() => validateConfig({ limits: { silenceMax: 'forever' } }, 'c')).toThrow(
      'c: limits.silenceMax: a duration from 1m to 90d',
    );
  });
});

describe('the engine', () => {
  const me = { id: 'local', name: 'Aiko Tanaka', email: 'aiko.tanaka@vitascope.example' };
  const who: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };
  const world = (scenario = 'auth-bruteforce') => {
    const sb = createSandbox({
      seed: 1,
      scenario,
      speed: 1,
      startOffsetMs: 0,
      policy: DEFAULT_POLICY,
      user: me,
      frozen: true,
    });
    sb.advance(6 * 60_000);
    return sb;
  };

  it('refuses a whole-internet block and a century-long silence before reading anything, dry runs too, and journals why', async () => {
    const sb = world();
    const journal = tempJournal({ now: () => sb.now() });
    let reads = 0;
    const counting: Sources = {
      ...sb,
      addressBlocker: { ...sb.addressBlocker!, blocked: (a, s) => (reads++, sb.addressBlocker!.blocked(a, s)) },
    };
    const engine = createActionEngine({
      sources: counting,
      actor: me,
      who,
      clock: simulatedClock(sb),
      journal,
      journalIncidentId: 'room',
    });
    for (const dryRun of [false, true]) {
      const refused = engine.prepare({
        action: 'waf.block-address',
        params: { address: '0.0.0.0/0', reason: 'oops' },
        dryRun,
      });
      await expect(refused).rejects.toBeInstanceOf(ActionPlanError);
      await expect(refused).rejects.toMatchObject({
        reason: 'refused',
        message: 'waf.block-address: 0.0.0.0/0 is the whole IPv4 internet: blocking it would refuse every user',
      });
    }
    await expect(
      engine.prepare({
        action: 'alertmanager.silence',
        params: { matchers: { alertname: 'x' }, duration: '36500d', comment: 'quiet' },
      }),
    ).rejects.toThrow('alertmanager.silence: a silence lasts at most 7d (limits.silenceMax), not 36500d');
    expect(reads).toBe(0);
    expect(sb.world.blocked.size).toBe(0);
    expect(await sb.silences!.listSilences()).toEqual([]);
    const failed = journal
      .query({ incidentId: 'room' })
      .map((e) => [e.kind, (e.payload as { target: string }).target, (e.payload as { stage: string }).stage]);
    expect(failed).toEqual([
      ['action.failed', '0.0.0.0/0', 'plan'],
      ['action.failed', '0.0.0.0/0', 'plan'],
      ['action.failed', 'alertname=x', 'plan'],
    ]);
  });

  it('a block can cut off users: dangerous, so production needs the address typed', async () => {
    expect(ACTION_DANGER['waf.block-address']).toBe('dangerous');
    const sb = world();
    const production: Sources = { ...sb, environment: { ...sb.environment, production: true } };
    const engine = createActionEngine({
      sources: production,
      actor: me,
      who,
      clock: simulatedClock(sb),
      journal: tempJournal({ now: () => sb.now() }),
    });
    const prepared = await engine.prepare({
      action: 'waf.block-address',
      params: { address: attackerAddress(1), reason: 'brute force' },
    });
    expect(prepared.confirmation).toEqual({ kind: 'typed', text: attackerAddress(1) });
    await expect(engine.execute(prepared, { answer: 'confirm' })).rejects.toThrow(
      `type ${attackerAddress(1)} to confirm`,
    );
    expect(sb.world.blocked.size).toBe(0);
  });

  it('read-only mode is enforced at the change itself, whatever path reaches it', async () => {
    let changed = false;
    await expect(guardChange(true, 'cloudwatch.apply-alarms', async () => (changed = true))).rejects.toBeInstanceOf(
      ReadOnlyError,
    );
    expect(changed).toBe(false);
    await expect(guardChange(false, 'cloudwatch.apply-alarms', async () => (changed = true))).resolves.toBe(true);
  });
});
