/**
 * waf.block-address through the engine against WAFv2 on moto (behind the enforcing front): the plan
 * reads the IP set, the address is added with UpdateIPSet under GetIPSet's lock token (the set's
 * description kept), the effect is read back; an address a blocked range covers changes nothing; a
 * lock conflict (someone else updating the set) is met with a fresh read and a new update; a block made behind the
 * plan's back is a conflict; an IPv6 address is refused by an IPv4 set with a clear message.
 * waf.unblock-address takes the address's own entry out and leaves the rest of the set as it was. The
 * addresses are public ones (example.com's and a CDN's): against a real account the engine refuses the
 * documentation ranges (only the sandbox's simulated attackers live there).
 */
import { CreateIPSetCommand, GetIPSetCommand, UpdateIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { describe, expect, it } from 'vitest';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import type { Who } from '../../../src/core/journal/index.js';
import { createWafAddressBlocker, type WafIpSetRef } from '../../../src/sources/aws/waf.js';
import type { Sources } from '../../../src/sources/ports.js';
import { TEST_CREDENTIALS, TEST_REGION, motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';
import { tempJournal } from '../../unit/journal/helpers.js';

const skip = motoSkipReason();
const me = { id: 'local', name: 'Aiko Tanaka' };
const who: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };
const confirm = async () => ({ answer: 'confirm' as const });
const fixedClock = { now: () => Date.now(), pollMs: 1_000, wait: async () => {} };

describe.skipIf(skip)('waf.block-address against WAFv2 (moto)', () => {
  const suite = useAwsSuite();

  async function ipSet(addresses: string[], version: 'IPV4' | 'IPV6' = 'IPV4'): Promise<WafIpSetRef> {
    const waf = new WAFV2Client(suite.config());
    try {
      const out = await waf.send(
        new CreateIPSetCommand({
          Name: `vitascope-blocked-${version.toLowerCase()}`,
          Scope: 'REGIONAL',
          IPAddressVersion: version,
          Addresses: addresses,
          Description: 'addresses the on-call blocked',
        }),
      );
      return { name: out.Summary!.Name!, id: out.Summary!.Id!, scope: 'REGIONAL' };
    } finally {
      waf.destroy();
    }
  }

  async function read(set: WafIpSetRef) {
    const waf = new WAFV2Client(suite.config());
    try {
      return (await waf.send(new GetIPSetCommand({ Name: set.name, Id: set.id, Scope: set.scope }))).IPSet!;
    } finally {
      waf.destroy();
    }
  }

  async function engine(set: WafIpSetRef) {
    const waf = await createWafAddressBlocker(
      { region: TEST_REGION, endpointUrl: suite.front.url, credentials: TEST_CREDENTIALS },
      set,
    );
    const sources: Sources = {
      environment: { kind: 'aws', label: 'moto', production: false },
      now: () => Date.now(),
      addressBlocker: waf.blocker,
      close: async () => waf.close(),
    };
    const journal = tempJournal();
    return {
      journal,
      close: () => waf.close(),
      engine: createActionEngine({ sources, actor: me, who, clock: fixedClock, journal, journalIncidentId: 'room' }),
    };
  }

  it('adds the address under the lock token, keeps the description, and reads it back', async () => {
    const set = await ipSet(['93.184.216.0/24']);
    const { engine: e, close } = await engine(set);
    try {
      suite.front.clearCalls();
      const out = await e.run(
        {
          action: 'waf.block-address',
          params: { address: '151.101.1.7', reason: 'credential stuffing on /api/v1/auth/login' },
        },
        confirm,
      );
      expect(out.status).toBe('verified');
      expect(out.plan.summary).toBe(
        'block 151.101.1.7 at the edge (vitascope-blocked-ipv4, 1 entry now): credential stuffing on /api/v1/auth/login',
      );
      expect(out.plan.changes).toEqual([{ what: 'requests from 151.101.1.7', from: 'allowed', to: 'blocked' }]);
      const after = await read(set);
      expect([...(after.Addresses ?? [])].sort()).toEqual(['151.101.1.7/32', '93.184.216.0/24']);
      expect(after.Description).toBe('addresses the on-call blocked');
      expect(suite.front.count('UpdateIPSet')).toBe(1);
      const update = JSON.parse(suite.front.calls.find((c) => c.op === 'UpdateIPSet')!.body) as { LockToken?: string };
      expect(update.LockToken).toMatch(/\S/);

      // Covered by a blocked range: nothing to change, nothing sent.
      suite.front.clearCalls();
      const covered = await e.run(
        { action: 'waf.block-address', params: { address: '93.184.216.42', reason: 'scraper' } },
        confirm,
      );
      expect(covered.status).toBe('nothing-to-do');
      expect(covered.plan.summary).toBe(
        '93.184.216.42 is already blocked by vitascope-blocked-ipv4: nothing to change',
      );
      expect(suite.front.count('UpdateIPSet')).toBe(0);
    } finally {
      close();
    }
  });

  it("waf.unblock-address removes the address's own entry, keeps the others, and refuses one blocked by a range", async () => {
    const set = await ipSet(['93.184.216.0/24', '151.101.1.7/32', '151.101.2.1/32']);
    const { engine: e, close } = await engine(set);
    try {
      const out = await e.run(
        {
          action: 'waf.unblock-address',
          params: { address: '151.101.1.7', reason: 'a carrier NAT: real users were blocked' },
        },
        confirm,
      );
      expect(out.status).toBe('verified');
      const after = await read(set);
      expect([...(after.Addresses ?? [])].sort()).toEqual(['151.101.2.1/32', '93.184.216.0/24']);
      expect(after.Description).toBe('addresses the on-call blocked');

      suite.front.clearCalls();
      await expect(
        e.run({ action: 'waf.unblock-address', params: { address: '93.184.216.9', reason: 'one user' } }, confirm),
      ).rejects.toThrow(
        '93.184.216.9 is blocked by 93.184.216.0/24 in vitascope-blocked-ipv4: lifting it alone would change nothing; lift that range instead',
      );
      const notBlocked = await e.run(
        { action: 'waf.unblock-address', params: { address: '151.101.1.7', reason: 'again' } },
        confirm,
      );
      expect(notBlocked.status).toBe('nothing-to-do');
      expect(suite.front.count('UpdateIPSet')).toBe(0);
    } finally {
      close();
    }
  });

  it('retries the update after WAFOptimisticLockException with the fresh set', async () => {
    const set = await ipSet(['93.184.216.0/24']);
    const { engine: e, close } = await engine(set);
    try {
      suite.front.clearCalls();
      suite.front.setFault(
        {
          kind: 'error',
          status: 400,
          body: JSON.stringify({ __type: 'WAFOptimisticLockException', Message: 'someone changed the resource' }),
        },
        1,
        ['UpdateIPSet'],
      );
      const out = await e.run(
        { action: 'waf.block-address', params: { address: '151.101.1.7', reason: 'brute force' } },
        confirm,
      );
      expect(out.status).toBe('verified');
      // The plan's read, the conflict check's, the lock token's; the refused update, a fresh read, the
      // update that took; the read-back.
      expect(suite.front.calls.map((c) => c.op)).toEqual([
        'GetIPSet',
        'GetIPSet',
        'GetIPSet',
        'UpdateIPSet',
        'GetIPSet',
        'UpdateIPSet',
        'GetIPSet',
      ]);
      expect([...((await read(set)).Addresses ?? [])].sort()).toEqual(['151.101.1.7/32', '93.184.216.0/24']);
    } finally {
      close();
    }
  });

  it("a block made behind the plan's back is a conflict; an IPv6 address is refused by an IPv4 set", async () => {
    const set = await ipSet([]);
    const { engine: e, close } = await engine(set);
    try {
      const prepared = await e.prepare({
        action: 'waf.block-address',
        params: { address: '151.101.1.7', reason: 'brute force' },
      });
      const waf = new WAFV2Client(suite.config());
      const current = await waf.send(new GetIPSetCommand({ Name: set.name, Id: set.id, Scope: set.scope }));
      await waf.send(
        new UpdateIPSetCommand({
          Name: set.name,
          Id: set.id,
          Scope: set.scope,
          Addresses: ['151.101.1.0/24'],
          LockToken: current.LockToken!,
        }),
      );
      waf.destroy();
      const out = await e.execute(prepared, { answer: 'confirm' });
      expect(out.status).toBe('conflict');
      if (out.status === 'conflict')
        expect(out.conflicts).toEqual([
          'vitascope-blocked-ipv4 already covers the address now: someone blocked it since the plan',
        ]);

      const v6 = await e.run(
        { action: 'waf.block-address', params: { address: '2606:2800:220:1::7', reason: 'brute force' } },
        confirm,
      );
      expect(v6.status).toBe('failed');
      if (v6.status === 'failed')
        expect(v6.error).toMatch(
          /REGIONAL IP set vitascope-blocked-ipv4 holds IPV4 addresses; 2606:2800:220:1::7 is IPV6/,
        );
      expect((await read(set)).Addresses).toEqual(['151.101.1.0/24']);

      // Against a real account, a documentation or private address is refused before the set is even read.
      suite.front.clearCalls();
      await expect(
        e.prepare({ action: 'waf.block-address', params: { address: '203.0.113.7', reason: 'brute force' } }),
      ).rejects.toThrow('waf.block-address: 203.0.113.7 is in 203.0.113.0/24, documentation (RFC 5737)');
      await expect(
        e.prepare({ action: 'waf.block-address', params: { address: '10.0.0.0/24', reason: 'brute force' } }),
      ).rejects.toThrow(/is in 10\.0\.0\.0\/8, private \(RFC 1918\)/);
      expect(suite.front.calls).toEqual([]);
    } finally {
      close();
    }
  });
});
