import { describe, expect, it } from 'vitest';
import { Rc4, rc4Js, rc4Wasm } from './rc4.ts';
import { RC4_CHUNK, rc4Kernel } from './rc4-wasm.ts';
import { fromHex, hex } from '../bytes.ts';

// RFC 6229 §2: keystream bytes at given offsets (encrypting zeros yields the keystream).
function keystreamAt(key: string, offsets: number[]): string[] {
  const rc4 = new Rc4(fromHex(key));
  const stream = rc4.update(new Uint8Array(Math.max(...offsets) + 16));
  return offsets.map((o) => hex(stream.subarray(o, o + 16)));
}

describe('Rc4 (RFC 6229 vectors)', () => {
  it('matches the 40-bit key 0102030405 at offsets 0, 16, 240, 256, 4080, 4096', () => {
    expect(keystreamAt('0102030405', [0, 16, 240, 256, 4080, 4096])).toEqual([
      'b2396305f03dc027ccc3524a0a1118a8',
      '6982944f18fc82d589c403a47a0d0919',
      '28cb1132c96ce286421dcaadb8b69eae',
      '1cfcf62b03eddb641d77dfcf7f8d8c93',
      '068326a2118416d21f9d04b2cd1ca050',
      'ff25b58995996707e51fbdf08b34d875',
    ]);
  });

  it('matches the 128-bit key 0102…10 at offsets 0 and 16', () => {
    expect(keystreamAt('0102030405060708090a0b0c0d0e0f10', [0, 16])).toEqual([
      '9ac7cc9a609d1ef7b2932899cde41b97',
      '5248c4959014126a6e8a84f11d1a9e1c',
    ]);
  });

  it('continues the keystream across update() calls (one handle, many messages)', () => {
    const whole = new Rc4(fromHex('0102030405')).update(new Uint8Array(40));
    const split = new Rc4(fromHex('0102030405'));
    const parts = [split.update(new Uint8Array(3)), split.update(new Uint8Array(20)), split.update(new Uint8Array(17))];
    expect(hex(Uint8Array.from(parts.flatMap((p) => [...p])))).toBe(hex(whole));
  });

  it('clone() forks an independent handle at the same position', () => {
    const a = new Rc4(fromHex('0102030405'));
    a.update(new Uint8Array(7));
    const b = a.clone();
    expect(hex(b.update(new Uint8Array(16)))).toBe(hex(a.update(new Uint8Array(16))));
    b.update(new Uint8Array(1));
    expect(hex(b.update(new Uint8Array(4)))).not.toBe(hex(a.update(new Uint8Array(4))));
  });

  it('decrypts what it encrypted (symmetric)', () => {
    const msg = new TextEncoder().encode('<s:Envelope/>');
    const sealed = new Rc4(fromHex('00112233')).update(msg);
    expect(new TextDecoder().decode(new Rc4(fromHex('00112233')).update(sealed))).toBe('<s:Envelope/>');
  });

  it('rejects an empty key', () => {
    expect(() => new Rc4(new Uint8Array(0))).toThrow(RangeError);
  });
});

describe('RC4 WebAssembly kernel (rc4-wasm.ts) against the JavaScript loop', () => {
  // A permutation shuffled by an RC4 keystream (deterministic, not the identity), and some data.
  function scheduled(): Uint8Array {
    const s = new Rc4(fromHex('0102030405060708090a0b0c0d0e0f10'));
    s.update(new Uint8Array(777)); // somewhere mid-stream: i, j not 0
    const out = new Uint8Array(256);
    for (let i = 0; i < 256; i++) out[i] = i;
    const ks = s.update(new Uint8Array(256));
    for (let i = 255; i > 0; i--) {
      const j = ks[i] % (i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
  const data = (n: number) => Uint8Array.from({ length: n }, (_, k) => (k * 131 + 7) & 0xff);

  it('is the kernel in use', () => {
    expect(rc4Kernel).toBeDefined();
  });

  it('agrees on state and output for lengths 0..300 and across a chunk boundary, at an offset', () => {
    const kernel = rc4Kernel!;
    for (const n of [...Array.from({ length: 301 }, (_, n) => n), RC4_CHUNK - 1, RC4_CHUNK, RC4_CHUNK + 5, 3 * RC4_CHUNK + 17]) {
      const d = data(n);
      const sJs = scheduled();
      const sWasm = sJs.slice();
      const outJs = new Uint8Array(n + 3);
      const outWasm = new Uint8Array(n + 3);
      const ijJs = rc4Js(sJs, 200, 17, d, outJs, 3);
      const ijWasm = rc4Wasm(kernel, sWasm, 200, 17, d, outWasm, 3);
      expect(ijWasm).toBe(ijJs);
      expect(hex(sWasm)).toBe(hex(sJs));
      expect(Buffer.compare(outWasm, outJs)).toBe(0);
    }
  });

  it('en/decrypts in place (data and out the same array)', () => {
    const d = data(1000);
    const a = new Rc4(fromHex('0102030405')).update(d);
    const b = d.slice();
    new Rc4(fromHex('0102030405')).updateInto(b, b, 0);
    expect(hex(b)).toBe(hex(a));
  });
});
