import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditRecord } from '@flagstate/audit';
import { isLoopback } from './internal/is-loopback.js';
import { type CountedSubjects, SubjectCounts } from './internal/subject-counts.js';
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
  /**
   * Decides whether a request may read the endpoints; a refused one gets 403. The default
   * admits only peers on the loopback interface, so that mounting the handler beside public
   * routes exposes nothing. Behind a proxy on the same host every request is a loopback peer:
   * pass your own check (a token, mTLS, the proxy's headers) there.
   * @default (req) => the peer address is loopback (127.0.0.0/8, ::1)
   */
  readonly authorize?: (req: IncomingMessage) => boolean | Promise<boolean>;
  /**
   * For a store that keeps no counts of its own (`RedisStateStore`: a SCAN), how long one walk
   * of its records serves `/statez`. Walks never overlap, however many requests come.
   * @default 30_000
   */
  readonly countsMaxAgeMs?: number;
}

/**
 * A request handler for Node's `http`, Express (`app.use(handler)`) or Fastify (hijack the
 * reply, then pass `request.raw` and `reply.raw`). Returns whether it answered.
 */
export type DiagnosticsHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => boolean;

/**
 * Serves `/statez` (machines, document revision, store size and per-state counts, audit log
 * health) and `/debug/statemachine` (the last records, from a ring buffer fed by the audit
 * log) as JSON, to GET and HEAD, for requests `authorize` admits. Anything else is passed to
 * `next`, or left alone (returns `false`). `/statez` costs O(machines × states) with a store
 * that counts as it writes (`LruStateStore`); other stores are walked at most once per
 * `countsMaxAgeMs`.
 */
export function createDiagnosticsHandler(
  provider: StateMachineProvider,
  options: DiagnosticsOptions = {},
): DiagnosticsHandler {
  const size = options.recentRecords ?? 100;
  const prefix = options.prefix ?? '';
  const authorize = options.authorize ?? ((req: IncomingMessage) => isLoopback(req.socket?.remoteAddress));
  const counts = new SubjectCounts(provider.store, options.countsMaxAgeMs ?? 30_000);
  const ring: AuditRecord[] = [];
  // Every log the provider writes: a re-initialised provider writes a new one.
  provider.subscribeAudit((record) => {
    ring.push(record);
    if (ring.length > size) ring.shift();
  });

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body, null, 2);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(res.req?.method === 'HEAD' ? undefined : text);
  };

  const answer = (path: string, req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      send(res, 405, { error: `${req.method} is not allowed: these endpoints are read-only` });
    } else if (path === `${prefix}/statez`) {
      return counts.read().then((counted) => send(res, 200, statez(provider, counted)));
    } else {
      send(res, 200, { records: [...ring] });
    }
  };

  return (req, res, next) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (path !== `${prefix}/statez` && path !== `${prefix}/debug/statemachine`) {
      next?.();
      return false;
    }
    // A throwing or rejecting authorize refuses, like a false one.
    Promise.resolve()
      .then(() => authorize(req))
      .then(
        (admitted) => (admitted === true ? answer(path, req, res) : send(res, 403, { error: 'forbidden' })),
        () => send(res, 403, { error: 'forbidden' }),
      )
      .catch((error: unknown) => send(res, 500, { error: String(error) }));
    return true;
  };
}

/** What `/statez` reports. */
function statez(provider: StateMachineProvider, counted: CountedSubjects) {
  const doc = provider.document;
  // Counts come as Maps, not plain objects: a machine or state named "constructor" or
  // "toString" is counted, and never reaches a prototype.
  const { counts } = counted;
  const tracked = provider.trackedEvents();
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
          tracking: {
            byState: Object.fromEntries(
              [...(tracked.byState.get(m.id) ?? [])].map(([state, events]) => [
                state,
                Object.fromEntries(events),
              ]),
            ),
            unattributed: Object.fromEntries(tracked.unattributed.get(m.id) ?? []),
          },
        }))
      : [],
    store: {
      subjects: counted.subjects,
      counted: counted.counted,
      countedAt: new Date(counted.at).toISOString(),
      ...(counted.refreshError === undefined ? {} : { refreshError: counted.refreshError }),
    },
    audit: provider.audit.stats(),
    hook: provider.hook.stats(),
  };
}
