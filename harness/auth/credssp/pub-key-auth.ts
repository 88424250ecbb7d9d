// The pubKeyAuth binding, MS-CSSP §3.1.5 steps 3-4: it ties the inner authentication to the
// server's TLS key, so a proxy that terminates TLS with its own certificate is detected.
//
//   version >= 5: client sends SHA-256("CredSSP Client-To-Server Binding Hash\0" ‖ nonce ‖ key)
//                 server sends SHA-256("CredSSP Server-To-Client Binding Hash\0" ‖ nonce ‖ key)
//   version 2-4:  client sends key; server sends key with its first byte incremented
//
// key = SubjectPublicKey: the contents of the certificate's subjectPublicKey BIT STRING
// (RFC 5280 §4.1), without the unused-bits octet; for RSA the DER RSAPublicKey.
import { createHash, X509Certificate } from 'node:crypto';
import { concatBytes, utf8 } from '../bytes.ts';
import { DerError, expectTag, readAll, readTlv, TAG } from '../der.ts';

const CLIENT_MAGIC = utf8('CredSSP Client-To-Server Binding Hash\0');
const SERVER_MAGIC = utf8('CredSSP Server-To-Client Binding Hash\0');

/** SubjectPublicKey from a DER SubjectPublicKeyInfo. */
export function subjectPublicKeyFromSpki(spki: Uint8Array): Uint8Array {
  const outer = readTlv(spki, 0);
  if (outer.end !== spki.length) throw new DerError('SubjectPublicKeyInfo: trailing bytes');
  const [alg, key, extra] = readAll(expectTag(outer, TAG.SEQUENCE, 'SubjectPublicKeyInfo'));
  if (!alg || !key || extra) throw new DerError('SubjectPublicKeyInfo must hold algorithm and subjectPublicKey');
  expectTag(alg, TAG.SEQUENCE, 'AlgorithmIdentifier');
  const bits = expectTag(key, TAG.BIT_STRING, 'subjectPublicKey');
  if (bits.length < 1 || bits[0] !== 0) throw new DerError('subjectPublicKey: a key is a whole number of octets');
  return bits.slice(1);
}

/** SubjectPublicKey of an X.509 certificate (PEM text or DER bytes). */
export function subjectPublicKeyOf(cert: string | Uint8Array | X509Certificate): Uint8Array {
  const x = cert instanceof X509Certificate ? cert : new X509Certificate(typeof cert === 'string' ? cert : Buffer.from(cert));
  return subjectPublicKeyFromSpki(new Uint8Array(x.publicKey.export({ type: 'spki', format: 'der' })));
}

const sha256 = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(concatBytes(...parts)).digest());

/** What the client seals into pubKeyAuth (§3.1.5 step 3). */
export function clientPubKeyAuth(version: number, key: Uint8Array, nonce?: Uint8Array): Uint8Array {
  if (version >= 5) {
    if (!nonce) throw new Error('CredSSP version 5+ needs the clientNonce');
    return sha256(CLIENT_MAGIC, nonce, key);
  }
  return key.slice();
}

/** What the server seals into its pubKeyAuth answer (§3.1.5 step 4). */
export function serverPubKeyAuth(version: number, key: Uint8Array, nonce?: Uint8Array): Uint8Array {
  if (version >= 5) {
    if (!nonce) throw new Error('CredSSP version 5+ needs the clientNonce');
    return sha256(SERVER_MAGIC, nonce, key);
  }
  const out = key.slice();
  if (out.length > 0) out[0] = (out[0] + 1) & 0xff;
  return out;
}
