// HAProxy 2.6 (Debian 12) as a plain-HTTP forward proxy: the destination is taken from the
// absolute-form request target (url_ip / url_port) — targets are IP literals on loopback, so
// no resolver is needed. HAProxy has no CONNECT tunnelling.
import { isExecutable, versionFrom } from './binaries.ts';
import { launchProduct } from './launch.ts';
import { rejectProxyAuth, resolveStart } from './start-options.ts';
import type { ProductDriver, ProxyUnderTest, StartOptions } from './types.ts';
import { WorkDir } from './work-dir.ts';

const HAPROXY = '/usr/sbin/haproxy';

const variants = [
  { name: 'default', description: 'forward proxy for plain HTTP (set-dst from the absolute URI), http-keep-alive; no CONNECT' },
];

export function haproxyConfig(p: { host: string; port: number; dir: string }): string {
  return `# wpc haproxy — generated
global
    maxconn 256
    log stdout format short local0 info

defaults
    mode http
    log global
    option httplog
    option http-keep-alive
    timeout connect 5s
    timeout client 300s
    timeout server 300s
    timeout http-keep-alive 300s

frontend wpc_forward
    bind ${p.host}:${p.port}
    default_backend wpc_dynamic

backend wpc_dynamic
    # RFC 9112 §3.2.2: a proxy receives absolute-form; the server gets origin-form.
    http-request set-dst url_ip
    http-request set-dst-port url_port
    http-request set-uri %[pathq]
    server dynamic 0.0.0.0:0
`;
}

export const haproxy: ProductDriver = {
  name: 'haproxy',
  variants,
  installed: () => isExecutable(HAPROXY),
  version: () => versionFrom(HAPROXY, ['-v'], /HA-?Proxy version\s+(\S+)/i),
  async start(opts: StartOptions): Promise<ProxyUnderTest> {
    const { variant, host, port } = await resolveStart('haproxy', variants, opts);
    rejectProxyAuth('haproxy', variant, opts);
    const dir = new WorkDir('haproxy');
    const conf = dir.write('haproxy.cfg', haproxyConfig({ host, port, dir: dir.path }));
    return launchProduct({
      product: { name: 'haproxy', version: await haproxy.version(), variant },
      command: HAPROXY,
      args: ['-db', '-f', conf],
      dir,
      host,
      port,
      logFiles: [],
    });
  },
};
