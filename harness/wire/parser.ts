/*
 * Incremental HTTP/1.1 message parser over bytes (RFC 9112).
 *
 * Our own rather than a registry package: npm has no maintained llhttp binding that runs on fed
 * bytes outside node:http (Node's internal HTTPParser is not public API), and http-parser-js,
 * the maintained pure-JS one, mirrors Node's binding callbacks, treats Transfer-Encoding as
 * chunked only when the whole value is exactly "chunked", reads Content-Length with `+value`,
 * and reports untyped "Parse Error"s. A conformance tool needs the exact header case and order,
 * strict RFC 9112 framing, limits enforced while bytes arrive, and named error codes.
 */

import { concatBytes, ByteQueue, EMPTY_BYTES, latin1Decode } from './bytes.ts';
import { getHeaders, listTokens, nameIs } from './headers.ts';
import { checkTarget } from './target.ts';
import {
  WireError,
  type Framing,
  type HeaderField,
  type HttpMessage,
  type WireErrorCode,
  type WireLimits,
} from './types.ts';

export const DEFAULT_LIMITS: Readonly<WireLimits> = Object.freeze({
  maxLineBytes: 16 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxBodyBytes: 64 * 1024 * 1024,
  maxHeaderCount: 200,
});

const CR = 0x0d;
const LF = 0x0a;
/** Queues up to this size are decoded to text in one piece when a head is read. */
const WHOLE_DECODE = 16 * 1024;

// token = 1*tchar, RFC 9110 §5.6.2.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// field-value / reason-phrase characters: HTAB, SP, VCHAR, obs-text (RFC 9110 §5.5, RFC 9112 §4).
// eslint-disable-next-line no-control-regex
const FIELD_TEXT = /^[\t\x20-\x7e\x80-\xff]*$/;
// request-line = method SP request-target SP HTTP-version (RFC 9112 §3); target has no whitespace.
const REQUEST_LINE = /^([^ ]+) ([\x21-\x7e]+) ([^ ]+)$/;
// status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). The SP before an
// empty reason is tolerated when missing: many servers omit it and the reason carries no meaning.
const STATUS_LINE = /^([^ ]+) ([0-9]{3})(?: (.*))?$/;
// chunk = chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1, §7.1.1); extensions are ignored.
const DIGITS = /^[0-9]+$/;
// field-line CRLF = field-name ":" OWS field-value OWS CRLF (RFC 9112 §5, RFC 9110 §5.5, §5.6.3),
// the lines parseField accepts; sticky and without groups: tested in place, no match object.
const FIELD_LINE = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*\r\n/y;
const CHUNK_LINE = /^([0-9A-Fa-f]+)(?:[ \t]*;[\t\x20-\x7e\x80-\xff]*)?$/;

/** text[a..b) without the OWS at either end: SP / HTAB only (RFC 9110 §5.6.3). */
function owsTrimmed(text: string, a: number, b: number): string {
  while (a < b && (text.charCodeAt(a) === 0x20 || text.charCodeAt(a) === 0x09)) a++;
  while (b > a && (text.charCodeAt(b - 1) === 0x20 || text.charCodeAt(b - 1) === 0x09)) b--;
  return text.slice(a, b);
}

type State =
  | 'head'
  | 'length'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-crlf'
  | 'trailers'
  | 'close'
  | 'tunnel'
  | 'ended';

type LineKind = 'start' | 'header' | 'chunk';

const LINE_ERROR: Record<LineKind, WireErrorCode> = {
  start: 'bad-start-line',
  header: 'bad-header',
  chunk: 'bad-chunk',
};

interface Head {
  kind: 'request' | 'response';
  method: string;
  target: string;
  version: string;
  status: number;
  reason: string;
}

/** Placeholders between messages: every message's own framing and lists are made when it needs them. */
const NO_FRAMING: Framing = Object.freeze({ kind: 'none' });
const NO_FIELDS: HeaderField[] = Object.freeze([]) as unknown as HeaderField[];
const NO_PARTS: Uint8Array[] = Object.freeze([]) as unknown as Uint8Array[];
const NO_SIZES: number[] = Object.freeze([]) as unknown as number[];
/** readWholeHead's working list (it runs to completion, never re-entered). */
const fieldScratch: HeaderField[] = [];

export class MessageParser {
  private readonly limits: WireLimits;
  private readonly q = new ByteQueue();
  private state: State = 'head';
  private error: WireError | undefined;
  /** Request methods whose responses are still to come (response parser), oldest first. */
  private readonly expected: string[] = [];

