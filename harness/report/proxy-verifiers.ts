// Proxy credentials that are not the password yet let anyone holding the report guess it offline:
// a Digest `response` (RFC 7616 §5.1: a dictionary attack on it is cheap) and an NTLM
// AUTHENTICATE message (MS-NLMP §5: NTProofStr verifies a guessed password). Basic needs
// nothing here: its base64 holds the password itself and is redacted as one of its forms.
// Found in the report's own messages, they are added to the secrets to redact.
import { parseAuthorization, sameScheme } from '../auth/challenge.ts';
import { readU32le } from '../auth/bytes.ts';
import { isNtlmssp } from '../auth/ntlm/fields.ts';
import { extractNtlm, parseNegotiateToken } from '../auth/spnego.ts';
import type { ReportTraceEvent } from './types.ts';

/** The NTLMSSP message in a Negotiate / NTLM token, raw or in SPNEGO; undefined when none. */
function ntlmIn(token: Uint8Array): Uint8Array | undefined {
  try {
    const m = extractNtlm(parseNegotiateToken(token)).ntlm;
    return m && isNtlmssp(m) ? m : undefined;
  } catch {
    return undefined;
  }
}

/** One Proxy-Authorization value's password verifier (as it is written in the value), if any. */
export function proxyVerifier(value: string): string | undefined {
  const v = parseAuthorization(value);
  if (!v) return undefined;
  if (sameScheme(v.scheme, 'Digest')) return v.params?.response || undefined;
  if ((sameScheme(v.scheme, 'NTLM') || sameScheme(v.scheme, 'Negotiate')) && v.token && v.token68) {
    const m = ntlmIn(v.token);
    return m && m.length >= 12 && readU32le(m, 8) === 3 ? v.token68 : undefined;
  }
  return undefined;
}

/** Every distinct verifier in the Proxy-Authorization headers of these trace events. */
export function proxyVerifiers(events: readonly ReportTraceEvent[]): string[] {
  const out = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'message') continue;
    for (const [name, value] of e.headers) {
      if (name.toLowerCase() !== 'proxy-authorization') continue;
      const v = proxyVerifier(value);
      if (v) out.add(v);
    }
  }
  return [...out];
}
