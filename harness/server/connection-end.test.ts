import { describe, expect, it } from 'vitest';
import { ConnectionEnd } from './connection-end.ts';

describe('ConnectionEnd, the AbortSignal subset a held request watches', () => {
  it('calls each listener once, in the order added, and none removed or added after the end', () => {
    const end = new ConnectionEnd();
    const calls: string[] = [];
    const a = (): void => void calls.push('a');
    const b = (): void => void calls.push('b');
    const c = (): void => void calls.push('c');
    end.addEventListener('abort', a);
    end.addEventListener('abort', b);
    end.addEventListener('abort', a); // already there: once, as with an EventTarget
    end.addEventListener('abort', c);
    end.removeEventListener('abort', b);
    expect(end.aborted).toBe(false);
    end.abort();
    end.abort();
    end.addEventListener('abort', b);
    expect(end.aborted).toBe(true);
    expect(calls).toEqual(['a', 'c']);
  });
});
