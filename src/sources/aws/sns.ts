/**
 * SNS: who a topic notifies (ListSubscriptionsByTopic), for saying what an alarm's actions reach before
 * a drill sets it off. Loaded only when asked (a drill), so the cockpit's start does not pay for it.
 */
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type { TopicDirectory, TopicSubscription } from '../ports.js';
import { collectPages } from './calls.js';
import { clientConfig, type AwsClientOptions } from './clients.js';

/**
 * An endpoint as it may be printed: an HTTP(S) endpoint's path and query can hold an integration key
 * (PagerDuty's https://events.pagerduty.com/integration/<key>/enqueue), so only its scheme and host
 * are kept; addresses, numbers and ARNs are shown as they are (they say who is paged).
 */
export function shownEndpoint(protocol: string, endpoint: string): string {
  if (/^https?$/i.test(protocol)) {
    try {
      const url = new URL(endpoint);
      const rest = url.pathname.replace(/\/$/, '') || url.search ? '/…' : '';
      return `${url.protocol}//${url.host}${rest}`;
    } catch {
      return `${protocol} endpoint (not a URL)`;
    }
  }
  return endpoint;
}

export class SnsTopics implements TopicDirectory {
  private readonly client: SNSClient;

  constructor(options: AwsClientOptions) {
    this.client = new SNSClient(clientConfig(options));
  }

  async subscriptions(topicArn: string, signal?: AbortSignal): Promise<TopicSubscription[]> {
    const pages = await collectPages(
      'SNS ListSubscriptionsByTopic',
      topicArn,
      async (token) => {
        const out = await this.client.send(
          new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, ...(token ? { NextToken: token } : {}) }),
          { abortSignal: signal },
        );
        return { page: out.Subscriptions ?? [], next: out.NextToken };
      },
      { signal },
    );
    return pages
      .flat()
      .map((s) => ({ protocol: s.Protocol ?? '?', endpoint: shownEndpoint(s.Protocol ?? '', s.Endpoint ?? '') }));
  }

  close(): void {
    this.client.destroy();
  }
}
