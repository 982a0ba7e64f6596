import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { METADATA } from '@flagstate/core';
import { createDiagnosticsHandler, type StateMachineProvider } from '@flagstate/provider';
import type { Client } from '@openfeature/server-sdk';
import { type Counter, type Histogram, metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ScrapeWatch } from './scrape-watch.js';
import { ServiceStats } from './service-stats.js';

export const SERVICE_NAME = 'checkout-api';

/** Serves `GET /metrics` in Prometheus's text format. */
export type MetricsHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The checkout service: `GET /checkout?user=&region=&plan=` evaluates flag `checkout` for that
 * user inside a request span and answers `{ flow, variant }`; `/statez` and
 * `/debug/statemachine` are the provider's diagnostics; `/metrics` is for Prometheus.
 */
export class CheckoutService {
  readonly stats = new ServiceStats();
  /** Scrapes of `/metrics`. */
  readonly scrapes = new ScrapeWatch();
  readonly #client: Client;
  #provider: StateMachineProvider;
  #diagnostics: ReturnType<typeof createDiagnosticsHandler>;
  /** Set while the provider restarts: requests wait for it, as behind a draining load balancer. */
  #paused: Promise<void> | undefined;
  #inFlight = 0;
  #drained: (() => void) | undefined;
  readonly #server: Server;
  readonly #tracer = trace.getTracer(SERVICE_NAME);
  readonly #requests: Counter;
  readonly #evaluation: Histogram;

  constructor(client: Client, provider: StateMachineProvider, prometheus?: MetricsHandler) {
    this.#client = client;
    this.#provider = provider;
    const meter = metrics.getMeter(SERVICE_NAME);
    this.#requests = meter.createCounter('checkout.requests', { description: 'checkout requests served' });
    this.#evaluation = meter.createHistogram('checkout.flag_evaluation.duration', {
      description: 'time of the checkout flag evaluation inside the request handler',
      unit: 's',
    });
    this.#diagnostics = createDiagnosticsHandler(provider);
    this.#server = createServer((req, res) => {
      if (this.#diagnostics(req, res)) return;
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/checkout') void this.#checkout(req, url, res);
      else if (req.method === 'GET' && url.pathname === '/metrics' && prometheus !== undefined) {
        res.once('finish', this.scrapes.started());
        prometheus(req, res);
      } else send(res, 404, { error: `no route for ${req.method} ${url.pathname}` });
    });
  }

  /** Listens on a free loopback port and returns the base URL. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const { address, port } = this.#server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  /**
   * Holds new requests, waits for the ones in flight, runs `restart` (which stops the provider
   * and starts its successor), then serves again with the provider it returns.
   */
  async restartProvider(restart: () => Promise<StateMachineProvider>): Promise<void> {
    let resume!: () => void;
    this.#paused = new Promise((resolve) => {
      resume = resolve;
    });
    if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    try {
      this.#provider = await restart();
      this.#diagnostics = createDiagnosticsHandler(this.#provider);
    } finally {
      this.#paused = undefined;
      resume();
    }
  }

  /** Stops accepting requests and drops idle keep-alive connections. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) =>
      this.#server.close((error) => (error ? reject(error) : resolve())),
    );
    this.#server.closeIdleConnections();
    await closed;
  }

  async #checkout(req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    while (this.#paused !== undefined) await this.#paused;
    this.#inFlight++;
    try {
      await this.#handle(req, url, res);
    } finally {
      if (--this.#inFlight === 0 && this.#drained !== undefined) {
        this.#drained();
        this.#drained = undefined;
      }
    }
  }

  #handle(req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    return this.#tracer.startActiveSpan(
      `${req.method} /checkout`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': '/checkout' } },
      async (span) => {
        try {
          const user = url.searchParams.get('user');
          if (user === null || user === '') {
            span.setAttribute('http.response.status_code', 400);
            send(res, 400, { error: 'the "user" query parameter is required' });
            return;
          }
          const context = {
            targetingKey: user,
            region: url.searchParams.get('region') ?? 'unknown',
            plan: url.searchParams.get('plan') ?? 'free',
          };
          const started = performance.now();
          const details = await this.#client.getStringDetails('checkout', 'legacy-flow', context);
          const ms = performance.now() - started;
          const held = details.flagMetadata[METADATA.held];
          const failed = details.errorCode !== undefined;
          this.stats.count(
            this.#provider.document?.revision ?? 'none',
            failed ? 'error' : held === undefined ? 'as-requested' : `held:${String(held)}`,
            failed,
            ms,
          );
          this.#evaluation.record(ms / 1000);
          this.#requests.add(1, { 'checkout.flow': details.value });
          span.setAttribute('http.response.status_code', 200);
          send(res, 200, { flow: details.value, variant: details.variant });
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          send(res, 500, { error: String(error) });
        } finally {
          span.end();
        }
      },
    );
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
