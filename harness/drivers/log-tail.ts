import { readFileSync } from 'node:fs';

/** The last `lines` lines of a file ('' when it cannot be read). */
export function fileTail(path: string, lines: number): string {
  try {
    return lastLines(readFileSync(path, 'utf8'), lines);
  } catch {
    return '';
  }
}

export function lastLines(text: string, lines: number): string {
  const all = text.split('\n');
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all.slice(-lines).join('\n');
}

/** Keeps the last `limit` characters written to it (a child's stdout/stderr). */
export class RingText {
  private text = '';
  constructor(private readonly limit = 32_768) {}
  push(chunk: string | Buffer): void {
    this.text += chunk.toString();
    if (this.text.length > this.limit) this.text = this.text.slice(-this.limit);
  }
  toString(): string {
    return this.text;
  }
}

/** Replaces every occurrence of each secret by `***` (secrets never appear in logs in clear). */
export function redact(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}
