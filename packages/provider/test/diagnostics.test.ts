import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuditLog, memorySink } from '@flagstate/audit';
import { LruStateStore, type StateStore } from '@flagstate/core';
import { createDiagnosticsHandler, StateMachineProvider } from '@flagstate/provider';
import { checkoutDocument } from '@flagstate/test-kit';
import { OpenFeature } from '@openfeature/server-sdk';
import express from 'express';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';

afterEach(async () => {
  await OpenFeature.close();
});

describe('diagnostics handler', () => {
  it('counts subjects of a machine and states named like Object.prototype members', async () => {
    const provider = new StateMachineProvider({
      source: {
        flags: {
          toString: {
            state: 'ENABLED',
            variants: { constructor: 'a', valueOf: 'b' },
            defaultVariant: 'constructor',
          },
        },
        machines: {
          constructor: {
            version: 1,
            flags: ['toString'],
            initial: 'constructor',
            states: { constructor: {}, valueOf: {} },
            transitions: [{ from: 'constructor', to: 'valueOf' }],
          },
        },
      },
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    await OpenFeature.setProviderAndWait('diagnostics-prototype-names', provider);
    const client = OpenFeature.getClient('diagnostics-prototype-names');
    for (const subject of ['a', 'b']) await client.getStringValue('toString', 'x', { targetingKey: subject });
    const handler = createDiagnosticsHandler(provider);
    const server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = (await (await fetch(`http://127.0.0.1:${port}/statez`)).json()) as {
        machines: { id: string; subjects: Record<string, number> }[];
      };
      expect(body.machines).toMatchObject([{ id: 'constructor', subjects: { constructor: 2 } }]);
      expect(Object.hasOwn(Object, 'constructor')).toBe(false);
    } finally {
      server.close();
    }
  });

  it('serves /statez and /debug/statemachine as JSON over Node http, and passes other paths on', async () => {
    const provider = new StateMachineProvider({
      source: checkoutDocument(),
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    await OpenFeature.setProviderAndWait('diagnostics', provider);
    const client = OpenFeature.getClient('diagnostics');
    const handler = createDiagnosticsHandler(provider, { recentRecords: 3 });
    const asks: Array<[string, string]> = [
      ['a', 'legacy'],
      ['b', 'canary'],
      ['c', 'canary'],
      ['d', 'v2'],
    ];
    for (const [subject, want] of asks) {
      await client.getStringValue('checkout', 'x', { targetingKey: subject, want });
    }
    await provider.audit.flush();
    await new Promise((r) => setImmediate(r));
    let passed = 0;
    const server = createServer((req, res) => {
      if (!handler(req, res, () => passed++)) {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const statez = await (await fetch(`${base}/statez`)).json();
      expect(statez).toMatchObject({
        provider: 'flagstate',
        document: { source: 'memory', revision: expect.stringMatching(/^[0-9a-f]{12}$/) },
        machines: [
          { id: 'checkout', version: 3, enforcement: 'enforce', subjects: { legacy: 1, canary: 2, v2: 1 } },
        ],
        store: { subjects: 4 },
        audit: { sequence: 4, gaps: 0, sinkErrors: 0 },
        hook: { observed: 4 },
      });
      const debug = (await (await fetch(`${base}/debug/statemachine`)).json()) as {
        records: Array<{ state_change: { subject: string } }>;
      };
      expect(debug.records.map((r) => r.state_change.subject)).toEqual(['b', 'c', 'd']);
      expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
      expect(passed).toBe(1);
      // Read-only: other methods are refused, HEAD answers without a body.
      const post = await fetch(`${base}/statez`, { method: 'POST' });
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
      const head = await fetch(`${base}/debug/statemachine`, { method: 'HEAD' });
      expect([head.status, await head.text()]).toEqual([200, '']);
    } finally {
      server.close();
    }
  });

  it('mounts in Express with app.use, and in Fastify on the raw request and reply', async () => {
    const provider = new StateMachineProvider({
      source: checkoutDocument(),
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    await OpenFeature.setProviderAndWait('diagnostics-frameworks', provider);
    // The ring buffer sees records from the handler's creation on.
    const handler = createDiagnosticsHandler(provider, { prefix: '/admin' });
    await OpenFeature.getClient('diagnostics-frameworks').getStringValue('checkout', 'x', {
      targetingKey: 'a',
      want: 'canary',
    });
    await provider.audit.flush();
    await new Promise((r) => setImmediate(r));

    const app = express();
    app.use(handler);
    app.get('/hello', (_req, res) => {
      res.send('app');
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const statez = (await (await fetch(`${base}/admin/statez`)).json()) as { store: { subjects: number } };
      expect(statez.store.subjects).toBe(1);
      expect((await fetch(`${base}/statez`)).status).toBe(404); // only under the prefix
      expect(await (await fetch(`${base}/hello`)).text()).toBe('app'); // passed on to the app
    } finally {
      server.close();
    }

    const fastify = Fastify();
    fastify.get('/admin/*', (request, reply) => {
      // Fastify must not answer itself once the handler writes the raw reply.
      reply.hijack();
      if (!handler(request.raw, reply.raw)) {
        reply.raw.writeHead(404);
        reply.raw.end();
      }
    });
    const address = await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      const debug = (await (await fetch(`${address}/admin/debug/statemachine`)).json()) as {
        records: Array<{ state_change: { subject: string } }>;
      };
      expect(debug.records.map((r) => r.state_change.subject)).toEqual(['a']);
      expect((await fetch(`${address}/admin/nothing`)).status).toBe(404);
    } finally {
      await fastify.close();
    }
  });

  it('admits only loopback peers by default, or whom authorize admits; a throwing authorize refuses', async () => {
    const provider = new StateMachineProvider({
      source: checkoutDocument(),
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    await provider.initialize();
    const handlers = {
      default: createDiagnosticsHandler(provider),
      token: createDiagnosticsHandler(provider, {
        authorize: (req) => req.headers.authorization === 'Bearer s3cret',
      }),
      throwing: createDiagnosticsHandler(provider, {
        authorize: async () => {
          throw new Error('auth backend down');
        },
      }),
    };
    // The path's first segment picks the handler; a query string `peer` stands in for the
    // address the request came from.
    const server = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const peer = url.searchParams.get('peer');
      if (peer !== null)
        Object.defineProperty(req.socket, 'remoteAddress', { value: peer, configurable: true });
      const [, which, ...rest] = url.pathname.split('/');
      req.url = `/${rest.join('/')}`;
      if (!handlers[which as keyof typeof handlers](req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const status = async (path: string, headers: Record<string, string> = {}) =>
      (await fetch(`${base}${path}`, { headers })).status;
    try {
      expect(await status('/default/statez')).toBe(200);
      expect(await status('/default/statez?peer=::1')).toBe(200);
      expect(await status('/default/statez?peer=::ffff:127.0.0.1')).toBe(200);
      for (const peer of ['203.0.113.7', '10.0.0.2', '::ffff:192.168.1.9', '2001:db8::1', '127.example']) {
        expect(await status(`/default/statez?peer=${peer}`)).toBe(403);
        expect(await status(`/default/debug/statemachine?peer=${peer}`)).toBe(403);
      }
      expect(await status('/default/elsewhere?peer=203.0.113.7')).toBe(404); // not ours: passed on
      expect(await status('/token/statez')).toBe(403); // a custom check replaces the loopback one
      expect(await status('/token/statez?peer=203.0.113.7', { authorization: 'Bearer s3cret' })).toBe(200);
      expect(await status('/throwing/statez')).toBe(403);
    } finally {
      server.close();
      await provider.onClose();
    }
  });

  it('counts from the store as writes happen; a store without counts is walked once per countsMaxAgeMs', async () => {
    // A store of the application's own that keeps no counts: only get/compareAndSet/size/entries.
    const inner = new LruStateStore({ whenFull: 'refuse' });
    let walks = 0;
    const walkOnly: StateStore = {
      get: (m, s) => inner.get(m, s),
      compareAndSet: (m, s, v, r) => inner.compareAndSet(m, s, v, r),
      size: () => inner.size(),
      async *entries() {
        walks++;
        await new Promise((r) => setTimeout(r, 20)); // a walk takes a while
        yield* inner.entries();
      },
    };
    const live = new StateMachineProvider({
      source: checkoutDocument(),
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    const walked = new StateMachineProvider({
      source: checkoutDocument(),
      store: walkOnly,
      audit: createAuditLog({ sinks: [memorySink()] }),
    });
    await OpenFeature.setProviderAndWait('diagnostics-live', live);
    await OpenFeature.setProviderAndWait('diagnostics-walked', walked);
    const ask = async (domain: string, subject: string, want: string) =>
      OpenFeature.getClient(domain).getStringValue('checkout', 'x', { targetingKey: subject, want });
    for (const domain of ['diagnostics-live', 'diagnostics-walked']) {
      for (let i = 0; i < 30; i++) await ask(domain, `u${i}`, i < 10 ? 'legacy' : 'canary');
    }
    const handlers = {
      live: createDiagnosticsHandler(live),
      walked: createDiagnosticsHandler(walked, { countsMaxAgeMs: 200 }),
    };
    const server = createServer((req, res) => {
      const [, which, ...rest] = req.url!.split('/');
      req.url = `/${rest.join('/')}`;
      handlers[which as keyof typeof handlers](req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    type Statez = {
      machines: { subjects: Record<string, number> }[];
      store: { subjects: number; counted: string };
    };
    const statez = async (which: string) => (await (await fetch(`${base}/${which}/statez`)).json()) as Statez;
    try {
      // Live counts follow every write at once.
      expect(await statez('live')).toMatchObject({
        machines: [{ subjects: { legacy: 10, canary: 20 } }],
        store: { subjects: 30, counted: 'live' },
      });
      await ask('diagnostics-live', 'u0', 'canary');
      expect((await statez('live')).machines[0]!.subjects).toEqual({ legacy: 9, canary: 21 });

      // 20 concurrent requests: one walk.
      const bodies = await Promise.all(Array.from({ length: 20 }, () => statez('walked')));
      expect(walks).toBe(1);
      for (const body of bodies) {
        expect(body).toMatchObject({
          machines: [{ subjects: { legacy: 10, canary: 20 } }],
          store: { counted: 'walk' },
        });
      }
      // Within countsMaxAgeMs the walk is reused, so a write is not seen yet.
      await ask('diagnostics-walked', 'u0', 'canary');
      expect((await statez('walked')).machines[0]!.subjects).toEqual({ legacy: 10, canary: 20 });
      expect(walks).toBe(1);
      // Past it, a request gets the last walk at once and starts the next; the one after sees it.
      await new Promise((r) => setTimeout(r, 250));
      expect((await statez('walked')).machines[0]!.subjects).toEqual({ legacy: 10, canary: 20 });
      await new Promise((r) => setTimeout(r, 60));
      expect((await statez('walked')).machines[0]!.subjects).toEqual({ legacy: 9, canary: 21 });
      expect(walks).toBe(2);
    } finally {
      server.close();
    }
  });
});
