// A TCP proxy in front of Redis that holds every reply back for `delayMs`: a Redis that is
// slow but answers, as across a long network path. Requests pass at once; replies keep their
// order, and pipelined replies are not delayed one after another (latency, not throughput).
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export class DelayingProxy {
  /** Added to every reply from now on; may be changed while connections are open. */
  delayMs: number;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor(server: Server, delayMs: number) {
    this.#server = server;
    this.delayMs = delayMs;
  }

  /** Listens on a free loopback port and forwards to `redisPort`. */
  static async start(redisPort: number, delayMs: number): Promise<DelayingProxy> {
    const server = createServer();
    const proxy = new DelayingProxy(server, delayMs);
    server.on('connection', (client) => proxy.#pipe(client, redisPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as { port: number }).port;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #pipe(client: Socket, redisPort: number): void {
    const upstream = createConnection({ port: redisPort, host: '127.0.0.1' });
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => {}); // the other side's close ends both
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    // Each chunk leaves delayMs after it arrived, and never before the chunk ahead of it.
    const queue: Array<{ at: number; chunk: Buffer }> = [];
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      while (queue.length > 0 && queue[0]!.at <= performance.now()) client.write(queue.shift()!.chunk);
      if (queue.length > 0) schedule(queue[0]!.at - performance.now());
    };
    const schedule = (ms: number) => {
      scheduled = true;
      setTimeout(flush, Math.max(0, ms));
    };
    upstream.on('data', (chunk) => {
      queue.push({ at: performance.now() + this.delayMs, chunk });
      if (!scheduled) schedule(this.delayMs);
    });
  }
}
