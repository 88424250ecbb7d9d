// A handler that throws (a bug below the connection) is answered 500 + Connection: close, whether
// it throws at once or from a waiting (async) path; the listener keeps serving.

import { describe, expect, it } from 'vitest';
import { SimNetwork } from '../net/sim/sim-network.ts';
import { getHeader } from '../wire/index.ts';
import { AuditRecorder } from './audit.ts';
import { ServerConnection, type ConnectionDeps } from './connection.ts';
import { negotiateCodec, ntlmAcceptorFactory } from './negotiate-deps.ts';
import { policyFrom } from './policy.ts';
import { sessionCrypto } from './session-crypto.ts';
import { RawHttp } from './test-http.ts';

const USER = { user: 'alice', password: 'S3cret-Pw!' };
const BASIC = `Basic ${Buffer.from(`${USER.user}:${USER.password}`).toString('base64')}`;

async function answers(how: 'sync' | 'async'): Promise<{ status: number; connection?: string; closed: boolean; audit: string | undefined }> {
  const net = new SimNetwork({ seed: 7 });
  const audit = new AuditRecorder(net.clock);
  const deps: ConnectionDeps = {
    net,
    actor: 'server',
    audit,
    policy: policyFrom({ users: [USER], random: net.random, auth: ['basic'], allowUnencrypted: true }),
    users: [USER],
    domain: 'SIM',
    // 'sync': the handler throws before any promise; 'async': the WS-Man answer rejects.
    crypto: how === 'sync' ? { ...sessionCrypto, isEncrypted: () => { throw new Error('boom (sync)'); } } : sessionCrypto,
    wsman: {
      serve: () => Promise.reject(new Error('boom (async)')),
      identifyAnonymous: () => undefined,
    },
    newAcceptor: ntlmAcceptorFactory({ users: [USER], random: net.random, clock: net.clock, computerName: 'SIM', domain: 'SIM' }),
    codec: negotiateCodec,
    idleTimeoutMs: 60_000,
    maxBodyBytes: 1 << 20,
  };
  await net.listen({ host: '127.0.0.1', port: 5985, actor: 'server' }, (conn) => void new ServerConnection(conn, 'http', deps, () => {}));
  try {
    return await net.runUntilSettled(
      (async () => {
        const http = await RawHttp.open(net, { host: '127.0.0.1', port: 5985 });
        const res = await http.post([['Authorization', BASIC], ['Content-Type', 'application/soap+xml;charset=UTF-8']], '<s:Envelope/>');
        await http.closedP;
        return { status: res.status, connection: getHeader(res.headers, 'connection'), closed: http.closed, audit: audit.entries[0]?.reason };
      })(),
      { maxTimeMs: 120_000 },
    );
  } finally {
    await net.shutdown();
  }
}

describe('server: a throwing handler', () => {
  it('answers 500 and closes when the handler throws at once', async () => {
    expect(await answers('sync')).toEqual({ status: 500, connection: 'close', closed: true, audit: 'internal error: boom (sync)' });
  });

  it('answers 500 and closes when the waiting handler rejects', async () => {
    expect(await answers('async')).toEqual({ status: 500, connection: 'close', closed: true, audit: 'internal error: boom (async)' });
  });
});
