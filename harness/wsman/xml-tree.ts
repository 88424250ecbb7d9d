// A small element tree over fast-xml-parser's ordered output, with namespaces resolved so that
// readers match elements by (namespace URI, local name) whatever prefix the sender chose.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeEntities } from './xml-escape.ts';
import { WsmanParseError } from './errors.ts';
import { scanXml } from './xml-scan.ts';

export interface XmlElement {
  /** Qualified name as written (`s:Envelope`). */
  readonly qname: string;
  readonly local: string;
  /** Namespace URI the prefix resolves to ('' when none is in scope). */
  readonly ns: string;
  /** Attributes by qualified name as written, values with entities resolved. */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated character data directly inside this element. */
  readonly text: string;
}

const ATTRS = ':@';
const CDATA = '#cdata';
const TEXT = '#text';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are resolved by decodeEntities: fast-xml-parser leaves numeric references alone.
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: CDATA,
  commentPropName: false,
});

type Ordered = Record<string, unknown>;

/** Parse one XML document into its root element; throws WsmanParseError('malformed-xml'). */
export function parseXml(xml: string): XmlElement {
  // The plain subset WinRM uses is read in one pass; anything else takes the full path. A tree
  // from the scanner means the document has no `<!` at all (the scanner declines every `<` that
  // does not open or close an element), so the DOCTYPE search is left to the full path.
  if (!xml.includes(MARK)) {
    const fast = scanXml(xml);
    if (fast) return fast;
  }
  refuseForbidden(xml);
  return parseChecked(xml);
}

/** The full path alone (fast-xml-parser's validator and parser), for the differential test. */
export function parseXmlFully(xml: string): XmlElement {
  refuseForbidden(xml);
  return parseChecked(xml);
}

function refuseForbidden(xml: string): void {
  // SOAP 1.2 part 1 §5: a SOAP message must not contain a document type declaration
  // (which also rules out entity-expansion attacks).
  // (`<!` first: a plain substring search, and WinRM envelopes have none.)
  if (xml.includes('<!') && /<!DOCTYPE/i.test(xml)) throw malformed('document type declarations are not allowed in SOAP');
  // XML 1.0 §2.2: U+0001 is not a legal character; it marks the set-aside text below.
  if (xml.includes(MARK)) throw malformed('U+0001 is not an XML character');
}

function parseChecked(xml: string): XmlElement {
  const { reduced, bigTexts } = setAsideLargeText(xml);
  const valid = XMLValidator.validate(reduced);
  if (valid !== true) throw malformed(`${valid.err.msg} (line ${valid.err.line}, col ${valid.err.col})`);
  let nodes: Ordered[];
  try {
    nodes = parser.parse(reduced) as Ordered[];
  } catch (e) {
    throw malformed((e as Error).message);
  }
  const roots = nodes.filter((n) => elementName(n) !== undefined);
  const strayText = nodes.some((n) => typeof n[TEXT] === 'string' && (n[TEXT] as string).trim() !== '');
  if (roots.length !== 1 || strayText) throw malformed('a document must have exactly one root element');
  return build(roots[0]!, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), bigTexts);
}

const MARK = '\u0001';
const LARGE_TEXT = 4096;

/**
 * fast-xml-parser 5.12 takes about a second per 5 MB text node (a Receive with 4 MiB of base64),
 * so long runs of character data are replaced by numbered markers before parsing and put back
 * afterwards. Only runs between a `>` and a `<` with neither inside are taken, so markup is
 * never touched; the text keeps its raw form and goes through the same entity decoding.
 * (A plain loop: a regular expression with a large repeat count overflows V8's stack.)
 */
function setAsideLargeText(xml: string): { reduced: string; bigTexts: string[] } {
  const bigTexts: string[] = [];
  let reduced = '';
  let copied = 0;
  for (let gt = xml.indexOf('>'); gt >= 0; ) {
    const lt = xml.indexOf('<', gt + 1);
    if (lt < 0) break;
    const nextGt = xml.indexOf('>', gt + 1);
    if (lt - gt - 1 >= LARGE_TEXT && (nextGt < 0 || nextGt > lt)) {
      bigTexts.push(xml.slice(gt + 1, lt));
      reduced += `${xml.slice(copied, gt + 1)}${MARK}${bigTexts.length - 1}${MARK}`;
      copied = lt;
    }
    gt = nextGt;
  }
  return { reduced: bigTexts.length === 0 ? xml : reduced + xml.slice(copied), bigTexts };
}

function restore(s: string, bigTexts: readonly string[]): string {
  return bigTexts.length === 0 || !s.includes(MARK) ? s : s.replace(/\u0001(\d+)\u0001/g, (_m, i: string) => bigTexts[Number(i)]!);
}

function malformed(why: string): WsmanParseError {
  return new WsmanParseError('malformed-xml', `malformed XML: ${why}`);
}

function elementName(n: Ordered): string | undefined {
  return Object.keys(n).find((k) => k !== ATTRS && k !== TEXT && k !== CDATA);
}

function build(node: Ordered, scope: ReadonlyMap<string, string>, bigTexts: readonly string[]): XmlElement {
  const qname = elementName(node)!;
  const rawAttrs = (node[ATTRS] ?? {}) as Record<string, string>;
  const attrs: Record<string, string> = {};
  let inner: Map<string, string> | undefined;
  for (const [k, v] of Object.entries(rawAttrs)) {
    const value = decodeEntities(String(v));
    if (value === undefined) throw malformed(`bad entity reference in attribute ${k}`);
    attrs[k] = value;
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      inner ??= new Map(scope);
      inner.set(k === 'xmlns' ? '' : k.slice(6), value);
    }
  }
  const here = inner ?? scope;
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const local = colon < 0 ? qname : qname.slice(colon + 1);
  const ns = here.get(prefix);
  if (ns === undefined && prefix !== '') throw malformed(`undeclared namespace prefix '${prefix}'`);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[qname] ?? []) as Ordered[]) {
    if (typeof child[TEXT] === 'string' || typeof child[TEXT] === 'number') {
      const t = decodeEntities(restore(String(child[TEXT]), bigTexts));
      if (t === undefined) throw malformed(`bad entity reference in <${qname}>`);
      text += t;
    } else if (child[CDATA] !== undefined) {
      for (const c of child[CDATA] as Ordered[]) text += restore(String(c[TEXT] ?? ''), bigTexts);
    } else if (elementName(child) !== undefined) {
      children.push(build(child, here, bigTexts));
    }
  }
  return { qname, local, ns: ns ?? '', attrs, children, text };
}

/** First child with this namespace and local name. */
export function child(el: XmlElement | undefined, ns: string, local: string): XmlElement | undefined {
  // (Plain loops here and below: these run a dozen times per envelope, a closure each time adds up.)
  if (el === undefined) return undefined;
  for (const c of el.children) if (c.local === local && c.ns === ns) return c;
  return undefined;
}

export function childrenNamed(el: XmlElement | undefined, ns: string, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  if (el !== undefined) for (const c of el.children) if (c.local === local && c.ns === ns) out.push(c);
  return out;
}

/** First descendant (depth-first, document order) with this namespace and local name. */
export function find(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  for (const c of el.children) {
    if (c.local === local && c.ns === ns) return c;
    const deeper = find(c, ns, local);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Unqualified attribute value (WS-Man attributes such as Name, CommandId, State carry no prefix). */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  return el?.attrs[name];
}
