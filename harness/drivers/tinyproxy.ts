// tinyproxy 1.11 (Debian 12). No ConnectPort line: per tinyproxy.conf(5) "If no ConnectPort
// line is found, then all ports are allowed", so CONNECT reaches any port.
import { isExecutable, versionFrom } from './binaries.ts';
import { launchProduct } from './launch.ts';
import { authCredentials, rejectProxyAuth, resolveStart } from './start-options.ts';
import { systemUser } from './system-user.ts';
import type { ProductDriver, ProxyCredentials, ProxyUnderTest, StartOptions } from './types.ts';
import { WorkDir } from './work-dir.ts';

const TINYPROXY = '/usr/bin/tinyproxy';

const variants = [
  { name: 'default', description: 'Allow 127.0.0.1, no ConnectPort (CONNECT to any port); forces Connection: close upstream' },
  { name: 'auth', description: 'as default plus BasicAuth (407 without credentials)' },
];

function quoteConf(value: string): string {
  if (/["\\\n\s]/.test(value)) throw new Error('tinyproxy: BasicAuth user/password must not contain spaces, quotes or backslashes');
  return value;
}

export function tinyproxyConfig(p: {
  host: string;
  port: number;
  dir: string;
  user: string;
  group: string;
  credentials?: ProxyCredentials;
}): string {
  return `# wpc tinyproxy — generated
User ${p.user}
Group ${p.group}
Port ${p.port}
Listen ${p.host}
Timeout 600
DefaultErrorFile "/usr/share/tinyproxy/default.html"
StatFile "/usr/share/tinyproxy/stats.html"
LogFile "${p.dir}/tinyproxy.log"
LogLevel Info
PidFile "${p.dir}/tinyproxy.pid"
MaxClients 100
Allow 127.0.0.1
ViaProxyName "tinyproxy"
${p.credentials ? `BasicAuth ${quoteConf(p.credentials.user)} ${quoteConf(p.credentials.password)}\n` : ''}`;
}

export const tinyproxy: ProductDriver = {
  name: 'tinyproxy',
  variants,
  installed: () => isExecutable(TINYPROXY),
  version: () => versionFrom(TINYPROXY, ['-v'], /tinyproxy\s+(\S+)/),
  async start(opts: StartOptions): Promise<ProxyUnderTest> {
    const { variant, host, port } = await resolveStart('tinyproxy', variants, opts);
    if (variant !== 'auth') rejectProxyAuth('tinyproxy', variant, opts);
    const credentials = variant === 'auth' ? authCredentials(opts) : undefined;
    const owner = systemUser('tinyproxy') ?? systemUser('nobody');
    const dir = new WorkDir('tinyproxy', owner);
    const logFiles = [dir.writable('tinyproxy.log')];
    dir.writable('tinyproxy.pid');
    const conf = dir.write(
      'tinyproxy.conf',
      tinyproxyConfig({
        host,
        port,
        dir: dir.path,
        user: owner?.name ?? 'nobody',
        group: owner?.name === 'tinyproxy' ? 'tinyproxy' : 'nogroup',
        credentials,
      }),
    );
    return launchProduct({
      product: { name: 'tinyproxy', version: await tinyproxy.version(), variant },
      command: TINYPROXY,
      args: ['-d', '-c', conf],
      dir,
      host,
      port,
      logFiles,
      credentials,
    });
  },
};
