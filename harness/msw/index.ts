// msw 2 handlers for authors of JavaScript WinRM clients (request level; see README.md).
export { winrmHandlers, type WinrmHandlerOptions, type CustomCommandOutput } from './handlers.ts';
export { BASIC_CHALLENGE } from './basic-auth.ts';
