import { describe, expect, it } from 'vitest';
import { asciiNameIs, getHeader, getHeaders, hasField, hasToken, listTokens, nameIs, removeHeaders, setHeader, startLine } from './headers.ts';
import type { HeaderField } from './types.ts';

const h: HeaderField[] = [
  { name: 'Host', value: 'a' },
  { name: 'Connection', value: 'keep-alive, Upgrade' },
  { name: 'connection', value: ' CLOSE ' },
  { name: 'X', value: '1' },
];

describe('header helpers', () => {
  it('getHeader returns the first value, case-insensitively', () => {
    expect(getHeader(h, 'CONNECTION')).toBe('keep-alive, Upgrade');
    expect(getHeader(h, 'missing')).toBeUndefined();
  });
  it('getHeaders returns every value in order', () => {
    expect(getHeaders(h, 'connection')).toEqual(['keep-alive, Upgrade', ' CLOSE ']);
  });
  it('hasToken finds list tokens across fields, case-insensitively', () => {
    expect(hasToken(h, 'Connection', 'close')).toBe(true);
    expect(hasToken(h, 'connection', 'upgrade')).toBe(true);
    expect(hasToken(h, 'Connection', 'keep')).toBe(false);
    expect(hasToken(h, 'X', '2')).toBe(false);
    expect(listTokens([{ name: 'TE', value: ' , a,,b ' }], 'te')).toEqual(['a', 'b']);
  });
  it('setHeader replaces the first occurrence in place, keeping its spelling, without mutating', () => {
    const out = setHeader(h, 'CONNECTION', 'close');
    expect(out.map((f) => `${f.name}=${f.value}`)).toEqual(['Host=a', 'Connection=close', 'connection= CLOSE ', 'X=1']);
    expect(h[1].value).toBe('keep-alive, Upgrade');
  });
  it('setHeader appends when absent', () => {
    expect(setHeader(h, 'Content-Length', '0').at(-1)).toEqual({ name: 'Content-Length', value: '0' });
    expect(setHeader(h, 'Content-Length', '0')).toHaveLength(5);
  });
  it('removeHeaders drops every field of the given names', () => {
    expect(removeHeaders(h, ['connection', 'x']).map((f) => f.name)).toEqual(['Host']);
  });
  it('startLine writes request-line and status-line', () => {
    expect(startLine({ kind: 'request', method: 'POST', target: '/wsman', version: 'HTTP/1.1', headers: [], body: new Uint8Array(0), framing: { kind: 'none' } })).toBe('POST /wsman HTTP/1.1');
    expect(startLine({ kind: 'response', status: 200, reason: 'OK', version: 'HTTP/1.1', headers: [], body: new Uint8Array(0), framing: { kind: 'none' } })).toBe('HTTP/1.1 200 OK');
  });
});

describe('nameIs (case-insensitive field-name match without allocation)', () => {
  it('agrees with toLowerCase() equality, ASCII and not', () => {
    const names = ['Content-Type', 'content-type', 'CONTENT-TYPE', 'Content-Typ', 'Content-Typf', '', 'X', '\u212Aeep-Alive', 'keep-alive', 'İ', 'i̇', 'via', 'VIA', 'Vía'];
    for (const a of names) {
      for (const b of names) {
        const lower = b.toLowerCase();
        expect(nameIs(a, lower), `${a} vs ${lower}`).toBe(a.toLowerCase() === lower);
      }
    }
  });
});

describe('asciiNameIs and hasField (names checked against ASCII constants)', () => {
  it('agree with toLowerCase() equality for an ASCII constant, whatever the name holds', () => {
    const names = ['Via', 'VIA', 'via ', 'Vía', 'Host', 'hOST', 'İ', '\u212Aeep-Alive', 'Keep-Alive', ''];
    for (const a of names) {
      for (const lower of ['via', 'host', 'keep-alive']) {
        expect(asciiNameIs(a, lower), `${a} vs ${lower}`).toBe(a.toLowerCase() === lower);
      }
    }
  });

  it('finds a field by name in any case, and only an exact name', () => {
    const headers = [{ name: 'Proxy-Connection', value: 'close' }, { name: 'Via', value: '1.1 a' }];
    expect(hasField(headers, 'proxy-connection')).toBe(true);
    expect(hasField(headers, 'via')).toBe(true);
    expect(hasField(headers, 'connection')).toBe(false);
    expect(hasField([], 'via')).toBe(false);
  });
});
