import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseXml, find } from './xml-tree.ts';
import { escapeAttr, escapeText } from './xml-escape.ts';
import { WsmanParseError } from './errors.ts';

const doc = (inner: string) => `<r:root xmlns:r="urn:r"><r:a k="v">${inner}</r:a><r:b/></r:root>`;
const textOf = (xml: string) => find(parseXml(xml), 'urn:r', 'a')!.text;

describe('parseXml text handling, small and large (set-aside) character data alike', () => {
  it('escaped text round-trips at any length around the 4096-character set-aside threshold', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 4000, max: 4200 }), (s, n) => {
        const text = (s + '&<>"').repeat(Math.ceil(n / (s.length + 4))).slice(0, n);
        // XML 1.0 §2.11: a parser normalises CR/CRLF to LF; keep the property to text that survives.
        const clean = text.replace(/[\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
        expect(textOf(doc(escapeText(clean)))).toBe(clean);
      }),
      { numRuns: 100 },
    );
  });

  it('attribute values round-trip, tabs and newlines included', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const clean = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
        expect(parseXml(`<x a="${escapeAttr(clean)}"/>`).attrs['a']).toBe(clean);
      }),
    );
  });

  it('large CDATA and large comments with markup characters are left intact', () => {
    const big = 'x>'.repeat(5000);
    expect(textOf(doc(`<![CDATA[${big}<y>&amp;]]>`))).toBe(`${big}<y>&amp;`);
    expect(textOf(doc(`<!-- ${big} < -->t`))).toBe('t');
    const run = 'A&amp;'.repeat(2000);
    expect(textOf(doc(`<![CDATA[>${run}<]]>`))).toBe(`>${run}<`);
    expect(textOf(doc(`<!-- >${run}< -->t`))).toBe('t');
  });

  it('a bad entity inside large text is still malformed', () => {
    expect(() => textOf(doc('A'.repeat(10000) + '&nope;'))).toThrow(WsmanParseError);
  });

  it('U+0001 is refused (it is not an XML character)', () => {
    expect(() => parseXml(doc('\u0001'))).toThrow(/U\+0001/);
  });

  it('a document type declaration is refused wherever it stands, and before U+0001', () => {
    expect(() => parseXml('<a><!DOCTYPE a></a>')).toThrow(/document type declarations/);
    expect(() => parseXml('<!DOCTYPE a><a>\u0001</a>')).toThrow(/document type declarations/);
  });
});
