// Test support: the client half of WinRM's NTLM-over-HTTP handshake and message encryption,
// built from harness/auth's NtlmClient and harness/encryption, over a RawHttp connection.

import { NtlmClient } from '../auth/ntlm/client.ts';
import type { NtlmSession } from '../auth/ntlm/session.ts';
import type { RandomSource } from '../auth/random.ts';
import { decryptMessage, encryptMessage } from '../encryption/index.ts';
import { getHeader, getHeaders, type HttpResponse } from '../wire/index.ts';
import { parseResponse, type WsmanResponse } from '../wsman/index.ts';
import type { RawHttp } from './test-http.ts';

export const SOAP_CT = 'application/soap+xml;charset=UTF-8';

export function negotiateToken(res: HttpResponse): Uint8Array {
  const v = getHeaders(res.headers, 'www-authenticate').find((h) => /^Negotiate\s+\S/i.test(h));
  if (!v) throw new Error(`no Negotiate token in ${res.status} response`);
  return new Uint8Array(Buffer.from(v.split(/\s+/)[1], 'base64'));
}

export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** pywinrm's context-building handshake: empty POSTs carrying Type1, then Type3. */
export async function authenticate(
  http: RawHttp,
  o: { user: string; password: string; domain?: string; random: RandomSource },
): Promise<{ session: NtlmSession; legs: HttpResponse[] }> {
  const client = new NtlmClient({ user: o.user, password: o.password, domain: o.domain, random: o.random });
  const r1 = await http.post([['Authorization', `Negotiate ${b64(client.negotiate())}`]]);
  if (r1.status !== 401) throw new Error(`Type1 answered ${r1.status}`);
  const type3 = client.authenticate(negotiateToken(r1));
  const r2 = await http.post([['Authorization', `Negotiate ${b64(type3)}`]]);
  return { session: client.session, legs: [r1, r2] };
}

export interface CallResult {
  res: HttpResponse;
  xml: string;
  parsed?: WsmanResponse;
}

/** One SOAP request; sealed with `session` when given (MS-WSMV §2.2.9.1.1), clear otherwise. */
export async function call(
  http: RawHttp,
  xml: string,
  o: { session?: NtlmSession; headers?: Array<[string, string]> } = {},
): Promise<CallResult> {
  const plain = new TextEncoder().encode(xml);
  let res: HttpResponse;
  if (o.session) {
    const sealed = encryptMessage(o.session, plain);
    res = await http.post([['Content-Type', sealed.contentType], ...(o.headers ?? [])], sealed.body);
  } else {
    res = await http.post([['Content-Type', SOAP_CT], ...(o.headers ?? [])], plain);
  }
  let text = '';
  if (res.body.length > 0) {
    const ct = getHeader(res.headers, 'content-type') ?? '';
    text = o.session && ct.startsWith('multipart/encrypted') ? new TextDecoder().decode(decryptMessage(o.session, ct, res.body)) : new TextDecoder().decode(res.body);
  }
  let parsed: WsmanResponse | undefined;
  try {
    parsed = text ? parseResponse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { res, xml: text, parsed };
}
