import { describe, expect, it } from 'vitest';
import { utf8 } from '../auth/bytes.ts';
import { KerberosAcceptor } from '../auth/kerberos/acceptor.ts';
import { KerberosClient } from '../auth/kerberos/client.ts';
import { createSimKdc } from '../auth/kerberos/sim-kdc.ts';
import { seededRandom } from '../auth/test-support.ts';
import { SPNEGO_ENCRYPTED_PROTOCOL } from './content-type.ts';
import { EncryptionError } from './errors.ts';
import {
  decryptKerberosMessage,
  encryptKerberosMessage,
  kerberosProtocolOf,
  parseKerberosEncryptedBody,
} from './kerberos.ts';

async function pair() {
  const now = () => Date.UTC(2026, 0, 15, 12);
  const random = seededRandom('enc');
  const kdc = createSimKdc({ realm: 'WPC.TEST', users: [{ name: 'u', password: 'p' }], services: [{ name: 'HTTP/localhost', password: 's' }], random, now });
  const c = new KerberosClient({ principal: 'u@WPC.TEST', password: 'p', kdc: kdc.send, service: 'HTTP/localhost', random, now });
  const r = new KerberosAcceptor({ keytab: kdc.keytab(), random, now }).accept(await c.initSecContext());
  if (!r.ok) throw new Error(r.reason);
  c.acceptReply(r.reply);
  return { client: c.session, server: r.session };
}

const SOAP = utf8('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>');
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('WinRM Kerberos message encryption (MS-WSMV §2.2.9.1.2, pypsrp layout)', () => {
  it('writes the pypsrp multipart layout: protocol, OriginalContent Length, 60-byte header length prefix', async () => {
    const { client } = await pair();
    const { contentType, body } = encryptKerberosMessage(client, SOAP);
    expect(contentType).toBe('multipart/encrypted;protocol="application/HTTP-Kerberos-session-encrypted";boundary="Encrypted Boundary"');
    const head =
      '--Encrypted Boundary\r\n\tContent-Type: application/HTTP-Kerberos-session-encrypted\r\n' +
      `\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=${SOAP.length}\r\n` +
      '--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n';
    expect(text(body.subarray(0, head.length))).toBe(head);
    expect([...body.subarray(head.length, head.length + 4)]).toEqual([60, 0, 0, 0]);
    expect([...body.subarray(head.length + 4, head.length + 8)]).toEqual([0x05, 0x04, 0x06, 0xff]);
    expect(text(body.subarray(body.length - 24))).toBe('--Encrypted Boundary--\r\n');
    // AES-CTS keeps the length: the data after the header is as long as the message.
    expect(body.length).toBe(head.length + 4 + 60 + SOAP.length + 24);
  });

  it('round-trips both ways, many messages in order', async () => {
    const { client, server } = await pair();
    for (let i = 0; i < 5; i++) {
      const m = utf8(`<Body n="${i}">${'y'.repeat(i * 1000)}</Body>`);
      const req = encryptKerberosMessage(client, m);
      expect(decryptKerberosMessage(server, req.contentType, req.body)).toEqual(m);
      const res = encryptKerberosMessage(server, m);
      expect(decryptKerberosMessage(client, res.contentType, res.body)).toEqual(m);
    }
  });

  it('speaks pywinrm 0.3.0 style too: HTTP-SPNEGO-session-encrypted for Kerberos inside Negotiate', async () => {
    const { client, server } = await pair();
    const req = encryptKerberosMessage(client, SOAP, { protocol: SPNEGO_ENCRYPTED_PROTOCOL });
    expect(kerberosProtocolOf(req.contentType)).toBe(SPNEGO_ENCRYPTED_PROTOCOL);
    expect(decryptKerberosMessage(server, req.contentType, req.body)).toEqual(SOAP);
    expect(kerberosProtocolOf('multipart/encrypted;protocol="application/HTTP-CredSSP-session-encrypted"')).toBeUndefined();
  });

  it('rejects tampering, a wrong Length=, replay and plain bodies with typed errors', async () => {
    const { client, server } = await pair();
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof EncryptionError ? e.code : String(e);
      }
      return 'no error';
    };
    const a = encryptKerberosMessage(client, SOAP);
    const tampered = a.body.slice();
    tampered[tampered.length - 30] ^= 1;
    expect(code(() => decryptKerberosMessage(server, a.contentType, tampered))).toBe('bad-signature');
    const lying = new Uint8Array(Buffer.from(text(a.body).replace(`Length=${SOAP.length}`, `Length=${SOAP.length + 1}`), 'latin1'));
    expect(code(() => decryptKerberosMessage(server, a.contentType, lying))).toBe('length-mismatch');
    expect(decryptKerberosMessage(server, a.contentType, a.body)).toEqual(SOAP); // neither failure moved the sequence
    const b = encryptKerberosMessage(client, SOAP);
    expect(decryptKerberosMessage(server, b.contentType, b.body)).toEqual(SOAP);
    expect(code(() => decryptKerberosMessage(server, b.contentType, b.body))).toBe('bad-sequence');
    expect(code(() => decryptKerberosMessage(server, 'application/soap+xml', SOAP))).toBe('not-encrypted');
    expect(code(() => parseKerberosEncryptedBody(a.contentType, a.body.subarray(0, 150)))).toBe('malformed');
  });
});
