import type { Fault } from '../types.ts';

export const tlsIntercept: Fault = {
  name: 'tls-intercept',
  description: 'terminates TLS inside CONNECT with its own certificate and relays (and records) the plaintext',
  kind: 'fault',
  caughtBy: ['https.2'],
  interceptTls: true,
};
