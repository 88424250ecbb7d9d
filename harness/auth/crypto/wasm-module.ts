// A minimal WebAssembly binary writer for the crypto kernels (rc4-wasm.ts): one
// function and one 64 KiB memory per module, both exported. Kernels are written as opcode lists
// (WebAssembly core spec §5 binary format; opcodes named below) so no toolchain or npm
// dependency is needed, and are compiled synchronously at module load.

export const I32 = 0x7f;

/** The opcodes the kernels use (spec §5.4). Memory ops take a memarg: alignment log2, offset. */
export const op = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, void: 0x40,
  get: 0x20, set: 0x21, tee: 0x22, const: 0x41,
  load32: 0x28, load8u: 0x2d, store32: 0x36, store8: 0x3a,
  gtU: 0x4b, geU: 0x4f,
  add: 0x6a, and: 0x71, or: 0x72, xor: 0x73, shl: 0x74,
} as const;

/** Unsigned LEB128 (sizes, indices, offsets). */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n & 0x7f;
    n >>>= 7;
    out.push(n ? b | 0x80 : b);
  } while (n);
  return out;
}

/** Signed LEB128 of a 32-bit integer (i32.const immediates). */
export function sleb(n: number): number[] {
  n |= 0;
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** i32.const n */
export function i32(n: number): number[] {
  return [op.const, ...sleb(n)];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(s: string): number[] {
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

export interface KernelSpec {
  /** Export name of the function. */
  name: string;
  /** Number of i32 parameters and results, and of extra i32 locals. */
  params: number;
  results: 0 | 1;
  locals: number;
  /** The function body without its final `end`. */
  body: number[];
}

/** The module's bytes: exports "mem" (one page) and the function under spec.name. */
export function kernelModule(spec: KernelSpec): Uint8Array {
  const code = [1, ...uleb(spec.locals), I32, ...spec.body, op.end];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [1, 0x60, spec.params, ...Array(spec.params).fill(I32), spec.results, ...Array(spec.results).fill(I32)]), // type 0
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x00, 1]), // one memory, min 1 page, no max
    ...section(7, [2, ...name('mem'), 0x02, 0, ...name(spec.name), 0x00, 0]), // exports
    ...section(10, [1, ...uleb(code.length), ...code]),
  ]);
}

// The slice of the WebAssembly JS API used here (the project's TypeScript libs do not declare it).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}

/** Compiles `spec`; undefined where WebAssembly is unavailable (callers fall back to JavaScript). */
export function instantiateKernel<F>(spec: KernelSpec): { mem: Uint8Array; run: F } | undefined {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return undefined;
  const exports = new wasm.Instance(new wasm.Module(kernelModule(spec))).exports;
  return { mem: new Uint8Array((exports.mem as { buffer: ArrayBuffer }).buffer), run: exports[spec.name] as F };
}
