// HTTP/1.1 message model (RFC 9112). Header names keep the case and order they were sent
// in: a conformance tool must see exactly what a proxy forwarded.

export interface HeaderField {
  name: string;
  value: string;
}

/** How the body was (or is to be) framed on the wire, RFC 9112 §6. */
export type Framing =
  | { kind: 'none' } // no body allowed (1xx, 204, 304, HEAD, 2xx to CONNECT) or no framing header on a request
  | { kind: 'length'; length: number }
  | { kind: 'chunked'; chunkSizes: number[]; trailers: HeaderField[] }
  | { kind: 'close' }; // response read until the connection closed

export interface HttpRequest {
  kind: 'request';
  method: string;
  /** origin-form "/wsman", absolute-form "http://h:5985/wsman", authority-form "h:5986", or "*". */
  target: string;
  version: string; // "HTTP/1.1" | "HTTP/1.0"
  headers: HeaderField[];
  body: Uint8Array;
  framing: Framing;
}

export interface HttpResponse {
  kind: 'response';
  version: string;
  status: number;
  reason: string;
  headers: HeaderField[];
  body: Uint8Array;
  framing: Framing;
}

export type HttpMessage = HttpRequest | HttpResponse;

export interface WireLimits {
  /** Longest request/status line or header line, bytes. Default 16 KiB. */
  maxLineBytes: number;
  /** All header bytes of one message (start line included). Default 64 KiB. */
  maxHeaderBytes: number;
  /** Largest body. Default 64 MiB. */
  maxBodyBytes: number;
  /** Most header fields in one message. Default 200. */
  maxHeaderCount: number;
}

export type WireErrorCode =
  | 'line-too-long'
  | 'headers-too-large'
  | 'too-many-headers'
  | 'body-too-large'
  | 'bad-start-line'
  | 'bad-version'
  | 'bad-header'
  | 'bad-content-length'
  | 'bad-transfer-encoding'
  | 'bad-chunk'
  | 'unexpected-eof';

export class WireError extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}
