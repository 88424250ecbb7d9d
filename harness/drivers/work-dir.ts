import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SystemUser } from './system-user.ts';

/**
 * A fresh temporary directory holding everything a product writes: config, pid file, logs,
 * cache, certificates. Nothing goes to /etc or /var. When the product drops privileges
 * (squid → proxy, tinyproxy → tinyproxy) the directory is handed to that user.
 */
export class WorkDir {
  readonly path: string;
  readonly owner: SystemUser | undefined;

  constructor(product: string, owner?: SystemUser) {
    this.path = mkdtempSync(join(tmpdir(), `wpc-${product}-`));
    this.owner = owner;
    if (owner) {
      chmodSync(this.path, 0o750);
      chownSync(this.path, 0, owner.gid);
    }
  }

  file(name: string): string {
    return join(this.path, name);
  }

  /** Writes a file readable by the product (and only by it and root when it holds a secret). */
  write(name: string, content: string, mode = 0o640): string {
    const path = this.file(name);
    writeFileSync(path, content, { mode });
    chmodSync(path, mode);
    if (this.owner) chownSync(path, 0, this.owner.gid);
    return path;
  }

  /** An empty file the product (running as `owner`) may write, e.g. a log. */
  writable(name: string): string {
    const path = this.file(name);
    writeFileSync(path, '', { mode: 0o640 });
    if (this.owner) chownSync(path, this.owner.uid, this.owner.gid);
    return path;
  }

  /** A subdirectory the product may write (cache, certificates). */
  subdir(name: string): string {
    const path = this.file(name);
    mkdirSync(path, { mode: 0o750 });
    if (this.owner) chownSync(path, this.owner.uid, this.owner.gid);
    return path;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
