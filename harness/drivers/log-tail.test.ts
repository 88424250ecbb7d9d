import { describe, expect, it } from 'vitest';
import { lastLines, redact, RingText } from './log-tail.ts';

describe('log tails', () => {
  it('lastLines keeps the last n lines, ignoring a trailing newline', () => {
    expect(lastLines('a\nb\nc\n', 2)).toBe('b\nc');
    expect(lastLines('a', 5)).toBe('a');
  });

  it('RingText keeps only the newest characters', () => {
    const ring = new RingText(5);
    ring.push('abc');
    ring.push(Buffer.from('defg'));
    expect(ring.toString()).toBe('cdefg');
  });

  it('redact replaces every occurrence of a secret', () => {
    expect(redact('pw=s3cret; again s3cret', ['s3cret', undefined, ''])).toBe('pw=***; again ***');
  });
});
