// Byte helpers shared by the codec. Header text is ISO-8859-1 on the wire (RFC 9110 §5.5:
// obs-text octets are opaque), so bytes <-> string is latin1 both ways and round-trips exactly.

import { Buffer } from 'node:buffer';
import { WireError } from './types.ts';

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const UTF8 = new TextEncoder();
/** Zero bytes: nothing can be written into it, so one array serves every empty body. */
export const EMPTY_BYTES = new Uint8Array(0);

export function latin1Decode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Encodes header text; a character above U+00FF has no octet and is refused. */
export function latin1Encode(text: string): Uint8Array {
  return latin1EncodeWith(text, 0);
}

/**
 * latin1Encode(text) followed by `room` bytes the caller must fill (they are not zeroed): lets
 * a caller build head and body in one allocation.
 */
export function latin1EncodeWith(text: string, room: number): Uint8Array {
  const out = allocFilled(text.length + room);
  // Header text is nearly always ASCII, where UTF-8 and latin1 agree: encodeInto writes it and
  // says so (every character read, one byte each) in one native pass, without a separate check.
  const r = UTF8.encodeInto(text, out);
  if (r.read === text.length && r.written === text.length) return out;
  // eslint-disable-next-line no-control-regex
  if (/[^\u0000-\u00ff]/.test(text)) {
    throw new WireError('bad-header', 'header text has a character outside ISO-8859-1');
  }
  Buffer.from(out.buffer, out.byteOffset, out.byteLength).write(text, 0, 'latin1');
  return out;
}

// Small arrays carved from a shared slab, as Buffer's pool does: a typed array over 64 bytes
// otherwise gets its own ArrayBuffer (a malloc and a GC-tracked backing store, about a
// microsecond), and a simulated message is copied several times on each hop. Slab memory is
// never handed out twice. Such an array shares `.buffer` with others and has a byteOffset:
// views must use byteOffset/byteLength.
//
// The slab is not zeroed when made (zeroing 64 KiB costs more than the rest of its use):
// allocBytes zeroes each array it hands out, and allocFilled leaves that to callers that
// write every byte (copies, serialised messages), so no array ever shows old memory.
const SLAB_BYTES = 64 * 1024;
const MAX_SLAB_ALLOC = 8 * 1024;
let slab = newSlab();
let slabUsed = 0;

function newSlab(): ArrayBuffer {
  return Buffer.allocUnsafeSlow(SLAB_BYTES).buffer as ArrayBuffer;
}

/** `new Uint8Array(n)` (zeroed, plain Uint8Array), from the shared slab when small. */
export function allocBytes(n: number): Uint8Array {
  return n > MAX_SLAB_ALLOC || n === 0 ? new Uint8Array(n) : carve(n).fill(0);
}

/**
 * As allocBytes, for a caller that writes all n bytes before anyone reads them: the slab's
 * memory is not zeroed first. Anything short of a full write must use allocBytes.
 */
export function allocFilled(n: number): Uint8Array {
  return n > MAX_SLAB_ALLOC || n === 0 ? new Uint8Array(n) : carve(n);
}

function carve(n: number): Uint8Array {
  if (slabUsed + n > SLAB_BYTES) {
    slab = newSlab();
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, n);
  slabUsed = (slabUsed + n + 7) & ~7; // 8-aligned, like a fresh ArrayBuffer
  return out;
}

/** A copy of `data` in a plain Uint8Array (from the slab when small). */
export function copyBytes(data: Uint8Array): Uint8Array {
  const out = allocFilled(data.length);
  out.set(data);
  return out;
}

