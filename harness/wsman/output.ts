// Command output as byte sources that can be read in pieces, so that `gen 16777216` costs no
// memory until a Receive asks for a slice of it.

export interface OutputSource {
  readonly length: number;
  read(offset: number, length: number): Uint8Array;
}

// Method shorthand below: tsx (esbuild keepNames) re-names every arrow-valued property at run time.
export const EMPTY: OutputSource = {
  length: 0,
  read() {
    return new Uint8Array(0);
  },
};

export function bytesSource(data: Uint8Array): OutputSource {
  return {
    length: data.length,
    read(off, len) {
      return data.subarray(off, Math.min(off + len, data.length));
    },
  };
}

export function textSource(text: string): OutputSource {
  return bytesSource(new Uint8Array(Buffer.from(text, 'utf8')));
}

/** The `gen` pattern: 62 alphanumerics then CRLF, repeated; byte k is GEN_LINE[k % 64]. */
export const GEN_LINE = new Uint8Array(Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\r\n', 'latin1'));

export function genBytes(offset: number, length: number): Uint8Array {
  const start = offset % GEN_LINE.length;
  // The pattern rotated to start at `offset`, then tiled by Buffer.fill.
  const rotated = Buffer.concat([GEN_LINE.subarray(start), GEN_LINE.subarray(0, start)]);
  return new Uint8Array(Buffer.alloc(length).fill(rotated).buffer, 0, length);
}

export function genSource(total: number): OutputSource {
  return {
    length: total,
    read(off, len) {
      return genBytes(off, Math.max(0, Math.min(len, total - off)));
    },
  };
}
