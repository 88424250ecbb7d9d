// XML 1.0 §2.4 / §3.3.3: what must be escaped in character data and in attribute values.

/** Escape character data: `&` and `<` must be, `>` is (for `]]>`). */
export function escapeText(s: string): string {
  // Most values (ids, URIs, numbers) need nothing: one test instead of a replace with a callback.
  return TEXT_SPECIAL.test(s) ? s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')) : s;
}

const TEXT_SPECIAL = /[&<>]/;
const ATTR_SPECIAL = /[&<>"\t\n\r]/;

/**
 * Escape a double-quoted attribute value. TAB, CR and LF are written as character references
 * because attribute-value normalisation (XML 1.0 §3.3.3) would otherwise turn them into spaces.
 */
export function escapeAttr(s: string): string {
  return ATTR_SPECIAL.test(s) ? s.replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c]!) : s;
}

const ATTR_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Resolve the five predefined entities and character references (XML 1.0 §4.1, §4.6).
 * Returns undefined on an unknown or malformed reference: SOAP forbids DTDs, so no other
 * entity can be declared (SOAP 1.2 part 1 §5).
 */
export function decodeEntities(s: string): string | undefined {
  if (!s.includes('&')) return s;
  let bad = false;
  const out = s.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) {
      bad = true;
      return whole;
    }
    if (ref.startsWith('#')) {
      const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const digits = ref[1] === 'x' ? /^#x[0-9a-fA-F]+$/ : /^#[0-9]+$/;
      if (!digits.test(ref) || !(cp > 0 && cp <= 0x10ffff)) {
        bad = true;
        return whole;
      }
      return String.fromCodePoint(cp);
    }
    const v = PREDEFINED[ref];
    if (v === undefined) bad = true;
    return v ?? whole;
  });
  return bad ? undefined : out;
}