/** UTF-8 bytes of `text` (as TextEncoder.encode: a lone surrogate becomes U+FFFD), in an allocBytes array. */
export function utf8Encode(text: string): Uint8Array {
  const out = allocFilled(Buffer.byteLength(text, 'utf8'));
  const { written } = UTF8.encodeInto(text, out);
  if (written < out.length) out.fill(0, written); // not expected: byteLength counts what encodeInto writes
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let total = 0;
  for (const p of parts) total += p.length;
  const out = allocFilled(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * FIFO of received bytes with amortised O(1) append: grows by doubling and compacts only when
 * the live bytes fit in half the buffer, so byte-at-a-time feeding stays linear.
 *
 * An empty queue borrows the appended chunk instead of copying it in: a message that arrives in
 * one piece is parsed where it lies. The owner calls settle() before returning to the chunk's
 * owner, which copies whatever is still queued into the queue's own storage.
 */
export class ByteQueue {
  /** The queued bytes are buf[start..end): `own`, or a borrowed chunk. */
  private buf: Uint8Array = EMPTY_BYTES;
  /** `buf` as a Buffer (made when first needed), for native search and latin1 decoding. */
  private nodeBuf: Buffer | undefined;
  private start = 0;
  private end = 0;
  /** The queue's own storage, kept while a chunk is borrowed. */
  private own: Uint8Array = EMPTY_BYTES;
  private ownNode: Buffer | undefined;
  private borrowing = false;

  get length(): number {
    return this.end - this.start;
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.start === this.end) {
      this.buf = chunk;
      this.nodeBuf = undefined;
      this.start = 0;
      this.end = chunk.length;
      this.borrowing = true;
      return;
    }
    if (this.borrowing) this.settle();
    this.copyIn(chunk);
  }

  /** Ends a borrow: the bytes still queued are copied into the queue's own storage. */
  settle(): void {
    if (!this.borrowing) return;
    const live = this.buf.subarray(this.start, this.end);
    this.borrowing = false;
    this.buf = this.own;
    this.nodeBuf = this.ownNode;
    this.start = this.end = 0;
    this.copyIn(live);
  }

  private copyIn(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.start === this.end) this.start = this.end = 0;
    if (this.end + chunk.length > this.buf.length) {
      const live = this.length;
      const need = live + chunk.length;
      if (need <= this.buf.length >>> 1) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        const grown = allocFilled(Math.max(need, this.buf.length * 2, 4096)); // read only up to `end`
        grown.set(this.buf.subarray(this.start, this.end));
        this.buf = this.own = grown;
        this.nodeBuf = this.ownNode = Buffer.from(grown.buffer, grown.byteOffset, grown.byteLength);
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  private node(): Buffer {
    return (this.nodeBuf ??= Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength));
  }

  at(i: number): number {
    return this.buf[this.start + i];
  }

  /** Offset of the first `byte` at or after `from`, or -1. */
  indexOf(byte: number, from: number): number {
    const i = this.buf.subarray(this.start + from, this.end).indexOf(byte);
    return i < 0 ? -1 : i + from;
  }

  /** Offset of the first CR LF CR LF, or -1. */
  indexOfCrlfCrlf(): number {
    // Searched from `start` in place; a view (which costs more than the search) is cut only to
    // hide stale bytes past `end`, which a borrowed chunk, the usual case, does not have.
    const b = this.end === this.buf.length ? this.node() : this.node().subarray(0, this.end);
    const i = b.indexOf(CRLFCRLF, this.start);
    return i < 0 ? -1 : i - this.start;
  }

  /** Bytes from..to decoded as latin1 (one character per byte). */
  latin1(from: number, to: number): string {
    return this.node().toString('latin1', this.start + from, this.start + to);
  }

  /** A transient view (valid until the next append or settle). */
  view(from: number, to: number): Uint8Array {
    return this.buf.subarray(this.start + from, this.start + to);
  }

  /** Removes and returns a copy of the first n bytes. */
  take(n: number): Uint8Array {
    const out = copyBytes(this.buf.subarray(this.start, this.start + n));
    this.start += n;
    return out;
  }

  skip(n: number): void {
    this.start += n;
  }

  takeAll(): Uint8Array {
    return this.take(this.length);
  }
}