  // Message in progress.
  private head: Head | undefined;
  private fields: HeaderField[] = NO_FIELDS;
  /** Offset in the queue of the next head line: head bytes stay queued until the head ends. */
  private linePos = 0;
  /** Offset up to which the queue was already searched for LF (no rescans when fed byte-wise). */
  private scanned = 0;
  private framing: Framing = NO_FRAMING;
  private parts: Uint8Array[] = NO_PARTS;
  private bodyBytes = 0;
  private remaining = 0;
  private chunkSizes: number[] = NO_SIZES;
  private trailers: HeaderField[] = NO_FIELDS;
  private trailerBytes = 0;

  constructor(
    private readonly type: 'request' | 'response',
    limits?: Partial<WireLimits>,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Queue the method of a request sent on this connection, so its response is framed right (HEAD, CONNECT). */
  expectResponseTo(method: string): void {
    this.expected.push(method);
  }

  /** True once the connection became a tunnel (CONNECT, 101): push() then only buffers. */
  get tunnel(): boolean {
    return this.state === 'tunnel';
  }

  /** No partial message buffered. */
  get idle(): boolean {
    if (this.error) return false;
    if (this.state === 'tunnel') return true;
    return (this.state === 'head' || this.state === 'ended') && this.head === undefined && this.q.length === 0;
  }

  /** Feeds bytes; returns the messages this chunk completed. Throws WireError; the parser is then dead. */
  push(chunk: Uint8Array): HttpMessage[] {
    if (this.error) throw this.error;
    if (this.state === 'ended') this.fail('unexpected-eof', 'bytes pushed after end()');
    if (this.state === 'tunnel' && this.q.length + chunk.length > this.limits.maxBodyBytes) {
      this.fail('body-too-large', 'tunnel bytes not detached');
    }
    this.q.append(chunk);
    try {
      return this.run();
    } catch (e) {
      if (e instanceof WireError) this.error = e;
      throw e;
    } finally {
      this.q.settle(); // `chunk` is the caller's again: keep no view of it
    }
  }

  /** The peer closed: completes a close-delimited response; throws if a message was cut short. */
  end(): HttpMessage[] {
    if (this.error) throw this.error;
    if (this.state === 'tunnel' || this.state === 'ended') return [];
    if (this.state === 'close') {
      const msg = this.complete();
      this.state = 'ended';
      return [msg];
    }
    if (this.idle) {
      this.state = 'ended';
      return [];
    }
    const err = new WireError('unexpected-eof', `connection closed inside a message (${this.state})`);
    this.error = err;
    throw err;
  }

  /** Returns and clears the raw bytes not parsed (after the tunnel point, or a partial message, which is dropped). */
  detach(): Uint8Array {
    const bytes = this.q.takeAll();
    if (this.state !== 'tunnel' && this.state !== 'ended') {
      this.reset();
      this.state = 'head';
    }
    return bytes;
  }

  private fail(code: WireErrorCode, message: string): never {
    const err = new WireError(code, message);
    this.error = err;
    throw err;
  }

  private reset(): void {
    this.head = undefined;
    this.fields = NO_FIELDS;
    this.linePos = 0;
    this.scanned = 0;
    this.framing = NO_FRAMING;
    this.parts = NO_PARTS;
    this.bodyBytes = 0;
    this.remaining = 0;
    this.chunkSizes = NO_SIZES;
    this.trailers = NO_FIELDS;
    this.trailerBytes = 0;
  }

  private run(): HttpMessage[] {
    const out: HttpMessage[] = [];
    for (;;) {
      switch (this.state) {
        case 'head':
          if (!this.readHead(out)) return out;
          break;
        case 'length':
        case 'chunk-data': {
          const n = Math.min(this.remaining, this.q.length);
          if (n > 0) this.addPart(this.q.take(n));
          this.remaining -= n;
          if (this.remaining > 0) return out;
          if (this.state === 'length') this.emit(out);
          else this.state = 'chunk-crlf';
          break;
        }
        case 'chunk-size':
          if (!this.readChunkSize()) return out;
          break;
        case 'chunk-crlf': {
          // chunk-data is followed by CRLF (RFC 9112 §7.1).
          if (this.q.length >= 1 && this.q.at(0) !== CR) this.fail('bad-chunk', 'chunk data not followed by CRLF');
          if (this.q.length < 2) return out;
          if (this.q.at(1) !== LF) this.fail('bad-chunk', 'chunk data not followed by CRLF');
          this.q.skip(2);
          this.state = 'chunk-size';
          break;
        }
        case 'trailers':
          if (!this.readTrailers(out)) return out;
          break;
        case 'close': {
          // Close-delimited response body (RFC 9112 §6.3 item 8): everything until end().
          const n = this.q.length;
          if (n === 0) return out;
          this.bodyBytes += n;
          if (this.bodyBytes > this.limits.maxBodyBytes) this.fail('body-too-large', `body over ${this.limits.maxBodyBytes} bytes`);
          this.addPart(this.q.takeAll());
          return out;
        }
        case 'tunnel':
        case 'ended':
          return out;
      }
    }
  }

  private addPart(part: Uint8Array): void {
    if (this.parts === NO_PARTS) this.parts = [part]; // a body usually comes in one part
    else this.parts.push(part);
  }

  /**
   * Finds the next CRLF-terminated line starting at `from`; null when more bytes are needed.
   * RFC 9112 §2.2: lines end in CRLF; a bare LF or bare CR is refused (strict recipient).
   * `text`, when given, is the whole queue decoded as latin1 (one character per byte, so
   * offsets agree): lines are then cut from it instead of decoded one by one.
   */
  private readLine(from: number, kind: LineKind, text?: string): { text: string; next: number } | null {
    let lf = text === undefined ? this.q.indexOf(LF, Math.max(from, this.scanned)) : text.indexOf('\n', Math.max(from, this.scanned));
    if (lf < 0 && text !== undefined && text.length < this.q.length) {
      // `text` covers only the queue's start (readHead): look in the bytes past it.
      lf = this.q.indexOf(LF, Math.max(from, this.scanned, text.length));
      if (lf >= 0) text = this.q.latin1(0, this.q.length);
    }
    if (lf < 0) {
      this.scanned = this.q.length;
      if (this.q.length - from > this.limits.maxLineBytes + 1) {
        this.fail('line-too-long', `line over ${this.limits.maxLineBytes} bytes`);
      }
      return null;
    }
    if (lf === from || this.q.at(lf - 1) !== CR) this.fail(LINE_ERROR[kind], 'line ends in a bare LF (RFC 9112 §2.2)');
    if (lf - 1 - from > this.limits.maxLineBytes) this.fail('line-too-long', `line over ${this.limits.maxLineBytes} bytes`);
    this.scanned = lf + 1;
    if (text !== undefined) {
      const cr = text.indexOf('\r', from); // found: lf - 1 is a CR
      if (cr >= 0 && cr < lf - 1) this.fail(LINE_ERROR[kind], 'bare CR in line (RFC 9112 §2.2)');
      return { text: text.slice(from, lf - 1), next: lf + 1 };
    }
    const bytes = this.q.view(from, lf - 1);
    if (bytes.indexOf(CR) >= 0) this.fail(LINE_ERROR[kind], 'bare CR in line (RFC 9112 §2.2)');
    return { text: latin1Decode(bytes), next: lf + 1 };
  }

  /** Reads start line and field lines; true when the head completed (state moved on). */
  private readHead(out: HttpMessage[]): boolean {
    if (this.q.length === 0) return false; // between messages: nothing to look at
    // A head is a few hundred bytes: decode what is queued once (bounded) rather than per line,
    // up to the first blank line (the usual end of the head; the body after it is not text).
    let text: string | undefined;
    if (this.q.length <= WHOLE_DECODE) {
      const blank = this.q.indexOfCrlfCrlf();
      text = this.q.latin1(0, blank < 0 ? this.q.length : blank + 4);
      if (blank >= 0 && this.head === undefined && this.readWholeHead(text)) {
        this.startBody(out);
        return true;
      }
    }
    for (;;) {
      const line = this.readLine(this.linePos, this.head ? 'header' : 'start', text);
      if (!line && this.q.length > this.limits.maxHeaderBytes) {
        this.fail('headers-too-large', `header section over ${this.limits.maxHeaderBytes} bytes`);
      }
      if (!line) return false;
      if (line.next > this.limits.maxHeaderBytes) {
        this.fail('headers-too-large', `header section over ${this.limits.maxHeaderBytes} bytes`);
      }
      if (!this.head) {
        if (line.text === '' && this.type === 'request') {
          // RFC 9112 §2.2: a server SHOULD ignore empty line(s) received before the request-line.
          this.q.skip(line.next);
          this.scanned = 0;
          text = text?.slice(line.next);
          continue;
        }
        this.head = this.type === 'request' ? this.parseRequestLine(line.text) : this.parseStatusLine(line.text);
        this.fields = [];
      } else if (line.text === '') {
        this.q.skip(line.next);
        this.linePos = 0;
        this.scanned = 0;
        this.startBody(out);
        return true;
      } else {
        this.fields.push(this.parseField(line.text, 'header'));
        if (this.fields.length > this.limits.maxHeaderCount) {
          this.fail('too-many-headers', `more than ${this.limits.maxHeaderCount} header fields`);
        }
      }
      this.linePos = line.next;
    }
  }

  /**
   * The usual case, a complete well-formed head in `text` (up to and with its blank line), read
   * in one pass without a string per line. Anything unusual (a limit reached, a line the field-line
   * pattern refuses, leading empty lines) returns false with no state changed, and the line-by-line
   * path above reads the head again and raises its exact error.
   */
  private readWholeHead(text: string): boolean {
    const end = text.length;
    if (end > this.limits.maxHeaderBytes) return false;
    const lf = text.indexOf('\n');
    // The start line: CRLF-terminated, no bare CR, not empty, within the line limit (as readLine).
    if (lf < 2 || text.charCodeAt(lf - 1) !== CR || text.indexOf('\r') !== lf - 1 || lf - 1 > this.limits.maxLineBytes) return false;
    // Fields are gathered in a reused list and copied out at their exact count: a list grown by
    // push() from empty reserves room for 16. (Its stale entries are not cleared: `length = 0`
    // would drop its storage too.)
    const fields = fieldScratch;
    let count = 0;
    const last = end - 2; // the blank line
    for (let pos = lf + 1; pos < last; pos = FIELD_LINE.lastIndex) {
      FIELD_LINE.lastIndex = pos;
      if (!FIELD_LINE.test(text)) return false;
      const eol = FIELD_LINE.lastIndex - 2;
      if (eol - pos > this.limits.maxLineBytes || count === this.limits.maxHeaderCount) return false;
      const colon = text.indexOf(':', pos); // a name is a token: the first colon ends it
      fields[count++] = { name: text.slice(pos, colon), value: owsTrimmed(text, colon + 1, eol) };
    }
    const line = text.slice(0, lf - 1);
    this.head = this.type === 'request' ? this.parseRequestLine(line) : this.parseStatusLine(line);
    this.fields = fields.slice(0, count);
    this.q.skip(end);
    this.scanned = 0;
    return true;
  }

  private checkVersion(version: string, line: string): void {
    // HTTP-version = HTTP-name "/" DIGIT "." DIGIT (RFC 9112 §2.3); only 1.0 and 1.1 are spoken here.
    if (version === 'HTTP/1.1' || version === 'HTTP/1.0') return;
    if (version.startsWith('HTTP/')) this.fail('bad-version', `unsupported version ${JSON.stringify(version.slice(0, 40))}`);
    this.fail('bad-start-line', `malformed start line ${JSON.stringify(line.slice(0, 200))}`);
  }

  // The start lines are matched with test() and cut at their SPs (the patterns allow exactly
  // two before the reason): no match array per message.

  private parseRequestLine(text: string): Head {
    const sp1 = text.indexOf(' ');
    const sp2 = text.indexOf(' ', sp1 + 1);
    const method = text.slice(0, sp1);
    if (!REQUEST_LINE.test(text) || !TOKEN.test(method)) this.fail('bad-start-line', `malformed request-line ${JSON.stringify(text.slice(0, 200))}`);
    const target = text.slice(sp1 + 1, sp2);
    const version = text.slice(sp2 + 1);
    this.checkVersion(version, text);
    checkTarget(target, method); // throws WireError('bad-start-line'); RFC 9112 §3.2 forms
    return { kind: 'request', method, target, version, status: 0, reason: '' };
  }

  private parseStatusLine(text: string): Head {
    const sp = text.indexOf(' ');
    if (!STATUS_LINE.test(text)) {
      const version = text.split(' ', 1)[0];
      if (version.startsWith('HTTP/') && !/^HTTP\/1\.[01]$/.test(version)) this.checkVersion(version, text);
      this.fail('bad-start-line', `malformed status-line ${JSON.stringify(text.slice(0, 200))}`);
    }
    const version = text.slice(0, sp);
    this.checkVersion(version, text);
    const status = Number(text.slice(sp + 1, sp + 4));
    const reason = text.length > sp + 4 ? text.slice(sp + 5) : '';
    if (status < 100) this.fail('bad-start-line', `status code ${text.slice(sp + 1, sp + 4)} below 100`);
    if (!FIELD_TEXT.test(reason)) this.fail('bad-start-line', 'control character in reason-phrase');
    return { kind: 'response', method: '', target: '', version, status, reason };
  }

  /** field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). */
  private parseField(text: string, kind: 'header' | 'trailer'): HeaderField {
    const c0 = text.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) this.fail('bad-header', `obsolete line folding in ${kind} section (RFC 9112 §5.2)`);
    const colon = text.indexOf(':');
    if (colon < 0) this.fail('bad-header', `${kind} line without a colon`);
    const name = text.slice(0, colon);
    if (!TOKEN.test(name)) {
      const why = /[ \t]$/.test(name) ? 'whitespace before the colon (RFC 9112 §5.1)' : 'field name is not a token';
      this.fail('bad-header', `${why}: ${JSON.stringify(name.slice(0, 100))}`);
    }
    const value = owsTrimmed(text, colon + 1, text.length);
    if (!FIELD_TEXT.test(value)) this.fail('bad-header', `control character in the value of ${name}`);
    return { name, value };
  }

