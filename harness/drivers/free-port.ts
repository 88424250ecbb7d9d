import { createServer } from 'node:net';

/**
 * A port that was free on `host` a moment ago: listen on port 0, read what the kernel chose,
 * close. Racy by nature (another process may take it before the product binds it); the product
 * launcher reports a bind failure through the product's log.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: listener has no TCP address'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}
