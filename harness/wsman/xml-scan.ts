// A fast path for parseXml: a single-pass scanner for the plain subset of XML that WinRM
// envelopes use (an optional `<?xml version="1.0" …?>` declaration, elements, attributes in
// double or single quotes, character data with entity references). It never reports an
// error: on anything outside that subset, or anything it is not sure about, it returns
// undefined and parseXml takes the full path (validator + fast-xml-parser), which then gives
// the same tree or the same WsmanParseError as before. So when it returns a tree, that tree
// equals what the full path builds (checked by the differential test in xml-scan.test.ts).
//
// Trees are read-only (XmlElement), so what does not differ between elements is shared:
// attribute-less elements share one empty attrs object, leaves one empty children array, and
// the root start tag — the same dozen namespace declarations on every envelope a peer sends —
// is read once and kept (rootTag): later documents that start with the same tag reuse its
// element fields and namespace scope instead of scanning it again. Other start tags that declare
// no namespace are kept the same way by their text (knownTags: `<a:Action mustUnderstand="true">`
// is the same in every request), so each is read once and then only looked up.

import { decodeEntities } from './xml-escape.ts';
import { NS } from './namespaces.ts';
import type { XmlElement } from './xml-tree.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
// A declared namespace URI that namespaces.ts names is replaced by that very string: readers
// match elements against NS.* with ===, which is then a pointer comparison.
const KNOWN_NS: ReadonlyMap<string, string> = new Map(Object.values(NS).map((u) => [u, u]));
type Scope = ReadonlyMap<string, string>;
const ROOT_SCOPE: Scope = new Map([['xml', XML_NS]]);

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

const NO_ATTRS: Readonly<Record<string, string>> = Object.freeze({});
const NO_CHILDREN: XmlElement[] = Object.freeze([]) as unknown as XmlElement[];

/** The root element, or undefined when the document is not in the plain subset. */
export function scanXml(xml: string): XmlElement | undefined {
  // CR (end-of-line handling, XML 1.0 §2.11) and other rare constructs go to the full path.
  if (xml.includes('\r')) return undefined;
  try {
    return scan(xml);
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  } finally {
    // A declined document may leave open elements behind (a read one leaves none).
    if (stack.length !== 0 || kids.length !== 0) stack.length = scopes.length = kidsFrom.length = kids.length = 0;
  }
}

// The scanner's working stacks, kept from one document to the next (scan is synchronous and
// never re-entered) and empty in between: open elements, the namespace scope each one sees and
// where its children start in `kids`, the children of all open elements in document order.
// When an element closes its children are moved out of `kids` into an array of their own size.
const stack: Mutable[] = [];
const scopes: Scope[] = [];
const kidsFrom: number[] = [];
const kids: XmlElement[] = [];

function scan(xml: string): XmlElement | undefined {
  const n = xml.length;
  let i = 0;
  if (xml.charCodeAt(0) === 0x3c && xml.charCodeAt(1) === 0x3f /* <? */) {
    i = declarationLength(xml);
    if (i === 0) return undefined;
  }
  // Character data is decoded only when the document has a reference at all.
  const refs = xml.includes('&');
  let root: XmlElement | undefined;
  const tag = new StartTag();
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    if (end > i) {
      if (stack.length === 0) {
        // Outside the root only white space may appear.
        for (let k = i; k < end; k++) if (!isSpace(xml.charCodeAt(k))) return undefined;
      } else {
        const t = refs ? decodeEntities(xml.slice(i, end)) : xml.slice(i, end);
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
      const from = kidsFrom.pop()!;
      const close = lt + 2 + top.qname.length;
      if (xml.charCodeAt(close) !== 0x3e || !nameAt(xml, lt + 2, top.qname)) return undefined;
      if (kids.length > from) top.children = popKids(from);
      if (stack.length === 0) {
        if (root) return undefined;
        root = top;
      } else kids.push(top);
      i = close + 1;
      continue;
    }
    if (c1 >= 128 || NAME_START[c1] !== 1) return undefined; // comments, CDATA, PIs, junk
    let el: Mutable;
    if (stack.length === 0) {
      if (root) return undefined; // a second root element
      el = rootTag(xml, lt, tag);
    } else {
      el = innerTag(xml, lt, scopes[scopes.length - 1]!, tag);
    }
    if (tag.selfClosing) {
      if (stack.length === 0) root = el;
      else kids.push(el);
    } else {
      stack.push(el);
      scopes.push(tag.scope);
      kidsFrom.push(kids.length);
    }
    i = tag.end;
  }
  if (stack.length !== 0) return undefined;
  return root;
}

