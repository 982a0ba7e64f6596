import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuditLog, memorySink } from '@flagstate/audit';
import { LruStateStore, type StateStore } from '@flagstate/core';
import {
  createDiagnosticsHandler,
  StateMachineProvider,
  TRACKED_EVENTS_LIMIT,
  TRACKING_EVENTS_METRIC,
} from '@flagstate/provider';
import { checkoutDocument, type Otel, points, setupOtel } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let otel: Otel;
let n = 0;
beforeEach(() => {
  otel = setupOtel();
});
afterEach(async () => {
  await OpenFeature.clearProviders();
  await otel.shutdown();
});

async function bound(store?: StateStore) {
  const provider = new StateMachineProvider({
    source: checkoutDocument(),
    audit: createAuditLog({ sinks: [memorySink()] }),
    ...(store === undefined ? {} : { store }),
  });
  const name = `tracking-${n++}`;
  await OpenFeature.setProviderAndWait(name, provider);
  return { provider, client: OpenFeature.getClient(name) };
}

const plain = (m: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, number>>>) =>
  Object.fromEntries(
    [...m].map(([machine, states]) => [
      machine,
      Object.fromEntries([...states].map(([state, events]) => [state, Object.fromEntries(events)])),
    ]),
  );

describe('track(): tracking events per machine and state', () => {
  it('counts each event at the state the store holds for the subject, in memory and on the counter', async () => {
    const { provider, client } = await bound();
    await client.getStringValue('checkout', 'x', { targetingKey: 'u1', want: 'canary' });
    await client.getStringValue('checkout', 'x', { targetingKey: 'u2', want: 'legacy' });
    client.track('purchase', { targetingKey: 'u1' }, { value: 30 });
    client.track('purchase', { targetingKey: 'u1' });
    client.track('purchase', { targetingKey: 'u2' });
    client.track('constructor', { targetingKey: 'u2' }); // any name is a plain key
    client.track('purchase', { targetingKey: 'never-seen' });
    client.track('purchase', {});
    const tracked = provider.trackedEvents();
    expect(plain(tracked.byState)).toEqual({
      checkout: { canary: { purchase: 2 }, legacy: { purchase: 1, constructor: 1 } },
    });
    expect(tracked.unattributed.get('checkout')).toEqual(
      new Map([
        ['subject_unknown', 1],
        ['subject_unusable', 1],
      ]),
    );
    const metric = (await otel.metrics()).get(TRACKING_EVENTS_METRIC);
    expect(metric?.scope).toBe('@flagstate/hook');
    expect(points(metric)).toEqual(
      expect.arrayContaining([
        [
          {
            'flagstate.machine': 'checkout',
            'flagstate.state': 'canary',
            'flagstate.tracking.event': 'purchase',
          },
          2,
        ],
        [
          {
            'flagstate.machine': 'checkout',
            'flagstate.state': 'legacy',
            'flagstate.tracking.event': 'purchase',
          },
          1,
        ],
        [{ 'flagstate.machine': 'checkout', 'flagstate.reason': 'subject_unknown' }, 1],
        [{ 'flagstate.machine': 'checkout', 'flagstate.reason': 'subject_unusable' }, 1],
      ]),
    );
    expect(points(metric)).toHaveLength(5);
  });

  it('never waits for an asynchronous store, and never throws when it fails', async () => {
    const inner = new LruStateStore();
    let down = false;
    const store: StateStore = {
      get: (m, s) => (down ? Promise.reject(new Error('ECONNREFUSED')) : Promise.resolve(inner.get(m, s))),
      compareAndSet: (m, s, v, r) => Promise.resolve(inner.compareAndSet(m, s, v, r)),
      size: () => Promise.resolve(inner.size()),
    };
    const { provider, client } = await bound(store);
    await client.getStringValue('checkout', 'x', { targetingKey: 'u1', want: 'canary' });
    expect(provider.track('purchase', { targetingKey: 'u1' })).toBeUndefined();
    expect(provider.trackedEvents().byState.size).toBe(0); // counted when the store answers
    await new Promise((r) => setImmediate(r));
    expect(plain(provider.trackedEvents().byState)).toEqual({ checkout: { canary: { purchase: 1 } } });
    down = true;
    expect(() => client.track('purchase', { targetingKey: 'u1' })).not.toThrow();
    const throwing: StateStore = {
      ...store,
      get: () => {
        throw new Error('boom');
      },
    };
    const other = await bound(throwing);
    expect(() => other.provider.track('purchase', { targetingKey: 'u1' })).not.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(provider.trackedEvents().unattributed.get('checkout')?.get('store_unavailable')).toBe(1);
    expect(other.provider.trackedEvents().unattributed.get('checkout')?.get('store_unavailable')).toBe(1);
  });

  it('bounds distinct event names, and shows the counts on /statez', async () => {
    const { provider, client } = await bound();
    await client.getStringValue('checkout', 'x', { targetingKey: 'u1', want: 'canary' });
    client.track('signup', { targetingKey: 'u1' });
    const diagnostics = createDiagnosticsHandler(provider);
    const server = createServer((req, res) => diagnostics(req, res) || res.writeHead(404).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const body = (await (await fetch(`http://127.0.0.1:${port}/statez`)).json()) as {
        machines: Array<{ tracking: unknown }>;
      };
      expect(body.machines[0]!.tracking).toEqual({ byState: { canary: { signup: 1 } }, unattributed: {} });
    } finally {
      server.close();
    }
    // Names come from callers: past the limit, new ones share one "(other)" per state.
    for (let i = 0; i < TRACKED_EVENTS_LIMIT + 4; i++) client.track(`e${i}`, { targetingKey: 'u1' });
    client.track('signup', { targetingKey: 'u1' });
    const tracked = provider.trackedEvents();
    const canary = tracked.byState.get('checkout')!.get('canary')!;
    expect(tracked.distinct).toBe(TRACKED_EVENTS_LIMIT + 1);
    expect(canary.get('signup')).toBe(2);
    expect(canary.get('(other)')).toBe(5);
    expect(canary.has(`e${TRACKED_EVENTS_LIMIT - 1}`)).toBe(false);
  });
});
