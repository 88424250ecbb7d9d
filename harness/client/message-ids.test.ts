import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../net/random.ts';
import { messageIdGenerator } from './message-ids.ts';

describe('messageIdGenerator', () => {
  it('gives distinct UUID-shaped uuid: ids, the same sequence for the same seed', () => {
    const a = messageIdGenerator(new SeededRandom(5));
    const b = messageIdGenerator(new SeededRandom(5));
    const ids = Array.from({ length: 300 }, () => a());
    expect(ids).toEqual(Array.from({ length: 300 }, () => b()));
    expect(new Set(ids).size).toBe(300);
    for (const id of ids) expect(id).toMatch(/^uuid:[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  });

  it('differs between seeds', () => {
    expect(messageIdGenerator(new SeededRandom(1))()).not.toBe(messageIdGenerator(new SeededRandom(2))());
  });
});
