import type { Fault } from '../types.ts';

// Deterministic piece sizes, cycled: TCP may deliver a message in any split (RFC 9293 §3.9).
const SIZES = [1, 3, 7, 64, 2, 1460, 5, 512, 4096];

export const slicer: Fault = {
  name: 'slicer',
  description: 'control: splits every write into small pieces of fixed, cycling sizes',
  kind: 'control',
  caughtBy: [],
  relay(bytes) {
    const out: Array<{ bytes: Uint8Array }> = [];
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const n = SIZES[i % SIZES.length];
      out.push({ bytes: bytes.subarray(at, at + n) });
      at += n;
    }
    return out;
  },
};
