import { spawn, type ChildProcess } from 'node:child_process';
import { onExit } from './exit-cleanup.ts';
import { fileTail, lastLines, redact, RingText } from './log-tail.ts';
import { waitForPort } from './port-probe.ts';
import type { ProductInfo, ProxyCredentials, ProxyUnderTest } from './types.ts';
import type { WorkDir } from './work-dir.ts';

export const START_TIMEOUT_MS = 15_000;
export const STOP_GRACE_MS = 3_000;
const LOG_LINES = 40;

export interface LaunchSpec {
  product: ProductInfo;
  command: string;
  args: string[];
  dir: WorkDir;
  host: string;
  port: number;
  /** The product's own log files inside `dir`, tailed by logs(). */
  logFiles: string[];
  env?: NodeJS.ProcessEnv;
  credentials?: ProxyCredentials;
  startTimeoutMs?: number;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExitEvent);
      resolve(false);
    }, ms);
    const onExitEvent = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExitEvent);
  });
}

/** Signals the child's whole process group (products may fork helpers, e.g. squid's auth). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || exited(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Starts a product in the foreground, waits (bounded) until it accepts connections on
 * host:port, and returns the handle. On failure the product is stopped and the error carries
 * its log tail.
 */
export async function launchProduct(spec: LaunchSpec): Promise<ProxyUnderTest> {
  const output = new RingText();
  const child = spawn(spec.command, spec.args, {
    cwd: spec.dir.path,
    env: spec.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() reaches helpers too
  });
  child.stdout?.on('data', (d: Buffer) => output.push(d));
  child.stderr?.on('data', (d: Buffer) => output.push(d));
  let spawnError: Error | undefined;
  child.once('error', (e) => {
    spawnError = e;
  });

  // The password, and its Basic form (RFC 7617 §2) should a product log a Proxy-Authorization header.
  const c = spec.credentials;
  const secrets = [c?.password, c ? Buffer.from(`${c.user}:${c.password}`).toString('base64') : undefined];
  let frozenLogs: string | undefined;
  const logs = (): string => {
    if (frozenLogs !== undefined) return frozenLogs;
    const parts: string[] = [];
    for (const file of spec.logFiles) {
      const tail = fileTail(file, LOG_LINES);
      if (tail) parts.push(`--- ${file.slice(spec.dir.path.length + 1)} ---\n${tail}`);
    }
    const out = lastLines(output.toString(), LOG_LINES);
    if (out) parts.push(`--- stdout/stderr ---\n${out}`);
    return redact(parts.join('\n'), secrets);
  };

  const unregister = onExit(() => {
    signalGroup(child, 'SIGKILL');
    spec.dir.remove();
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      signalGroup(child, 'SIGTERM');
      if (!(await waitExit(child, STOP_GRACE_MS))) {
        signalGroup(child, 'SIGKILL');
        await waitExit(child, STOP_GRACE_MS);
      }
      // Helpers left in the group (if the leader died first) get no second chance.
      signalGroup(child, 'SIGKILL');
      frozenLogs = logs();
      spec.dir.remove();
      unregister();
    })();
    return stopping;
  };

  const label = `${spec.product.name}${spec.product.variant ? ` (${spec.product.variant})` : ''}`;
  try {
    await waitForPort(spec.host, spec.port, {
      timeoutMs: spec.startTimeoutMs ?? START_TIMEOUT_MS,
      abortReason: () => {
        if (spawnError) return `${label}: cannot run ${spec.command}: ${spawnError.message}`;
        if (exited(child)) {
          return `${label} exited (code ${child.exitCode}, signal ${child.signalCode}) before accepting connections`;
        }
        return undefined;
      },
    });
  } catch (e) {
    // Give the product a moment to flush the reason it is dying for.
    await waitExit(child, 200);
    const tail = logs();
    await stop();
    throw new Error(`${label} did not start on ${spec.host}:${spec.port}: ${(e as Error).message}\n${tail}`);
  }

  return {
    url: `http://${spec.host}:${spec.port}`,
    product: spec.product,
    ...(spec.credentials ? { credentials: spec.credentials } : {}),
    stop,
    logs,
  };
}
