// `wpc proxy`: the reference proxy, optionally with faults, on real TCP (REQUIREMENTS.md §5),
// for pointing a WinRM client at. Prints one `listening` line once ready and runs until
// SIGINT/SIGTERM.

import { parseArgs } from 'node:util';
import { generateIdentity, TcpNetwork } from '../net/index.ts';
import { composeFaults, parseProxyAuthSchemes, startProxy, type ProxyAuthScheme } from '../proxy/index.ts';
import { UsageError } from './usage.ts';

export const PROXY_HELP = `usage: wpc proxy [--host H] --port P [--fault NAME,…] [--proxy-user U --proxy-password P [--proxy-auth LIST]]

Runs the reference HTTP proxy (absolute-form forwarding, CONNECT to any port, 1:1 connection
affinity) until SIGINT/SIGTERM.
  --host H                 address to bind (default 127.0.0.1)
  --port P                 port to listen on (0 = a free port)
  --fault LIST             faults to compose, comma-separated (see wpc list faults)
  --proxy-user U --proxy-password P   require proxy authentication (Basic unless --proxy-auth)
  --proxy-auth LIST        schemes to offer in 407s, comma-separated: negotiate, ntlm, digest,
                           basic (default basic). Digest: RFC 7616 MD5 and SHA-256, qop=auth;
                           Negotiate/NTLM: NTLM handshake bound to the client connection`;

export interface ProxyIo {
  stdout?: (line: string) => void;
  /** Stops the proxy (tests); SIGINT/SIGTERM always do. */
  signal?: AbortSignal;
}

export async function run(argv: string[], io: ProxyIo = {}): Promise<number> {
  const out = io.stdout ?? ((l: string) => void process.stdout.write(l + '\n'));
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string' },
        fault: { type: 'string', multiple: true },
        'proxy-user': { type: 'string' },
        'proxy-password': { type: 'string' },
        'proxy-auth': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message.split('\n')[0] : String(e)} (see wpc proxy --help)`);
  }
  if (values.help) {
    out(PROXY_HELP);
    return 0;
  }
  if (values.port === undefined) throw new UsageError('--port is required (0 = a free port)');
  if (!/^[0-9]{1,5}$/.test(values.port) || Number(values.port) > 65535) {
    throw new UsageError(`--port: not a port number: ${values.port}`);
  }
  if ((values['proxy-user'] === undefined) !== (values['proxy-password'] === undefined)) {
    throw new UsageError('--proxy-user and --proxy-password go together');
  }
  let schemes: ProxyAuthScheme[] | undefined;
  if (values['proxy-auth'] !== undefined) {
    if (values['proxy-user'] === undefined) throw new UsageError('--proxy-auth needs --proxy-user and --proxy-password');
    try {
      schemes = parseProxyAuthSchemes(values['proxy-auth']);
    } catch (e) {
      throw new UsageError(`--proxy-auth: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const faults = (values.fault ?? []).flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f !== '');
  try {
    composeFaults(faults);
  } catch (e) {
    throw new UsageError(`--fault: ${e instanceof Error ? e.message : String(e)}`);
  }

  const net = new TcpNetwork({ keepBytes: false });
  const identity = faults.includes('tls-intercept') ? await generateIdentity('wpc-intercept') : undefined;
  const proxy = await startProxy(net, {
    host: values.host,
    port: Number(values.port),
    faults,
    ...(values['proxy-user'] !== undefined
      ? { proxyAuth: { user: values['proxy-user'], password: values['proxy-password']!, ...(schemes ? { schemes } : {}) } }
      : {}),
    ...(identity ? { identity } : {}),
  });
  const host = proxy.address.host.includes(':') ? `[${proxy.address.host}]` : proxy.address.host;
  out(
    `listening on http://${host}:${proxy.address.port} (faults: ${faults.length ? faults.join(',') : 'none'})` +
      `${values['proxy-user'] !== undefined ? ` proxy-auth=${(schemes ?? ['basic']).join(',')}` : ''}`,
  );

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop);
  });
  await proxy.close();
  await net.shutdown();
  return 0;
}
