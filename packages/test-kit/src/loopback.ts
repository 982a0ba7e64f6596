// Loopback ports for throwaway servers.
import { createConnection, createServer } from 'node:net';

/** A free TCP port on 127.0.0.1: `port` (0: any). */
export function freePort(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** Whether something on the port answers PING with PONG. */
export function ping(port: number, timeoutMs = 200): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/**
 * A free port whose cluster bus port (port + 10000) is free too, as a Redis Cluster node needs.
 */
export async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port > 55_535) continue;
    if (
      await freePort(port + 10_000).then(
        () => true,
        () => false,
      )
    )
      return port;
  }
}