  /** Message body length, RFC 9112 §6.3, in its order of precedence. */
  private startBody(out: HttpMessage[]): void {
    const head = this.head!;
    if (head.kind === 'response') {
      const s = head.status;
      // 1xx interim responses come before the final one and do not answer the request (RFC 9110 §15.2).
      if (s < 200 && s !== 101) return this.emitNoBody(out);
      const method = this.expected.shift() ?? 'GET';
      // 101 switches protocols and a 2xx to CONNECT makes a tunnel: the bytes after are not HTTP (§6.3 items 1-2).
      if (s === 101 || (method === 'CONNECT' && s >= 200 && s < 300)) return this.emitNoBody(out, true);
      // HEAD responses, 1xx, 204 and 304 never have content (§6.3 item 1).
      if (method === 'HEAD' || s === 204 || s === 304) return this.emitNoBody(out);
    } else if (head.method === 'CONNECT') {
      // A CONNECT request has no content (RFC 9110 §9.3.6); what follows is tunnel data.
      return this.emitNoBody(out, true);
    }
    // The framing fields, both found in one pass over the head (no list for the usual single Content-Length).
    let te = false;
    let cl: string | undefined;
    let clMore: string[] | undefined;
    for (const f of this.fields) {
      if (nameIs(f.name, 'content-length')) {
        if (cl === undefined) cl = f.value;
        else (clMore ??= [cl]).push(f.value);
      } else if (nameIs(f.name, 'transfer-encoding')) te = true;
    }
    if (te) {
      // §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
      if (head.version === 'HTTP/1.0') this.fail('bad-transfer-encoding', 'Transfer-Encoding in an HTTP/1.0 message (RFC 9112 §6.1)');
      const codings = listTokens(this.fields, 'transfer-encoding').map((t) => t.toLowerCase());
      const chunkedAt = codings.indexOf('chunked');
      if (chunkedAt >= 0 && chunkedAt !== codings.length - 1) {
        this.fail('bad-transfer-encoding', 'chunked is not the final transfer coding (RFC 9112 §6.1)');
      }
      // §6.3 item 3: Transfer-Encoding overrides Content-Length.
      if (chunkedAt >= 0) {
        this.chunkSizes = [];
        this.trailers = [];
        this.framing = { kind: 'chunked', chunkSizes: this.chunkSizes, trailers: this.trailers };
        this.state = 'chunk-size';
        return;
      }
      // §6.3 item 4: final coding not chunked — a request cannot be framed, a response reads to close.
      if (head.kind === 'request') {
        this.fail('bad-transfer-encoding', `final transfer coding is not chunked: ${getHeaders(this.fields, 'transfer-encoding').join(', ')}`);
      }
      this.framing = { kind: 'close' };
      this.state = 'close';
      return;
    }
    if (cl !== undefined) {
      const length = this.contentLength(cl, clMore);
      this.framing = { kind: 'length', length };
      this.remaining = length;
      this.state = 'length';
      if (length === 0) this.emit(out);
      return;
    }
    // §6.3 items 7-8: a request without framing has no content; a response reads until close.
    if (head.kind === 'request') return this.emitNoBody(out);
    this.framing = { kind: 'close' };
    this.state = 'close';
  }

