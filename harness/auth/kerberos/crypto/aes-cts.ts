// AES in CBC mode with ciphertext stealing, RFC 3962 §5 (the CBC-CS3 variant: the last two
// blocks are always swapped, even when the input is a whole number of blocks), IV zero unless
// given. Input must be at least one block.
import { createCipheriv, createDecipheriv } from 'node:crypto';

const BLOCK = 16;

function algorithm(key: Uint8Array, mode: 'cbc' | 'ecb'): string {
  if (key.length !== 16 && key.length !== 32) throw new RangeError(`AES key of ${key.length} bytes`);
  return `aes-${key.length * 8}-${mode}`;
}

function cbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv(algorithm(key, 'cbc'), key, iv).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

function cbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const d = createDecipheriv(algorithm(key, 'cbc'), key, iv).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
}

function ecbDecryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const d = createDecipheriv(algorithm(key, 'ecb'), key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([d.update(block), d.final()]));
}

export function ctsEncrypt(key: Uint8Array, plaintext: Uint8Array, iv: Uint8Array = new Uint8Array(BLOCK)): Uint8Array {
  const n = plaintext.length;
  if (n < BLOCK) throw new RangeError('AES-CTS needs at least one block');
  const padded = new Uint8Array(Math.ceil(n / BLOCK) * BLOCK);
  padded.set(plaintext);
  const c = cbcEncrypt(key, iv, padded);
  if (n === BLOCK) return c;
  const blocks = c.length / BLOCK;
  const lastLen = n - (blocks - 1) * BLOCK;
  const out = new Uint8Array(n);
  out.set(c.subarray(0, (blocks - 2) * BLOCK));
  out.set(c.subarray((blocks - 1) * BLOCK), (blocks - 2) * BLOCK); // Cn moves second-last
  out.set(c.subarray((blocks - 2) * BLOCK, (blocks - 2) * BLOCK + lastLen), (blocks - 1) * BLOCK); // C(n-1), truncated
  return out;
}

export function ctsDecrypt(key: Uint8Array, ciphertext: Uint8Array, iv: Uint8Array = new Uint8Array(BLOCK)): Uint8Array {
  const n = ciphertext.length;
  if (n < BLOCK) throw new RangeError('AES-CTS needs at least one block');
  if (n === BLOCK) return cbcDecrypt(key, iv, ciphertext);
  const blocks = Math.ceil(n / BLOCK);
  const lastLen = n - (blocks - 1) * BLOCK;
  const secondLast = ciphertext.subarray((blocks - 2) * BLOCK, (blocks - 1) * BLOCK); // = Cn of plain CBC
  const tail = ciphertext.subarray((blocks - 1) * BLOCK); // = C(n-1) truncated
  // D(Cn) = Pn(zero-padded) XOR C(n-1); its bytes past lastLen are C(n-1)'s stolen bytes.
  const d = ecbDecryptBlock(key, secondLast);
  const cbc = new Uint8Array(blocks * BLOCK);
  cbc.set(ciphertext.subarray(0, (blocks - 2) * BLOCK));
  cbc.set(tail, (blocks - 2) * BLOCK);
  cbc.set(d.subarray(lastLen), (blocks - 2) * BLOCK + lastLen);
  cbc.set(secondLast, (blocks - 1) * BLOCK);
  return cbcDecrypt(key, iv, cbc).subarray(0, n);
}
