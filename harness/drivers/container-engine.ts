// The Docker engine behind `certify --image`: where it is (DOCKER_HOST), whether it answers
// (GET /_ping, Docker Engine API), and a private dockerd for tests and CI machines that have
// docker.io but no running engine. No registry is assumed reachable: nothing here pulls.

import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { lastLines } from './log-tail.ts';

export type EngineAddress = { socketPath: string } | { host: string; port: number };

/** Parses DOCKER_HOST (`unix:///path` or `tcp://host:port`); undefined for other schemes. */
export function engineAddress(dockerHost: string): EngineAddress | undefined {
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  const tcp = /^tcp:\/\/([^:/]+|\[[^\]]+\]):(\d+)\/?$/.exec(dockerHost);
  if (tcp) return { host: tcp[1].replace(/^\[|\]$/g, ''), port: Number(tcp[2]) };
  return undefined;
}

/**
 * Asks the engine at `dockerHost` for `GET /_ping` (Docker Engine API); resolves undefined when
 * it answers OK, else a one-line reason. Bounded by `timeoutMs`.
 */
export function pingEngine(dockerHost: string, timeoutMs = 3_000): Promise<string | undefined> {
  const address = engineAddress(dockerHost);
  if (!address) return Promise.resolve(`unsupported DOCKER_HOST scheme in '${dockerHost}' (unix:// or tcp://)`);
  return new Promise((resolve) => {
    const req = request({ ...address, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(res.statusCode === 200 ? undefined : `/_ping answered ${res.statusCode} ${body.trim().slice(0, 80)}`));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to /_ping within ${timeoutMs} ms`)));
    req.on('error', (e) => resolve(e.message.split('\n')[0]));
    req.end();
  });
}

export interface PrivateEngine {
  /** `unix://<root>/docker.sock`, for DOCKER_HOST. */
  dockerHost: string;
  /** False when an engine was already answering on the socket (stop() then leaves it alone). */
  started: boolean;
  /** The last lines of dockerd's own log. */
  logTail(lines?: number): string;
  /** Stops the dockerd this call started (SIGTERM, then SIGKILL after a bound); idempotent. */
  stop(): Promise<void>;
}

export interface PrivateEngineOptions {
  /** Holds the socket, data-root, exec-root, pidfile and log. */
  root: string;
  /** Bound on the wait for the socket to answer (default 30 s). */
  timeoutMs?: number;
  dockerd?: string;
}

/**
 * Starts `dockerd` on a private socket with host networking only (no bridge, no iptables: this
 * kind of machine has neither, PROTOCOL.md), or reuses one already answering there.
 * Needs root and the docker.io package.
 */
export async function startPrivateDockerd(opts: PrivateEngineOptions): Promise<PrivateEngine> {
  const root = opts.root;
  const socket = join(root, 'docker.sock');
  const dockerHost = `unix://${socket}`;
  const logPath = join(root, 'dockerd.log');
  const logTail = (lines = 10): string => {
    try {
      return lastLines(readFileSync(logPath, 'utf8'), lines);
    } catch {
      return '';
    }
  };
  if ((await pingEngine(dockerHost, 1_000)) === undefined) {
    return { dockerHost, started: false, logTail, stop: async () => undefined };
  }
  const dockerd = opts.dockerd ?? '/usr/sbin/dockerd';
  if (!existsSync(dockerd)) throw new Error(`${dockerd} not found (apt-get install docker.io)`);
  mkdirSync(root, { recursive: true });
  const log = openSync(logPath, 'a');
  const child = spawn(
    dockerd,
    [
      '--iptables=false',
      '--bridge=none',
      '--host', dockerHost,
      '--data-root', join(root, 'data'),
      '--exec-root', join(root, 'exec'),
      '--pidfile', join(root, 'docker.pid'),
    ],
    { stdio: ['ignore', log, log], detached: true },
  );
  closeSync(log);
  child.unref(); // the caller's stop() ends it; it must not hold the caller's process open
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `dockerd exited (${signal ?? `code ${code}`})`));
  child.once('error', (e) => (exited = `dockerd did not start: ${e.message}`));
  const stop = async (): Promise<void> => {
    if (exited !== undefined || child.exitCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(killer);
    await unmountNetns(join(root, 'exec', 'netns', 'default'));
  };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let reason: string | undefined = 'not tried';
  while (Date.now() < deadline && exited === undefined) {
    reason = await pingEngine(dockerHost, 1_000);
    if (reason === undefined) return { dockerHost, started: true, logTail, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`${exited ?? `dockerd did not answer on ${socket} within ${timeoutMs} ms (${reason})`}; dockerd log: ${logTail(3).replace(/\n/g, ' | ')}`);
}

/** dockerd bind-mounts the host's network namespace under its exec-root and leaves it there. */
async function unmountNetns(path: string): Promise<void> {
  let mounted = false;
  try {
    mounted = readFileSync('/proc/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === path);
  } catch {
    return;
  }
  if (mounted) await new Promise<void>((r) => execFile('umount', [path], { timeout: 5_000 }, () => r()));
}
