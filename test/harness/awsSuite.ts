/**
 * The shared shape of the AWS suites: one moto per suite behind one enforcing front, reset between
 * tests, and adapters pointed at the front with dummy credentials.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createAwsSources, type AwsSources, type AwsSourcesOptions } from '../../src/sources/aws/index.js';
import { startAwsFront, type AwsFront } from './awsFront.js';
import {
  quietSdkVersionWarning,
  startMoto,
  testClientConfig,
  TEST_CREDENTIALS,
  TEST_REGION,
  type Moto,
} from './awsMoto.js';

export interface AwsSuite {
  readonly front: AwsFront;
  readonly moto: Moto;
  /** SDK client settings for seeding through the front (one attempt: seeding must not hide faults). */
  config(): ReturnType<typeof testClientConfig>;
  /** The product's AWS sources, pointed at the front; closed after the suite. */
  sources(options?: Partial<AwsSourcesOptions>): AwsSources;
}

export function useAwsSuite(): AwsSuite {
  quietSdkVersionWarning();
  let moto: Moto | undefined;
  let front: AwsFront | undefined;
  const opened: AwsSources[] = [];
  beforeAll(async () => {
    moto = await startMoto();
    front = await startAwsFront(moto.url);
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await front?.close();
    await moto?.stop();
  });
  beforeEach(async () => {
    await front!.up();
    await front!.reset();
  });
  return {
    get front() {
      return front!;
    },
    get moto() {
      return moto!;
    },
    config: () => testClientConfig(front!.url),
    sources(options = {}) {
      const s = createAwsSources({
        region: TEST_REGION,
        endpointUrl: front!.url,
        credentials: TEST_CREDENTIALS,
        ...options,
      });
      opened.push(s);
      return s;
    },
  };
}
