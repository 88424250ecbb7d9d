// Hand-made traces for the invariants' unit tests: connections, bytes, HTTP messages.

import { Trace } from '../net/trace.ts';
import type { AuditEntry } from '../server/types.ts';
import type { ClientRecord, InvariantContext, InvariantPolicy, Secret } from './types.ts';

export class TraceBuilder {
  private t = 0;
  readonly trace = new Trace(() => this.t++);

  open(conn: string, initiator: string, acceptor: string, hop = `${initiator}-${acceptor}`): this {
    this.trace.add({ kind: 'open', conn, hop, initiator, acceptor, from: '127.0.0.1:50000', to: '127.0.0.1:8080' });
    return this;
  }

  write(conn: string, from: string, data: string | Uint8Array, tls = false): this {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    this.trace.add({ kind: 'data', conn, from, bytes, ...(tls ? { tls: true } : {}) });
    return this;
  }

  close(conn: string, from: string): this {
    this.trace.add({ kind: 'close', conn, from, reset: false });
    return this;
  }
}

export function req(tag: string | undefined, body = '', extra: string[] = [], target = 'http://127.0.0.1:5985/wsman'): string {
  const h = ['Host: 127.0.0.1:5985', `Content-Length: ${Buffer.byteLength(body, 'latin1')}`, ...(tag ? [`X-Wpc-Request: ${tag}`] : []), ...extra];
  return `POST ${target} HTTP/1.1\r\n${h.join('\r\n')}\r\n\r\n${body}`;
}

export function res(status: number, body = '', extra: string[] = []): string {
  const h = [`Content-Length: ${Buffer.byteLength(body, 'latin1')}`, ...extra];
  return `HTTP/1.1 ${status} X\r\n${h.join('\r\n')}\r\n\r\n${body}`;
}

export function client(actor: string, over: Partial<ClientRecord> = {}): ClientRecord {
  return {
    actor,
    group: actor.split('#')[0],
    auth: 'negotiate',
    user: actor.split('#')[0],
    credentials: 'right',
    transport: 'http',
    encryption: 'always',
    outcome: 'ok',
    exchanges: [],
    handshakes: 0,
    plannedCommands: 0,
    ...over,
  };
}

let seq = 0;
export function audit(e: Partial<AuditEntry> & Pick<AuditEntry, 'conn' | 'kind' | 'status'>): AuditEntry {
  return { seq: seq++, t: 0, listener: 'http', requestLine: 'POST /wsman HTTP/1.1', ...e };
}

export const POLICY: InvariantPolicy = { allowUnencrypted: false, serverAuth: ['negotiate'], serverActor: 'server', proxyActors: ['proxy'] };

export function context(
  b: TraceBuilder,
  over: { audit?: AuditEntry[]; clients?: ClientRecord[]; policy?: Partial<InvariantPolicy>; destination?: Secret[]; proxy?: Secret[] } = {},
): InvariantContext {
  return {
    trace: b.trace,
    audit: over.audit ?? [],
    clients: over.clients ?? [],
    secrets: { destination: over.destination ?? [{ label: "alice's password", user: 'alice', password: 'Alice-Pw-4711!' }], proxy: over.proxy ?? [] },
    policy: { ...POLICY, ...over.policy },
  };
}
