// mitmproxy 8.1 (Debian 12), run as mitmdump. `default` intercepts TLS inside CONNECT with its
// own CA (generated into the temp confdir); `passthrough` relays CONNECT tunnels untouched.
import { isExecutable, versionFrom } from './binaries.ts';
import { launchProduct } from './launch.ts';
import { rejectProxyAuth, resolveStart } from './start-options.ts';
import type { ProductDriver, ProxyUnderTest, StartOptions } from './types.ts';
import { WorkDir } from './work-dir.ts';

const MITMDUMP = '/usr/bin/mitmdump';

const variants = [
  { name: 'default', description: 'intercepts TLS inside CONNECT with its own CA (a TLS client that checks the server certificate fails)' },
  { name: 'passthrough', description: 'ignore_hosts=.* : CONNECT tunnels carry the TLS bytes through untouched' },
];

export function mitmdumpArgs(p: { variant: string; host: string; port: number; dir: string }): string[] {
  const args = [
    '--listen-host', p.host,
    '-p', String(p.port),
    '--set', `confdir=${p.dir}/confdir`,
    // Upstream certificates are the harness's self-signed ones.
    '--ssl-insecure',
    '--set', 'termlog_verbosity=info',
    '--set', 'flow_detail=1',
  ];
  if (p.variant === 'passthrough') args.push('--set', 'ignore_hosts=.*');
  return args;
}

export const mitmproxy: ProductDriver = {
  name: 'mitmproxy',
  variants,
  installed: () => isExecutable(MITMDUMP),
  version: () => versionFrom(MITMDUMP, ['--version'], /Mitmproxy:\s+(\S+)/),
  async start(opts: StartOptions): Promise<ProxyUnderTest> {
    const { variant, host, port } = await resolveStart('mitmproxy', variants, opts);
    rejectProxyAuth('mitmproxy', variant, opts);
    const dir = new WorkDir('mitmproxy');
    dir.subdir('confdir');
    return launchProduct({
      product: { name: 'mitmproxy', version: await mitmproxy.version(), variant },
      command: MITMDUMP,
      args: mitmdumpArgs({ variant, host, port, dir: dir.path }),
      dir,
      host,
      port,
      logFiles: [],
      // mitmproxy also looks under $HOME; keep it inside the temp dir.
      env: { ...process.env, HOME: dir.path },
    });
  },
};
