import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readU32le } from '../auth/bytes.ts';
import type { CredSspClient } from '../auth/credssp/client.ts';
import type { CredSspServer } from '../auth/credssp/server.ts';
import { exchange, makeClient, makeServer, testIdentities } from '../auth/credssp/test-support.ts';
import {
  CREDSSP_ENCRYPTED_CONTENT_TYPE,
  CREDSSP_MULTI_ENCRYPTED_CONTENT_TYPE,
  credSspTrailerLength,
  decryptCredSspMessage,
  encryptCredSspMessage,
  parseCredSspBody,
} from './credssp.ts';
import { EncryptionError } from './errors.ts';

let client: CredSspClient;
let server: CredSspServer;
beforeAll(async () => {
  const ids = await testIdentities();
  client = makeClient();
  server = makeServer(ids.server);
  const out = await exchange(client, server);
  if (!out.final.result?.ok) throw new Error('CredSSP exchange failed in the fixture');
});
afterAll(() => {
  client.tls.close();
  server.close();
});

const text = (n: number, seed: string) => new TextEncoder().encode(seed.repeat(Math.ceil(n / seed.length)).slice(0, n));

describe('CredSSP message encryption (MS-WSMV §2.2.9.1.3, pywinrm 0.3.0)', () => {
  it('round-trips a SOAP body both ways in one multipart/encrypted part', async () => {
    const req = text(1200, '<s:Envelope>request</s:Envelope>');
    const enc = await encryptCredSspMessage(client.tls, req);
    expect(enc.contentType).toBe(CREDSSP_ENCRYPTED_CONTENT_TYPE);
    expect(Buffer.from(enc.body).toString('latin1')).toContain('\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=1200\r\n');
    expect(Buffer.from(enc.body).toString('latin1')).not.toContain('<s:Envelope>');
    expect(await decryptCredSspMessage(server.tls, enc.contentType, enc.body)).toEqual(req);
    const res = text(900, '<s:Envelope>response</s:Envelope>');
    const back = await encryptCredSspMessage(server.tls, res);
    expect(await decryptCredSspMessage(client.tls, back.contentType, back.body)).toEqual(res);
  });

  it('cuts a body over 16 KiB into 16 KiB chunks under multipart/x-multi-encrypted', async () => {
    const big = text(40_000, 'abcdefghijklmnopqrstuvwxyz0123456789');
    const enc = await encryptCredSspMessage(client.tls, big);
    expect(enc.contentType).toBe(CREDSSP_MULTI_ENCRYPTED_CONTENT_TYPE);
    const chunks = parseCredSspBody(enc.contentType, enc.body);
    expect(chunks.map((c) => c.length)).toEqual([16384, 16384, 7232]);
    // The prefix is the TLS trailer length for the negotiated suite (GCM: 16).
    expect(client.tls.cipher().name).toMatch(/GCM/);
    expect(chunks.map((c) => c.trailerLength)).toEqual([16, 16, 16]);
    // Closing boundary once, at the end.
    expect(Buffer.from(enc.body).toString('latin1').endsWith('--Encrypted Boundary--\r\n')).toBe(true);
    expect(await decryptCredSspMessage(server.tls, enc.contentType, enc.body)).toEqual(big);
  });

  it('keeps exactly 16 KiB in one part (pywinrm splits only when longer)', async () => {
    const edge = text(16384, 'x');
    const enc = await encryptCredSspMessage(client.tls, edge);
    expect(enc.contentType).toBe(CREDSSP_ENCRYPTED_CONTENT_TYPE);
    expect(readU32le(enc.body, Buffer.from(enc.body).indexOf('octet-stream\r\n') + 'octet-stream\r\n'.length)).toBe(16);
    expect(await decryptCredSspMessage(server.tls, enc.contentType, enc.body)).toEqual(edge);
  });

  it('computes the trailer length as pywinrm does for CBC, RC4 and GCM suites', () => {
    const v12 = (name: string) => ({ name, version: 'TLSv1.2' });
    expect(credSspTrailerLength(100, v12('ECDHE-RSA-AES256-GCM-SHA384'))).toBe(16);
    expect(credSspTrailerLength(100, v12('ECDHE-RSA-AES256-SHA384'))).toBe(60); // 100+48=148 → pad 12
    expect(credSspTrailerLength(100, v12('AES128-SHA'))).toBe(28); // 120 → pad 8
    expect(credSspTrailerLength(100, v12('DES-CBC3-SHA'))).toBe(28); // 120 → pad 8 (a full block)
    expect(credSspTrailerLength(100, v12('RC4-MD5'))).toBe(16);
    expect(credSspTrailerLength(100, { name: 'TLS_AES_256_GCM_SHA384', version: 'TLSv1.3' })).toBe(17);
  });

  it('reports a length that differs from OriginalContent, without decrypting garbage', async () => {
    const enc = await encryptCredSspMessage(client.tls, text(50, 'q'));
    const body = Buffer.from(Buffer.from(enc.body).toString('latin1').replace('Length=50', 'Length=51'), 'latin1');
    const err = await decryptCredSspMessage(server.tls, enc.contentType, new Uint8Array(body)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EncryptionError);
    expect((err as EncryptionError).code).toBe('length-mismatch');
  });

  it('refuses another protocol, a plain body, and broken framing with typed errors', async () => {
    const enc = await encryptCredSspMessage(client.tls, text(10, 'z'));
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as EncryptionError).code;
      }
      return 'none';
    };
    expect(code(() => parseCredSspBody('multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"', enc.body))).toBe('bad-content-type');
    expect(code(() => parseCredSspBody('application/soap+xml;charset=UTF-8', enc.body))).toBe('not-encrypted');
    expect(code(() => parseCredSspBody(enc.contentType, enc.body.subarray(0, enc.body.length - 30)))).toBe('malformed');
    expect(code(() => parseCredSspBody(enc.contentType, enc.body.subarray(5)))).toBe('malformed');
  });

  it('a tampered record fails as bad-signature (the TLS record MAC)', async () => {
    const { client: c, server: s } = await freshPair();
    const enc = await encryptCredSspMessage(c.tls, text(64, 'tamper'));
    const body = enc.body.slice();
    body[body.length - '--Encrypted Boundary--\r\n'.length - 2] ^= 1;
    const err = await decryptCredSspMessage(s.tls, enc.contentType, body).catch((e: unknown) => e);
    expect((err as EncryptionError).code).toBe('bad-signature');
    c.tls.close();
    s.close();
  });
});

async function freshPair() {
  const ids = await testIdentities();
  const c = makeClient();
  const s = makeServer(ids.server);
  await exchange(c, s);
  return { client: c, server: s };
}
