// The RC4 keystream loop (rc4.ts) as a WebAssembly kernel. Why: NTLM seals every WinRM message
// with RC4 (MS-NLMP §3.4.3), and V8's JavaScript for the byte-wise swap loop runs a little under
// native speed at best and ~1.5× slower when the scenario's many call sites have made it cold;
// compiled WebAssembly runs it at a steady, faster rate. The module is a few dozen bytes, written
// out below with the opcodes named (WebAssembly core spec §5, binary format), so no toolchain or
// dependency is needed; it is compiled synchronously at load. rc4.ts keeps the JavaScript loop
// as the reference (tests compare the two) and as the fallback where WebAssembly is missing.
//
// Memory layout (one 64 KiB page): the permutation S at 0..255, the data at 256.. (en/decrypted
// in place). rc4(i, j, n) runs n keystream bytes from state (S, i, j) and returns (i << 8) | j.

/** Largest run the kernel takes at once (the rest of the page after S). */
export const RC4_CHUNK = 65536 - 256;

const I32 = 0x7f;
const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, void: 0x40,
  get: 0x20, set: 0x21, tee: 0x22, const: 0x41,
  load8u: 0x2d, store8: 0x3a,
  geU: 0x4f, gtU: 0x4b, load32: 0x28, store32: 0x36, add: 0x6a, and: 0x71, or: 0x72, xor: 0x73, shl: 0x74,
} as const;
// Locals: parameters i, j, n; then k (bytes done), si, sj, p (address of the data byte).
const [I, J, N, K, SI, SJ, P] = [0, 1, 2, 3, 4, 5, 6];

/** i32.load8_u / i32.store8 with alignment 0 and offset 0 (the address is on the stack). */
const load8 = [op.load8u, 0, 0];
const store8 = [op.store8, 0, 0];
/** i32.load / i32.store, alignment hint 2^2, offset 0. */
const load32 = [op.load32, 2, 0];
const store32 = [op.store32, 2, 0];
/** `x = (x + 1) & 255` style: the operand expression is already on the stack. */
const mask255 = [op.const, 0xff, 0x01, op.and]; // 255 as signed LEB128 is ff 01

/** One keystream step: swaps S[i], S[j] and leaves S[(si + sj) & 255] on the stack. */
const step = [
  // i = (i + 1) & 255; si = S[i]
  op.get, I, op.const, 1, op.add, ...mask255, op.tee, I,
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
  op.get, K, op.const, 4, op.add, op.get, N, op.gtU, op.brIf, 1,
  // p = 256 + k
  op.get, K, op.const, 0x80, 0x02, op.add, op.set, P, // 256 as signed LEB128 is 80 02
  op.get, P, // address for the store
  ...step, ...step, op.const, 8, op.shl, op.or,
  ...step, op.const, 16, op.shl, op.or,
  ...step, op.const, 24, op.shl, op.or,
  op.get, P, ...load32, op.xor, ...store32,
  op.get, K, op.const, 4, op.add, op.set, K,
  op.br, 0,
  op.end,
  op.end,
  // The last 0..3 bytes one at a time.
  op.block, op.void,
  op.loop, op.void,
  op.get, K, op.get, N, op.geU, op.brIf, 1,
  op.get, K, op.const, 0x80, 0x02, op.add, op.tee, P,
  ...step,
  op.get, P, ...load8, op.xor, ...store8,
  op.get, K, op.const, 1, op.add, op.set, K,
  op.br, 0,
  op.end,
  op.end,
  // return (i << 8) | j
  op.get, I, op.const, 8, op.shl, op.get, J, op.or,
  op.end,
];

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n ? b | 0x80 : b);
  } while (n);
  return out;
}

function name(s: string): number[] {
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

const code = [1, 4, I32, ...body]; // one local declaration: 4 × i32 (k, si, sj, p)
const moduleBytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  ...section(1, [1, 0x60, 3, I32, I32, I32, 1, I32]), // types: (i32, i32, i32) -> i32
  ...section(3, [1, 0]), // functions: #0 has type 0
  ...section(5, [1, 0x00, 1]), // memories: one, min 1 page, no max
  ...section(7, [2, ...name('mem'), 0x02, 0, ...name('rc4'), 0x00, 0]), // exports
  ...section(10, [1, ...uleb(code.length), ...code]), // code
]);

export interface Rc4Kernel {
  /** The module's memory: S at 0..255, data from 256. */
  readonly mem: Uint8Array;
  readonly run: (i: number, j: number, n: number) => number;
}

// The slice of the WebAssembly JS API used here (the project's TypeScript libs do not declare it).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: { mem: { buffer: ArrayBuffer }; rc4: Rc4Kernel['run'] } };
}

/** The compiled kernel, or undefined where WebAssembly is unavailable. */
export const rc4Kernel: Rc4Kernel | undefined = (() => {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return undefined;
  const { mem, rc4 } = new wasm.Instance(new wasm.Module(moduleBytes)).exports;
  return { mem: new Uint8Array(mem.buffer), run: rc4 };
})();
