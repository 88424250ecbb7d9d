// A real self-signed TLS identity for the tcp transport (selfsigned v5: async, node crypto).
// RSA 2048, SHA-256 signature, SAN DNS:localhost and IP:127.0.0.1, valid one year.

import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';
import type { TlsIdentity } from '../types.ts';

export async function generateIdentity(subject: string): Promise<TlsIdentity> {
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + 365 * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: subject }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const fingerprint256 = new X509Certificate(pems.cert).fingerprint256.replace(/:/g, '').toLowerCase();
  return { subject, certPem: pems.cert, keyPem: pems.private, fingerprint256 };
}
