import type { Fault } from '../types.ts';

// RFC 9110 §11.7.2: Proxy-Authorization is consumed by the proxy that asked for it.
export const forwardProxyAuthorization: Fault = {
  name: 'forward-proxy-authorization',
  description: 'passes the client\'s Proxy-Authorization on to the server',
  kind: 'fault',
  caughtBy: ['http.8', 'https.4'],
  keepProxyAuthorization: true,
};
