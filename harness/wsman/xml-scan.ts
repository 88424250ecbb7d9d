// A fast path for parseXml: a single-pass scanner for the plain subset of XML that WinRM
// envelopes use (an optional `<?xml version="1.0" …?>` declaration, elements, attributes in
// double or single quotes, character data with entity references). It never reports an
// error: on anything outside that subset, or anything it is not sure about, it returns
// undefined and parseXml takes the full path (validator + fast-xml-parser), which then gives
// the same tree or the same WsmanParseError as before. So when it returns a tree, that tree
// equals what the full path builds (checked by the differential test in xml-scan.test.ts).

import { decodeEntities } from './xml-escape.ts';
import type { XmlElement } from './xml-tree.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const ROOT_SCOPE: ReadonlyMap<string, string> = new Map([['xml', XML_NS]]);

// Character classes by code unit. Names: ASCII letters, `_`, then also digits, `-`, `.`
// (a subset of XML 1.0 §2.3 Name); at most one `:` (Namespaces in XML §3 QName).
const NAME_START = new Uint8Array(128);
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) NAME_START[c] = NAME_CHAR[c] = 1;
  if (/[0-9.\-]/.test(ch)) NAME_CHAR[c] = 1;
}
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09;

/** Declarations the scanner accepts verbatim at offset 0 (what pywinrm and this harness write). */
const DECLARATIONS = [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<?xml version="1.0"?>',
];

class Bail {}
const BAIL = new Bail();

type Mutable = { -readonly [K in keyof XmlElement]: XmlElement[K] } & { children: XmlElement[] };

/** The root element, or undefined when the document is not in the plain subset. */
export function scanXml(xml: string): XmlElement | undefined {
  // CR (end-of-line handling, XML 1.0 §2.11) and other rare constructs go to the full path.
  if (xml.includes('\r')) return undefined;
  try {
    return scan(xml);
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

function scan(xml: string): XmlElement | undefined {
  const n = xml.length;
  let i = 0;
  if (xml.startsWith('<?')) {
    const d = DECLARATIONS.find((x) => xml.startsWith(x));
    if (d === undefined) return undefined;
    i = d.length;
  }
  // Open elements and, in parallel, the namespace scope each one sees.
  const stack: Mutable[] = [];
  const scopes: Array<ReadonlyMap<string, string>> = [];
  let root: XmlElement | undefined;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    if (end > i) {
      const raw = xml.slice(i, end);
      if (stack.length === 0) {
        // Outside the root only white space may appear.
        for (let k = 0; k < raw.length; k++) if (!isSpace(raw.charCodeAt(k))) return undefined;
      } else {
        const t = decodeEntities(raw);
        if (t === undefined) return undefined;
        stack[stack.length - 1]!.text += t;
      }
    }
    if (lt < 0) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 0x2f /* / */) {
      // End tag: exactly `</qname>`.
      const top = stack.pop();
      if (!top) return undefined;
      scopes.pop();
      const close = lt + 2 + top.qname.length;
      if (xml.charCodeAt(close) !== 0x3e || !xml.startsWith(top.qname, lt + 2)) return undefined;
      if (stack.length === 0) {
        if (root) return undefined;
        root = top;
      } else stack[stack.length - 1]!.children.push(top);
      i = close + 1;
      continue;
    }
    if (c1 >= 128 || NAME_START[c1] !== 1) return undefined; // comments, CDATA, PIs, junk
    if (stack.length === 0 && root) return undefined; // a second root element
    // Start tag: `<qname (S attr="v")* S? (/)?>`.
    let j = readName(xml, lt + 1);
    const qname = name(xml, lt + 1, j);
    const attrs: Record<string, string> = {};
    let scope = stack.length === 0 ? ROOT_SCOPE : scopes[scopes.length - 1]!;
    let inner: Map<string, string> | undefined;
    let selfClosing = false;
    for (;;) {
      const c = xml.charCodeAt(j);
      if (c === 0x3e /* > */) {
        j++;
        break;
      }
      if (c === 0x2f /* / */) {
        if (xml.charCodeAt(j + 1) !== 0x3e) return undefined;
        selfClosing = true;
        j += 2;
        break;
      }
      if (!isSpace(c)) return undefined;
      while (isSpace(xml.charCodeAt(j))) j++;
      const a = xml.charCodeAt(j);
      if (a === 0x3e || a === 0x2f) continue;
      const an = readName(xml, j);
      const aname = name(xml, j, an);
      if (xml.charCodeAt(an) !== 0x3d /* = */) return undefined;
      const q = xml.charCodeAt(an + 1);
      if (q !== 0x22 && q !== 0x27) return undefined;
      const close = xml.indexOf(q === 0x22 ? '"' : "'", an + 2);
      if (close < 0) return undefined;
      // White space in a value is normalised (XML 1.0 §3.3.3); `<` is illegal; `>` is rare.
      let amp = false;
      for (let k = an + 2; k < close; k++) {
        const v = xml.charCodeAt(k);
        if (v === 0x3c || v === 0x3e || v === 0x09 || v === 0x0a) return undefined;
        if (v === 0x26) amp = true;
      }
      const raw = xml.slice(an + 2, close);
      const value = amp ? decodeEntities(raw) : raw;
      if (value === undefined) return undefined;
      if (Object.prototype.hasOwnProperty.call(attrs, aname)) return undefined;
      attrs[aname] = value;
      if (aname === 'xmlns' || aname.startsWith('xmlns:')) {
        inner ??= new Map(scope);
        inner.set(aname === 'xmlns' ? '' : aname.slice(6), value);
      }
      j = close + 1;
    }
    if (inner) scope = inner;
    const colon = qname.indexOf(':');
    const ns = scope.get(colon < 0 ? '' : qname.slice(0, colon));
    // An undeclared prefix is an error: leave its wording to the full path.
    if (ns === undefined && colon >= 0) return undefined;
    const el: Mutable = { qname, local: colon < 0 ? qname : qname.slice(colon + 1), ns: ns ?? '', attrs, children: [], text: '' };
    if (selfClosing) {
      if (stack.length === 0) root = el;
      else stack[stack.length - 1]!.children.push(el);
    } else {
      stack.push(el);
      scopes.push(scope);
    }
    i = j;
  }
  if (stack.length !== 0) return undefined;
  return root;
}

/** End of a QName starting at `j` (at most one colon, not first or last); bails otherwise. */
function readName(xml: string, j: number): number {
  const c0 = xml.charCodeAt(j);
  if (!(c0 < 128 && NAME_START[c0] === 1)) throw BAIL;
  let colon = false;
  for (j++; ; j++) {
    const c = xml.charCodeAt(j);
    if (c < 128 && NAME_CHAR[c] === 1) continue;
    if (c === 0x3a /* : */ && !colon) {
      colon = true;
      const next = xml.charCodeAt(j + 1);
      if (!(next < 128 && NAME_START[next] === 1)) throw BAIL;
      continue;
    }
    return j;
  }
}

// Names that are also Object.prototype members would be treated specially by plain objects.
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

function name(xml: string, from: number, to: number): string {
  const s = xml.slice(from, to);
  // Only names of 9 or 11 characters can be reserved: the set is not consulted for the others.
  if ((s.length === 9 || s.length === 11) && RESERVED.has(s)) throw BAIL;
  return s;
}
