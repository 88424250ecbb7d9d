// `certify --image`: a proxy in a container, started through testcontainers 11 (the last major
// on Node 20) with host networking, so the proxy listens on the host's loopback like a product
// started here. wpc never pulls: the image must already be in the engine's store (no registry
// is reachable on this kind of machine, PROTOCOL.md). Every failure is one line (exit 2).

import { randomUUID } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { ContainerRuntimeClient, ImagePullPolicy, WaitStrategy } from 'testcontainers';
import { pingEngine } from './container-engine.ts';
import { lastLines, RingText } from './log-tail.ts';
import { isPortOpen } from './port-probe.ts';
import type { ProxyUnderTest } from './types.ts';

export interface ContainerStartOptions {
  /** The port the image's proxy listens on (host networking: on the host's 127.0.0.1). */
  port: number;
  /** Bound on the wait for the proxy to listen (default 30 s). */
  startupMs?: number;
}

const HOST = '127.0.0.1';
/** Marks the containers of one start, so that a half-started one can still be found and removed. */
const RUN_LABEL = 'org.wpc.run';

/** testcontainers pulls a missing image whatever the policy; the driver checks presence first. */
const NEVER_PULL: ImagePullPolicy = { shouldPull: () => false };

export async function startContainerProxy(image: string, opts: ContainerStartOptions): Promise<ProxyUnderTest> {
  if (image.trim() === '') throw new Error('--image: empty image name');
  const startupMs = opts.startupMs ?? 30_000;
  const client = await engineClient();
  const tc = await import('testcontainers');

  const present = await client.image.exists(tc.ImageName.fromString(image)).catch((e: unknown) => {
    throw new Error(`cannot look up image ${image}: ${firstLine(e)}`);
  });
  if (!present) throw new Error(`image ${image} is not in the container engine's local store; wpc never pulls (docker import/load it first)`);
  // Host networking shares the host's ports: a listener already there would pass the wait
  // below and be certified in the container's place.
  if (await isPortOpen(HOST, opts.port, 500)) {
    throw new Error(`${HOST}:${opts.port} is already in use on this host; the container shares the host's network (free it or pick another --image-port)`);
  }

  const run = randomUUID();
  const logs = new RingText();
  let started: Awaited<ReturnType<InstanceType<typeof tc.GenericContainer>['start']>>;
  try {
    started = await new tc.GenericContainer(image)
      .withNetworkMode('host')
      // No ryuk reaper: it is an image testcontainers would pull. stop() removes the container.
      .withAutoCleanup(false)
      .withPullPolicy(NEVER_PULL)
      .withLabels({ [RUN_LABEL]: run })
      .withLogConsumer((stream) => stream.on('data', (d: string | Buffer) => logs.push(d)))
      // Wait.forListeningPorts() checks exposed ports, which host networking has none of.
      .withWaitStrategy(new LoopbackPortWait(HOST, opts.port))
      .withStartupTimeout(startupMs)
      .start();
  } catch (e) {
    await removeRun(client, run);
    throw new Error(`container ${image} did not start: ${firstLine(e)}`);
  }

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${opts.port}`,
    product: { name: image, variant: 'container' },
    stop() {
      // testcontainers logs (not throws) some stop failures: the label sweep makes removal sure.
      stopping ??= started
        .stop({ timeout: 3_000, remove: true })
        .catch(() => undefined)
        .then(() => removeRun(client, run));
      return stopping;
    },
    logs: () => lastLines(logs.toString(), 40),
  };
}

/**
 * The engine testcontainers would use. An explicit DOCKER_HOST is the user's choice of engine:
 * it is asked first, so that a dead one is reported rather than silently replaced by another
 * engine testcontainers finds on its own (/var/run/docker.sock, rootless).
 */
async function engineClient(): Promise<ContainerRuntimeClient> {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost) {
    const reason = await pingEngine(dockerHost, 5_000);
    if (reason !== undefined) throw noEngine(`DOCKER_HOST=${dockerHost}: ${reason}`);
  }
  // Host networking puts the proxy on the host's loopback, so the host testcontainers would
  // resolve for mapped ports is moot; and inside a container (/.dockerenv) its resolution asks
  // for the `bridge` network (absent with --bridge=none) and then runs alpine (a pull).
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= HOST;
  const tc = await import('testcontainers');
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      tc.getContainerRuntimeClient(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 15000 ms')), 15_000);
      }),
    ]);
  } catch (e) {
    throw noEngine(firstLine(e));
  } finally {
    clearTimeout(timer);
  }
}

function noEngine(reason: string): Error {
  return new Error(`no container engine available for --image (${reason}): start a Docker engine or use --product/--proxy`);
}

/** Removes every container of this run (a start that failed half-way leaves one created). */
async function removeRun(client: ContainerRuntimeClient, run: string): Promise<void> {
  try {
    const mine = (await client.container.list()).filter((c) => c.Labels?.[RUN_LABEL] === run);
    await Promise.all(mine.map((c) => client.container.getById(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  } catch {
    // best effort: the engine is gone
  }
}

/**
 * Ready when the proxy accepts TCP on host:port; fails early when the container exits, with
 * its last log line as the reason. Bounded by the startup timeout.
 */
class LoopbackPortWait implements WaitStrategy {
  private timeoutMs = 30_000;
  private timeoutSet = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  async waitUntilReady(container: Dockerode.Container): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      if (await isPortOpen(this.host, this.port, 500)) return;
      const state = (await container.inspect()).State;
      if (!state.Running) {
        throw new Error(`exited (code ${state.ExitCode}) before listening on ${this.host}:${this.port}${await lastLogLine(container)}`);
      }
      if (Date.now() >= deadline) {
        throw new Error(`nothing listened on ${this.host}:${this.port} within ${this.timeoutMs} ms (check --image-port)${await lastLogLine(container)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  withStartupTimeout(ms: number): this {
    this.timeoutMs = ms;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }

  getStartupTimeout(): number {
    return this.timeoutMs;
  }
}

/** `: <last line>` of the container's output, or '' (testcontainers removes it after a failed wait). */
async function lastLogLine(container: Dockerode.Container): Promise<string> {
  try {
    const raw = (await container.logs({ stdout: true, stderr: true, tail: 20, follow: false })) as unknown as Buffer;
    const line = lastLines(demuxLogs(raw).trimEnd(), 1).trim();
    return line ? `: ${line}` : '';
  } catch {
    return '';
  }
}

/**
 * Docker Engine API logs without a TTY are multiplexed: frames of [stream(1), 0, 0, 0,
 * size(u32 BE)] + payload. Text that does not parse as frames is returned as it is.
 */
export function demuxLogs(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const kind = raw[at];
    if (kind > 2 || raw[at + 1] !== 0 || raw[at + 2] !== 0 || raw[at + 3] !== 0) return raw.toString('utf8');
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return at === raw.length ? Buffer.concat(parts).toString('utf8') : raw.toString('utf8');
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
