/**
 * The WAF IP set that blocks client addresses at the edge (AddressBlocker), through WAFv2's GetIPSet
 * and UpdateIPSet: blocking adds the address's entry, unblocking removes it. UpdateIPSet replaces the
 * whole set and takes the lock token GetIPSet gave: a set changed by someone else in between is
 * refused with WAFOptimisticLockException, and the change is then made again to the fresh set (a few
 * times at most), so that nobody's entry is ever lost. The description is sent back unchanged
 * (UpdateIPSet would otherwise clear it). WAF keeps no note per entry: the reason is in the journal.
 */
import { GetIPSetCommand, UpdateIPSetCommand, type WAFV2Client } from '@aws-sdk/client-wafv2';
import { cidrOf, coveringEntries, covers, ipVersion, sameRange } from '../../core/net.js';
import type { AddressBlocker, BlockedSet } from '../ports.js';
import { AwsApiError, call } from './calls.js';
import { clientConfig, type AwsClientOptions } from './clients.js';

export interface WafIpSetRef {
  readonly name: string;
  readonly id: string;
  /** REGIONAL (an ALB, API Gateway) or CLOUDFRONT (whose sets live in us-east-1). */
  readonly scope: 'REGIONAL' | 'CLOUDFRONT';
}

/** How many times a lock conflict is met with a fresh read before giving up. */
const LOCK_ATTEMPTS = 4;

interface IpSetNow {
  readonly addresses: readonly string[];
  readonly version: 'IPV4' | 'IPV6';
  readonly lockToken: string;
  readonly description?: string;
}

export class WafAddressBlocker implements AddressBlocker {
  constructor(
    private readonly client: WAFV2Client,
    private readonly set: WafIpSetRef,
  ) {}

  private get what(): string {
    return `${this.set.scope} IP set ${this.set.name}`;
  }

  private async read(signal?: AbortSignal): Promise<IpSetNow> {
    const out = await call('WAFv2 GetIPSet', this.what, () =>
      this.client.send(new GetIPSetCommand({ Name: this.set.name, Id: this.set.id, Scope: this.set.scope }), {
        abortSignal: signal,
      }),
    );
    if (!out.IPSet || !out.LockToken)
      throw new Error(`WAFv2 GetIPSet (${this.what}) answered without the set or its lock token`);
    return {
      addresses: out.IPSet.Addresses ?? [],
      version: out.IPSet.IPAddressVersion === 'IPV6' ? 'IPV6' : 'IPV4',
      lockToken: out.LockToken,
      ...(out.IPSet.Description !== undefined ? { description: out.IPSet.Description } : {}),
    };
  }

  async blocked(address: string, signal?: AbortSignal): Promise<BlockedSet> {
    const now = await this.read(signal);
    const coveredBy = coveringEntries(now.addresses, address);
    return { name: this.set.name, size: now.addresses.length, covers: coveredBy.length > 0, coveredBy };
  }

  async blockAddress(address: string): Promise<void> {
    const cidr = cidrOf(address);
    await this.update((now) => {
      if (covers(now.addresses, cidr)) return undefined;
      if (ipVersion(cidr) !== now.version)
        throw new Error(
          `${this.what} holds ${now.version} addresses; ${address} is ${ipVersion(cidr)}: block it in a set of its version`,
        );
      return [...now.addresses, cidr];
    });
  }

  async unblockAddress(address: string): Promise<void> {
    await this.update((now) => {
      const kept = now.addresses.filter((entry) => !sameRange(entry, address));
      return kept.length === now.addresses.length ? undefined : kept;
    });
  }

  /**
   * Reads the set and writes what `change` makes of its entries (undefined: nothing to write), under
   * the lock token of that read; a lock conflict starts again from a fresh read.
   */
  private async update(change: (now: IpSetNow) => string[] | undefined): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const now = await this.read();
      const addresses = change(now);
      if (addresses === undefined) return;
      try {
        await call('WAFv2 UpdateIPSet', this.what, () =>
          this.client.send(
            new UpdateIPSetCommand({
              Name: this.set.name,
              Id: this.set.id,
              Scope: this.set.scope,
              Addresses: addresses,
              LockToken: now.lockToken,
              ...(now.description !== undefined ? { Description: now.description } : {}),
            }),
          ),
        );
        return;
      } catch (error) {
        if (!(error instanceof AwsApiError && error.name === 'WAFOptimisticLockException') || attempt >= LOCK_ATTEMPTS)
          throw error;
      }
    }
  }
}

/** A blocker with its own WAFv2 client (CLOUDFRONT sets are managed in us-east-1, whatever the region). */
export async function createWafAddressBlocker(
  options: AwsClientOptions,
  set: WafIpSetRef,
): Promise<{ readonly blocker: WafAddressBlocker; close(): void }> {
  const { WAFV2Client } = await import('@aws-sdk/client-wafv2');
  const client = new WAFV2Client({
    ...clientConfig(options),
    ...(set.scope === 'CLOUDFRONT' ? { region: 'us-east-1' } : {}),
  });
  return { blocker: new WafAddressBlocker(client, set), close: () => client.destroy() };
}
