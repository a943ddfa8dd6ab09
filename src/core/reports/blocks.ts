import type { JournalEvent } from '../journal/index.js';
import { sameRange } from '../net.js';

/** The journal's action ids for blocking and lifting a client address at the WAF. */
export const BLOCK_ACTIONS = ['waf.block-address', 'waf.unblock-address'] as const;

export interface ActiveBlock {
  readonly address: string;
  readonly blockedAt: number;
  readonly who?: string;
  readonly reason?: string;
}

/**
 * Addresses blocked at the WAF and not lifted since, folded in time order from the journal's applied and
 * verified block/unblock runs (dry runs and failures changed nothing). A block whose lift went through, or
 * whose lift found it already gone (lifted in the console), is gone; blocking an address again restarts its
 * blockedAt.
 */
export function activeBlocks(events: readonly JournalEvent[]): ActiveBlock[] {
  const done = new Set<string>();
  const blocks: ActiveBlock[] = [];
  const sorted = [...events].sort((a, b) => a.at - b.at || a.seq - b.seq);
  for (const e of sorted) {
    if (e.kind !== 'action.applied' && e.kind !== 'action.verified') continue;
    const p = e.payload;
    if (p.dryRun || done.has(p.runId) || !(BLOCK_ACTIONS as readonly string[]).includes(p.actionId)) continue;
    // "Nothing to change" is recorded as applied too (changed: false). A block that changed nothing (a range
    // already covers the address) adds no entry; a lift that found the address not blocked says it is not,
    // whoever lifted it.
    if (e.kind === 'action.applied' && !e.payload.changed && p.actionId === 'waf.block-address') continue;
    done.add(p.runId);
    const address = typeof p.params?.address === 'string' ? p.params.address : p.target;
    const at = blocks.findIndex((b) => sameRange(b.address, address));
    if (at >= 0) blocks.splice(at, 1);
    if (p.actionId === 'waf.block-address') {
      const reason = typeof p.params?.reason === 'string' ? p.params.reason : undefined;
      const who = e.who.name ?? e.who.id;
      blocks.push({ address, blockedAt: e.at, ...(who ? { who } : {}), ...(reason ? { reason } : {}) });
    }
  }
  return blocks;
}
