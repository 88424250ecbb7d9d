// Apache httpd 2.4 (Debian 12) as a forward proxy: mod_proxy + mod_proxy_http +
// mod_proxy_connect, one process (-X), every file in the temp dir (-d as ServerRoot).
// Note: SIGTERM right after a CONNECT tunnel closed can take the full 3 s grace (then SIGKILL).
import { isExecutable, versionFrom } from './binaries.ts';
import { launchProduct } from './launch.ts';
import { rejectProxyAuth, resolveStart } from './start-options.ts';
import type { ProductDriver, ProxyUnderTest, StartOptions } from './types.ts';
import { WorkDir } from './work-dir.ts';

const APACHE2 = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

const variants = [
  { name: 'default', description: 'ProxyRequests On; AllowCONNECT default (443 563), so CONNECT to 5986 is refused' },
  { name: 'winrm', description: 'as default with AllowCONNECT 1-65535 (the WinRM ports and any harness port)' },
  { name: 'pooled', description: 'winrm rules plus a pooled, reusable backend worker per target origin (opts.targets, default 127.0.0.1:5985/5986)' },
];

const modules: Array<[string, string]> = [
  ['mpm_event_module', 'mod_mpm_event.so'],
  ['authz_core_module', 'mod_authz_core.so'],
  ['authz_host_module', 'mod_authz_host.so'],
  ['proxy_module', 'mod_proxy.so'],
  ['proxy_http_module', 'mod_proxy_http.so'],
  ['proxy_connect_module', 'mod_proxy_connect.so'],
];

/** WinRM's default listeners, pooled when the caller names no targets. */
const DEFAULT_POOLED_TARGETS = ['http://127.0.0.1:5985', 'http://127.0.0.1:5986'];

function origin(target: string): string {
  const u = new URL(target);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`apache2: target ${target} is not http(s)`);
  return `${u.protocol}//${u.host}`;
}

export function apache2Config(p: { variant: string; host: string; port: number; dir: string; targets?: string[] }): string {
  const allowConnect = p.variant === 'default' ? '# AllowCONNECT left at its default: 443 563' : 'AllowCONNECT 1-65535';
  const pooling =
    p.variant === 'pooled'
      ? `# mod_proxy's generic forward worker ("proxy:forward") never reuses backend connections
# (is_address_reusable = 0, so every request goes out with Connection: close). A worker
# declared for an exact origin does pool them: any client request to that origin may take
# any idle pooled connection. No proxy-nokeepalive / proxy-initial-not-pooled.
${(p.targets && p.targets.length > 0 ? p.targets : DEFAULT_POOLED_TARGETS)
  .map(origin)
  .filter((o, i, all) => all.indexOf(o) === i)
  .map((o) => `<Proxy "${o}">\n    ProxySet enablereuse=on keepalive=on ttl=300\n</Proxy>`)
  .join('\n')}
`
      : '';
  return `# wpc apache2 variant '${p.variant}' — generated
${modules.map(([name, file]) => `LoadModule ${name} ${MODULES}/${file}`).join('\n')}
ServerName wpc-apache2
Listen ${p.host}:${p.port}
PidFile ${p.dir}/apache2.pid
ErrorLog ${p.dir}/error.log
LogLevel warn proxy:info
DefaultRuntimeDir ${p.dir}
Mutex file:${p.dir} default
User www-data
Group www-data
# -X: one process with ThreadsPerChild threads, so clients are served concurrently and the
# backend pool (per process) is the one pool every client draws from.
ThreadsPerChild 25
KeepAlive On
KeepAliveTimeout 300
Timeout 300
ProxyRequests On
${allowConnect}
<Proxy "*">
    Require ip 127.0.0.1
</Proxy>
${pooling}`;
}

export const apache2: ProductDriver = {
  name: 'apache2',
  variants,
  installed: () => isExecutable(APACHE2),
  version: () => versionFrom(APACHE2, ['-v'], /Apache\/(\S+)/),
  async start(opts: StartOptions): Promise<ProxyUnderTest> {
    const { variant, host, port } = await resolveStart('apache2', variants, opts);
    rejectProxyAuth('apache2', variant, opts);
    const dir = new WorkDir('apache2');
    const logFiles = [dir.file('error.log')];
    const conf = dir.write('apache2.conf', apache2Config({ variant, host, port, dir: dir.path, targets: opts.targets }));
    return launchProduct({
      product: { name: 'apache2', version: await apache2.version(), variant },
      command: APACHE2,
      args: ['-X', '-f', conf, '-d', dir.path],
      dir,
      host,
      port,
      logFiles,
    });
  },
};
