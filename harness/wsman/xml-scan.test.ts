import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { scanXml } from './xml-scan.ts';
import { parseXml, parseXmlFully } from './xml-tree.ts';
import * as wsman from './index.ts';
import { FAULTS } from './faults.ts';

/** What a parse gives: the tree, or the error's class and message. */
function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

const golden = Object.values(
  JSON.parse(readFileSync(new URL('./fixtures/pywinrm-0.3.0-requests.json', import.meta.url), 'utf8')) as Record<string, string>,
);
const to = 'http://127.0.0.1:5985/wsman';
const h = { messageId: 'uuid:00000000-0000-4000-9000-000000000001', relatesTo: 'uuid:00000000-0000-4000-8000-000000000001' };
const o = { to, messageId: h.relatesTo };
const builtEnvelopes = [
  ...golden,
  wsman.createShell({ ...o, env: { A: 'x<&>"\ty' }, workingDirectory: 'C:\\t' }),
  wsman.command('S', 'echo', ['a&b', '<c>', "'q'"], o),
  wsman.receive('S', 'C', o),
  wsman.signal('S', 'C', 'terminate', o),
  wsman.deleteShell('S', o),
  wsman.identify(),
  wsman.identify(o),
  wsman.identifyResponse(h),
  wsman.createResponse(h, { shellId: 'S', address: to }),
  wsman.commandResponse(h, 'C'),
  wsman.receiveResponse(h, {
    commandId: 'C',
    streams: [
      { name: 'stdout', data: Buffer.from('WINRM-SIM\r\n'), end: true },
      { name: 'stderr', data: new Uint8Array(0), end: true },
    ],
    state: 'Done',
    exitCode: 0,
  }),
  wsman.signalResponse(h),
  wsman.deleteResponse(h),
  ...Object.values(FAULTS).map((f) => wsman.fault(h, { ...f, reason: 'a <reason> & more', machine: 'M&1' })),
];