function declarationLength(xml: string): number {
  for (const d of DECLARATIONS) if (xml.startsWith(d)) return d.length;
  return 0;
}

/** The children from `from` on, moved out of `kids` into an array of their own. */
function popKids(from: number): XmlElement[] {
  // (Pops, not splice or a length store: both are calls into the runtime.)
  const out = new Array<XmlElement>(kids.length - from);
  for (let k = out.length - 1; k >= 0; k--) out[k] = kids.pop()!;
  return out;
}

/** Whether `qname` stands in `xml` at `at` (an end tag against its start tag's name). */
function nameAt(xml: string, at: number, qname: string): boolean {
  for (let k = 0; k < qname.length; k++) if (xml.charCodeAt(at + k) !== qname.charCodeAt(k)) return false;
  return true;
}

/**
 * Reads one start tag `<qname (S attr="v")* S? (/)?>` into a new element; leaves where the tag
 * ends, whether it closed itself and the namespace scope inside it. Bails (throws) on anything
 * outside the subset.
 */
class StartTag {
  end = 0;
  selfClosing = false;
  scope: Scope = ROOT_SCOPE;

  read(xml: string, lt: number, outer: Scope): Mutable {
    let j = readName(xml, lt + 1);
    const qname = name(xml, lt + 1, j);
    const colon = nameColon < 0 ? -1 : nameColon - (lt + 1);
    let attrs = NO_ATTRS as Record<string, string>;
    let scope = outer;
    let inner: Map<string, string> | undefined;
    for (;;) {
      const c = xml.charCodeAt(j);
      if (c === 0x3e /* > */) {
        this.selfClosing = false;
        j++;
        break;
      }
      if (c === 0x2f /* / */) {
        if (xml.charCodeAt(j + 1) !== 0x3e) throw BAIL;
        this.selfClosing = true;
        j += 2;
        break;
      }
      if (!isSpace(c)) throw BAIL;
      while (isSpace(xml.charCodeAt(j))) j++;
      const a = xml.charCodeAt(j);
      if (a === 0x3e || a === 0x2f) continue;
      const an = readName(xml, j);
      const aname = name(xml, j, an);
      if (xml.charCodeAt(an) !== 0x3d /* = */) throw BAIL;
      const q = xml.charCodeAt(an + 1);
      if (q !== 0x22 && q !== 0x27) throw BAIL;
      const close = xml.indexOf(q === 0x22 ? '"' : "'", an + 2);
      if (close < 0) throw BAIL;
      // White space in a value is normalised (XML 1.0 §3.3.3); `<` is illegal; `>` is rare.
      let amp = false;
      for (let k = an + 2; k < close; k++) {
        const v = xml.charCodeAt(k);
        if (v === 0x3c || v === 0x3e || v === 0x09 || v === 0x0a) throw BAIL;
        if (v === 0x26) amp = true;
      }
      const raw = xml.slice(an + 2, close);
      const value = amp ? decodeEntities(raw) : raw;
      if (value === undefined) throw BAIL;
      if (attrs === NO_ATTRS) attrs = {};
      else if (Object.prototype.hasOwnProperty.call(attrs, aname)) throw BAIL;
      attrs[aname] = value;
      if (aname === 'xmlns' || aname.startsWith('xmlns:')) {
        inner ??= new Map(scope);
        inner.set(aname === 'xmlns' ? '' : aname.slice(6), KNOWN_NS.get(value) ?? value);
      }
      j = close + 1;
    }
    if (inner) scope = inner;
    const ns = scope.get(colon < 0 ? '' : qname.slice(0, colon));
    // An undeclared prefix is an error: leave its wording to the full path.
    if (ns === undefined && colon >= 0) throw BAIL;
    this.end = j;
    this.scope = scope;
    return { qname, local: colon < 0 ? qname : qname.slice(colon + 1), ns: ns ?? '', attrs, children: NO_CHILDREN, text: '' };
  }
}

