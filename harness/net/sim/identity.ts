// A deterministic, fake TLS identity for the simulated network, where only `subject` and
// `fingerprint256` matter (simtls sends them in its server hello). Not a certificate.

import { createHash } from 'node:crypto';
import type { TlsIdentity } from '../types.ts';

export function simIdentity(subject: string): TlsIdentity {
  const fingerprint256 = createHash('sha256').update(`simtls-identity\u0000${subject}`).digest('hex');
  return {
    subject,
    certPem: `-----BEGIN SIMULATED CERTIFICATE-----\nsimulated identity for ${subject}; not an X.509 certificate (net/sim only)\n-----END SIMULATED CERTIFICATE-----\n`,
    keyPem: `-----BEGIN SIMULATED PRIVATE KEY-----\nsimulated key for ${subject}; not a real key (net/sim only)\n-----END SIMULATED PRIVATE KEY-----\n`,
    fingerprint256,
  };
}
