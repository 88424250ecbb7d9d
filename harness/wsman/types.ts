// Parsed WS-Management messages: what a server reads from a request, what a client reads from
// a response.

import type { CommandStateName } from './namespaces.ts';

export type RequestBody =
  | { kind: 'identify' }
  | {
      kind: 'create';
      inputStreams: string[];
      outputStreams: string[];
      workingDirectory?: string;
      env: Record<string, string>;
    }
  /** MS-WSMV §2.2.4.7 CommandLine: one rsp:Command and zero or more rsp:Arguments. */
  | { kind: 'command'; command: string; arguments: string[] }
  /** MS-WSMV §3.1.4.14 Receive: DesiredStream, CommandId optional (absent = shell streams). */
  | { kind: 'receive'; commandId?: string; desiredStreams: string[] }
  | { kind: 'signal'; commandId?: string; code: string }
  | { kind: 'delete' }
  /** Any other action: the server answers a:ActionNotSupported. */
  | { kind: 'other' };

export interface WsmanRequest {
  action: string;
  messageId: string;
  to?: string;
  resourceUri?: string;
  /** From w:OperationTimeout; undefined when absent (the server applies its default, 60 s). */
  operationTimeoutMs?: number;
  maxEnvelopeSize?: number;
  locale?: string;
  selectors: Record<string, string>;
  options: Record<string, string>;
  body: RequestBody;
}

export interface StreamChunk {
  name: string;
  commandId?: string;
  data: Uint8Array;
  end: boolean;
}

export interface WsmanFaultInfo {
  /** Local part of s:Code/s:Value: `Sender` or `Receiver`. */
  code: string;
  /** s:Code/s:Subcode/s:Value as written (a QName such as `w:TimedOut`). */
  subcode: string;
  /** Local part of the subcode (`TimedOut`), whatever prefix the server used. */
  subcodeLocal: string;
  reason: string;
  wsmanCode?: number;
  machine?: string;
}

export interface IdentifyInfo {
  protocolVersion: string;
  productVendor: string;
  productVersion: string;
  securityProfiles: string[];
}

export interface WsmanResponse {
  action?: string;
  messageId?: string;
  relatesTo?: string;
  shellId?: string;
  commandId?: string;
  streams?: StreamChunk[];
  commandState?: { state: CommandStateName | string; stateUri: string; commandId?: string; exitCode?: number };
  fault?: WsmanFaultInfo;
  identify?: IdentifyInfo;
}