  /**
   * §6.3 item 5 and RFC 9110 §8.6: one decimal value, repeated identically at most. `first` is
   * the first Content-Length value; `all`, when there are several fields, every value.
   */
  private contentLength(first: string, all: string[] | undefined): number {
    // The usual case, one field of plain digits: what the general loop below gives for it.
    if (all === undefined && DIGITS.test(first)) {
      const v = first;
      const norm = v.charCodeAt(0) === 0x30 ? v.replace(/^0+(?=.)/, '') : v; // leading zeros are rare
      const length = norm.length > 15 ? Infinity : Number(norm);
      if (length > this.limits.maxBodyBytes) this.fail('body-too-large', `Content-Length ${norm.slice(0, 20)} over ${this.limits.maxBodyBytes}`);
      return length;
    }
    const values = all ?? [first];
    let digits: string | undefined;
    for (const v of values) {
      for (const part of v.split(',')) {
        const d = part.trim();
        if (!/^[0-9]+$/.test(d)) this.fail('bad-content-length', `Content-Length ${JSON.stringify(v.slice(0, 60))} is not a number`);
        const norm = d.replace(/^0+(?=.)/, '');
        if (digits !== undefined && digits !== norm) this.fail('bad-content-length', `conflicting Content-Length values: ${values.join(' / ').slice(0, 120)}`);
        digits = norm;
      }
    }
    const length = digits!.length > 15 ? Infinity : Number(digits);
    if (length > this.limits.maxBodyBytes) this.fail('body-too-large', `Content-Length ${digits!.slice(0, 20)} over ${this.limits.maxBodyBytes}`);
    return length;
  }

