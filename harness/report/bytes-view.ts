// Renders payload bytes for a report: base64 of the first bytes, a printable preview of them,
// and the start line when they begin an HTTP/1.x message.
import type { ReportDataEvent } from './types.ts';

/** ASCII printable as is; CR, LF, TAB as \r \n \t; backslash doubled; everything else \xNN. */
export function printable(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out;
}

// RFC 9112 §3 request-line (method SP request-target SP HTTP-version) and §4 status-line
// (HTTP-version SP status-code SP [reason-phrase]); tokens and visible ASCII only.
const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ [\x21-\x7e]+ HTTP\/\d\.\d$/;
const STATUS_LINE = /^HTTP\/\d\.\d \d{3}(?: [\x20-\x7e\t]*)?$/;
const MAX_START_LINE = 8192;

/** The request or status line when `bytes` begin an HTTP/1.x message, else undefined. */
export function httpStartLine(bytes: Uint8Array): string | undefined {
  const limit = Math.min(bytes.length, MAX_START_LINE);
  let end = -1;
  for (let i = 0; i < limit; i++) {
    if (bytes[i] === 0x0a) {
      end = i;
      break;
    }
  }
  if (end <= 0) return undefined;
  const lineEnd = bytes[end - 1] === 0x0d ? end - 1 : end;
  const line = Buffer.from(bytes.subarray(0, lineEnd)).toString('latin1');
  return REQUEST_LINE.test(line) || STATUS_LINE.test(line) ? line : undefined;
}

/** The payload fields of a ReportDataEvent for `shown` (the first bytes of `length`). */
export function renderPayload(
  shown: Uint8Array,
  length: number,
  truncated: boolean,
): Pick<ReportDataEvent, 'length' | 'base64' | 'preview' | 'truncated' | 'startLine'> {
  const startLine = httpStartLine(shown);
  return {
    length,
    base64: Buffer.from(shown).toString('base64'),
    preview: printable(shown),
    truncated,
    ...(startLine !== undefined ? { startLine } : {}),
  };
}
