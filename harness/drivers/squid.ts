// Squid 5.7 (Debian 12). Config = Debian's shipped access rules, with the changes the
// harness needs spelled out below; everything it writes lives in a temp dir owned by `proxy`.
import { execFileSync } from 'node:child_process';
import { isExecutable, versionFrom } from './binaries.ts';
import { launchProduct } from './launch.ts';
import { authCredentials, rejectProxyAuth, resolveStart } from './start-options.ts';
import { systemUser } from './system-user.ts';
import type { ProductDriver, ProxyCredentials, ProxyUnderTest, StartOptions } from './types.ts';
import { WorkDir } from './work-dir.ts';

const SQUID = '/usr/sbin/squid';
const BASIC_NCSA_AUTH = '/usr/lib/squid/basic_ncsa_auth';

const variants = [
  { name: 'default', description: "Debian's shipped rules: CONNECT only to SSL_ports (443), so CONNECT to 5986 is denied (403)" },
  { name: 'winrm', description: 'as default, but CONNECT to any port on 127.0.0.1 is allowed (the WinRM ports the harness uses)' },
  { name: 'auth', description: 'winrm rules plus basic proxy authentication (basic_ncsa_auth, htpasswd file); 407 without credentials' },
];

function htpasswdLine(creds: ProxyCredentials): string {
  // apr1 (MD5) is understood by basic_ncsa_auth; the password goes through stdin, not argv.
  const hash = execFileSync('openssl', ['passwd', '-apr1', '-stdin'], {
    input: `${creds.password}\n`,
    encoding: 'utf8',
    timeout: 5_000,
  }).trim();
  return `${creds.user}:${hash}\n`;
}

export function squidConfig(p: {
  variant: string;
  host: string;
  port: number;
  dir: string;
  passwdFile?: string;
}): string {
  const connectToLoopback = p.variant === 'winrm' || p.variant === 'auth';
  return `# wpc squid variant '${p.variant}' — generated
http_port ${p.host}:${p.port}
visible_hostname wpc-squid
pid_filename ${p.dir}/squid.pid
cache_log ${p.dir}/cache.log
access_log stdio:${p.dir}/access.log
cache_store_log none
logfile_rotate 0
coredump_dir ${p.dir}
netdb_filename none
pinger_enable off
# No caching: every request must reach the harness server.
cache deny all
cache_mem 8 MB
# Stop within the harness's 3 s grace (the default waits 30 s for clients).
shutdown_lifetime 0 seconds

# --- Debian 12 shipped ACLs (/etc/squid/squid.conf) ---
acl SSL_ports port 443
acl Safe_ports port 80		# http
acl Safe_ports port 21		# ftp
acl Safe_ports port 443		# https
acl Safe_ports port 70		# gopher
acl Safe_ports port 210		# wais
acl Safe_ports port 1025-65535	# unregistered ports
acl Safe_ports port 280		# http-mgmt
acl Safe_ports port 488		# gss-http
acl Safe_ports port 591		# filemaker
acl Safe_ports port 777		# multiling http
acl wpc_loopback_dst dst 127.0.0.1
${p.passwdFile ? `auth_param basic program ${BASIC_NCSA_AUTH} ${p.passwdFile}
auth_param basic children 2 startup=1 idle=1
auth_param basic realm wpc-squid
acl wpc_authenticated proxy_auth REQUIRED
` : ''}
http_access deny !Safe_ports
${connectToLoopback
    ? '# Differs from Debian: CONNECT is also allowed to any port on 127.0.0.1 (WinRM 5985/5986 and test ports).\nhttp_access deny CONNECT !SSL_ports !wpc_loopback_dst'
    : 'http_access deny CONNECT !SSL_ports'}
http_access allow localhost manager
http_access deny manager
# "http_access deny to_localhost" is NOT present: the harness's servers are on loopback.
# (Squid 5.7 as Debian 12 ships it has this rule commented out too; Squid 6 enables it.)
${p.passwdFile ? 'http_access deny !wpc_authenticated\n' : ''}http_access allow localhost
http_access deny all
`;
}

export const squid: ProductDriver = {
  name: 'squid',
  variants,
  installed: () => isExecutable(SQUID),
  version: () => versionFrom(SQUID, ['-v'], /Version\s+(\S+)/),
  async start(opts: StartOptions): Promise<ProxyUnderTest> {
    const { variant, host, port } = await resolveStart('squid', variants, opts);
    if (variant !== 'auth') rejectProxyAuth('squid', variant, opts);
    const credentials = variant === 'auth' ? authCredentials(opts) : undefined;
    // Squid started as root drops to cache_effective_user (proxy on Debian).
    const dir = new WorkDir('squid', systemUser('proxy'));
    const logFiles = [dir.writable('cache.log'), dir.writable('access.log')];
    const passwdFile = credentials ? dir.write('passwd', htpasswdLine(credentials)) : undefined;
    const conf = dir.write('squid.conf', squidConfig({ variant, host, port, dir: dir.path, passwdFile }));
    return launchProduct({
      product: { name: 'squid', version: await squid.version(), variant },
      command: SQUID,
      args: ['-N', '-f', conf],
      dir,
      host,
      port,
      logFiles,
      credentials,
    });
  },
};
