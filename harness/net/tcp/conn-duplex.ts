// A stream.Duplex over one of our connections, for node:tls to run over. Going through JS
// (instead of handing node:tls the raw socket) keeps the TLS records flowing through
// TcpConn.write and its data handler, so they are traced like any other bytes, and it
// works the same over a plain connection or over a TLS one (TLS in a TLS tunnel).

import { Duplex } from 'node:stream';
import type { ConnBase } from '../conn-base.ts';

export class ConnDuplex extends Duplex {
  constructor(
    private readonly conn: ConnBase,
    initialData?: Uint8Array,
  ) {
    super();
    const { held, ended } = conn.takeOver({
      data: (d) => this.push(d),
      end: () => this.push(null),
      close: (info) => {
        if (info.reset) {
          const err = Object.assign(new Error(`connection ${conn.id} reset`), { code: 'ECONNRESET' });
          this.destroy(err);
        } else {
          this.push(null);
          this.destroy();
        }
      },
    });
    if (initialData?.length) this.push(Buffer.from(initialData));
    for (const d of held) this.push(d);
    if (ended) this.push(null);
  }

  override _read(): void {
    // Data is pushed as it arrives; this harness does not apply read backpressure.
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.conn.write(chunk);
    cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.conn.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    // After FIN both ways the socket closes by itself; otherwise close it now.
    if (!this.conn.closed && !(this.conn.finSent && this.conn.remoteEnded)) this.conn.close();
    cb(err);
  }
}
