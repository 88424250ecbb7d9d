// Minimal real-TCP probes through a proxy, used to check a started product does what its
// variant claims: a plain request in absolute-form (RFC 9112 §3.2.2) and a CONNECT tunnel
// (RFC 9110 §9.3.6). Every wait is bounded.
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { ProxyCredentials } from './types.ts';

export interface ProbeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function proxyAuthorization(creds: ProxyCredentials | undefined): Record<string, string> {
  if (!creds) return {};
  const token = Buffer.from(`${creds.user}:${creds.password}`).toString('base64');
  return { 'Proxy-Authorization': `Basic ${token}` };
}

/** GET `target` (an absolute http URL) through the proxy at `proxyUrl`. */
export function getViaProxy(
  proxyUrl: string,
  target: string,
  opts: { credentials?: ProxyCredentials; timeoutMs?: number; keepAlive?: boolean } = {},
): Promise<ProbeResponse> {
  const proxy = new URL(proxyUrl);
  const host = new URL(target).host;
  return new Promise((resolve, reject) => {
    const req = request({
      host: proxy.hostname,
      port: Number(proxy.port),
      method: 'GET',
      path: target, // absolute-form
      headers: {
        Host: host,
        // Node's default without an agent is Connection: close; some proxies (privoxy) then
        // close the server connection too instead of keeping it for sharing.
        Connection: opts.keepAlive ? 'keep-alive' : 'close',
        ...proxyAuthorization(opts.credentials),
      },
      agent: false,
      timeout: opts.timeoutMs ?? 5_000,
    });
    req.once('timeout', () => req.destroy(new Error(`GET ${target} via ${proxyUrl}: timed out`)));
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', reject);
      res.once('end', () => {
        // One request per probe connection, even when keep-alive was announced.
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end();
  });
}

export interface ConnectOutcome {
  /** Status code of the proxy's answer to CONNECT; 0 when it closed without one. */
  status: number;
  statusLine: string;
  /** Whether bytes written into the tunnel came back from the echo server unchanged. */
  echoed: boolean;
}

/**
 * CONNECT `authority` through the proxy; on a 2xx, writes `probe` into the tunnel and waits
 * for it to come back (the target is an echo server).
 */
export function connectViaProxy(
  proxyUrl: string,
  authority: string,
  opts: { credentials?: ProxyCredentials; timeoutMs?: number; echoTimeoutMs?: number; probe?: string } = {},
): Promise<ConnectOutcome> {
  const proxy = new URL(proxyUrl);
  const probe = opts.probe ?? 'wpc-tunnel-probe\n';
  const auth = proxyAuthorization(opts.credentials);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: proxy.hostname, port: Number(proxy.port) });
    let buffered = Buffer.alloc(0);
    let outcome: ConnectOutcome | undefined;
    let afterHead = Buffer.alloc(0);
    const finish = (result: ConnectOutcome | Error): void => {
      clearTimeout(timer);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    let timer = setTimeout(() => {
      if (outcome) finish(outcome); // tunnel opened but nothing echoed in time
      else finish(new Error(`CONNECT ${authority} via ${proxyUrl}: no answer in time`));
    }, opts.timeoutMs ?? 5_000);
    socket.once('error', (e) => (outcome ? finish(outcome) : finish(e)));
    socket.once('close', () => {
      if (outcome) finish(outcome);
      else {
        const text = buffered.toString('latin1');
        const line = text.split('\r\n')[0] ?? '';
        finish({ status: Number(/^HTTP\/\d\.\d (\d{3})/.exec(line)?.[1] ?? 0), statusLine: line, echoed: false });
      }
    });
    socket.on('data', (chunk: Buffer) => {
      if (outcome) {
        afterHead = Buffer.concat([afterHead, chunk]);
        if (afterHead.toString('latin1').includes(probe)) finish({ ...outcome, echoed: true });
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const line = buffered.subarray(0, end).toString('latin1').split('\r\n')[0] ?? '';
      const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(line)?.[1] ?? 0);
      outcome = { status, statusLine: line, echoed: false };
      if (status < 200 || status > 299) {
        finish(outcome);
        return;
      }
      afterHead = buffered.subarray(end + 4);
      // Tunnel open: the echo gets its own, shorter bound.
      clearTimeout(timer);
      timer = setTimeout(() => finish(outcome!), opts.echoTimeoutMs ?? 2_000);
      socket.write(probe);
    });
    const head = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`, ...Object.entries(auth).map(([k, v]) => `${k}: ${v}`)];
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
  });
}
