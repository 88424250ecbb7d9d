// A throwaway MIT Kerberos KDC on 127.0.0.1 for the Kerberos tests and `wpc serve`: its own
// realm, database, stash, keytab, configs and logs in one temp directory; `krb5kdc -n` in the
// foreground; bounded readiness wait; stopped on stop() and on process exit.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { onExit } from '../exit-cleanup.ts';
import { stablePort } from '../free-port.ts';
import { fileTail, lastLines, redact, RingText } from '../log-tail.ts';
import { waitForPort } from '../port-probe.ts';
import { WorkDir } from '../work-dir.ts';
import { kdcConf, krb5Conf } from './config.ts';

export const KDC_START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 2_000;
const ADMIN_TIMEOUT_MS = 10_000;

export interface KdcPrincipalSecret {
  principal: string; // fully qualified, e.g. wpc-user@WPC.TEST
  password: string;
}

export interface StartKdcOptions {
  realm?: string; // default WPC.TEST
  users?: Array<{ name: string; password?: string }>; // default one wpc-user with a random password
  /** Service principals (without realm); the first is `service`. Default HTTP/localhost, WSMAN/localhost. */
  services?: string[];
  startTimeoutMs?: number;
}

export interface RunningKdc {
  realm: string;
  kdcAddress: { host: string; port: number };
  dir: string;
  krb5ConfPath: string;
  kdcConfPath: string;
  keytabPath: string; // every service principal, AES256 and AES128
  /** Environment for MIT tools and libraries (kinit, kvno, python gssapi) talking to this KDC. */
  env: Record<string, string>;
  users: KdcPrincipalSecret[];
  service: { principal: string; password?: string };
  services: KdcPrincipalSecret[];
  /** The keytab's bytes (read once after export). */
  keytab(): Uint8Array;
  /** Runs kadmin.local with one query (e.g. to change a key or add a principal). */
  kadmin(query: string): Promise<string>;
  logs(): string;
  stop(): Promise<void>;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, secrets: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, timeout: ADMIN_TIMEOUT_MS }, (err, stdout, stderr) => {
      const out = redact(`${stdout}${stderr}`, secrets);
      if (err) reject(new Error(`${cmd} ${redact(args.join(' '), secrets)} failed: ${redact(err.message, secrets)}\n${out}`));
      else resolve(out);
    });
  });
}

const secret = () => randomBytes(18).toString('base64url');

export async function startKdc(opts: StartKdcOptions = {}): Promise<RunningKdc> {
  const realm = opts.realm ?? 'WPC.TEST';
  const host = '127.0.0.1';
  const dir = new WorkDir('kdc');
  const port = await stablePort(host); // bound by krb5kdc later: outside the ephemeral range
  const cfg = { dir: dir.path, realm, port };
  const kdcConfPath = dir.write('kdc.conf', kdcConf(cfg), 0o600);
  const krb5ConfPath = dir.write('krb5.conf', krb5Conf(cfg), 0o644);
  dir.write('kadm5.acl', '', 0o600);
  const keytabPath = dir.file('service.keytab');
  const env: Record<string, string> = {
    KRB5_CONFIG: krb5ConfPath,
    KRB5_KDC_PROFILE: kdcConfPath,
    KRB5CCNAME: `FILE:${dir.file('ccache')}`,
    KRB5_KTNAME: `FILE:${keytabPath}`,
    KRB5RCACHEDIR: dir.path,
  };
  const childEnv = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...env };

  const masterPassword = secret();
  const users = (opts.users ?? [{ name: 'wpc-user' }]).map((u) => ({ principal: `${u.name}@${realm}`, password: u.password ?? secret() }));
  const services = (opts.services ?? ['HTTP/localhost', 'WSMAN/localhost']).map((s) => ({ principal: `${s}@${realm}`, password: secret() }));
  const secrets = [masterPassword, ...users.map((u) => u.password), ...services.map((s) => s.password)];

  let child: ChildProcess | undefined;
  const output = new RingText();
  const logs = (): string => {
    const parts = [`--- kdc.log ---\n${fileTail(dir.file('kdc.log'), 40)}`];
    const out = lastLines(output.toString(), 40);
    if (out) parts.push(`--- stdout/stderr ---\n${out}`);
    return redact(parts.join('\n'), secrets);
  };
  const kill = (signal: NodeJS.Signals): void => {
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const unregister = onExit(() => {
    kill('SIGKILL');
    dir.remove();
  });
  let stopping: Promise<void> | undefined;
  let frozen: string | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        const gone = new Promise<void>((r) => child!.once('exit', () => r()));
        kill('SIGTERM');
        const t1 = await Promise.race([gone.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
        if (!t1) {
          kill('SIGKILL');
          await Promise.race([gone, sleep(STOP_GRACE_MS)]);
        }
      }
      frozen = logs();
      dir.remove();
      unregister();
    })();
    return stopping;
  };

  try {
    // The database (kdb5_util), principals and keytab (kadmin.local) before the KDC runs.
    await run('kdb5_util', ['create', '-s', '-r', realm, '-P', masterPassword], childEnv, secrets);
    for (const p of [...users, ...services]) {
      await run('kadmin.local', ['-r', realm, '-q', `addprinc -pw ${p.password} ${p.principal}`], childEnv, secrets);
    }
    for (const s of services) {
      // -norandkey keeps the password-derived keys, so the acceptor may use the password too.
      await run('kadmin.local', ['-r', realm, '-q', `ktadd -k ${keytabPath} -norandkey ${s.principal}`], childEnv, secrets);
    }

    child = spawn('krb5kdc', ['-n', '-r', realm, '-P', dir.file('krb5kdc.pid')], {
      cwd: dir.path,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.on('data', (d: Buffer) => output.push(d));
    child.stderr?.on('data', (d: Buffer) => output.push(d));
    let spawnError: Error | undefined;
    child.once('error', (e) => (spawnError = e));
    await waitForPort(host, port, {
      timeoutMs: opts.startTimeoutMs ?? KDC_START_TIMEOUT_MS,
      intervalMs: 50,
      abortReason: () => {
        if (spawnError) return `cannot run krb5kdc: ${spawnError.message}`;
        if (child!.exitCode !== null || child!.signalCode !== null) return `krb5kdc exited (code ${child!.exitCode}, signal ${child!.signalCode})`;
        return undefined;
      },
    });
  } catch (e) {
    const tail = logs();
    await stop();
    throw new Error(`KDC for ${realm} did not start on ${host}:${port}: ${redact((e as Error).message, secrets)}\n${tail}`);
  }

  let keytabBytes: Uint8Array | undefined;
  return {
    realm,
    kdcAddress: { host, port },
    dir: dir.path,
    krb5ConfPath,
    kdcConfPath,
    keytabPath,
    env,
    users,
    service: services[0],
    services,
    keytab: () => (keytabBytes ??= new Uint8Array(readFileSync(keytabPath))),
    kadmin: (query: string) => run('kadmin.local', ['-r', realm, '-q', query], childEnv, secrets),
    logs: () => frozen ?? logs(),
    stop,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