  private readChunkSize(): boolean {
    const line = this.readLine(0, 'chunk');
    if (!line) return false;
    this.q.skip(line.next);
    this.scanned = 0;
    const m = CHUNK_LINE.exec(line.text);
    if (!m) this.fail('bad-chunk', `malformed chunk-size line ${JSON.stringify(line.text.slice(0, 60))}`);
    const hex = m[1].replace(/^0+(?=.)/, '');
    const size = hex.length > 12 ? Infinity : parseInt(hex, 16);
    if (this.bodyBytes + size > this.limits.maxBodyBytes) this.fail('body-too-large', `chunked body over ${this.limits.maxBodyBytes} bytes`);
    if (size === 0) {
      this.state = 'trailers';
      return true;
    }
    this.bodyBytes += size;
    this.chunkSizes.push(size);
    this.remaining = size;
    this.state = 'chunk-data';
    return true;
  }

  /** trailer-section = *( field-line CRLF ) CRLF (RFC 9112 §7.1.2), under the header limits. */
  private readTrailers(out: HttpMessage[]): boolean {
    for (;;) {
      const line = this.readLine(0, 'header');
      if (!line) return false;
      this.q.skip(line.next);
      this.scanned = 0;
      this.trailerBytes += line.next;
      if (this.trailerBytes > this.limits.maxHeaderBytes) this.fail('headers-too-large', `trailer section over ${this.limits.maxHeaderBytes} bytes`);
      if (line.text === '') {
        this.emit(out); // this.framing holds this.chunkSizes and this.trailers (startBody)
        return true;
      }
      this.trailers.push(this.parseField(line.text, 'trailer'));
      if (this.trailers.length > this.limits.maxHeaderCount) this.fail('too-many-headers', `more than ${this.limits.maxHeaderCount} trailer fields`);
    }
  }

  private emitNoBody(out: HttpMessage[], tunnel = false): void {
    this.framing = { kind: 'none' };
    this.emit(out);
    if (tunnel) this.state = 'tunnel';
  }

  private emit(out: HttpMessage[]): void {
    out.push(this.complete());
    this.state = 'head';
  }

  private complete(): HttpMessage {
    const head = this.head!;
    const body = this.parts.length === 0 ? EMPTY_BYTES : concatBytes(this.parts);
    const framing = this.framing;
    const headers = this.fields;
    this.reset();
    if (head.kind === 'request') {
      return { kind: 'request', method: head.method, target: head.target, version: head.version, headers, body, framing };
    }
    return { kind: 'response', version: head.version, status: head.status, reason: head.reason, headers, body, framing };
  }
}