/** A root start tag read before: its text, and what reading it gave (all immutable). */
interface KnownRoot {
  readonly source: string;
  readonly el: Readonly<Mutable>;
  readonly scope: Scope;
  readonly selfClosing: boolean;
}

/** Most root tags kept: a process talks to a few peers, each writing one root tag. */
const MAX_KNOWN_ROOTS = 8;
const knownRoots: KnownRoot[] = [];

/** The root element's start tag at `lt`, from knownRoots when this exact tag was read before. */
function rootTag(xml: string, lt: number, tag: StartTag): Mutable {
  for (const k of knownRoots) {
    // (A slice compared with === is a memcmp; startsWith walks code units, ~5× slower here.)
    if (xml.slice(lt, lt + k.source.length) === k.source) {
      tag.end = lt + k.source.length;
      tag.selfClosing = k.selfClosing;
      tag.scope = k.scope;
      const e = k.el;
      return { qname: e.qname, local: e.local, ns: e.ns, attrs: e.attrs, children: NO_CHILDREN, text: '' };
    }
  }
  const el = tag.read(xml, lt, ROOT_SCOPE);
  // The root's scope is fixed, so the element is a function of the tag's text alone. The text
  // is copied into a string of its own: a slice would keep the whole document alive.
  const source = ownCopy(xml.slice(lt, tag.end));
  const kept = new StartTag().read(source, 0, ROOT_SCOPE);
  Object.freeze(kept.attrs);
  if (knownRoots.length >= MAX_KNOWN_ROOTS) knownRoots.shift();
  knownRoots.push({ source, el: kept, scope: tag.scope, selfClosing: tag.selfClosing });
  return el;
}

/** What a start tag that declares no namespace determines by its text alone (all but `ns`). */
interface KnownTag {
  /** The tag's text, `<` to `>` (a copy of its own: a slice would keep the whole document alive). */
  readonly source: string;
  readonly qname: string;
  readonly local: string;
  /** The prefix of qname ('' when none), to resolve in the scope the tag stands in. */
  readonly prefix: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly selfClosing: boolean;
}

/**
 * Start tags read before, in buckets by tagSlot. (Not a Map by text: hashing a fresh string
 * costs more than reading most tags.) A tag is kept when it comes a second time (its
 * fingerprint is in `seen`): tags that carry ids (`<rsp:Stream … CommandId="…">`) are new each
 * time and are only read. A full bucket is emptied.
 */
const TAG_SLOTS = 1024;
const BUCKET_SIZE = 4;
const knownTags: (KnownTag[] | undefined)[] = new Array<KnownTag[] | undefined>(TAG_SLOTS).fill(undefined);
/** Fingerprints of tags read once, each at its low bits. */
const seen = new Int32Array(TAG_SLOTS);

/** A bucket for the tag text at `lt` of length `len` (≥ 3): its length and four of its characters, mixed. */
function tagSlot(xml: string, lt: number, len: number): number {
  const h =
    Math.imul(len, 0x9e3779b1) +
    xml.charCodeAt(lt + 1) * 31 +
    xml.charCodeAt(lt + 2) * 977 +
    xml.charCodeAt(lt + (len >> 1)) * 7919 +
    xml.charCodeAt(lt + len - 2);
  return (h ^ (h >>> 10)) & (TAG_SLOTS - 1);
}

