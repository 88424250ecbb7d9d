import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedLibraries, tinyproxyImageConfig, writeTinyproxyRootfs } from './container-image.ts';

describe('tinyproxy image from local files', () => {
  it('takes every shared object path from ldd output and skips the vDSO', () => {
    const out = [
      '\tlinux-vdso.so.1 (0x00007ffd1b7f2000)',
      '\tlibssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x00007f0e1c000000)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0e1be00000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f0e1c2a0000)',
    ].join('\n');
    expect(sharedLibraries(out)).toEqual(['/lib/x86_64-linux-gnu/libssl.so.3', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']);
  });

  it('configures loopback only, the given port, and no log file (logs go to the container output)', () => {
    const conf = tinyproxyImageConfig(4321);
    expect(conf).toMatch(/^Port 4321$/m);
    expect(conf).toMatch(/^Listen 127\.0\.0\.1$/m);
    expect(conf).toMatch(/^Allow 127\.0\.0\.1$/m);
    expect(conf).not.toMatch(/^(LogFile|PidFile|Syslog)/m);
  });

  it('writes a root filesystem with the binary, its loader and its config', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wpc-rootfs-test-'));
    try {
      await writeTinyproxyRootfs(root, 3128);
      expect(statSync(join(root, 'usr/bin/tinyproxy')).mode & 0o111).not.toBe(0);
      expect(statSync(join(root, 'lib64/ld-linux-x86-64.so.2')).isFile()).toBe(true);
      expect(readFileSync(join(root, 'etc/tinyproxy/tinyproxy.conf'), 'utf8')).toMatch(/^Port 3128$/m);
      expect(readFileSync(join(root, 'etc/passwd'), 'utf8')).toMatch(/^nobody:/m);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
