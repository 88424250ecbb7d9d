// The RC4 keystream loop (rc4.ts) as a WebAssembly kernel. Why: NTLM seals every WinRM message
// with RC4 (MS-NLMP §3.4.3), and V8's JavaScript for the byte-wise swap loop runs ~1.3-1.7×
// slower than the same loop compiled from WebAssembly, more when the scenario has made it cold.
// rc4.ts keeps the JavaScript loop as the reference (tests compare the two) and as the fallback.
//
// Memory layout (one 64 KiB page): the permutation S at 0..255, the data at 256.. (en/decrypted
// in place). rc4(i, j, n) runs n keystream bytes from state (S, i, j) and returns (i << 8) | j.
import { i32, instantiateKernel, op } from './wasm-module.ts';

/** Largest run the kernel takes at once (the rest of the page after S). */
export const RC4_CHUNK = 65536 - 256;

// Locals: parameters i, j, n; then k (bytes done), si, sj, p (address of the data byte).
const [I, J, N, K, SI, SJ, P] = [0, 1, 2, 3, 4, 5, 6];

/** i32.load8_u / i32.store8 with alignment 0 and offset 0 (the address is on the stack). */
const load8 = [op.load8u, 0, 0];
const store8 = [op.store8, 0, 0];
/** i32.load / i32.store, alignment hint 2^2, offset 0. */
const load32 = [op.load32, 2, 0];
const store32 = [op.store32, 2, 0];
/** `& 255` of the value on the stack. */
const mask255 = [...i32(0xff), op.and];

/** One keystream step: swaps S[i], S[j] and leaves S[(si + sj) & 255] on the stack. */
const step = [
  // i = (i + 1) & 255; si = S[i]
  op.get, I, ...i32(1), op.add, ...mask255, op.tee, I,
  ...load8, op.set, SI,
  // j = (j + si) & 255; sj = S[j]
  op.get, J, op.get, SI, op.add, ...mask255, op.tee, J,
  ...load8, op.set, SJ,
  // S[i] = sj; S[j] = si
  op.get, I, op.get, SJ, ...store8,
  op.get, J, op.get, SI, ...store8,
  op.get, SI, op.get, SJ, op.add, ...mask255, ...load8,
];

const body = [
  // Four bytes per round, XORed as one little-endian word (the data is at 256: aligned).
  op.block, op.void,
  op.loop, op.void,
  // if (k + 4 > n) break
  op.get, K, ...i32(4), op.add, op.get, N, op.gtU, op.brIf, 1,
  // p = 256 + k
  op.get, K, ...i32(256), op.add, op.set, P,
  op.get, P, // address for the store
  ...step, ...step, ...i32(8), op.shl, op.or,
  ...step, ...i32(16), op.shl, op.or,
  ...step, ...i32(24), op.shl, op.or,
  op.get, P, ...load32, op.xor, ...store32,
  op.get, K, ...i32(4), op.add, op.set, K,
  op.br, 0,
  op.end,
  op.end,
  // The last 0..3 bytes one at a time.
  op.block, op.void,
  op.loop, op.void,
  op.get, K, op.get, N, op.geU, op.brIf, 1,
  op.get, K, ...i32(256), op.add, op.tee, P,
  ...step,
  op.get, P, ...load8, op.xor, ...store8,
  op.get, K, ...i32(1), op.add, op.set, K,
  op.br, 0,
  op.end,
  op.end,
  // return (i << 8) | j
  op.get, I, ...i32(8), op.shl, op.get, J, op.or,
];

/** The compiled kernel, or undefined where WebAssembly is unavailable. */
export const rc4Kernel = instantiateKernel<(i: number, j: number, n: number) => number>({
  name: 'rc4',
  params: 3,
  results: 1,
  locals: 4, // k, si, sj, p
  body,
});

export type Rc4Kernel = NonNullable<typeof rc4Kernel>;