/** A start tag below the root at `lt`, from knownTags when this exact text was read before. */
function innerTag(xml: string, lt: number, scope: Scope, tag: StartTag): Mutable {
  // A tag the reader accepts ends at its first `>` (attribute values with `>` are declined), so
  // that `>` delimits the text the reader would look at.
  const gt = xml.indexOf('>', lt);
  if (gt < 0) throw BAIL;
  const len = gt + 1 - lt;
  const slot = tagSlot(xml, lt, len);
  let bucket = knownTags[slot];
  if (bucket !== undefined) {
    // (A slice compared with === is a memcmp: faster than comparing in place, see rootTag.)
    const text = xml.slice(lt, gt + 1);
    for (const k of bucket) {
      if (k.source !== text) continue;
      const ns = scope.get(k.prefix);
      if (ns === undefined && k.prefix !== '') throw BAIL;
      tag.end = gt + 1;
      tag.selfClosing = k.selfClosing;
      tag.scope = scope;
      return { qname: k.qname, local: k.local, ns: ns ?? '', attrs: k.attrs, children: NO_CHILDREN, text: '' };
    }
  }
  const print = fingerprint(xml, lt, gt);
  if (seen[print & (TAG_SLOTS - 1)] !== print) {
    seen[print & (TAG_SLOTS - 1)] = print;
    return tag.read(xml, lt, scope);
  }
  // Seen before: read from a copy that is kept, so that the element's strings are slices of it.
  const source = ownCopy(xml.slice(lt, gt + 1));
  const el = tag.read(source, 0, scope);
  tag.end = gt + 1;
  if (tag.scope === scope) {
    if (bucket === undefined || bucket.length >= BUCKET_SIZE) knownTags[slot] = bucket = [];
    const prefix = el.qname.length === el.local.length ? '' : el.qname.slice(0, el.qname.length - el.local.length - 1);
    bucket.push({ source, qname: el.qname, local: el.local, prefix, attrs: Object.freeze(el.attrs), selfClosing: tag.selfClosing });
  }
  return el;
}

/** FNV-1a over the text from `lt` to `gt`. */
function fingerprint(xml: string, lt: number, gt: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = lt; k <= gt; k++) h = Math.imul(h ^ xml.charCodeAt(k), 0x01000193);
  return h;
}

/** A flat copy of `s` (V8 keeps slices as views into their parent string). UTF-16LE round-trips any string. */
function ownCopy(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}

/** Where the colon of the name readName last read is, or -1 when it has none. */
let nameColon = -1;

/** End of a QName starting at `j` (at most one colon, not first or last; see nameColon); bails otherwise. */
function readName(xml: string, j: number): number {
  const c0 = xml.charCodeAt(j);
  if (!(c0 < 128 && NAME_START[c0] === 1)) throw BAIL;
  nameColon = -1;
  for (j++; ; j++) {
    const c = xml.charCodeAt(j);
    if (c < 128 && NAME_CHAR[c] === 1) continue;
    if (c === 0x3a /* : */ && nameColon < 0) {
      nameColon = j;
      const next = xml.charCodeAt(j + 1);
      if (!(next < 128 && NAME_START[next] === 1)) throw BAIL;
      continue;
    }
    return j;
  }
}

// Names that are also Object.prototype members would be treated specially by plain objects.
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** The name readName just read (from..to). */
function name(xml: string, from: number, to: number): string {
  const s = xml.slice(from, to);
  // Only unprefixed names of 9 or 11 characters can be reserved: the set is not consulted for the others.
  if (nameColon < 0 && (s.length === 9 || s.length === 11) && RESERVED.has(s)) throw BAIL;
  return s;
}
