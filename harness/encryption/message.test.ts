import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex, hex } from '../auth/bytes.ts';
import { NtlmSession } from '../auth/ntlm/session.ts';
import { EncryptionError, decryptMessage, encryptMessage, ENCRYPTED_CONTENT_TYPE, isEncryptedContentType, parseEncryptedBody } from './index.ts';

const te = new TextEncoder();
const td = new TextDecoder();
const ESK = fromHex('000102030405060708090a0b0c0d0e0f');
const pair = (key = ESK) => {
  const client = new NtlmSession({ flags: 0xe2898036, exportedSessionKey: key, role: 'client' });
  return { client, server: client.forRole('server') };
};

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof EncryptionError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('WinRM message encryption (MS-WSMV §2.2.9.1.1)', () => {
  it('lays out the PROTOCOL.md vector byte for byte (c→s seq 0)', () => {
    const { client } = pair();
    const { contentType, body } = encryptMessage(client, te.encode('<s:Envelope/>'));
    expect(contentType).toBe('multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"');
    const expected =
      hex(te.encode(
        '--Encrypted Boundary\r\n' +
          '\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n' +
          '\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=13\r\n' +
          '--Encrypted Boundary\r\n' +
          '\tContent-Type: application/octet-stream\r\n',
      )) +
      '10000000' + '01000000ece05fe101c2299100000000' + '4871a1161f37386e79bb7201de' +
      hex(te.encode('--Encrypted Boundary--\r\n'));
    expect(hex(body)).toBe(expected);
  });

  it('round-trips requests and responses between client and server sessions', () => {
    const { client, server } = pair();
    for (let i = 0; i < 5; i++) {
      const req = encryptMessage(client, te.encode(`<s:Envelope>${'x'.repeat(i * 100)}</s:Envelope>`));
      expect(td.decode(decryptMessage(server, req.contentType, req.body))).toBe(`<s:Envelope>${'x'.repeat(i * 100)}</s:Envelope>`);
      const res = encryptMessage(server, te.encode(`reply ${i}`), { contentType: 'application/soap+xml;charset=UTF-8' });
      expect(td.decode(decryptMessage(client, res.contentType, res.body))).toBe(`reply ${i}`);
    }
  });

  it('round-trips an empty body and a body containing the boundary bytes', () => {
    const { client, server } = pair();
    for (const text of ['', '--Encrypted Boundary\r\n--Encrypted Boundary--\r\n']) {
      const m = encryptMessage(client, te.encode(text));
      expect(td.decode(decryptMessage(server, m.contentType, m.body))).toBe(text);
    }
  });

  it('detects a flipped bit in the sealed payload or in the signature (bad-signature)', () => {
    const { client, server } = pair();
    const m = encryptMessage(client, te.encode('<s:Envelope/>'));
    const sigAt = m.body.length - 24 - 13 - 16;
    for (const at of [m.body.length - 24 - 1, sigAt + 5]) {
      const t = m.body.slice();
      t[at] ^= 0x01;
      expect(code(() => decryptMessage(server, m.contentType, t))).toBe('bad-signature');
    }
    expect(td.decode(decryptMessage(server, m.contentType, m.body))).toBe('<s:Envelope/>');
  });

  it('detects a wrong OriginalContent Length (length-mismatch)', () => {
    const { client, server } = pair();
    const m = encryptMessage(client, te.encode('<s:Envelope/>'));
    const body = new Uint8Array(Buffer.from(Buffer.from(m.body).toString('latin1').replace('Length=13', 'Length=12'), 'latin1'));
    expect(code(() => decryptMessage(server, m.contentType, body))).toBe('length-mismatch');
  });

  it('detects a replayed and a reordered message (bad-sequence)', () => {
    const { client, server } = pair();
    const m0 = encryptMessage(client, te.encode('first'));
    const m1 = encryptMessage(client, te.encode('second'));
    expect(code(() => decryptMessage(server, m1.contentType, m1.body))).toBe('bad-sequence');
    decryptMessage(server, m0.contentType, m0.body);
    expect(code(() => decryptMessage(server, m0.contentType, m0.body))).toBe('bad-sequence');
    expect(td.decode(decryptMessage(server, m1.contentType, m1.body))).toBe('second');
  });

  it('rejects a body sealed for another connection’s session', () => {
    const other = pair(new Uint8Array(16).fill(0xaa));
    const { server } = pair();
    const m = encryptMessage(other.client, te.encode('<s:Envelope/>'));
    expect(code(() => decryptMessage(server, m.contentType, m.body))).toBe('bad-signature');
  });

  it('tells plain SOAP (not-encrypted) from another encryption protocol (bad-content-type)', () => {
    const { server } = pair();
    expect(code(() => decryptMessage(server, 'application/soap+xml;charset=UTF-8', te.encode('<s:Envelope/>')))).toBe('not-encrypted');
    expect(code(() => decryptMessage(server, undefined, new Uint8Array()))).toBe('not-encrypted');
    expect(code(() => decryptMessage(server, 'multipart/encrypted;protocol="application/HTTP-CredSSP-session-encrypted";boundary="Encrypted Boundary"', new Uint8Array()))).toBe('bad-content-type');
    expect(code(() => decryptMessage(server, 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted"', new Uint8Array()))).toBe('bad-content-type');
  });

  it('reads other spellings of the MIME heads like the canonical one (which has a byte-match fast path)', () => {
    const { client, server } = pair();
    const text = '<s:Envelope>spellings</s:Envelope>';
    const m = encryptMessage(client, te.encode(text));
    const s = Buffer.from(m.body).toString('latin1');
    const variants = [
      s.replace('\tOriginalContent: type=', 'originalcontent:type=').replace('\tContent-Type: application/HTTP', 'content-type:  application/http'),
      s.replace(';Length=', '; length=').replace('application/octet-stream\r\n', 'Application/Octet-Stream \r\n'),
    ];
    for (const v of variants) {
      const body = new Uint8Array(Buffer.from(v, 'latin1'));
      const parts = parseEncryptedBody(m.contentType, body);
      expect(parts).toEqual(parseEncryptedBody(m.contentType, m.body));
    }
    expect(td.decode(decryptMessage(server, m.contentType, new Uint8Array(Buffer.from(variants[0], 'latin1'))))).toBe(text);
    // Another original type: not the canonical head, read line by line.
    const other = encryptMessage(client, te.encode(text), { contentType: 'application/soap+xml;charset=UTF-16' });
    expect(parseEncryptedBody(other.contentType, other.body)).toMatchObject({ originalType: 'application/soap+xml;charset=UTF-16', length: text.length });
  });

  it('recognises the encrypted Content-Type regardless of parameter order and case', () => {
    expect(isEncryptedContentType(ENCRYPTED_CONTENT_TYPE)).toBe(true);
    expect(isEncryptedContentType('Multipart/Encrypted; boundary="Encrypted Boundary"; protocol="application/HTTP-SPNEGO-session-encrypted"')).toBe(true);
    expect(isEncryptedContentType('application/soap+xml;charset=UTF-8')).toBe(false);
  });

  it('reports malformed framing: missing boundary, blank line before binary, missing close, bad signature length', () => {
    const { client, server } = pair();
    const m = encryptMessage(client, te.encode('<s:Envelope/>'));
    const s = Buffer.from(m.body).toString('latin1');
    const variants = [
      s.slice(2),
      s.replace('application/octet-stream\r\n', 'application/octet-stream\r\n\r\n'),
      s.slice(0, -24),
      s.replace('\x10\x00\x00\x00', '\x0f\x00\x00\x00'),
      s.replace('OriginalContent', 'Original'),
    ];
    for (const v of variants) expect(code(() => decryptMessage(server, m.contentType, new Uint8Array(Buffer.from(v, 'latin1'))))).toBe('malformed');
  });

  it('throws only EncryptionError on arbitrary bodies', () => {
    const { server } = pair();
    const prefix = te.encode('--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (junk, withPrefix) => {
        const body = withPrefix ? new Uint8Array([...prefix, ...junk]) : junk;
        try {
          decryptMessage(server, ENCRYPTED_CONTENT_TYPE, body);
        } catch (e) {
          if (!(e instanceof EncryptionError)) throw e;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
