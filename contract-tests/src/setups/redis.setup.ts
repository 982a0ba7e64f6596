import { randomUUID } from 'node:crypto';
import { MemoryFlagSource, StateMachineProvider } from '@flagstate/provider';
import { RedisStateStore } from '@flagstate/redis';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll } from 'vitest';
// The redis-server helper is test support, not part of the package: reached by path.
import {
  disposeSharedRedis,
  redisUnavailable,
  sharedRedis,
} from '../../../packages/redis/test/support/redis-server.js';
import { checkoutMachine, flagdTargeting, VALUES } from '../machine.js';
import type { ContractSetup } from '../setup.js';

let instance = 0;

/** Why the Redis setup cannot run here (no redis-server, no REDIS_URL); throws under CI. */
export const redisSetupUnavailable: string | undefined = redisUnavailable();

// The setup starts one redis-server for the test file, on first use; stop it at the end.
afterAll(() => disposeSharedRedis());

/**
 * The flagstate provider with a RedisStateStore (a fresh key prefix for each run), on a
 * redis-server the setup starts itself on a free loopback port, or on REDIS_URL.
 */
export const redisSetup: ContractSetup = {
  name: 'StateMachineProvider + RedisStateStore',
  canHold: true,
  async create({ audit, store: given, clock, enforcement = 'audit' }) {
    const redis = await sharedRedis();
    const store =
      given ?? new RedisStateStore({ url: redis.url, keyPrefix: `flagstate-contract:${randomUUID()}:` });
    let machine = checkoutMachine(enforcement);
    let targeting: unknown;
    let fallback = 'legacy';
    const document = () => ({
      flags: {
        checkout: {
          state: 'ENABLED',
          variants: VALUES,
          defaultVariant: fallback,
          ...(targeting === undefined ? {} : { targeting }),
        },
      },
      machines: { checkout: machine },
    });
    const source = new MemoryFlagSource(document());
    const provider = new StateMachineProvider({ source, store, audit, ...(clock ? { clock } : {}) });
    const domain = `contract-redis-${instance++}`;
    await OpenFeature.setProviderAndWait(domain, provider);
    return {
      client: OpenFeature.getClient(domain),
      store,
      providerName: 'flagstate',
      async retarget(assign, nextFallback = 'legacy') {
        targeting = flagdTargeting(assign, nextFallback);
        fallback = nextFallback;
        source.update(document());
      },
      async redefine(next) {
        machine = next;
        source.update(document());
      },
      async close() {
        await provider.onClose();
        if (store instanceof RedisStateStore) {
          // Leave nothing behind on a shared REDIS_URL.
          const keys: string[] = [];
          for await (const { machine: m, subject } of store.entries())
            keys.push(`${store.keyPrefix}${m}:${subject}`);
          if (keys.length > 0) await store.client.del(...keys);
          await store.close();
        }
      },
    };
  },
};
