import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';

/** True when `path` exists and is executable. */
export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command briefly (bounded) and returns stdout + stderr, or undefined on failure. */
export function commandOutput(file: string, args: string[], timeoutMs = 10_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const text = `${stdout ?? ''}${stderr ?? ''}`;
      // Some products print their version and exit non-zero; keep the text if there is any.
      if (error && text.trim() === '') resolve(undefined);
      else resolve(text);
    });
  });
}

const versions = new Map<string, Promise<string | undefined>>();

/** First capture group of `pattern` in the command's output (asked once per process: mitmdump takes ~1 s). */
export function versionFrom(file: string, args: string[], pattern: RegExp): Promise<string | undefined> {
  const key = [file, ...args].join('\0');
  let found = versions.get(key);
  if (!found) {
    found = (async () => {
      if (!(await isExecutable(file))) return undefined;
      const text = await commandOutput(file, args);
      return text === undefined ? undefined : pattern.exec(text)?.[1];
    })();
    versions.set(key, found);
  }
  return found;
}