describe('scanXml, the one-pass fast path of parseXml', () => {
  it('reads every envelope the harness and pywinrm write, giving the full parser’s tree', () => {
    for (const xml of builtEnvelopes) {
      const fast = scanXml(xml);
      expect(fast, xml.slice(0, 80)).toBeDefined();
      expect(fast).toEqual(parseXmlFully(xml));
    }
  });

  it('gives the same tree or the same error as the full parser on generated and mutated documents', () => {
    // Mostly well-formed documents (so that both paths build trees to compare), with rarer
    // constructs and errors mixed in, then random one-character edits.
    const often = <T,>(usual: T[], rare: T[]) => fc.oneof({ arbitrary: fc.constantFrom(...usual), weight: 30 }, { arbitrary: fc.constantFrom(...rare), weight: 1 });
    const name = often(['a', 's:b', 'x:c', 'q:d', 'B-1.z', 'x:_e'], ['xmlns:f', ':g', 'h:', '1i', 'j:k:l', '__proto__', 'u:v', 'é']);
    const text = often(['', ' ', '\n\t ', 'hi', 'a&amp;b', '&lt;&gt;&quot;&apos;', '&#65;&#x42;', 'é€😀', '>'], ['&nope;', '&#;', '&amp', ']]>', '"\'', '\r\n', '&#0;', '&#X41;', '&#x110000;']);
    const value = often(['v', 'urn:x', 'urn:y', '', 'a&amp;b', '&#9;&#10;', "it's", 'é'], ['a\tb', 'a\nb', '<', '>', '&bad;', '&#x;']);
    const attr = fc.tuple(
      often(['k', 'Name', 'xmlns', 'xmlns:x', 'xmlns:q', 'xml:lang', 'x:at', 'm'], ['k', 'xmlns:', 'u:at', '=', 'b c']),
      value,
      often(['"'], ["'"]),
      often([' '], ['\n', '  ', '']),
    );
    const element: fc.Memo<string> = fc.memo((depth) =>
      fc
        .tuple(
          name,
          fc.uniqueArray(attr, { selector: (a) => a[0], maxLength: 3 }),
          often(['', '/'], [' ', ' /', '/ ']),
          depth > 1 ? fc.array(fc.oneof(text, element(depth - 1)), { maxLength: 4 }) : fc.array(text, { maxLength: 2 }),
          often(['same'], ['other', 'spaced', 'none']),
        )
        .map(([n, attrs, close, content, endKind]) => {
          const a = attrs.map(([k, v, q, sp]) => `${sp}${k}=${q}${v}${q}`).join('');
          if (close.includes('/')) return `<${n}${a}${close}>`;
          const end = endKind === 'same' ? `</${n}>` : endKind === 'other' ? '</zz>' : endKind === 'spaced' ? `</${n} >` : '';
          return `<${n}${a}${close}>${content.join('')}${end}`;
        }),
    );
    const prologue = often(['', '<?xml version="1.0" encoding="utf-8"?>\n', '<?xml version="1.0"?>'], [' <?xml version="1.0"?>', '<?xml version="1.1"?>', '<!-- c -->', '<![CDATA[x]]>', '<?pi x?>', 'junk']);
    const root = fc.tuple(often([true], [false]), fc.array(element(3), { maxLength: 4 })).map(([decl, kids]) =>
      decl ? `<s:r xmlns:s="urn:s" xmlns:x="urn:x" xmlns:q="urn:q">${kids.join('')}</s:r>` : `<r>${kids.join('')}</r>`,
    );
    const doc = fc
      .tuple(prologue, fc.oneof({ arbitrary: root, weight: 3 }, { arbitrary: element(4), weight: 1 }), often(['', '\n', '  \n'], ['x', '<b/>', '<!-- c -->']))
      .map(([p, e, tail]) => `${p}${e}${tail}`);
    const mutated = fc
      .tuple(doc, fc.nat(), fc.constantFrom('', '<', '>', '/', '"', "'", '&', ' ', ':', '=', '!', '?', 'x', '\t'))
      .map(([d, at, c]) => {
        const i = d.length === 0 ? 0 : at % d.length;
        return d.slice(0, i) + c + d.slice(i + 1);
      });
    let trees = 0;
    let fastTrees = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: doc, weight: 2 }, { arbitrary: mutated, weight: 1 }), (xml) => {
        const full = outcome(() => parseXmlFully(xml));
        expect(outcome(() => parseXml(xml))).toEqual(full);
        if ('ok' in (full as object)) trees++;
        if ('ok' in (full as object) && scanXml(xml)) fastTrees++;
      }),
      { numRuns: 3000 },
    );
    // The comparison is only as good as the share of documents both paths accept.
    expect(trees).toBeGreaterThan(1200);
    expect(fastTrees).toBeGreaterThan(500);
    
  });

  it('reads a root start tag it has seen before the same way (kept roots are shared, read-only)', () => {
    const tag = '<s:r xmlns:s="urn:s" xmlns:q="urn:q" k="a&amp;b">';
    const first = scanXml(`${tag}<q:c/>x</s:r>`);
    const again = scanXml(`<?xml version="1.0"?>\n${tag}<s:d>y</s:d></s:r>`);
    expect(again).toEqual(parseXmlFully(`${tag}<s:d>y</s:d></s:r>`));
    expect(first).toEqual(parseXmlFully(`${tag}<q:c/>x</s:r>`));
    expect(Object.isFrozen(again!.attrs)).toBe(true);
    // Same text but not a start tag of its own: no reuse past the tag's end.
    expect(scanXml(`${tag.slice(0, -1)} m="1">z</s:r>`)).toEqual(parseXmlFully(`${tag.slice(0, -1)} m="1">z</s:r>`));
  });

  it('reads an inner start tag it has seen before the same way, its prefix resolved where it stands', () => {
    const docs = [
      '<s:r xmlns:s="urn:s" xmlns:q="urn:1"><q:c k="a&amp;b"/><q:c k="a&amp;b">t</q:c><q:c k="a&amp;b"/></s:r>',
      '<s:r xmlns:s="urn:s" xmlns:q="urn:2"><q:c k="a&amp;b"/><s:d><q:c k="a&amp;b"></q:c></s:d></s:r>',
      '<s:r xmlns:s="urn:s" xmlns="urn:d"><c k="a&amp;b"/><q:c k="a&amp;b"/></s:r>', // q undeclared: the full path's error
      '<s:r xmlns:s="urn:s"><q:c k="a&amp;b" xmlns:q="urn:3"/><q:c k="a&amp;b"/></s:r>',
      '<s:r xmlns:s="urn:s" xmlns:q="urn:1"><q:c k="a&amp;b">x</q:c k="a&amp;b"></s:r>',
    ];
    for (let round = 0; round < 2; round++) {
      for (const xml of docs) expect(outcome(() => parseXml(xml)), xml).toEqual(outcome(() => parseXmlFully(xml)));
    }
    const kept = scanXml(docs[0]!)!.children;
    expect(kept[0]!.attrs).toBe(kept[2]!.attrs);
    expect(Object.isFrozen(kept[0]!.attrs)).toBe(true);
  });

  it('declines documents outside its subset so that the full parser reports them', () => {
    for (const xml of ['<a><!-- c --></a>', '<a><![CDATA[x]]></a>', '<a>\r\n</a>', '<a k="1"k="2"/>', '<a k="1" k="2"/>', '<a></b>', '<a/><b/>', 'text', '<x:a/>', '<a b="1&x;"/>']) {
      expect(scanXml(xml), xml).toBeUndefined();
    }
    expect(() => parseXml('<a></b>')).toThrow(/malformed XML/);
  });
});
