// Squid 5.7 (Debian 12). Config = Debian's shipped access rules, with the changes the
// harness needs spelled out below; everything it writes lives in a temp dir owned by `proxy`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { isExecutable, versionFrom } from './binaries.ts';
import { launchProduct } from './launch.ts';
import { authCredentials, rejectProxyAuth, resolveStart } from './start-options.ts';
import { systemUser } from './system-user.ts';
import type { ProductDriver, ProxyCredentials, ProxyUnderTest, StartOptions } from './types.ts';
import { WorkDir } from './work-dir.ts';

const SQUID = '/usr/sbin/squid';
const BASIC_NCSA_AUTH = '/usr/lib/squid/basic_ncsa_auth';
const DIGEST_FILE_AUTH = '/usr/lib/squid/digest_file_auth';
const NTLM_FAKE_AUTH = '/usr/lib/squid/ntlm_fake_auth';
/** The Digest realm: part of HA1, so the password file and auth_param must agree on it. */
export const SQUID_DIGEST_REALM = 'wpc-squid-digest';

const variants = [
  { name: 'default', description: "Debian's shipped rules: CONNECT only to SSL_ports (443), so CONNECT to 5986 is denied (403)" },
  { name: 'winrm', description: 'as default, but CONNECT to any port on 127.0.0.1 is allowed (the WinRM ports the harness uses)' },
  { name: 'auth', description: 'winrm rules plus basic proxy authentication (basic_ncsa_auth, htpasswd file); 407 without credentials' },
  {
    name: 'auth-digest',
    description: `winrm rules plus Digest proxy authentication (digest_file_auth, HA1 file, realm ${SQUID_DIGEST_REALM}) and Basic (basic_ncsa_auth); 407 offers Digest first`,
  },
  {
    name: 'auth-ntlm',
    description:
      'winrm rules plus NTLM proxy authentication with ntlm_fake_auth, which accepts ANY credentials: it checks the connection-bound handshake, not the password; Basic (basic_ncsa_auth) is offered too and does check it',
  },
];

/** Variants with proxy authentication, and the schemes each configures (in the order offered). */
const AUTH_SCHEMES: Record<string, Array<'basic' | 'digest' | 'ntlm'>> = {
  auth: ['basic'],
  'auth-digest': ['digest', 'basic'],
  'auth-ntlm': ['ntlm', 'basic'],
};

function htpasswdLine(creds: ProxyCredentials): string {
  // apr1 (MD5) is understood by basic_ncsa_auth; the password goes through stdin, not argv.
  const hash = execFileSync('openssl', ['passwd', '-apr1', '-stdin'], {
    input: `${creds.password}\n`,
    encoding: 'utf8',
    timeout: 5_000,
  }).trim();
  return `${creds.user}:${hash}\n`;
}

function digestHa1Line(creds: ProxyCredentials): string {
  // digest_file_auth -c reads user:realm:HA1 (HA1 = MD5(user:realm:password), RFC 7616 §3.4.2),
  // so the password itself is never written to disk.
  const ha1 = createHash('md5').update(`${creds.user}:${SQUID_DIGEST_REALM}:${creds.password}`).digest('hex');
  return `${creds.user}:${SQUID_DIGEST_REALM}:${ha1}\n`;
}

/** auth_param lines; squid lists the schemes in Proxy-Authenticate in the order configured. */
function authParams(schemes: Array<'basic' | 'digest' | 'ntlm'>, files: { passwd?: string; digest?: string }): string {
  const lines: string[] = [];
  for (const s of schemes) {
    if (s === 'ntlm') {
      lines.push(`auth_param ntlm program ${NTLM_FAKE_AUTH}`, 'auth_param ntlm children 2 startup=1 idle=1', 'auth_param ntlm keep_alive on');
    } else if (s === 'digest') {
      lines.push(
        `auth_param digest program ${DIGEST_FILE_AUTH} -c ${files.digest}`,
        'auth_param digest children 2 startup=1 idle=1',
        `auth_param digest realm ${SQUID_DIGEST_REALM}`,
      );
    } else {
      lines.push(`auth_param basic program ${BASIC_NCSA_AUTH} ${files.passwd}`, 'auth_param basic children 2 startup=1 idle=1', 'auth_param basic realm wpc-squid');
    }
  }
  return lines.join('\n') + '\nacl wpc_authenticated proxy_auth REQUIRED\n';
}

export function squidConfig(p: {
  variant: string;
  host: string;
  port: number;
  dir: string;
  passwdFile?: string;
  digestFile?: string;
}): string {
  const schemes = AUTH_SCHEMES[p.variant];
  const connectToLoopback = p.variant === 'winrm' || schemes !== undefined;
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
${schemes ? authParams(schemes, { passwd: p.passwdFile, digest: p.digestFile }) : ''}
http_access deny !Safe_ports
${connectToLoopback
    ? '# Differs from Debian: CONNECT is also allowed to any port on 127.0.0.1 (WinRM 5985/5986 and test ports).\nhttp_access deny CONNECT !SSL_ports !wpc_loopback_dst'
    : 'http_access deny CONNECT !SSL_ports'}
http_access allow localhost manager
http_access deny manager
# "http_access deny to_localhost" is NOT present: the harness's servers are on loopback.
# (Squid 5.7 as Debian 12 ships it has this rule commented out too; Squid 6 enables it.)
${schemes ? 'http_access deny !wpc_authenticated\n' : ''}http_access allow localhost
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
    const schemes = AUTH_SCHEMES[variant];
    if (!schemes) rejectProxyAuth('squid', variant, opts);
    const credentials = schemes ? authCredentials(opts) : undefined;
    // Squid started as root drops to cache_effective_user (proxy on Debian).
    const dir = new WorkDir('squid', systemUser('proxy'));
    const logFiles = [dir.writable('cache.log'), dir.writable('access.log')];
    const passwdFile = credentials ? dir.write('passwd', htpasswdLine(credentials)) : undefined;
    const digestFile = credentials && schemes?.includes('digest') ? dir.write('digest-passwd', digestHa1Line(credentials)) : undefined;
    const conf = dir.write('squid.conf', squidConfig({ variant, host, port, dir: dir.path, passwdFile, digestFile }));
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
