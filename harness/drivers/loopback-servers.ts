// Test targets on 127.0.0.1: an HTTP server that says what it received, and a TCP echo server.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';

export interface RunningServer {
  port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

function track(server: HttpServer | TcpServer): { sockets: Set<Socket>; count: () => number } {
  const sockets = new Set<Socket>();
  let count = 0;
  server.on('connection', (s: Socket) => {
    count++;
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  return { sockets, count: () => count };
}

function listen(server: HttpServer | TcpServer, sockets: Set<Socket>, count: () => number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        connections: count,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Answers every request with 200 and a body naming the request line it got. */
export function startEchoHttpServer(): Promise<RunningServer> {
  const server = createHttpServer((req, res) => {
    const body = `wpc-origin ${req.method} ${req.url}`;
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 30_000;
  const { sockets, count } = track(server);
  return listen(server, sockets, count);
}

/** Writes back every byte it receives. */
export function startTcpEchoServer(): Promise<RunningServer> {
  const server = createTcpServer((socket) => {
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
  const { sockets, count } = track(server);
  return listen(server, sockets, count);
}
