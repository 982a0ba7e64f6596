// The Redis of one describe block: started before its tests, every test's stores closed and
// keys deleted after it, stopped at the end.

import { type RedisHandle, useRedis } from '@flagstate/test-kit';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { TestStores } from './test-stores.js';

export interface RedisSuite {
  readonly redis: RedisHandle;
  readonly stores: TestStores;
}

/** Call inside `describe`; the fields are set once `beforeAll` has run. */
export function redisSuite(): RedisSuite {
  const suite = {} as { redis: RedisHandle; stores: TestStores };
  beforeAll(async () => {
    suite.redis = await useRedis();
    suite.stores = new TestStores(suite.redis.url);
  });
  afterEach(() => suite.stores.closeAll());
  afterAll(() => suite.redis?.dispose());
  return suite;
}
