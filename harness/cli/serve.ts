// `wpc serve`: the simulated WinRM server on real TCP (REQUIREMENTS.md §5), for pointing a
// WinRM client at. Prints one `listening` line once ready and runs until SIGINT/SIGTERM.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseKeytab } from '../auth/kerberos/keytab.ts';
import { parseArgs } from 'node:util';
import { TcpNetwork, generateIdentity } from '../net/index.ts';
import { startWinrmServer } from '../server/index.ts';
import type { KerberosServerOptions, ServerAuthScheme } from '../server/types.ts';
import { UsageError } from './usage.ts';

export const DEFAULT_USER = 'wpc';
/** Demo credential of a test server on loopback; documented in --help, never printed otherwise. */
export const DEFAULT_PASSWORD = 'wpc-Passw0rd!';

export const SERVE_HELP = `usage: wpc serve [--host H] [--http-port P] [--https-port Q] [--user U --password P]
                 [--auth negotiate,kerberos,credssp,basic] [--allow-unencrypted]
                 [--kerberos-keytab FILE [--kerberos-service SPN]]

Runs the simulated WinRM server (POST /wsman) until SIGINT/SIGTERM.
  --host H               address to bind (default 127.0.0.1)
  --http-port P          HTTP listener port (default 5985; 0 = a free port)
  --https-port Q         HTTPS listener port (default 5986; 0 = a free port), self-signed certificate
  --user U --password P  the one account (default user "${DEFAULT_USER}", password "${DEFAULT_PASSWORD}")
  --auth LIST            schemes offered in the 401 (default negotiate); credssp uses the HTTPS certificate
  --allow-unencrypted    WinRM AllowUnencrypted=true (clear SOAP and Basic over HTTP)
  --kerberos-keytab FILE with --auth kerberos: the service keys (MIT keytab, AES), e.g. exported
                         with \`kadmin.local ktadd -k FILE HTTP/localhost\`; clients kinit against
                         the KDC that issued them and ask for that principal (pywinrm:
                         kerberos_hostname_override=localhost). Ticket times use the real clock.
  --kerberos-service SPN accept tickets only for this principal (default: every one in the keytab)`;

const SCHEMES: readonly ServerAuthScheme[] = ['negotiate', 'kerberos', 'credssp', 'basic'];

export interface ServeIo {
  stdout?: (line: string) => void;
  /** Stops the server (tests); SIGINT/SIGTERM always do. */
  signal?: AbortSignal;
}

export async function run(argv: string[], io: ServeIo = {}): Promise<number> {
  const out = io.stdout ?? ((l: string) => void process.stdout.write(l + '\n'));
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        'http-port': { type: 'string', default: '5985' },
        'https-port': { type: 'string', default: '5986' },
        user: { type: 'string' },
        password: { type: 'string' },
        auth: { type: 'string', default: 'negotiate' },
        'allow-unencrypted': { type: 'boolean', default: false },
        'kerberos-keytab': { type: 'string' },
        'kerberos-service': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message.split('\n')[0] : String(e)} (see wpc serve --help)`);
  }
  if (values.help) {
    out(SERVE_HELP);
    return 0;
  }
  const httpPort = port(values['http-port'], '--http-port');
  const httpsPort = port(values['https-port'], '--https-port');
  if ((values.user === undefined) !== (values.password === undefined)) throw new UsageError('--user and --password go together');
  const auth = values.auth.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  for (const s of auth) if (!(SCHEMES as readonly string[]).includes(s)) throw new UsageError(`--auth: unknown scheme '${s}' (negotiate, kerberos, credssp, basic)`);

  const kerberos = kerberosKeys(auth, values['kerberos-keytab'], values['kerberos-service']);

  const net = new TcpNetwork();
  const identity = await generateIdentity(values.host === '127.0.0.1' ? 'localhost' : values.host);
  const server = await startWinrmServer(net, {
    host: values.host,
    httpPort,
    httpsPort,
    identity,
    users: [{ user: values.user ?? DEFAULT_USER, password: values.password ?? DEFAULT_PASSWORD }],
    auth: auth.length > 0 ? (auth as ServerAuthScheme[]) : ['negotiate'],
    allowUnencrypted: values['allow-unencrypted'],
    ...(kerberos ? { kerberos: kerberos.options } : {}),
    random: { bytes: (n) => new Uint8Array(randomBytes(n)) },
  });
  const addr = (e: { host: string; port: number } | undefined, scheme: string): string => (e ? `${scheme}://${e.host}:${e.port}/wsman` : '');
  out(
    `listening ${addr(server.http, 'http')} ${addr(server.https, 'https')} sha256=${server.fingerprint256} ` +
      `user=${values.user ?? DEFAULT_USER} auth=${auth.join(',')}${values['allow-unencrypted'] ? ' allow-unencrypted' : ''}` +
      (kerberos ? ` kerberos=${kerberos.principals.join(',')}` : ''),
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
  await server.close();
  await net.shutdown();
  return 0;
}

function port(v: string, flag: string): number {
  if (!/^[0-9]{1,5}$/.test(v) || Number(v) > 65535) throw new UsageError(`${flag}: not a port number: ${v}`);
  return Number(v);
}

/** `--auth kerberos` needs the service keys; the keytab is checked here so a bad file is a usage error. */
function kerberosKeys(auth: string[], keytabPath: string | undefined, service: string | undefined): { options: KerberosServerOptions; principals: string[] } | undefined {
  if (!auth.includes('kerberos')) {
    if (keytabPath !== undefined || service !== undefined) throw new UsageError('--kerberos-keytab/--kerberos-service go with --auth kerberos');
    return undefined;
  }
  if (keytabPath === undefined) throw new UsageError('--auth kerberos needs --kerberos-keytab FILE (the service keys; see wpc serve --help)');
  let keytab: Uint8Array;
  let principals: string[];
  try {
    keytab = new Uint8Array(readFileSync(keytabPath));
    principals = [...new Set(parseKeytab(keytab).map((e) => e.principal))];
  } catch (e) {
    throw new UsageError(`--kerberos-keytab ${keytabPath}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (service !== undefined) {
    principals = principals.filter((p) => p === service || p.slice(0, p.lastIndexOf('@')) === service);
    if (principals.length === 0) throw new UsageError(`--kerberos-service ${service}: not in the keytab ${keytabPath}`);
  }
  // A real KDC issues tickets on the real calendar: the acceptor reads the wall clock.
  return { options: { keytab, now: () => Date.now(), ...(service !== undefined ? { services: [service] } : {}) }, principals };
}
