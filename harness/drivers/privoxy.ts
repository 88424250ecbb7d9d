// Privoxy 3.0 (Debian 12). No actions/filter files: the harness wants a plain forwarding proxy.
// Privoxy forwards to 127.0.0.1 like any other host and allows CONNECT to any port unless
// limit-connect is set (it is not).
import { isExecutable, versionFrom } from './binaries.ts';
import { launchProduct } from './launch.ts';
import { rejectProxyAuth, resolveStart } from './start-options.ts';
import type { ProductDriver, ProxyUnderTest, StartOptions } from './types.ts';
import { WorkDir } from './work-dir.ts';

const PRIVOXY = '/usr/sbin/privoxy';

const variants = [
  { name: 'default', description: 'connection-sharing 0: each client connection gets its own server connection (1:1)' },
  { name: 'sharing', description: 'connection-sharing 1, keep-alive-timeout 300: idle server connections are shared between clients' },
];

export function privoxyConfig(p: { variant: string; host: string; port: number; dir: string }): string {
  const sharing = p.variant === 'sharing';
  return `# wpc privoxy variant '${p.variant}' — generated
confdir ${p.dir}
logdir ${p.dir}
logfile privoxy.log
listen-address ${p.host}:${p.port}
toggle 1
enable-remote-toggle 0
enable-remote-http-toggle 0
enable-edit-actions 0
enforce-blocks 0
accept-intercepted-requests 0
allow-cgi-request-crunching 0
split-large-forms 0
keep-alive-timeout ${sharing ? 300 : 5}
tolerate-pipelining 1
socket-timeout 300
connection-sharing ${sharing ? 1 : 0}
# 1 = requests, 4096 = startup, 8192 = errors (RFC-level problems show up here)
debug 1
debug 4096
debug 8192
`;
}

export const privoxy: ProductDriver = {
  name: 'privoxy',
  variants,
  installed: () => isExecutable(PRIVOXY),
  version: () => versionFrom(PRIVOXY, ['--version'], /Privoxy version\s+(\S+)/),
  async start(opts: StartOptions): Promise<ProxyUnderTest> {
    const { variant, host, port } = await resolveStart('privoxy', variants, opts);
    rejectProxyAuth('privoxy', variant, opts);
    const dir = new WorkDir('privoxy');
    const logFiles = [dir.writable('privoxy.log')];
    const conf = dir.write('config', privoxyConfig({ variant, host, port, dir: dir.path }));
    return launchProduct({
      product: { name: 'privoxy', version: await privoxy.version(), variant },
      command: PRIVOXY,
      args: ['--no-daemon', conf],
      dir,
      host,
      port,
      logFiles,
    });
  },
};
