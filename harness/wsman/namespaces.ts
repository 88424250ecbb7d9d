// WS-Management namespace and action URIs used by WinRM 2.0 (MS-WSMV §2.2.1, DSP0226, WS-Transfer,
// WS-Addressing 2004/08). Prefixes are conventional only: parsers match on local name and URI.

export const NS = {
  /** SOAP 1.2 envelope (MS-WSMV §2.2.1: WinRM speaks SOAP 1.2 only). */
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  /** WS-Addressing, August 2004 submission (not the W3C 2005 namespace). */
  addressing: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  transfer: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
  enumeration: 'http://schemas.xmlsoap.org/ws/2004/09/enumeration',
  wsman: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  /** Microsoft extensions to the wsman header set (DataLocale, …). */
  wsmanMs: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  cimBinding: 'http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd',
  identity: 'http://schemas.dmtf.org/wbem/wsman/identity/1/wsmanidentity.xsd',
  shell: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
  fault: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
  config: 'http://schemas.microsoft.com/wbem/wsman/1/config',
  xsd: 'http://www.w3.org/2001/XMLSchema',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

/** WS-Addressing anonymous endpoint: the `a:To` of every response, the `a:ReplyTo` of every request. */
export const ANONYMOUS = `${NS.addressing}/role/anonymous`;

/** ResourceURI of the Windows command shell (MS-WSMV §3.1.4.1.30.1). */
export const CMD_RESOURCE_URI = `${NS.shell}/cmd`;

/** Value of ProtocolVersion in an IdentifyResponse (DSP0226 §11). */
export const PROTOCOL_VERSION = NS.wsman;

export const ACTION = {
  Create: `${NS.transfer}/Create`,
  CreateResponse: `${NS.transfer}/CreateResponse`,
  Delete: `${NS.transfer}/Delete`,
  DeleteResponse: `${NS.transfer}/DeleteResponse`,
  Command: `${NS.shell}/Command`,
  CommandResponse: `${NS.shell}/CommandResponse`,
  Receive: `${NS.shell}/Receive`,
  ReceiveResponse: `${NS.shell}/ReceiveResponse`,
  Signal: `${NS.shell}/Signal`,
  SignalResponse: `${NS.shell}/SignalResponse`,
  /**
   * DSP0226 §11 gives Identify no wsa:Action: the operation is recognised by its body element
   * (wsmid:Identify). These two values are this harness's labels for it, never put on the wire.
   */
  Identify: `${NS.identity}#Identify`,
  IdentifyResponse: `${NS.identity}#IdentifyResponse`,
  /** DSP0226 §14.6: the action of every WS-Management fault. */
  Fault: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault',
  /** WS-Addressing 2004/08 §4: the action of addressing faults (a:ActionNotSupported, …). */
  AddressingFault: `${NS.addressing}/fault`,
} as const;

/** Shell signal codes (MS-WSMV §3.1.4.1.30.3). */
export const SIGNAL = {
  terminate: `${NS.shell}/signal/terminate`,
  ctrl_c: `${NS.shell}/signal/ctrl_c`,
  ctrl_break: `${NS.shell}/signal/ctrl_break`,
} as const;

/** CommandState values in a ReceiveResponse (MS-WSMV §2.2.4.9). */
export const COMMAND_STATE = {
  Done: `${NS.shell}/CommandState/Done`,
  Pending: `${NS.shell}/CommandState/Pending`,
  Running: `${NS.shell}/CommandState/Running`,
} as const;

export type CommandStateName = keyof typeof COMMAND_STATE;
