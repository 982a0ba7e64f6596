import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** OTLP's JSON encoding of an AnyValue. */
export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}
export interface KeyValue {
  key: string;
  value: AnyValue;
}

/** An AnyValue as the JavaScript value it encodes. */
export function decode(v: AnyValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(decode);
  if (v.kvlistValue !== undefined) return attributes(v.kvlistValue.values);
  return undefined;
}

/** OTLP attributes as an object. */
export function attributes(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, decode(kv.value)]));
}

export interface OtlpLogRecord {
  timeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  eventName?: string;
  body?: AnyValue;
  attributes?: KeyValue[];
  traceId?: string;
  spanId?: string;
}

/**
 * A stand-in for an OpenTelemetry Collector's OTLP/HTTP receiver (JSON), on a free loopback
 * port: it keeps every request body by path (`/v1/logs`, `/v1/metrics`, `/v1/traces`).
 */
export class OtlpReceiver {
  readonly received = new Map<string, unknown[]>();
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver(
      createServer((req, res) => {
        let body = '';
        req.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        req.on('end', () => {
          const path = new URL(req.url ?? '/', 'http://localhost').pathname;
          const list = receiver.received.get(path) ?? [];
          list.push(JSON.parse(body));
          receiver.received.set(path, list);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{}');
        });
      }),
    );
    await new Promise<void>((resolve) => receiver.#server.listen(0, '127.0.0.1', () => resolve()));
    return receiver;
  }

  get endpoint(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Every log record received, in order. */
  logRecords(): OtlpLogRecord[] {
    type Body = { resourceLogs?: { scopeLogs?: { logRecords?: OtlpLogRecord[] }[] }[] };
    return ((this.received.get('/v1/logs') ?? []) as Body[]).flatMap((b) =>
      (b.resourceLogs ?? []).flatMap((r) => (r.scopeLogs ?? []).flatMap((s) => s.logRecords ?? [])),
    );
  }

  /**
   * The last value of each data point of a cumulative sum, by its attributes: what the final
   * export (at shutdown) said.
   */
  lastSum(name: string): Map<string, { attributes: Record<string, unknown>; value: number }> {
    type Point = {
      attributes?: KeyValue[];
      asInt?: string | number;
      asDouble?: number;
      timeUnixNano?: string;
    };
    type Body = {
      resourceMetrics?: {
        scopeMetrics?: { metrics?: { name: string; sum?: { dataPoints?: Point[] } }[] }[];
      }[];
    };
    const out = new Map<string, { attributes: Record<string, unknown>; value: number }>();
    for (const body of (this.received.get('/v1/metrics') ?? []) as Body[])
      for (const r of body.resourceMetrics ?? [])
        for (const s of r.scopeMetrics ?? [])
          for (const m of s.metrics ?? []) {
            if (m.name !== name) continue;
            for (const p of m.sum?.dataPoints ?? []) {
              const attrs = attributes(p.attributes);
              out.set(JSON.stringify(attrs), {
                attributes: attrs,
                value: Number(p.asInt ?? p.asDouble ?? 0),
              });
            }
          }
    return out;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
