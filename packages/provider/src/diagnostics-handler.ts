import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditRecord } from '@flagstate/core';
import type { StateMachineProvider } from './state-machine-provider.js';

export interface DiagnosticsOptions {
  /**
   * Records kept for `/debug/statemachine`, newest last.
   * @default 100
   */
  readonly recentRecords?: number;
  /**
   * Path prefix the endpoints live under, e.g. `/admin`.
   * @default ""
   */
  readonly prefix?: string;
}

/**
 * A request handler for Node's `http`, Express (`app.use(handler)`) or Fastify (hijack the
 * reply, then pass `request.raw` and `reply.raw`). Returns whether it answered.
 */
export type DiagnosticsHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => boolean;

/**
 * Serves `/statez` (machines, document revision, store size and per-state counts, audit log
 * health) and `/debug/statemachine` (the last records, from a ring buffer fed by the audit
 * log) as JSON, to GET and HEAD. Anything else is passed to `next`, or left alone (returns
 * `false`). `/statez` walks the store's entries to count subjects per state: a full SCAN with
 * `RedisStateStore`, so poll it, don't hammer it.
 */
export function createDiagnosticsHandler(
  provider: StateMachineProvider,
  options: DiagnosticsOptions = {},
): DiagnosticsHandler {
  const size = options.recentRecords ?? 100;
  const prefix = options.prefix ?? '';
  const ring: AuditRecord[] = [];
  provider.audit.subscribe((record) => {
    ring.push(record);
    if (ring.length > size) ring.shift();
  });

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body, null, 2);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(res.req?.method === 'HEAD' ? undefined : text);
  };

  return (req, res, next) => {
    const path = (req.url ?? '').split('?')[0];
    const ours = path === `${prefix}/statez` || path === `${prefix}/debug/statemachine`;
    if (ours && req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, { error: `${req.method} is not allowed: these endpoints are read-only` });
      return true;
    }
    if (path === `${prefix}/statez`) {
      statez(provider).then(
        (body) => send(res, 200, body),
        (error: unknown) => send(res, 500, { error: String(error) }),
      );
      return true;
    }
    if (path === `${prefix}/debug/statemachine`) {
      send(res, 200, { records: [...ring] });
      return true;
    }
    next?.();
    return false;
  };
}

/** What `/statez` reports. */
async function statez(provider: StateMachineProvider) {
  const doc = provider.document;
  // Maps, not plain objects: a machine or state named "constructor" or "toString" is counted,
  // and never reaches a prototype.
  const counts = new Map<string, Map<string, number>>();
  let size = 0;
  const entries = provider.store.entries?.();
  if (entries) {
    for await (const { machine, record } of entries) {
      let byState = counts.get(machine);
      if (byState === undefined) {
        byState = new Map();
        counts.set(machine, byState);
      }
      byState.set(record.state, (byState.get(record.state) ?? 0) + 1);
      size++;
    }
  } else {
    size = await provider.store.size();
  }
  return {
    provider: provider.metadata.name,
    document: doc ? { source: doc.source, revision: doc.revision, warnings: doc.warnings.length } : null,
    machines: doc
      ? [...doc.machines].map((m) => ({
          id: m.id,
          version: m.version,
          enforcement: m.enforcement,
          flags: m.flags,
          states: m.stateNames,
          subjects: Object.fromEntries(counts.get(m.id) ?? []),
        }))
      : [],
    store: { subjects: size },
    audit: provider.audit.stats(),
    hook: provider.hook.stats(),
  };
}
