// A proxy image built from local files only (no registry is reachable on this kind of machine,
// PROTOCOL.md): a root filesystem holding this machine's tinyproxy binary, the shared libraries
// ldd names, its error pages and a config, loaded with `docker import`. For tests and docs of
// `certify --image`.

import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const TINYPROXY = '/usr/bin/tinyproxy';
const PAGES = ['default.html', 'stats.html', 'debug.html'];

/** Absolute paths of the shared objects in `ldd` output (the vDSO has none and is skipped). */
export function sharedLibraries(lddOutput: string): string[] {
  const paths = new Set<string>();
  for (const line of lddOutput.split('\n')) {
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
    const m = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (m) paths.add(m[1]);
  }
  return [...paths];
}

/** tinyproxy.conf(5) for the image: loopback only, logs on stderr (container logs), no daemon (-d). */
export function tinyproxyImageConfig(port: number): string {
  return `# wpc tinyproxy image — generated
User nobody
Group nogroup
Port ${port}
Listen 127.0.0.1
Allow 127.0.0.1
Timeout 600
MaxClients 100
DefaultErrorFile "/usr/share/tinyproxy/default.html"
StatFile "/usr/share/tinyproxy/stats.html"
LogLevel Info
ViaProxyName "tinyproxy"
`;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args[0]} failed: ${(stderr || error.message).trim().split('\n')[0]}`));
      else resolve(stdout);
    });
  });
}

export interface LocalImageOptions {
  /** The port tinyproxy listens on inside the image (host networking: also on the host). Default 3128. */
  port?: number;
  /** Engine to import into; default the caller's DOCKER_HOST. */
  dockerHost?: string;
  /** The docker CLI; default `docker` on PATH. */
  docker?: string;
}

/** Writes tinyproxy's root filesystem into `root` (binary, libraries, pages, config, passwd). */
export async function writeTinyproxyRootfs(root: string, port: number): Promise<void> {
  const files = [TINYPROXY, ...sharedLibraries(await run('ldd', [TINYPROXY], process.env))];
  for (const file of files) {
    mkdirSync(join(root, dirname(file)), { recursive: true });
    copyFileSync(file, join(root, file)); // follows symlinks: the library itself lands at the path ld.so asks for
  }
  mkdirSync(join(root, 'usr/share/tinyproxy'), { recursive: true });
  for (const page of PAGES) copyFileSync(join('/usr/share/tinyproxy', page), join(root, 'usr/share/tinyproxy', page));
  mkdirSync(join(root, 'etc/tinyproxy'), { recursive: true });
  writeFileSync(join(root, 'etc/tinyproxy/tinyproxy.conf'), tinyproxyImageConfig(port));
  // tinyproxy drops to User/Group by name (getpwnam): glibc ≥ 2.34 reads these without libnss_files.
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  mkdirSync(join(root, 'tmp'), { recursive: true, mode: 0o1777 });
}

/**
 * Builds `tag` from local files with `docker import` (never pulls) and returns the tag. The
 * image runs `tinyproxy -d` (foreground) listening on 127.0.0.1:`port`.
 */
export async function buildLocalProxyImage(tag: string, opts: LocalImageOptions = {}): Promise<string> {
  const port = opts.port ?? 3128;
  const env = { ...process.env, ...(opts.dockerHost ? { DOCKER_HOST: opts.dockerHost } : {}) };
  const work = mkdtempSync(join(tmpdir(), 'wpc-image-'));
  try {
    const root = join(work, 'rootfs');
    await writeTinyproxyRootfs(root, port);
    const tarball = join(work, 'rootfs.tar');
    await run('tar', ['-C', root, '--numeric-owner', '-cf', tarball, '.'], process.env);
    const cmd = JSON.stringify([TINYPROXY, '-d', '-c', '/etc/tinyproxy/tinyproxy.conf']);
    await run(opts.docker ?? 'docker', ['import', '--change', `CMD ${cmd}`, tarball, tag], env, 120_000);
    return tag;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
