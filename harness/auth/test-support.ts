// Deterministic RandomSource for tests (SHA-256 counter stream): no Math.random in auth/.
import { createHash } from 'node:crypto';
import type { RandomSource } from './random.ts';

export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  return {
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      let filled = 0;
      while (filled < n) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
        const take = Math.min(block.length, n - filled);
        out.set(block.subarray(0, take), filled);
        filled += take;
      }
      return out;
    },
  };
}

/** 2024-01-01T00:00:00Z as a Windows FILETIME. */
export const FIXED_FILETIME = 133_485_408_000_000_000n;
