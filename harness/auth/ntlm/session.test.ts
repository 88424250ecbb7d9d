import { describe, expect, it } from 'vitest';
import { fromHex, hex, utf16le } from '../bytes.ts';
import { deriveSessionKeys } from './keys.ts';
import { NtlmSession, SecurityError } from './session.ts';

const te = new TextEncoder();
const ESK = fromHex('000102030405060708090a0b0c0d0e0f');

describe('NtlmSession (MS-NLMP §3.4)', () => {
  it('derives the PROTOCOL.md keys (ntlm-auth 1.4.0, flags 0xe2898036)', () => {
    const k = deriveSessionKeys(0xe2898036, ESK);
    expect(hex(k.clientSignKey)).toBe('9b52e70996bd32c71f2398b552d207d2');
    expect(hex(k.clientSealKey)).toBe('157cc91ead98fd67ff4911a6c338be2c');
    expect(hex(k.serverSealKey)).toBe('537dc0b821115fd8177313be127b7d90');
  });

  it('seals the PROTOCOL.md vector: c→s seq 0 and 1, s→c seq 0', () => {
    const client = new NtlmSession({ flags: 0xe2898036, exportedSessionKey: ESK, role: 'client' });
    const server = client.forRole('server');
    const msg = te.encode('<s:Envelope/>');
    const c0 = client.seal(msg);
    expect(hex(c0.signature)).toBe('01000000ece05fe101c2299100000000');
    expect(hex(c0.sealed)).toBe('4871a1161f37386e79bb7201de');
    const c1 = client.seal(msg);
    expect(hex(c1.signature)).toBe('01000000ec55efd18728455c01000000');
    expect(hex(c1.sealed)).toBe('8df615b0a98c5be3bb2732a937');
    const s0 = server.seal(msg);
    expect(hex(s0.signature)).toBe('010000007432dd3a36dd762700000000');
    expect(hex(s0.sealed)).toBe('6d1ce5c8dfa07c894aa845d3bd');
  });

  it('seals the MS-NLMP §4.2.4.4 GSS_WrapEx example (flags 0xe28a8233, key 55…55)', () => {
    const client = new NtlmSession({ flags: 0xe28a8233, exportedSessionKey: new Uint8Array(16).fill(0x55), role: 'client' });
    const w = client.seal(utf16le('Plaintext'));
    expect(hex(w.sealed)).toBe('54e50165bf1936dc996020c1811b0f06fb5f');
    expect(hex(w.signature)).toBe('010000007fb38ec5c55d497600000000');
  });

  it('round-trips both directions over many messages with sequence numbers advancing', () => {
    const client = new NtlmSession({ flags: 0xe2898036, exportedSessionKey: ESK, role: 'client' });
    const server = client.forRole('server');
    for (let i = 0; i < 20; i++) {
      const up = te.encode(`request ${i}`.repeat(i + 1));
      const a = client.seal(up);
      expect(hex(server.unseal(a.sealed, a.signature))).toBe(hex(up));
      const down = te.encode(`response ${i}`);
      const b = server.seal(down);
      expect(hex(client.unseal(b.sealed, b.signature))).toBe(hex(down));
    }
    expect(client.sendSequence).toBe(20);
    expect(server.receiveSequence).toBe(20);
  });

  it('rejects a flipped payload bit with bad-signature and keeps its state for the next message', () => {
    const client = new NtlmSession({ flags: 0xe2898036, exportedSessionKey: ESK, role: 'client' });
    const server = client.forRole('server');
    const a = client.seal(te.encode('hello'));
    const tampered = a.sealed.slice();
    tampered[0] ^= 1;
    expect(() => server.unseal(tampered, a.signature)).toThrow(expect.objectContaining({ code: 'bad-signature' }));
    expect(hex(server.unseal(a.sealed, a.signature))).toBe(hex(te.encode('hello')));
  });

  it('rejects a replayed message with bad-sequence', () => {
    const client = new NtlmSession({ flags: 0xe2898036, exportedSessionKey: ESK, role: 'client' });
    const server = client.forRole('server');
    const a = client.seal(te.encode('one'));
    server.unseal(a.sealed, a.signature);
    try {
      server.unseal(a.sealed, a.signature);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SecurityError);
      expect((e as SecurityError).code).toBe('bad-sequence');
    }
  });

  it('rejects a message sealed under another session key with bad-signature', () => {
    const other = new NtlmSession({ flags: 0xe2898036, exportedSessionKey: new Uint8Array(16).fill(7), role: 'client' });
    const server = new NtlmSession({ flags: 0xe2898036, exportedSessionKey: ESK, role: 'server' });
    const a = other.seal(te.encode('foreign'));
    expect(() => server.unseal(a.sealed, a.signature)).toThrow(expect.objectContaining({ code: 'bad-signature' }));
  });

  it('does not accept its own direction back (a client cannot unseal what it sealed)', () => {
    const client = new NtlmSession({ flags: 0xe2898036, exportedSessionKey: ESK, role: 'client' });
    const a = client.seal(te.encode('mirror'));
    expect(() => client.forRole('client').unseal(a.sealed, a.signature)).toThrow(SecurityError);
  });

  it('refuses NTLMv1-style session security (no EXTENDED_SESSIONSECURITY)', () => {
    expect(() => new NtlmSession({ flags: 0xe2808036, exportedSessionKey: ESK, role: 'client' })).toThrow(/EXTENDED_SESSIONSECURITY/);
  });
});
