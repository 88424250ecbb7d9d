// The WS-Management faults this simulated server sends (DSP0226 §14, MS-WSMV §2.2.4.41 WSManFault).
// Codes are the Win32/WSMan error numbers WinRM puts in f:WSManFault/@Code; reasons are the
// English texts WinRM sends (trailing space included, as Windows writes them).

export type FaultCode = 'Sender' | 'Receiver';

export interface FaultSpec {
  code: FaultCode;
  /** QName with the prefix the envelope declares: `w:` (wsman) or `a:` (addressing). */
  subcode: string;
  reason: string;
  wsmanCode: number;
}

export const FAULTS = {
  /** Receive long poll expired (PROTOCOL.md; pywinrm maps 2150858793 to WinRMOperationTimeoutError). */
  TimedOut: {
    code: 'Receiver',
    subcode: 'w:TimedOut',
    reason: 'The WS-Management service cannot complete the operation within the time specified in OperationTimeout.  ',
    wsmanCode: 2150858793,
  },
  /** Unknown or missing ShellId selector. */
  InvalidSelectors: {
    code: 'Sender',
    subcode: 'w:InvalidSelectors',
    reason: 'The WS-Management service cannot process the request because the request contained invalid selectors for the resource. ',
    wsmanCode: 2150858843,
  },
  /** The envelope does not match the schema (malformed XML, missing Action or MessageID, …). */
  SchemaValidationError: {
    code: 'Sender',
    subcode: 'w:SchemaValidationError',
    reason: 'The SOAP XML in the message does not match the corresponding XML schema definition. Change the XML and retry. ',
    wsmanCode: 2150858817,
  },
  /** Win32 ERROR_ACCESS_DENIED: a shell used by a user other than its owner. */
  AccessDenied: {
    code: 'Sender',
    subcode: 'w:AccessDenied',
    reason: 'Access is denied. ',
    wsmanCode: 5,
  },
  /** WS-Addressing 2004/08 §4.4: an action the endpoint does not implement (0x80338001). */
  ActionNotSupported: {
    code: 'Sender',
    subcode: 'a:ActionNotSupported',
    reason: 'The WS-Management service cannot process the request because the WS-Addressing Action URI in the request is not compatible with the resource. ',
    wsmanCode: 2150858753,
  },
  /** Win32 ERROR_INVALID_PARAMETER: an unknown CommandId or signal code. */
  InvalidParameter: {
    code: 'Sender',
    subcode: 'w:InvalidParameter',
    reason: 'The parameter is incorrect. ',
    wsmanCode: 87,
  },
  /** MaxShellsPerUser exceeded (winrm/config/winrs; ERROR_WINRS_SHELLS_QUOTA_EXCEEDED 0x803381A6). */
  QuotaLimit: {
    code: 'Receiver',
    subcode: 'w:QuotaLimit',
    reason: 'The WS-Management service cannot process the request. This user is allowed a maximum number of shells, which has been exceeded. ',
    wsmanCode: 2150859174,
  },
} as const satisfies Record<string, FaultSpec>;

export type FaultName = keyof typeof FAULTS;
