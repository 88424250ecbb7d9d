import { describe, expect, it } from 'vitest';
import { externalProxy } from './external.ts';

describe('externalProxy', () => {
  it('moves credentials out of the URL and keeps http://host:port', () => {
    const p = externalProxy('http://alice:s%3Acret@proxy.example:3128');
    expect(p.url).toBe('http://proxy.example:3128');
    expect(p.credentials).toEqual({ user: 'alice', password: 's:cret' });
    expect(p.url).not.toContain('cret');
  });

  it('prefers explicit credentials over those in the URL', () => {
    const p = externalProxy('http://a:b@10.0.0.1:8080', { user: 'u', password: 'p' });
    expect(p.credentials).toEqual({ user: 'u', password: 'p' });
  });

  it('has no credentials when none are given and fills in port 80', () => {
    const p = externalProxy('http://proxy.example');
    expect(p.url).toBe('http://proxy.example:80');
    expect(p.credentials).toBeUndefined();
  });

  it('stop() is a no-op and logs() is empty', async () => {
    const p = externalProxy('http://127.0.0.1:3128');
    await expect(p.stop()).resolves.toBeUndefined();
    expect(p.logs()).toBe('');
  });

  it('rejects non-http schemes and paths, without echoing a password', () => {
    expect(() => externalProxy('https://proxy:443')).toThrow(/scheme/);
    expect(() => externalProxy('http://proxy:3128/path')).toThrow(/path/);
    let message = '';
    try {
      externalProxy('http://u:hunter2@[bad');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/not a valid URL/);
    expect(message).not.toContain('hunter2');
  });
});
