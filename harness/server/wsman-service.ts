// What the request handler asks of the WS-Man layer: answer one plaintext SOAP request for
// an identity, possibly after holding it (Receive long poll, MS-WSMV §3.1.4.14).

export interface WsmanOutcome {
  /** 200, or 500 for a SOAP fault (MS-WSMV §2.2.4.14 via HTTP, PROTOCOL.md). */
  status: number;
  xml: string;
  /** Local name of the request's action: 'Create', 'Command', 'Receive', 'Identify', … */
  action?: string;
  commandId?: string;
  commandLine?: string;
}

/** Whether the request's connection has gone, and a call when it goes (an AbortSignal fits). */
export interface Cancelled {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface WsmanService {
  /**
   * Serves one request. Resolves to undefined when `cancelled` fired while the request was
   * held (the connection closed): nothing is to be sent.
   */
  serve(xml: string, ctx: { identity: string; cancelled: Cancelled }): Promise<WsmanOutcome | undefined>;
  /** The IdentifyResponse for an unauthenticated Identify, or undefined when `xml` is no Identify. */
  identifyAnonymous(xml: string): WsmanOutcome | undefined;
}
