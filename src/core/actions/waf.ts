import type { BlockedSet } from '../../sources/ports.js';
import type { ActionParams } from './catalogue.js';
import { ActionPlanError } from './errors.js';
import { requirePort, type ActionHandler, type PlanDraft } from './handler.js';
import { sameRange } from '../net.js';

/**
 * waf.block-address: the address joins the WAF's blocked IP set; waf.unblock-address takes its entry
 * out again. The plans read the set first (an address a blocked range already covers is a change of
 * nothing; an address blocked only through a wider range cannot be lifted on its own), and the effect
 * is read back from it.
 */

/** How many addresses a CIDR covers (1 for a plain address). */
export function addressCount(address: string): number {
  const m = /\/(\d+)$/.exec(address);
  if (!m) return 1;
  const bits = address.includes(':') ? 128 : 32;
  return 2 ** Math.max(0, bits - Number(m[1]));
}

/** Pure: waf.block-address, given the blocked set as it is now. */
export function planBlockAddress(p: ActionParams<'waf.block-address'>, set: BlockedSet): PlanDraft {
  const n = addressCount(p.address);
  if (set.covers) {
    return {
      target: p.address,
      summary: `${p.address} is already blocked by ${set.name}: nothing to change`,
      changes: [],
      blastRadius: [],
    };
  }
  return {
    target: p.address,
    summary: `block ${p.address} at the edge (${set.name}, ${set.size} ${set.size === 1 ? 'entry' : 'entries'} now): ${p.reason}`,
    changes: [{ what: `requests from ${p.address}`, from: 'allowed', to: 'blocked' }],
    blastRadius: [
      `every request from ${n === 1 ? p.address : `${n.toLocaleString('en-US')} addresses (${p.address})`} is refused at the edge, real users behind the same address too (a carrier NAT, an office proxy)`,
      'the block stays until someone lifts it (waf.unblock-address): decide who reviews it and when',
    ],
  };
}

const PORT = 'the WAF IP set (aws.wafIpSet)';

export const blockAddress: ActionHandler<'waf.block-address', BlockedSet> = {
  id: 'waf.block-address',
  target: (p) => p.address,
  read: (p, ctx) =>
    requirePort(ctx.sources.addressBlocker, 'waf.block-address', PORT, ctx.sources).blocked(p.address, ctx.signal),
  plan: (p, set) => planBlockAddress(p, set),
  conflicts: (before, now) =>
    !before.covers && now.covers
      ? [`${now.name} already covers the address now: someone blocked it since the plan`]
      : [],
  async apply(p, set, ctx) {
    await requirePort(ctx.sources.addressBlocker, 'waf.block-address', PORT, ctx.sources).blockAddress(
      p.address,
      p.reason,
    );
    return `added ${p.address} to ${set.name}: ${p.reason}`;
  },
  effect: (p, _before, after) =>
    after.covers
      ? {
          ok: true,
          evidence: `read back: ${after.name} covers ${p.address} (${after.size} ${after.size === 1 ? 'entry' : 'entries'})`,
        }
      : { ok: false, evidence: `read back: ${after.name} does not cover ${p.address}` },
};

/** Pure: waf.unblock-address, given the blocked set as it is now. */
export function planUnblockAddress(p: ActionParams<'waf.unblock-address'>, set: BlockedSet): PlanDraft {
  if (!set.covers)
    return {
      target: p.address,
      summary: `${p.address} is not blocked by ${set.name}: nothing to change`,
      changes: [],
      blastRadius: [],
    };
  const own = set.coveredBy.filter((entry) => sameRange(entry, p.address));
  const wider = set.coveredBy.filter((entry) => !sameRange(entry, p.address));
  if (wider.length) {
    throw new ActionPlanError(
      'waf.unblock-address',
      `${p.address} is blocked by ${wider.join(', ')} in ${set.name}${own.length ? ' as well as by its own entry' : ''}: lifting it alone would change nothing; lift ${wider.length === 1 ? 'that range' : 'those ranges'} instead`,
      'refused',
    );
  }
  return {
    target: p.address,
    summary: `lift the block on ${p.address} (${set.name}): ${p.reason}`,
    changes: [{ what: `requests from ${p.address}`, from: 'blocked', to: 'allowed' }],
    blastRadius: [
      `requests from ${p.address} reach the API again: if it was an attack that has not stopped, the alarm that led to the block will fire again`,
    ],
  };
}

export const unblockAddress: ActionHandler<'waf.unblock-address', BlockedSet> = {
  id: 'waf.unblock-address',
  target: (p) => p.address,
  read: (p, ctx) =>
    requirePort(ctx.sources.addressBlocker, 'waf.unblock-address', PORT, ctx.sources).blocked(p.address, ctx.signal),
  plan: (p, set) => planUnblockAddress(p, set),
  conflicts: (before, now) =>
    before.covers && !now.covers
      ? [`${now.name} no longer covers the address: someone lifted the block since the plan`]
      : [],
  async apply(p, set, ctx) {
    await requirePort(ctx.sources.addressBlocker, 'waf.unblock-address', PORT, ctx.sources).unblockAddress(
      p.address,
      p.reason,
    );
    return `removed ${p.address} from ${set.name}: ${p.reason}`;
  },
  effect: (p, _before, after) =>
    after.covers
      ? { ok: false, evidence: `read back: ${after.name} still covers ${p.address} (${after.coveredBy.join(', ')})` }
      : {
          ok: true,
          evidence: `read back: ${after.name} no longer covers ${p.address} (${after.size} ${after.size === 1 ? 'entry' : 'entries'})`,
        },
};
