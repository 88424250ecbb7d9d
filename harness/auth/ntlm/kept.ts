// A few keys derived from secret bytes, kept for the last inputs: in a simulation both ends of
// a connection derive the same keys (the server from what the client sent), and every handshake
// of one user the same NTOWFv2. Found by a tag and the bytes (compared in full, in constant time).
import { bytesEqual } from '../bytes.ts';

export class Kept<T> {
  readonly #size: number;
  readonly #entries: Array<{ tag: string | number; bytes: Uint8Array; value: T }> = [];

  constructor(size: number) {
    this.#size = size;
  }

  get(tag: string | number, bytes: Uint8Array): T | undefined {
    for (const e of this.#entries) if (e.tag === tag && bytesEqual(e.bytes, bytes)) return e.value;
    return undefined;
  }

  /** Keeps `value` (with a copy of `bytes`), dropping the oldest entry when full; returns `value`. */
  add(tag: string | number, bytes: Uint8Array, value: T): T {
    if (this.#entries.length >= this.#size) this.#entries.shift();
    this.#entries.push({ tag, bytes: bytes.slice(), value });
    return value;
  }
}
