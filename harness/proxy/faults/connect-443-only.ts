import { errorResponse } from '../error-response.ts';
import type { Fault } from '../types.ts';

// Squid's default "http_access deny CONNECT !SSL_ports" (PROTOCOL.md): WinRM's 5986 is refused.
export const connect443Only: Fault = {
  name: 'connect-443-only',
  description: 'answers CONNECT with 403 unless the port is 443',
  kind: 'fault',
  caughtBy: ['https.1'],
  onConnect: (t) => (t.port === 443 ? undefined : errorResponse(403, `CONNECT to port ${t.port} is not allowed`)),
};
