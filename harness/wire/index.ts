// Public API of the HTTP/1.1 wire codec.
export * from './types.ts';
export { MessageParser, DEFAULT_LIMITS } from './parser.ts';
export { serialize } from './serializer.ts';
export { request, response, REASON_PHRASES, type HeadersInit } from './build.ts';
export { getHeader, getHeaders, hasToken, listTokens, setHeader, removeHeaders, startLine } from './headers.ts';
export { parseTarget, type ParsedTarget } from './target.ts';
