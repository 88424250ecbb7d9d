// HTTP answers the server sends, built with the wire codec so framing is always explicit.

import { response, type HttpResponse } from '../wire/index.ts';

export const SOAP_CONTENT_TYPE = 'application/soap+xml;charset=UTF-8';

/** 401 with one WWW-Authenticate field per value (RFC 9110 §11.6.1), Content-Length: 0 as WinRM. */
export function unauthorized(challenges: readonly string[]): HttpResponse {
  return response({ status: 401, headers: challenges.map((c) => ['WWW-Authenticate', c] as [string, string]) });
}

export function empty(status: number, headers: Array<[string, string]> = []): HttpResponse {
  return response({ status, headers });
}

export function soap(status: number, body: Uint8Array, contentType = SOAP_CONTENT_TYPE): HttpResponse {
  return response({ status, headers: [['Content-Type', contentType]], body });
}
