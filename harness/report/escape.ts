// Escaping for the rendered formats. Report text comes from the proxy under test, so it is
// untrusted: every string goes through one of these before it reaches HTML, XML or Markdown.

/** HTML/XML text and attribute values (double- or single-quoted). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] as string);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * XML 1.0 §2.2: control characters (other than TAB, LF, CR), lone surrogates, U+FFFE/U+FFFF are
 * not allowed even as references; they become a visible \uXXXX. Then as escapeHtml.
 */
export function escapeXml(s: string): string {
  const legal = s.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escapeHtml(legal).replace(/&#39;/g, '&apos;');
}

/** One Markdown table cell: no line breaks, pipes and HTML escaped. */
export function escapeMdCell(s: string): string {
  return escapeMdText(s).replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
}

/** Markdown text: raw HTML is inert (GitHub renders inline HTML), Markdown punctuation escaped. */
export function escapeMdText(s: string): string {
  return s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string).replace(/([\\`*_[\]#!])/g, '\\$1');
}

/** An XML attribute value: as escapeXml, and line breaks/tabs kept as references (XML 1.0 §3.3.3). */
export function escapeXmlAttr(s: string): string {
  return escapeXml(s).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
