// RFC 9110 §11.6.1: WWW-Authenticate is end-to-end; a proxy must pass it unchanged.

import type { HeaderField } from '../../wire/types.ts';
import type { Fault } from '../types.ts';

const DROPPED = new Set(['negotiate', 'kerberos', 'credssp', 'ntlm']);

function dropped(h: HeaderField): boolean {
  if (h.name.toLowerCase() !== 'www-authenticate') return false;
  return DROPPED.has((h.value.trim().split(/[\s,]/)[0] ?? '').toLowerCase());
}

export const stripWwwAuthenticate: Fault = {
  name: 'strip-www-authenticate',
  description: 'drops Negotiate/Kerberos/CredSSP/NTLM WWW-Authenticate challenges, keeps Basic',
  kind: 'fault',
  caughtBy: ['http.8'],
  onResponse: (res) => ({ ...res, headers: res.headers.filter((h) => !dropped(h)) }),
};
