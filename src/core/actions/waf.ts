import type { ActionParams } from './catalogue.js';
import { requirePort, type ActionHandler, type PlanDraft } from './handler.js';

/**
 * waf.block-address: the address joins the WAF's blocked IP set. The port cannot read the set back,
 * so the plan has no "before" beyond "allowed", and the alarm verification is the proof.
 */

/** How many addresses a CIDR covers (1 for a plain address). */
export function addressCount(address: string): number {
  const m = /\/(\d+)$/.exec(address);
  if (!m) return 1;
  const bits = address.includes(':') ? 128 : 32;
  return 2 ** Math.max(0, bits - Number(m[1]));
}

/** Pure: waf.block-address. */
export function planBlockAddress(p: ActionParams<'waf.block-address'>): PlanDraft {
  const n = addressCount(p.address);
  return {
    target: p.address,
    summary: `block ${p.address} at the edge: ${p.reason}`,
    changes: [{ what: `requests from ${p.address}`, from: 'allowed', to: 'blocked' }],
    blastRadius: [
      `every request from ${n === 1 ? p.address : `${n.toLocaleString('en-US')} addresses (${p.address})`} is refused at the edge, real users behind the same address too (a carrier NAT, an office proxy)`,
      'the block stays until someone removes it from the IP set: decide who reviews it and when',
    ],
  };
}

export const blockAddress: ActionHandler<'waf.block-address', Record<string, never>> = {
  id: 'waf.block-address',
  target: (p) => p.address,
  read: async (_p, ctx) => {
    requirePort(ctx.sources.addressBlocker, 'waf.block-address', 'the WAF IP set (AddressBlocker)', ctx.sources);
    return {};
  },
  plan: (p) => planBlockAddress(p),
  conflicts: () => [],
  async apply(p, _t, ctx) {
    await requirePort(ctx.sources.addressBlocker, 'waf.block-address', 'the WAF IP set (AddressBlocker)', ctx.sources).blockAddress(p.address, p.reason);
    return `added ${p.address} to the blocked IP set: ${p.reason}`;
  },
  effect: (p) => ({ ok: true, evidence: `${p.address} sent to the blocked IP set (the set cannot be read back here)` }),
};
